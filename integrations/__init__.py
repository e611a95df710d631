"""Интеграции с внешними системами: по приложению на систему (onec, moysklad, amocrm, erpnext, sms)."""
