"""Колонки выгрузки заказов в таблицу — одни для Wagtail admin и Django admin."""

# Колонки выгрузки списка заказов в XLSX/CSV (кнопка «Скачать» над списком; учитывает фильтры).
ORDER_EXPORT_FIELDS = [
    "number",
    "status",
    "created_at",
    "region",
    "contact_name",
    "contact_phone",
    "contact_email",
    "delivery_method",
    "delivery_address",
    "payment_method",
    "subtotal",
    "delivery_cost",
    "total",
    "currency",
    "paid_at",
    "payment_reference",
]
