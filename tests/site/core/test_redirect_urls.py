"""Адреса перенаправления: хост сравнивается так, как его разберёт браузер (WHATWG)."""

import pytest

from core.redirect_urls import UnsafeRedirectUrl, redirect_url_validate

SHOP = ["www.example.ru"]


@pytest.mark.parametrize(
    ("url", "code"),
    [
        # urllib видит хост www.example.ru, браузер уходит на evil.com
        ("https://evil.com\\@www.example.ru/", "invalid_url"),
        ("https://www.example.ru\\@evil.com/", "invalid_url"),
        ("https://evil.com@www.example.ru/", "userinfo_not_allowed"),
        ("https://www.example.ru@evil.com/", "userinfo_not_allowed"),
        ("https://user:pass@www.example.ru/", "userinfo_not_allowed"),
        ("https://www.example.ru%2F@evil.com/", "userinfo_not_allowed"),
        ("https://@www.example.ru/", "userinfo_not_allowed"),
        ("http://www.example.ru/", "invalid_scheme"),
        ("javascript:alert(1)", "invalid_scheme"),
        ("ftp://www.example.ru/", "invalid_scheme"),
        ("//evil.com/", "invalid_scheme"),
        ("https:evil.com", "invalid_scheme"),
        ("https:///evil.com/", "invalid_scheme"),
        ("https://www.example.ru\t.evil.com/", "invalid_url"),
        ("https://www.exam\nple.ru/", "invalid_url"),
        ("https://www.example.ru/\x00", "invalid_url"),
        (" https://www.example.ru/", "invalid_url"),
        ("https://evil.com/www.example.ru", "host_not_allowed"),
        ("https://www.example.ru.evil.com/", "host_not_allowed"),
        ("https://www.example.ru:8443/", "host_not_allowed"),
        ("https://xn--www-example-ru/", "host_not_allowed"),
        ("https://[::1]/", "host_not_allowed"),
        ("not a url", "invalid_url"),
        ("", "invalid_url"),
    ],
)
def test_unsafe_return_urls_are_rejected_with_a_stable_code(url, code):
    with pytest.raises(UnsafeRedirectUrl) as error:
        redirect_url_validate(url, allowed_hosts=SHOP)

    assert error.value.code == code


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("https://www.example.ru/checkout/done?order=1#top", "https://www.example.ru/checkout/done?order=1#top"),
        ("HTTPS://WWW.Example.RU/done", "https://www.example.ru/done"),
        ("https://www.example.ru./done", "https://www.example.ru./done"),
        ("https://www.example.ru:443/done", "https://www.example.ru/done"),
        ("https://www.example.ru/a?next=@evil.com", "https://www.example.ru/a?next=@evil.com"),
    ],
)
def test_browser_equivalent_forms_of_an_allowed_host_pass_normalized(url, normalized):
    assert redirect_url_validate(url, allowed_hosts=SHOP) == normalized


def test_allowed_hosts_are_compared_after_idna_and_lowercase():
    allowed = ["Магазин.РФ", "localhost:3000"]

    assert (
        redirect_url_validate("https://магазин.рф/done", allowed_hosts=allowed) == "https://xn--80aairftm.xn--p1ai/done"
    )
    assert redirect_url_validate("https://xn--80aairftm.xn--p1ai/", allowed_hosts=allowed)
    assert redirect_url_validate("https://localhost:3000/", allowed_hosts=allowed) == "https://localhost:3000/"
    with pytest.raises(UnsafeRedirectUrl):
        redirect_url_validate("https://localhost:3001/", allowed_hosts=allowed)


def test_empty_allow_list_accepts_any_https_host_but_still_refuses_tricks():
    assert redirect_url_validate("https://any.example/", allowed_hosts=[]) == "https://any.example/"
    with pytest.raises(UnsafeRedirectUrl):
        redirect_url_validate("https://evil.com\\@any.example/", allowed_hosts=[])


@pytest.mark.parametrize("url", ["http://localhost:3000/done", "http://127.0.0.1:3000/", "http://[::1]:3000/"])
def test_plain_http_is_allowed_only_for_loopback_in_debug(url, settings):
    settings.DEBUG = False
    with pytest.raises(UnsafeRedirectUrl):
        redirect_url_validate(url, allowed_hosts=[])

    settings.DEBUG = True
    assert redirect_url_validate(url, allowed_hosts=[]) == url


def test_plain_http_to_a_public_host_is_refused_even_in_debug(settings):
    settings.DEBUG = True

    with pytest.raises(UnsafeRedirectUrl) as error:
        redirect_url_validate("http://www.example.ru/", allowed_hosts=SHOP)

    assert error.value.code == "invalid_scheme"
