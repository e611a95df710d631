"""API корзины /api/v1/cart/: анонимная по X-Cart-Token или пользователя по JWT.

Каждый ответ — вся корзина с пересчитанными ценами региона запроса. Если регион запроса
отличается от региона корзины, корзина переезжает в него, а в ``region_changes`` перечислены
строки, у которых изменились цена или наличие.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce.cart import error_codes, selectors, services
from commerce.cart.api import serializers as s
from commerce.cart.exceptions import CartLineNotFound
from commerce.promotions import error_codes as promo_codes
from core.schema import errors
from regions.selectors import region_for_request

CART_TAG = ["cart"]
CART_TOKEN_HEADER = "X-Cart-Token"  # noqa: S105 — имя заголовка, не секрет
CART_TOKEN_PARAMETER = OpenApiParameter(
    CART_TOKEN_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Токен анонимной корзины из поля token ответа. С JWT — сливает анонимную корзину в корзину пользователя."
    ),
)


def request_user(request):
    user = request.user
    return user if user.is_authenticated else None


def request_cart(request, *, create):
    """Найти (или создать) корзину запроса и перевести её в регион запроса.

    Returns:
        tuple (Cart или None, merged, region_changes).
    """
    region = region_for_request(request=request)
    token = request.headers.get(CART_TOKEN_HEADER, "").strip()
    cart, merged = services.cart_resolve(user=request_user(request), token=token, region=region, create=create)
    changes = []
    if cart is not None and region is not None and cart.region_id != region.pk:
        changes = services.cart_region_switch(cart=cart, region=region)
        cart.region = region
    return cart, merged, changes


def cart_response(request, cart, *, merged=False, changes=(), status_code=status.HTTP_200_OK, view=None):
    """Ответ — вся корзина; view — уже собранный вид (запись его вернула), иначе он читается заново."""
    region = region_for_request(request=request)
    if view is None and cart is not None:
        view = selectors.cart_view(cart=cart)
    response = Response(
        s.CartOutputSerializer.build(view=view, region=region, merged=merged, region_changes=changes),
        status=status_code,
    )
    if cart is not None and cart.user_id is None:
        response[CART_TOKEN_HEADER] = cart.token
    return response


def _validated(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CartApi(APIView):
    """Корзина целиком: прочитать или очистить."""

    @extend_schema(
        tags=CART_TAG,
        summary="Корзина с ценами региона, наличием и итогами",
        parameters=[CART_TOKEN_PARAMETER],
        responses={200: s.CartOutputSerializer, **errors(e404=[error_codes.CART_NOT_FOUND])},
    )
    def get(self, request):
        cart, merged, changes = request_cart(request, create=False)
        return cart_response(request, cart, merged=merged, changes=changes)

    @extend_schema(
        tags=CART_TAG,
        summary="Очистить корзину",
        parameters=[CART_TOKEN_PARAMETER],
        responses={200: s.CartOutputSerializer, **errors(e404=[error_codes.CART_NOT_FOUND])},
    )
    def delete(self, request):
        cart, merged, changes = request_cart(request, create=False)
        if cart is not None:
            services.cart_clear(cart=cart)
        return cart_response(request, cart, merged=merged, changes=changes)


class CartLinesApi(APIView):
    @extend_schema(
        tags=CART_TAG,
        summary="Добавить товар в корзину (первое добавление без токена создаёт анонимную корзину)",
        parameters=[CART_TOKEN_PARAMETER],
        request=s.CartLineAddInputSerializer,
        responses={
            200: s.CartOutputSerializer,
            **errors(
                e400=["validation_error", error_codes.QUANTITY_TOO_LARGE],
                e404=[error_codes.CART_NOT_FOUND],
                e409=[error_codes.VARIANT_UNAVAILABLE, error_codes.STOCK_INSUFFICIENT, error_codes.CART_TOO_MANY_LINES],
            ),
        },
    )
    def post(self, request):
        data = _validated(s.CartLineAddInputSerializer, request)
        # Анонимному покупателю без токена корзину создаёт само добавление (после проверок).
        cart, merged, changes = request_cart(request, create=request_user(request) is not None)
        view = services.cart_line_add(
            cart=cart,
            region=region_for_request(request=request),
            variant_id=data["variant_id"],
            quantity=data["quantity"],
        )
        return cart_response(request, view.cart, merged=merged, changes=changes, view=view)


class CartLineApi(APIView):
    @extend_schema(
        tags=CART_TAG,
        summary="Изменить количество товара (0 — убрать)",
        parameters=[CART_TOKEN_PARAMETER],
        request=s.CartLineSetInputSerializer,
        responses={
            200: s.CartOutputSerializer,
            **errors(
                e400=["validation_error", error_codes.QUANTITY_TOO_LARGE],
                e404=[error_codes.CART_LINE_NOT_FOUND, error_codes.CART_NOT_FOUND],
                e409=[error_codes.STOCK_INSUFFICIENT],
            ),
        },
    )
    def patch(self, request, variant_id):
        data = _validated(s.CartLineSetInputSerializer, request)
        cart = self._cart(request)
        services.cart_line_set(cart=cart, variant_id=variant_id, quantity=data["quantity"])
        return cart_response(request, cart)

    @extend_schema(
        tags=CART_TAG,
        summary="Убрать товар из корзины",
        parameters=[CART_TOKEN_PARAMETER],
        responses={
            200: s.CartOutputSerializer,
            **errors(e404=[error_codes.CART_LINE_NOT_FOUND, error_codes.CART_NOT_FOUND]),
        },
    )
    def delete(self, request, variant_id):
        cart = self._cart(request)
        services.cart_line_remove(cart=cart, variant_id=variant_id)
        return cart_response(request, cart)

    def _cart(self, request):
        cart, _merged, _changes = request_cart(request, create=False)
        if cart is None:
            raise CartLineNotFound()
        return cart


PROMO_CODE_ERRORS = [
    promo_codes.PROMO_CODE_UNKNOWN,
    promo_codes.PROMO_CODE_NOT_STARTED,
    promo_codes.PROMO_CODE_EXPIRED,
    promo_codes.PROMO_CODE_LIMIT_REACHED,
    promo_codes.PROMO_CODE_WRONG_REGION,
    promo_codes.PROMO_CODE_MIN_TOTAL,
    promo_codes.PROMO_CODE_FIRST_ORDER_ONLY,
    promo_codes.PROMO_CODE_NOT_APPLICABLE,
]


class CartPromoCodeApi(APIView):
    """Промокод корзины: применить (POST) или убрать (DELETE). Ответ — вся корзина со скидками."""

    @extend_schema(
        tags=CART_TAG,
        operation_id="cart_promo_code_apply",
        summary="Применить промокод к корзине",
        parameters=[CART_TOKEN_PARAMETER],
        request=s.PromoCodeInputSerializer,
        responses={
            200: s.CartOutputSerializer,
            **errors(e400=["validation_error", *PROMO_CODE_ERRORS], e404=[error_codes.CART_NOT_FOUND]),
        },
        description=(
            "Код проверяется на текущих строках корзины; не подошедший код не сохраняется. "
            "Применённый код проверяется заново при каждом чтении корзины (поле promo_code.error) "
            "и при оформлении заказа (409 с тем же кодом ошибки)."
        ),
    )
    def post(self, request):
        data = _validated(s.PromoCodeInputSerializer, request)
        cart, merged, changes = request_cart(request, create=True)
        services.cart_promo_code_apply(cart=cart, code=data["code"])
        cart.refresh_from_db(fields=["promo_code"])
        return cart_response(request, cart, merged=merged, changes=changes)

    @extend_schema(
        tags=CART_TAG,
        operation_id="cart_promo_code_remove",
        summary="Убрать промокод из корзины",
        parameters=[CART_TOKEN_PARAMETER],
        responses={200: s.CartOutputSerializer, **errors(e404=[error_codes.CART_NOT_FOUND])},
    )
    def delete(self, request):
        cart, merged, changes = request_cart(request, create=False)
        if cart is not None:
            services.cart_promo_code_remove(cart=cart)
            cart.promo_code = ""
        return cart_response(request, cart, merged=merged, changes=changes)
