"""Чтения API сотрудников: списки и карточки с предзагрузкой, сделанной один раз.

Списки выдают постоянное число запросов при любом размере страницы: связанные строки —
select_related/prefetch_related, агрегаты (число строк, статус последнего платежа) —
подзапросами в том же SELECT.
"""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from phonenumber_field.phonenumber import to_python

from accounts.models import ConsentEvent, User
from commerce.catalog.models import Product, Variant
from commerce.inventory.models import Stock, Warehouse
from commerce.orders.models import Order, OrderLine, OrderStatusChange
from commerce.payments.models import Payment
from commerce.pricing.models import PriceList, VariantPrice
from staffapi.models import OrderNote
from staffapi.regions import region_scope


def _latest_payment_status():
    return Subquery(Payment.objects.filter(order_id=OuterRef("pk")).order_by("-created_at", "-id").values("status")[:1])


def order_list_for_staff(*, request, filters):
    """Заказы, видимые сотруднику (его регионы), с фильтрами; новые первыми.

    filters — проверенные данные OrderFilterSerializer: status (список), payment_status,
    delivery_method, payment_method, region (код), created_from, created_to (даты), q — номер,
    телефон или e-mail.
    """
    queryset = region_scope(Order.objects.all(), request)
    if filters.get("status"):
        queryset = queryset.filter(status__in=filters["status"])
    if filters.get("delivery_method"):
        queryset = queryset.filter(delivery_method=filters["delivery_method"])
    if filters.get("payment_method"):
        queryset = queryset.filter(payment_method=filters["payment_method"])
    if filters.get("region"):
        queryset = queryset.filter(region__code=filters["region"])
    if filters.get("created_from"):
        queryset = queryset.filter(created_at__date__gte=filters["created_from"])
    if filters.get("created_to"):
        queryset = queryset.filter(created_at__date__lte=filters["created_to"])
    query = (filters.get("q") or "").strip()
    if query:
        condition = Q(number__iexact=query) | Q(contact_email__iexact=query)
        digits = "".join(character for character in query if character.isdigit())
        if len(digits) >= 4:
            condition |= Q(contact_phone__contains=digits[-10:])
        queryset = queryset.filter(condition)
    queryset = queryset.annotate(payment_status=_latest_payment_status(), lines_count=Count("lines"))
    if filters.get("payment_status"):
        queryset = queryset.filter(payment_status=filters["payment_status"])
    return queryset.select_related("region").order_by("-created_at", "-id")


def order_get_for_staff(*, request, number):
    """Карточка заказа (строки, платежи с возвратами, история, заметки) или None — чужой регион тоже."""
    queryset = region_scope(Order.objects.filter(number=number), request)
    return (
        queryset.select_related("region", "pickup_warehouse", "user")
        .annotate(payment_status=_latest_payment_status(), lines_count=Count("lines"))
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
            Prefetch(
                "history", queryset=OrderStatusChange.objects.select_related("changed_by").order_by("created_at", "id")
            ),
            Prefetch("payments", queryset=Payment.objects.prefetch_related("refunds").order_by("created_at", "id")),
            Prefetch("staff_notes", queryset=OrderNote.objects.select_related("author").order_by("created_at", "id")),
        )
        .first()
    )


def offer_grid(*, request, region, product_id=None, category=None):
    """Варианты для сетки цен и остатков региона: цена региона, базовая цена, остатки складов.

    Возвращает (queryset вариантов, прайс-лист региона или None, базовый прайс-лист или None,
    склады региона). Цены и остатки — два prefetch, отфильтрованные по прайс-листам и складам
    региона: постоянное число запросов на страницу.
    """
    region_list = PriceList.objects.filter(region=region).first()
    base_list = PriceList.objects.filter(region__isnull=True).first()
    warehouses = list(Warehouse.objects.filter(region=region).order_by("sort_order", "code"))
    lists = [price_list.pk for price_list in (region_list, base_list) if price_list is not None]
    queryset = Variant.objects.select_related("product")
    if product_id is not None:
        queryset = queryset.filter(product_id=product_id)
    if category is not None:
        queryset = queryset.filter(product__main_category__path__startswith=category.path)
    queryset = queryset.prefetch_related(
        Prefetch("prices", queryset=VariantPrice.objects.filter(price_list_id__in=lists), to_attr="grid_prices"),
        Prefetch(
            "stocks",
            queryset=Stock.objects.filter(warehouse__in=warehouses).select_related("warehouse"),
            to_attr="grid_stocks",
        ),
    ).order_by("product__name", "product_id", "sort_order", "id")
    return queryset, region_list, base_list, warehouses


