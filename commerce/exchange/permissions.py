"""Права обмена каталогом: кто загружает, кто выгружает, кто видит чужие задания, что меняет импорт.

Загрузить и подтвердить импорт — право exchange.run_import; заказать выгрузку —
exchange.run_export. Сверх этого импорт требует права моделей, которые он на самом деле
пишет: файл, меняющий цены, — pricing.change_variantprice, остатки — inventory.change_stock,
новые товары — catalog.add_product и так далее (WRITE_LABELS). Какие записи сделает
применение, узнаёт пробный прогон (он пишет то же самое и откатывается); применение
проверяет права подтвердившего ещё раз по фактическим записям.

Свои задания видит каждый, у кого есть право запуска; чужие — только с правом просмотра
журнала (exchange.view_importjob, exchange.view_exportjob). Подтвердить чужой импорт —
право exchange.change_importjob.
"""

from django.utils.translation import gettext_lazy as _

RUN_IMPORT = "exchange.run_import"
RUN_EXPORT = "exchange.run_export"
VIEW_ALL_IMPORTS = "exchange.view_importjob"
VIEW_ALL_EXPORTS = "exchange.view_exportjob"
CONFIRM_ANY_IMPORT = "exchange.change_importjob"

ADD_PRODUCT = "catalog.add_product"
CHANGE_PRODUCT = "catalog.change_product"
ADD_VARIANT = "catalog.add_variant"
CHANGE_VARIANT = "catalog.change_variant"
ADD_CATEGORY = "catalog.add_category"
ADD_BRAND = "catalog.add_brand"
ADD_ATTRIBUTE = "catalog.add_attribute"
CHANGE_ATTRIBUTE = "catalog.change_attribute"
CHANGE_PRICE = "pricing.change_variantprice"
CHANGE_STOCK = "inventory.change_stock"

# Что означает право для человека: «импорт меняет цены» и т. п.
WRITE_LABELS = {
    RUN_IMPORT: _("импортировать каталог"),
    CONFIRM_ANY_IMPORT: _("подтверждать чужие импорты"),
    ADD_PRODUCT: _("создавать товары"),
    CHANGE_PRODUCT: _("менять товары и их атрибуты"),
    ADD_VARIANT: _("создавать варианты"),
    CHANGE_VARIANT: _("менять варианты и их атрибуты"),
    ADD_CATEGORY: _("создавать категории"),
    ADD_BRAND: _("создавать бренды"),
    ADD_ATTRIBUTE: _("создавать атрибуты"),
    CHANGE_ATTRIBUTE: _("добавлять значения атрибутов"),
    CHANGE_PRICE: _("менять цены"),
    CHANGE_STOCK: _("менять остатки"),
}


def permissions_missing(*, user, permissions):
    """Вернуть отсортированный список прав из permissions, которых у пользователя нет."""
    return sorted(code for code in set(permissions) if not user.has_perm(code))


def permissions_describe(permissions):
    """Описать права по-русски через запятую: «менять цены, менять остатки»."""
    return ", ".join(str(WRITE_LABELS.get(code, code)) for code in sorted(permissions))
