"""Формирование ответов API каталога: простые словари из строк селекторов.

Не ModelSerializer: список товаров отдаёт до 100 строк на запрос, и поштучная работа полей
DRF стоила бы больше, чем сами SQL-запросы. Деньги — строкой с двумя знаками ("1990.00").
"""


def money(value):
    """Деньги строкой с двумя знаками после точки или None."""
    return None if value is None else f"{value:.2f}"


def rendition_dict(rendition):
    return {"url": rendition.url, "width": rendition.width, "height": rendition.height}


def image_dict(product_image, renditions):
    """Изображение товара: alt и рендишены по фильтрам."""
    return {
        "alt": product_image.alt or product_image.image.title,
        "renditions": {spec: rendition_dict(rendition) for spec, rendition in renditions.items()},
    }


def brand_dict(snapshot, brand_id):
    brand = snapshot.brands_by_id.get(brand_id)
    return {"slug": brand["slug"], "name": brand["name"]} if brand else None


def category_short(node):
    return {"slug": node.slug, "name": node.name}


def category_tree_dict(node):
    """Узел дерева категорий с детьми (рекурсивно)."""
    return {"slug": node.slug, "name": node.name, "children": [category_tree_dict(child) for child in node.children]}


def attribute_dict(attribute):
    data = {"code": attribute.code, "name": attribute.name, "type": attribute.type, "unit": attribute.unit}
    if attribute.type == "choice":
        data["values"] = [{"value": value, "label": label} for _id, value, label in attribute.choices]
    return data


def product_list_item(row, snapshot, images):
    """Строка списка товаров: цена, старая цена, наличие в регионе, главное изображение."""
    main_image = images.get(row["id"])
    price = row["offer__price"]
    return {
        "id": row["id"],
        "slug": row["slug"],
        "name": row["name"],
        "brand": brand_dict(snapshot, row["brand_id"]),
        "price": money(price),
        "old_price": money(row["offer__old_price"]),
        "currency": row["offer__currency"] or None,
        # Товар без цены в регионе не скрыт, а показан недоступным.
        "is_available": bool(row["offer__in_stock"]) and price is not None,
        # Плашка скидки каталога (акция) или null.
        "promo_label": row.get("offer__discount_label") or None,
        "image": image_dict(*main_image) if main_image else None,
    }


def number(value):
    """Число атрибута строкой без лишних нулей («12.5», «300») или None."""
    return None if value is None else format(value.normalize(), "f")


def attribute_value_dict(snapshot, row):
    attribute = snapshot.attributes_by_id.get(row["attribute_id"])
    if attribute is None:
        return None
    data = {"code": attribute.code, "name": attribute.name, "type": attribute.type, "unit": attribute.unit}
    if attribute.type == "choice":
        choice = attribute.choice_by_id.get(row["choice_id"])
        data["value"] = choice[1] if choice else None
        data["label"] = choice[2] if choice else None
    elif attribute.type == "number":
        data["value"] = number(row["value_number"])
    elif attribute.type == "boolean":
        data["value"] = row["value_boolean"]
    else:
        data["value"] = row["value_text"]
    return data


def variant_price(row):
    """Цена варианта из прайс-листов: региона, а без неё — базового ({price, old_price, currency})."""
    if row["regional_price"] is not None:
        return {
            "price": row["regional_price"],
            "old_price": row["regional_old_price"],
            "currency": row["regional_currency"],
        }
    return {"price": row["base_price"], "old_price": row["base_old_price"], "currency": row["base_currency"]}


def variant_dict(row, attributes, prices=None):
    """Вариант с ценой (prices — уже со скидкой каталога; иначе из прайс-листов) и доступным остатком."""
    prices = prices or variant_price(row)
    price, old_price, currency = prices["price"], prices["old_price"], prices["currency"]
    available = max(int(row["available"] or 0), 0)
    return {
        "id": row["id"],
        "sku": row["sku"],
        "barcode": row["barcode"],
        "name": row["name"],
        "attributes": attributes,
        "price": money(price),
        "old_price": money(old_price),
        "currency": currency,
        "available_quantity": available if price is not None else 0,
        "is_available": price is not None and available > 0,
        "weight_grams": row["weight_grams"],
        "dimensions_mm": {"length": row["length_mm"], "width": row["width_mm"], "height": row["height_mm"]},
    }
