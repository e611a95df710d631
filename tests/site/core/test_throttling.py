"""Ограничитель с фиксированным окном: атомарный счётчик держит потолок и под параллельной нагрузкой."""

import threading

import pytest
from rest_framework.test import APIRequestFactory

from core.throttling import FixedWindowRateThrottle


class SharedKeyThrottle(FixedWindowRateThrottle):
    """Все запросы — в один счётчик; частота из настройки API_TEST_RATE."""

    scope = "test-shared"
    rate_setting = "API_TEST_RATE"

    def get_cache_key(self, request, view):
        return f"throttle:{self.scope}"


class NetworkThrottle(SharedKeyThrottle):
    def get_cache_key(self, request, view):
        return f"throttle:{self.scope}:{self.client_network(request)}"


def allowed(throttle_class, *, remote_addr="192.0.2.1"):
    request = APIRequestFactory().post("/api/v1/checkout/", REMOTE_ADDR=remote_addr)
    return throttle_class().allow_request(request, view=None)


def test_limit_holds_when_requests_arrive_at_once(settings):
    # given: потолок 5 в час и 40 одновременных запросов в настоящий Redis
    settings.API_TEST_RATE = "5/hour"
    barrier = threading.Barrier(40)
    results = []

    def hit():
        barrier.wait(timeout=10)
        results.append(allowed(SharedKeyThrottle))

    threads = [threading.Thread(target=hit) for _request in range(40)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    # then: ровно пять прошли, остальные получат 429
    assert results.count(True) == 5
    assert results.count(False) == 35


def test_refused_request_reports_seconds_until_the_window_ends(settings):
    settings.API_TEST_RATE = "1/minute"
    assert allowed(SharedKeyThrottle) is True
    throttle = SharedKeyThrottle()
    request = APIRequestFactory().post("/")
    assert throttle.allow_request(request, view=None) is False
    assert 0 < throttle.wait() <= 60


def test_empty_rate_turns_the_throttle_off(settings):
    settings.API_TEST_RATE = ""
    assert all(allowed(SharedKeyThrottle) for _request in range(50))


@pytest.mark.parametrize(
    ("first", "second", "same_counter"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", True),  # одна сеть /64 — один абонент
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),
        ("192.0.2.1", "192.0.2.2", False),
    ],
)
def test_ipv6_clients_are_counted_per_64_network(settings, first, second, same_counter):
    settings.API_TEST_RATE = "1/hour"
    assert allowed(NetworkThrottle, remote_addr=first) is True
    assert allowed(NetworkThrottle, remote_addr=second) is (not same_counter)
