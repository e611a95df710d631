"""Домен магазина: по одному приложению Django на подпапку (catalog, pricing, inventory, ...)."""
