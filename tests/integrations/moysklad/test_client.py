"""Клиент МоегоСклада против фейка: gzip, лимит 45/3 с и 429 с X-Lognex-Retry-After, 5 параллельных, 401."""

from urllib.parse import parse_qs

import pytest
import requests

from integrations.core.http import connection_client
from integrations.core.models import SyncRun, SyncState
from integrations.core.services import connection_check
from integrations.core.sync import sync_run
from integrations.moysklad.client import MsApi, lognex_retry_after
from tests.commerce.orders.helpers import run_concurrently
from tests.integrations.moysklad.conftest import ms_connection_create

pytestmark = pytest.mark.django_db


def api_for(connection):
    return MsApi(connection=connection, client=connection_client(connection))


def test_request_without_gzip_is_refused_by_moysklad_and_ours_always_sends_it(ms, fake):
    # МойСклад отвечает 415 с пустым телом на запрос без Accept-Encoding: gzip (так и фейк)
    bare = requests.get(f"{fake.base}/entity/organization", headers={"Accept-Encoding": "identity"}, timeout=5)
    assert (bare.status_code, bare.content) == (415, b"")

    document = api_for(ms).get("/entity/organization")

    assert document["rows"][0]["name"] == "ООО Ромашка"


def test_lists_are_paged_by_limit_and_offset_up_to_meta_size(ms, fake):
    # given: пять товаров
    for number in range(5):
        fake.product_add(f"Товар {number}", prices={fake.retail: 1000})

    # when: список страницами по 2
    pages = list(api_for(ms).pages("/entity/product", limit=2))

    # then: три страницы, смещения 0, 2, 4; шестого запроса нет
    assert [(len(rows), size) for rows, size in pages] == [(2, 5), (2, 5), (1, 5)]
    offsets = [parse_qs(query)["offset"][0] for _method, path, query in fake.requests if path == "/entity/product"]
    assert offsets == ["0", "2", "4"]


def test_lognex_retry_after_is_read_in_milliseconds():
    class Answer:
        headers = {"X-Lognex-Retry-After": "1500"}

    assert lognex_retry_after(Answer()) == 1.5


def test_429_from_moysklad_is_waited_out_by_its_header_and_every_request_succeeds(shop, fake):
    # given: наш лимит нарочно шире, чем у МоегоСклада, — упрёмся в 429 фейка
    connection = ms_connection_create(fake, options={"rate_limit": "200/1"})
    api = api_for(connection)

    # when: 60 запросов подряд при лимите МоегоСклада 45 за 3 с
    results = [api.get("/entity/organization")["rows"][0]["name"] for _ in range(60)]

    # then: были 429, каждый переждан по X-Lognex-Retry-After, ни один запрос не потерян
    assert fake.throttled > 0
    assert results == ["ООО Ромашка"] * 60


def test_threads_sharing_a_connection_stay_within_the_rate_and_parallel_limits(ms, fake):
    # given: 8 потоков по 8 запросов — больше 45 за 3 с и больше 5 одновременно, если не сдерживать
    fake.latency = 0.05

    def burst():
        api = api_for(ms)
        return [api.get("/entity/store")["meta"]["size"] for _ in range(8)]

    # when
    results = run_concurrently([burst] * 8)

    # then: МойСклад ни разу не отказал из-за параллельности, все ответы на месте
    assert results == [[2] * 8] * 8
    assert fake.parallel_rejected == 0
    assert fake.max_in_flight <= 5


def test_expired_token_marks_the_connection_broken_with_a_clear_message(shop, fake):
    # given: токен отозван (выпущен новый)
    connection = ms_connection_create(fake, token="old-token")

    # when: проверка соединения и синхронизация
    result = connection_check(connection=connection)
    with pytest.raises(Exception, match="401"):
        sync_run(connection=connection, full=True)

    # then: понятное сообщение с текстом ошибки МоегоСклада, подключение «сломано» на панели
    assert result.ok is False
    assert "не принял токен" in result.message and "1056" in result.message
    assert "old-token" not in result.message
    runs = list(SyncRun.objects.filter(connection=connection).order_by("pk"))
    assert [run.state for run in runs] == [SyncState.FAILED, SyncState.FAILED]
    assert "Выпустите токен" in runs[-1].errors[-1]["message"]
    # на 401 не повторяем: МойСклад блокирует за серии одинаковых ошибочных запросов
    assert fake.count(prefix="/entity/organization") == 1
