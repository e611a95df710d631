"""Путь покупателя и менеджера на запущенном сервере `make run` — то, что issue #21 называет «весь магазин».

Покупатель: каталог → поиск и подсказки (два слова) → корзина → вход по телефону (код из SMS
читается в консоли сервера, как его читает разработчик) → оформление от своего имени →
тестовая оплата → заказ оплачен → страница блога. Менеджер (логин и пароль — из блока «как
войти» в конце вывода `make run`, scripts/smoke_staff.py): импорт образца из документации →
товар на витрине → выгрузка каталога → отчёт поиска с нашими запросами. Заодно проверяются
абсолютные адреса (они на HOST:PORT сервера) и CORS для витрины на localhost:3000.

Только стандартная библиотека: проверяется то, что увидит любая витрина. Код выхода не 0 и
понятная причина при первой ошибке.

Использование: python3 scripts/smoke_journey.py http://127.0.0.1:8241 /путь/к/журналу/make-run.log
"""

import sys
import time

import smoke_console
import smoke_staff
from smoke_http import Client, SmokeError, query, step

REGION = "msk"
STOREFRONT_ORIGINS = ("http://localhost:3000", "http://127.0.0.1:3000")
# Два начала слов из названия демо-товара «Смартфон Nova 6 128 ГБ» (commerce/catalog/demo.py).
SUGGEST_QUERY = "смарт nova"
SEARCH_QUERY = "смартфон"


def url_check(client, url, *, what, fetch=True):
    """Проверить, что абсолютный адрес ведёт на этот же сервер (HOST:PORT), и (fetch) что он открывается."""
    if url.startswith(("http://", "https://")) and not url.startswith(client.base + "/"):
        raise SmokeError(f"{what}: адрес {url} не на {client.base} — не учтены HOST/PORT")
    if fetch:
        client.request(url)


def cors_check(client):
    """Проверить, что витрина с localhost:3000 и 127.0.0.1:3000 может звать API из браузера."""
    for origin in STOREFRONT_ORIGINS:
        response = client.request(
            "/api/v1/catalog/products/",
            method="OPTIONS",
            headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
        )
        if response.headers.get("Access-Control-Allow-Origin") != origin:
            raise SmokeError(f"CORS закрыт для {origin}: {dict(response.headers)}")
    step(f"CORS: открыт для {', '.join(STOREFRONT_ORIGINS)}")


def catalog(client):
    """Выбрать в каталоге товар в наличии с картинкой и вернуть его вариант."""
    products = client.json("/api/v1/catalog/products/?sort=price&page_size=24&in_stock=true")
    card = next((item for item in products["results"] if item["is_available"] and item["image"]), None)
    if card is None:
        raise SmokeError("в каталоге региона нет товаров в наличии с картинкой")
    rendition = next(iter(card["image"]["renditions"].values()))
    url_check(client, rendition["url"], what="картинка товара")
    product = client.json(f"/api/v1/catalog/products/{card['slug']}/")
    variant = next(item for item in product["variants"] if item["is_available"])
    step(f"каталог: {products['count']} товаров в наличии, беру «{card['name']}», картинка открывается")
    return product, variant


def search(client):
    """Поиск, подсказки из двух слов и событие просмотра из выдачи (для отчёта поиска)."""
    found = client.json(query("/api/v1/search/", q=SEARCH_QUERY))
    if not found["count"]:
        raise SmokeError(f"поиск «{SEARCH_QUERY}» ничего не нашёл")
    suggested = client.json(query("/api/v1/search/suggest/", q=SUGGEST_QUERY))
    names = [item["name"] for item in suggested["products"]]
    if not names or not all("nova" in name.casefold() and "смартфон" in name.casefold() for name in names):
        raise SmokeError(f"подсказки «{SUGGEST_QUERY}» — {names}, а ждали смартфоны Nova")
    top = found["results"][0]
    client.json(
        "/api/v1/search/events/",
        method="POST",
        body={"kind": "view", "product": top["slug"], "search_id": found["search_id"]},
    )
    step(f"поиск «{SEARCH_QUERY}»: {found['count']}; подсказки «{SUGGEST_QUERY}»: {', '.join(names[:3])}")


def sign_up(client, *, log_path):
    """Зарегистрироваться по телефону: код — из SMS в консоли сервера; вернуть номер."""
    phone = "+7916" + str(int(time.time() * 1000))[-7:]
    client.json("/api/v1/auth/phone/request-code/", method="POST", body={"phone": phone})
    code = smoke_console.sms_code(log_path, phone=phone)
    tokens = client.json("/api/v1/auth/phone/confirm/", method="POST", body={"phone": phone, "code": code})
    client.headers["Authorization"] = f"Bearer {tokens['access']}"
    me = client.json("/api/v1/me/")
    if me.get("phone") != phone:
        raise SmokeError(f"после входа по коду профиль с телефоном {me.get('phone')}, а не {phone}")
    step(f"вход по телефону {phone}: код {code} из консоли сервера, JWT получен")
    return phone


