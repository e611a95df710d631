"""Адрес клиента: X-Forwarded-For учитывается только от доверенных прокси."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from core.client_ip import client_ip_get, client_ip_limit_key, trusted_proxy_networks


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip_get(request_from("198.51.100.9", "185.71.76.10")) == "198.51.100.9"


def test_spoofed_header_from_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip_get(request_from("198.51.100.9", "185.71.76.10")) == "198.51.100.9"


def test_client_is_the_rightmost_untrusted_address_behind_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]

    # клиент подставил 1.1.1.1 слева; наш прокси дописал настоящий адрес 203.0.113.5
    request = request_from("127.0.0.1", "1.1.1.1, 203.0.113.5, 10.0.0.2")

    assert client_ip_get(request) == "203.0.113.5"


def test_garbage_in_the_chain_stops_at_the_last_reliable_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip_get(request_from("10.0.0.1", "203.0.113.5, not-an-ip")) == "10.0.0.1"


def test_ipv6_addresses_are_supported(settings):
    settings.TRUSTED_PROXIES = ["::1"]

    assert client_ip_get(request_from("::1", "2a02:5180::7")) == "2a02:5180::7"


def test_missing_remote_address_gives_none(settings):
    assert client_ip_get(request_from("")) is None


def test_bad_trusted_proxy_value_stops_with_a_clear_message(settings):
    settings.TRUSTED_PROXIES = ["ten.zero.zero.zero/8"]

    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        trusted_proxy_networks()


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", "unknown"),
        (None, "unknown"),
        ("not-an-ip", "unknown"),
    ],
)
def test_limit_key_groups_ipv6_by_64_network(address, key):
    assert client_ip_limit_key(address) == key
