"""Точка расширения цен каталога: скидки поверх прайс-листов (подключает commerce.promotions).

Почему реестр, а не импорт: акции читают каталог (категории, бренды, значения атрибутов), а
каталог показывает цены со скидкой. Прямой импорт в обе стороны — цикл приложений, который
запрещает контракт import-linter. Реестр заполняется в PromotionsConfig.ready(); без
зарегистрированных обработчиков каталог работает с ценами прайс-листов как раньше.

Обработчик — объект с двумя методами:

* ``offers_refreshed(*, product_ids)`` — после пересчёта предложений (product_ids None — весь
  каталог) поправить цену, старую цену и плашку предложений в той же транзакции;
* ``variant_prices(*, region_id, product_id, brand_id, variants)`` — поправить цены вариантов
  карточки (список словарей с ключами price, old_price) и вернуть плашку товара или "".
"""

_adjusters = []


def price_adjuster_register(adjuster):
    """Зарегистрировать обработчик цен (повторная регистрация того же класса заменяет прежний)."""
    _adjusters[:] = [item for item in _adjusters if type(item) is not type(adjuster)]
    _adjusters.append(adjuster)


def offers_refreshed(*, product_ids):
    """Сообщить обработчикам, что предложения товаров пересчитаны из прайс-листов."""
    for adjuster in _adjusters:
        adjuster.offers_refreshed(product_ids=product_ids)


def variant_prices_adjust(*, region_id, product_id, brand_id, variants):
    """Поправить цены вариантов карточки товара и вернуть плашку акции ("" — акции нет)."""
    label = ""
    for adjuster in _adjusters:
        label = (
            adjuster.variant_prices(region_id=region_id, product_id=product_id, brand_id=brand_id, variants=variants)
            or label
        )
    return label