def checkout_and_pay(client, *, phone, cart_token):
    """Оформить заказ от имени вошедшего покупателя, оплатить тестовым провайдером; вернуть номер."""
    cart = client.json("/api/v1/cart/", headers={"X-Cart-Token": cart_token})
    if not cart["lines"]:
        raise SmokeError("корзина гостя не перешла к покупателю после входа")
    quote = client.json("/api/v1/delivery/quote/", method="POST", body={"method": "courier", "city": "Москва"})
    order = client.json(
        "/api/v1/checkout/",
        method="POST",
        headers={"Idempotency-Key": f"smoke-{phone.lstrip('+')}"},
        body={
            "contact": {"name": "Смоук Проверкин", "phone": phone},
            "delivery": {"method": "courier", "address": {"city": "Москва", "street": "Тверская", "house": "1"}},
            "payment_method": "online",
            "expected_total": quote["total"],
        },
    )
    mine = client.json("/api/v1/orders/")
    if order["number"] not in [item["number"] for item in mine["results"]]:
        raise SmokeError(f"заказа {order['number']} нет в списке заказов покупателя")
    step(f"оформление: заказ {order['number']} на {order['total']} {order['currency']} — {order['status']}")
    payment = client.json(
        f"/api/v1/orders/{order['number']}/pay",
        method="POST",
        body={"return_url": "http://localhost:3000/orders/thanks", "provider": "test"},
    )
    # Ссылка ведёт на выбор исхода оплаты (POST) — проверяется адрес, оплата идёт ниже.
    url_check(client, payment["confirmation_url"], what="ссылка тестовой оплаты", fetch=False)
    provider_payment_id = payment["confirmation_url"].rstrip("/").rsplit("/", 1)[1]
    client.json(f"/api/v1/payments/test/{provider_payment_id}/", method="POST", body={"outcome": "succeeded"})
    status = client.json(f"/api/v1/orders/{order['number']}/payment")
    paid = client.json(f"/api/v1/orders/{order['number']}/")
    if status["status"] != "succeeded" or paid["status"] != "paid":
        raise SmokeError(f"платёж {status['status']}, заказ {paid['status']} — а ждали succeeded и paid")
    step(f"оплата тестовым провайдером: платёж {status['status']}, заказ {paid['status']}")
    return order["number"]


def blog(client):
    """Открыть статью блога: тело с HTML, обложка на этом сервере, адрес страницы ведёт к API."""
    articles = client.json("/api/v2/pages/?type=blog.ArticlePage&fields=kind,lead&limit=5")
    if not articles["items"]:
        raise SmokeError("в блоге региона нет статей")
    article = client.json(f"/api/v2/pages/{articles['items'][0]['id']}/")
    paragraphs = [block["value"] for block in article["body"] if block["type"] == "paragraph"]
    if not any("<p" in value["content"] for value in paragraphs if value["format"] == "html"):
        raise SmokeError(f"в статье «{article['title']}» нет абзаца HTML: {article['body'][:2]}")
    if article.get("cover_image"):
        for rendition in article["cover_image"]["renditions"].values():
            url_check(client, rendition["url"], what="обложка статьи")
    # Без STOREFRONT_URL адрес страницы — на этом сервере, и он перенаправляет к странице в API.
    html_url = article["meta"]["html_url"]
    if not html_url.startswith(client.base + "/"):
        raise SmokeError(f"адрес статьи {html_url} не на {client.base} — не учтены HOST/PORT")
    redirect = client.request(html_url, expect=(301, 302))
    url_check(client, redirect.headers["Location"], what="перенаправление страницы блога")
    step(f"блог: статья «{article['title']}» — {len(article['body'])} блоков, HTML-абзацы, обложка открывается")


def shopper(base, *, log_path):
    """Пройти путь покупателя; вернуть номер оплаченного заказа."""
    client = Client(base, headers={"X-Region": REGION})
    cors_check(client)
    _product, variant = catalog(client)
    search(client)
    cart = client.json("/api/v1/cart/lines/", method="POST", body={"variant_id": variant["id"], "quantity": 1})
    step(f"корзина гостя: {variant['sku']} × 1")
    phone = sign_up(client, log_path=log_path)
    number = checkout_and_pay(client, phone=phone, cart_token=cart["token"])
    blog(client)
    return number


def main(argv):
    if len(argv) != 3:
        print(__doc__.rsplit("Использование: ", 1)[1], file=sys.stderr)
        return 2
    base, log_path = argv[1].rstrip("/"), argv[2]
    try:
        smoke_console.block_tail_check(log_path)
        number = shopper(base, log_path=log_path)
        smoke_staff.manager(base, log_path=log_path, search_query=SEARCH_QUERY)
    except SmokeError as error:
        print(f"СМОУК: путь прерван — {error}", file=sys.stderr)
        return 1
    step(f"весь путь пройден: заказ {number} оплачен, образец загружен, каталог выгружен")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
