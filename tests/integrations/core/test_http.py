"""Общий HTTP-клиент и лимит запросов: повторы, Retry-After, gzip, User-Agent, маскирование, общий лимит."""

import gzip
import logging
import multiprocessing
import time

import pytest
from django.db import connections
from werkzeug import Response

from integrations.core.http import HttpClient, HttpError, retry_after_seconds
from integrations.core.ratelimit import RateLimit, RateLimiter


@pytest.fixture(autouse=True)
def _fast_backoff(settings):
    settings.INTEGRATIONS_HTTP_BACKOFF_BASE = 0.05
    settings.INTEGRATIONS_HTTP_BACKOFF_CAP = 2.0


def test_client_retries_server_errors_then_returns_the_answer(httpserver):
    httpserver.expect_ordered_request("/api").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/api").respond_with_data("down", status=502)
    httpserver.expect_ordered_request("/api").respond_with_json({"ok": True})

    response = HttpClient(base_url=httpserver.url_for(""), retries=3).get("/api")

    assert response.json() == {"ok": True}
    assert len(httpserver.log) == 3


def test_client_waits_as_long_as_retry_after_says(httpserver):
    httpserver.expect_ordered_request("/api").respond_with_data("slow down", status=429, headers={"Retry-After": "1"})
    httpserver.expect_ordered_request("/api").respond_with_data("ok")

    started = time.monotonic()
    HttpClient(base_url=httpserver.url_for(""), retries=1).get("/api")

    assert time.monotonic() - started >= 1.0


def test_client_does_not_retry_client_errors(httpserver):
    httpserver.expect_request("/api").respond_with_data("bad", status=400)

    with pytest.raises(HttpError) as error:
        HttpClient(base_url=httpserver.url_for(""), retries=3).get("/api")

    assert error.value.status == 400
    assert len(httpserver.log) == 1


def test_client_sends_megashop_user_agent_and_decodes_gzip(httpserver):
    body = gzip.compress(b'{"name": "\xd1\x82\xd0\xbe\xd0\xb2\xd0\xb0\xd1\x80"}')
    httpserver.expect_request("/api").respond_with_response(
        Response(body, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})
    )

    response = HttpClient(base_url=httpserver.url_for("")).get("/api")

    request = httpserver.log[0][0]
    assert request.headers["User-Agent"].startswith("Megashop/")
    assert "gzip" in request.headers["Accept-Encoding"]
    assert response.json() == {"name": "товар"}


def test_secrets_are_masked_in_logs_and_errors(httpserver, caplog):
    secret = "tok-abcdef123456"
    httpserver.expect_request(f"/api/{secret}").respond_with_data(f"bad token {secret}", status=401)

    with caplog.at_level(logging.DEBUG), pytest.raises(HttpError) as error:
        HttpClient(base_url=httpserver.url_for(""), secrets=[secret]).get(f"/api/{secret}")

    # Журнал доступа самого фейкового сервера (werkzeug) — не наш, его не смотрим.
    ours = "\n".join(record.getMessage() for record in caplog.records if record.name != "werkzeug")
    assert secret not in str(error.value)
    assert secret not in ours
    assert "***" in ours


def test_network_error_is_reported_as_network():
    with pytest.raises(HttpError) as error:
        HttpClient(base_url="http://127.0.0.1:9", retries=0).get("/")

    assert error.value.reason == "network"


def test_retry_after_accepts_seconds_and_http_dates():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470) == 10.0
    assert retry_after_seconds("soon") is None


def _requests_through_shared_limit(base_url, count, go):
    # Ждать, пока все процессы запущены: fork, пока поток фейкового сервера пишет в журнал
    # запрос соседа, может унести в дочерний процесс захваченную блокировку и повесить его.
    go.wait(30)
    limiter = RateLimiter(key="shared-test", limit=RateLimit(10, 1.0))
    client = HttpClient(base_url=base_url, rate_limiter=limiter, retries=0)
    for _ in range(count):
        client.get("/hit")


@pytest.mark.redis_only(reason="ведро токенов общее для процессов только в Redis")
def test_three_processes_never_exceed_the_connection_limit(httpserver):
    # given: фейковая система записывает время каждого запроса; лимит 10 запросов за 1 с
    arrivals = []

    def record(request):
        arrivals.append(time.monotonic())
        return Response("ok")

    httpserver.expect_request("/hit").respond_with_handler(record)
    from integrations.core.ratelimit import _redis_client

    _redis_client().delete("megashop:integrations:ratelimit:shared-test")
    connections.close_all()
    context = multiprocessing.get_context("fork")
    go = context.Event()

    # when: три процесса по 12 запросов, стартуют одновременно
    workers = [
        context.Process(target=_requests_through_shared_limit, args=(httpserver.url_for(""), 12, go)) for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    started = time.monotonic()
    go.set()
    for worker in workers:
        worker.join(60)

    # then: все дошли, ни в одном окне в 1 с нет больше 10, и лимит действительно сдерживал
    elapsed = time.monotonic() - started
    assert [worker.exitcode for worker in workers] == [0, 0, 0]
    assert len(arrivals) == 36
    arrivals.sort()
    busiest = max(sum(1 for later in arrivals[index:] if later - moment < 1.0) for index, moment in enumerate(arrivals))
    assert busiest <= 10
    assert elapsed >= 2.5
