"""Проводка API: маршруты /api/v1/ и Wagtail API v2, схема OpenAPI, health (общая библиотека — core)."""
