"""State и PKCE verifier в кэше: одноразовость под гонкой настоящих потоков, срок жизни, S256."""

import threading

import pytest
from django.core.cache import cache

from accounts.oauth.state import oauth_state_consume, oauth_state_issue, pkce_challenge


def test_pkce_challenge_matches_rfc_7636_example():
    # Пример из приложения B RFC 7636.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_state_is_kept_no_longer_than_the_configured_ttl(settings, monkeypatch):
    settings.OAUTH_STATE_TTL_SECONDS = 600
    seen = {}
    original_set = cache.set

    def spy(key, value, timeout=None, **kwargs):
        seen[key] = timeout
        return original_set(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    state, record = oauth_state_issue(provider="vk", redirect_uri="https://shop.example.ru/cb")

    assert seen == {f"oauth-state:{state}": 600}
    assert 43 <= len(record.code_verifier) <= 128


def test_state_can_be_consumed_once():
    state, record = oauth_state_issue(provider="vk", redirect_uri="https://shop.example.ru/cb")

    assert oauth_state_consume(state=state) == record
    assert oauth_state_consume(state=state) is None


def test_expired_state_is_gone():
    state, _record = oauth_state_issue(provider="vk", redirect_uri="https://shop.example.ru/cb")
    cache.delete(f"oauth-state:{state}")  # так выглядит запись после истечения TTL

    assert oauth_state_consume(state=state) is None


@pytest.mark.parametrize("value", ["", None, 42, "x" * 500])
def test_garbage_state_is_refused(value):
    assert oauth_state_consume(state=value) is None


def test_parallel_completes_with_one_state_let_exactly_one_through():
    # given — один state и 16 потоков, стартующих одновременно
    state, record = oauth_state_issue(provider="vk", redirect_uri="https://shop.example.ru/cb")
    barrier = threading.Barrier(16)
    results = []
    lock = threading.Lock()

    def worker():
        barrier.wait()
        got = oauth_state_consume(state=state)
        with lock:
            results.append(got)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then — запись получил ровно один
    assert len(results) == 16
    assert [result for result in results if result is not None] == [record]
