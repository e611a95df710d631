"""Путь покупки на запущенном сервере: каталог → корзина → оформление → тестовая оплата → заказ оплачен.

Запускается из scripts/smoke.sh после того, как сервер `make run` ответил на /api/health/.
Только стандартная библиотека (urllib): проверяется то же, что увидит витрина, без клиентов
из тестов. Код выхода не 0 и понятная причина при первой ошибке.

Использование: python3 scripts/smoke_journey.py http://127.0.0.1:8200
"""

import json
import sys
import urllib.error
import urllib.request

REGION = "msk"


class SmokeError(Exception):
    pass


def call(base, path, *, method="GET", body=None, headers=None):
    """Выполнить запрос к API и вернуть JSON; не 2xx — SmokeError с кодом ошибки из ответа."""
    if not base.startswith(("http://", "https://")):
        raise SmokeError(f"адрес сервера должен начинаться с http:// или https://: {base}")
    request = urllib.request.Request(  # noqa: S310 — схема проверена выше
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Region": REGION, **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 — схема проверена выше
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raise SmokeError(f"{method} {path}: {error.code} {error.read()[:500].decode(errors='replace')}") from error


def journey(base):
    """Пройти путь покупки и вернуть номер оплаченного заказа."""
    products = call(base, "/api/v1/catalog/products/?sort=price&page_size=24")
    card = next((item for item in products["results"] if item["is_available"]), None)
    if card is None:
        raise SmokeError("в каталоге региона нет товаров в наличии")
    step(f"каталог: {products['count']} товаров, беру «{card['name']}»")
    product = call(base, f"/api/v1/catalog/products/{card['slug']}/")
    variant = next(item for item in product["variants"] if item["is_available"])
    cart = call(base, "/api/v1/cart/lines/", method="POST", body={"variant_id": variant["id"], "quantity": 1})
    cart_headers = {"X-Cart-Token": cart["token"]}
    step(f"корзина: {variant['sku']} × 1")
    quote = call(
        base,
        "/api/v1/delivery/quote/",
        method="POST",
        headers=cart_headers,
        body={"method": "courier", "city": "Москва"},
    )
    order = call(
        base,
        "/api/v1/checkout/",
        method="POST",
        headers={**cart_headers, "Idempotency-Key": "smoke-" + cart["token"][:16]},
        body={
            "contact": {"name": "Смоук Проверкин", "phone": "+79160000000"},
            "delivery": {"method": "courier", "address": {"city": "Москва", "street": "Тверская", "house": "1"}},
            "payment_method": "online",
            "expected_total": quote["total"],
        },
    )
    order_headers = {"X-Order-Token": order["token"]}
    step(f"оформление: заказ {order['number']} на {order['total']} {order['currency']} — {order['status']}")
    payment = call(
        base,
        f"/api/v1/orders/{order['number']}/pay",
        method="POST",
        headers=order_headers,
        body={"return_url": "http://localhost:3000/orders/thanks", "provider": "test"},
    )
    provider_payment_id = payment["confirmation_url"].rstrip("/").rsplit("/", 1)[1]
    call(base, f"/api/v1/payments/test/{provider_payment_id}/", method="POST", body={"outcome": "succeeded"})
    status = call(base, f"/api/v1/orders/{order['number']}/payment", headers=order_headers)
    if status["status"] != "succeeded":
        raise SmokeError(f"платёж в статусе {status['status']}, а не succeeded")
    paid = call(base, f"/api/v1/orders/track/{order['token']}/")
    if paid["status"] != "paid":
        raise SmokeError(f"заказ {order['number']} в статусе {paid['status']}, а не paid")
    step(f"оплата тестовым провайдером: платёж {status['status']}, заказ {paid['status']}")
    return order["number"]


def step(text):
    print(f"СМОУК: {text}", flush=True)


def main(argv):
    base = argv[1].rstrip("/")
    try:
        number = journey(base)
    except SmokeError as error:
        print(f"СМОУК: путь покупки прерван — {error}", file=sys.stderr)
        return 1
    step(f"путь покупки пройден, заказ {number} оплачен")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
