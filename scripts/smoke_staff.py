"""Менеджер на запущенном сервере: вход по блоку «как войти», импорт образца, выгрузка, отчёт поиска.

Логин и пароль — из блока в конце вывода `make run` (scripts/smoke_console.py), вход — через
API сотрудников (сессия с CSRF, как у React-админки /manage/). Импорт — файл из документации
docs/admin/samples/catalog-sample.csv: загрузка → проверка → подтверждение → «применён», затем
товар образца виден на витрине с ценой из файла. Выгрузка — настоящий XLSX с товарами каталога.
"""

import io
import time
import zipfile
from pathlib import Path

import smoke_console
from smoke_http import Client, SmokeError, query, step

STAFF_API = "/api/admin/v1"
SAMPLE = Path(__file__).resolve().parents[1] / "docs" / "admin" / "samples" / "catalog-sample.csv"
# Что образец меняет в демо: новый товар с ценой прайс-листа Москвы (столбец price:msk-retail).
SAMPLE_PRODUCT, SAMPLE_SKU, SAMPLE_MSK_PRICE = "noutbuk-orbita-15", "ORB15-16", "87990.00"
JOB_TIMEOUT_SECONDS = 120


def staff_login(base, *, log_path):
    """Войти сотрудником с логином и паролем из блока «как войти»; вернуть клиента с сессией."""
    block = smoke_console.login_block(log_path)
    username, password = block.get("Логин", ""), block.get("Пароль", "").split(" ", 1)[0]
    if not username or not password:
        raise SmokeError(f"в блоке «как войти» нет логина и пароля: {block}")
    client = Client(base)
    client.json(f"{STAFF_API}/auth/csrf/")
    credentials = {"username": username, "password": password}
    client.json(f"{STAFF_API}/auth/login/", method="POST", body=credentials, headers=_csrf(client))
    step(f"вход сотрудника «{username}» с паролем из блока «как войти»")
    return client


def _csrf(client):
    return {"X-CSRFToken": client.cookie("csrftoken")}


def _wait(client, path, *, until):
    """Опрашивать задание обмена, пока его статус не станет одним из until; вернуть задание."""
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    while True:
        job = client.json(path)
        if job["status"] in until:
            return job
        if time.monotonic() > deadline:
            raise SmokeError(f"{path}: за {JOB_TIMEOUT_SECONDS} с статус {job['status']}, а ждали {until}")
        time.sleep(0.5)


def sample_import(client):
    """Загрузить образец, дождаться проверки, подтвердить, дождаться «применён»."""
    job = client.upload(
        f"{STAFF_API}/imports/",
        fields={"create_missing": "true"},
        file_field="file",
        file_name=SAMPLE.name,
        file_bytes=SAMPLE.read_bytes(),
        headers=_csrf(client),
    )
    path = f"{STAFF_API}/imports/{job['id']}/"
    checked = _wait(client, path, until=("preview", "rejected", "failed", "done"))
    if not checked["can_confirm"]:
        raise SmokeError(f"образец не прошёл проверку: {checked['status']} {checked['errors'][:3]}")
    client.json(f"{path}confirm/", method="POST", headers=_csrf(client))
    done = _wait(client, path, until=("done", "rejected", "failed"))
    if done["status"] != "done" or done["counts"]["rejected"]:
        raise SmokeError(f"импорт образца: {done['status']}, {done['counts']}, {done['errors'][:3]}")
    step(f"импорт образца {SAMPLE.name}: {done['counts']}")


def sample_on_storefront(base):
    """Проверить, что товар образца виден на витрине Москвы с ценой из файла."""
    product = Client(base, headers={"X-Region": "msk"}).json(f"/api/v1/catalog/products/{SAMPLE_PRODUCT}/")
    prices = {variant["sku"]: variant["price"] for variant in product["variants"]}
    if prices.get(SAMPLE_SKU) != SAMPLE_MSK_PRICE:
        raise SmokeError(f"на витрине {SAMPLE_SKU} стоит {prices.get(SAMPLE_SKU)}, а в образце {SAMPLE_MSK_PRICE}")
    step(f"витрина: «{product['name']}» из образца, {SAMPLE_SKU} — {SAMPLE_MSK_PRICE} в Москве")


def catalog_export(client):
    """Заказать выгрузку XLSX, дождаться, скачать и проверить, что это книга с товарами каталога."""
    job = client.json(f"{STAFF_API}/exports/", method="POST", body={"file_format": "xlsx"}, headers=_csrf(client))
    done = _wait(client, f"{STAFF_API}/exports/{job['id']}/", until=("done", "failed"))
    if done["status"] != "done":
        raise SmokeError(f"выгрузка: {done['status']} {done['error_message']}")
    response = client.request(f"{STAFF_API}/exports/{job['id']}/download/")
    disposition = response.headers.get("Content-Disposition", "")
    try:
        book = zipfile.ZipFile(io.BytesIO(response.body))
        text = b"".join(book.read(name) for name in book.namelist() if name.startswith("xl/")).decode()
    except (zipfile.BadZipFile, UnicodeDecodeError) as error:
        raise SmokeError(f"выгрузка — не книга XLSX ({disposition}): {error}") from error
    if ".xlsx" not in disposition or SAMPLE_SKU not in text or "NOVA6-BLK" not in text:
        raise SmokeError(f"в выгрузке ({disposition}, {len(response.body)} байт) нет артикулов каталога")
    step(f"выгрузка: {disposition.split('filename=')[-1]} — {done['rows_total']} строк, {len(response.body)} байт")


def search_report(client, *, search_query):
    """Проверить, что отчёт поиска уже учёл запрос и просмотр из выдачи этого прогона."""
    report = client.json(query(f"{STAFF_API}/analytics/search/", region="msk"))
    queries = {row["query"]: row["searches"] for row in report["top_queries"]}
    if not queries.get(search_query) or not report["popular_products"]:
        raise SmokeError(f"отчёт поиска пуст: запросы {queries}, товары {report['popular_products']}")
    popular = len(report["popular_products"])
    step(f"отчёт поиска: «{search_query}» — {queries[search_query]}, популярных товаров {popular}")


def manager(base, *, log_path, search_query):
    """Пройти путь менеджера."""
    client = staff_login(base, log_path=log_path)
    sample_import(client)
    sample_on_storefront(base)
    catalog_export(client)
    search_report(client, search_query=search_query)
