"""Сериализаторы API корзины: вход — проверка, выход — форма ответа."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from commerce.catalog.api.schema import ImageSchema


class CartLineAddInputSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, default=1)

    def validate_quantity(self, value):
        # Потолок проверяет и сервис; здесь — чтобы ответить 400 с путём поля до похода в базу.
        if value > settings.CART_LINE_MAX_QUANTITY:
            raise serializers.ValidationError(
                _("Не больше %(limit)s штук одного товара.") % {"limit": settings.CART_LINE_MAX_QUANTITY},
                code="quantity_too_large",
            )
        return value


class CartLineSetInputSerializer(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=0)


class PromoCodeInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, trim_whitespace=True)


class CartLineOutputSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField()
    sku = serializers.CharField()
    product_name = serializers.CharField()
    product_slug = serializers.CharField()
    variant_name = serializers.CharField()
    image = ImageSchema(allow_null=True)
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="Цена единицы, уже со скидкой каталога."
    )
    old_unit_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="Зачёркнутая цена единицы или null."
    )
    promo_label = serializers.CharField(allow_null=True, help_text="Плашка акции каталога или null.")
    line_subtotal = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="unit_price × quantity."
    )
    discount = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Доля скидок корзины и промокода на строку (до копейки)."
    )
    line_total = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="line_subtotal − discount."
    )
    currency = serializers.CharField()
    available_quantity = serializers.IntegerField()
    is_available = serializers.BooleanField()
    problem = serializers.CharField(
        allow_null=True, help_text="unavailable, no_price, out_of_stock, insufficient_stock"
    )


class RegionChangeOutputSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField()
    sku = serializers.CharField()
    old_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    new_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    old_currency = serializers.CharField()
    new_currency = serializers.CharField()
    old_problem = serializers.CharField(allow_null=True)
    new_problem = serializers.CharField(allow_null=True)


class AppliedPromotionOutputSerializer(serializers.Serializer):
    promotion_id = serializers.IntegerField()
    name = serializers.CharField()
    label = serializers.CharField()
    effect = serializers.CharField(help_text="order_discount, nth_item, gift, free_delivery")
    code = serializers.CharField(help_text="Промокод, если скидка по коду; иначе пусто.")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    free_delivery = serializers.BooleanField()


class PromotionHintOutputSerializer(serializers.Serializer):
    promotion_id = serializers.IntegerField()
    effect = serializers.CharField()
    amount_missing = serializers.DecimalField(max_digits=14, decimal_places=2)
    message = serializers.CharField(help_text="«Добавьте ещё на 500 ₽ до бесплатной доставки».")


class PromoCodeErrorOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class PromoCodeStateOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    is_applied = serializers.BooleanField()
    error = PromoCodeErrorOutputSerializer(allow_null=True, help_text="Почему код сейчас не действует.")


class GiftOutputSerializer(serializers.Serializer):
    variant_id = serializers.IntegerField()
    sku = serializers.CharField()
    product_name = serializers.CharField()
    product_slug = serializers.CharField()


def _image(image):
    if image is None:
        return None
    product_image, renditions = image
    return {
        "alt": product_image.alt or product_image.image.title,
        "renditions": {
            spec: {"url": item.url, "width": item.width, "height": item.height} for spec, item in renditions.items()
        },
    }


def _line(line):
    data = {name: getattr(line, name) for name in CartLineOutputSerializer._declared_fields if name != "image"}
    data["problem"] = line.problem
    data["is_available"] = line.is_available
    data["promo_label"] = line.promo_label or None
    data["image"] = _image(line.image)
    return data


def _promo_code(pricing):
    if not pricing.code:
        return None
    error = pricing.code_error
    return {
        "code": pricing.code,
        "is_applied": error is None,
        "error": {"code": error.default_code, "message": str(error.detail)} if error is not None else None,
    }


class CartOutputSerializer(serializers.Serializer):
    """Корзина: токен (для анонимной), регион, строки, итоги, изменения после смены региона."""

    token = serializers.CharField(
        allow_null=True, help_text="Передавайте в X-Cart-Token; у корзины пользователя — null."
    )
    region = serializers.CharField(allow_null=True)
    currency = serializers.CharField()
    lines = CartLineOutputSerializer(many=True)
    items_count = serializers.IntegerField()
    subtotal = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Товары по ценам со скидкой каталога, до скидок корзины."
    )
    discount_total = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Скидки корзины и промокода (сумма discount строк)."
    )
    total = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="subtotal − discount_total, без доставки."
    )
    promotions = AppliedPromotionOutputSerializer(many=True)
    promo_code = PromoCodeStateOutputSerializer(allow_null=True)
    hints = PromotionHintOutputSerializer(many=True)
    gifts = GiftOutputSerializer(many=True)
    free_delivery = serializers.BooleanField(help_text="Акция дала бесплатную доставку.")
    has_problems = serializers.BooleanField()
    merged = serializers.BooleanField(help_text="В этом запросе анонимная корзина слита в корзину пользователя.")
    region_changes = RegionChangeOutputSerializer(many=True)

    @classmethod
    def build(cls, *, view, region, merged=False, region_changes=()):
        """Собрать ответ из CartView (или пустой корзины, если view is None)."""
        if view is None:
            data = {
                "token": None,
                "region": region.code if region else None,
                "currency": region.currency if region else "RUB",
                "lines": [],
                "items_count": 0,
                "subtotal": "0.00",
                "discount_total": "0.00",
                "total": "0.00",
                "promotions": [],
                "promo_code": None,
                "hints": [],
                "gifts": [],
                "free_delivery": False,
                "has_problems": False,
                "merged": False,
                "region_changes": [],
            }
        else:
            cart = view.cart
            data = {
                "token": cart.token if cart.user_id is None else None,
                "region": cart.region.code,
                "currency": view.currency,
                "lines": [_line(line) for line in view.lines],
                "items_count": view.items_count,
                "subtotal": view.subtotal,
                "discount_total": view.discount_total,
                "total": view.total,
                "promotions": [item.__dict__ for item in view.pricing.discounts.applied],
                "promo_code": _promo_code(view.pricing),
                "hints": [item.__dict__ for item in view.pricing.discounts.hints],
                "gifts": list(view.gifts),
                "free_delivery": view.free_delivery,
                "has_problems": view.has_problems,
                "merged": merged,
                "region_changes": list(region_changes),
            }
        return cls(data).data