CUSTOMER_RECENT_ORDERS = 20


def customer_list_for_staff(*, filters):
    """Покупатели (не сотрудники и не удалённые), новые первыми, с числом заказов.

    Поиск — только точное совпадение e-mail, телефона, логина или номера заказа: по
    замаскированной выдаче нельзя перебором подобрать чужие данные по частям.
    """
    queryset = User.objects.filter(is_staff=False, deleted_at__isnull=True)
    if filters.get("is_active") is not None:
        queryset = queryset.filter(is_active=filters["is_active"])
    query = (filters.get("q") or "").strip()
    if query:
        condition = Q(email__iexact=query) | Q(username=query) | Q(orders__number=query.upper())
        phone = to_python(query, region="RU")
        if phone is not None and phone.is_valid():
            condition |= Q(phone=phone.as_e164)
        queryset = queryset.filter(condition).distinct()
    return queryset.annotate(orders_count=Count("orders", distinct=True)).order_by("-date_joined", "-id")


def customer_get_for_staff(*, request, customer_id):
    """Карточка покупателя с последними заказами (регионов сотрудника) и журналом согласий, или None."""
    customer = (
        User.objects.filter(pk=customer_id, is_staff=False, deleted_at__isnull=True)
        .annotate(orders_count=Count("orders", distinct=True), addresses_count=Count("addresses", distinct=True))
        .prefetch_related(Prefetch("consent_events", queryset=ConsentEvent.objects.order_by("-created_at", "-id")))
        .first()
    )
    if customer is None:
        return None
    orders = region_scope(Order.objects.filter(user=customer), request).order_by("-created_at", "-id")
    customer.recent_orders = list(orders[:CUSTOMER_RECENT_ORDERS])
    return customer


def product_list_for_staff(*, filters):
    """Товары для таблицы каталога (включая неактивные) с числом вариантов; по названию."""
    queryset = Product.objects.select_related("brand", "main_category")
    query = (filters.get("q") or "").strip()
    if query:
        # LIKE в SQLite (встроенный вариант) не различает регистр только у латиницы: варианты
        # написания запроса («телефон», «Телефон», «ТЕЛЕФОН») закрывают кириллицу; PostgreSQL
        # (UPPER) справляется и одним условием.
        condition = Q(variants__sku=query)
        for variant in {query, query.lower(), query.upper(), query.capitalize()}:
            condition |= Q(name__icontains=variant)
        queryset = queryset.filter(condition).distinct()
    if filters.get("category"):
        category = filters["category"]
        queryset = queryset.filter(main_category__path__startswith=category.path)
    if filters.get("brand"):
        queryset = queryset.filter(brand__slug=filters["brand"])
    if filters.get("is_active") is not None:
        queryset = queryset.filter(is_active=filters["is_active"])
    return queryset.annotate(variants_count=Count("variants", distinct=True)).order_by("name", "id")


def product_get_for_staff(*, pk):
    """Карточка товара со всеми вариантами или None."""
    return (
        Product.objects.select_related("brand", "main_category")
        .annotate(variants_count=Count("variants", distinct=True))
        .prefetch_related(Prefetch("variants", queryset=Variant.objects.order_by("sort_order", "id")))
        .filter(pk=pk)
        .first()
    )
