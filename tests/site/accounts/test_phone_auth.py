"""Вход и регистрация по телефону: код по SMS, лимиты, привязка кода, отсутствие перечисления аккаунтов."""

import pytest
from django.core.cache import cache

from accounts import codes, limits
from accounts.models import User
from tests.factories.accounts import UserFactory
from tests.site.accounts.conftest import last_sms_code, wrong_code

pytestmark = pytest.mark.django_db

REQUEST_URL = "/api/v1/auth/phone/request-code/"
CONFIRM_URL = "/api/v1/auth/phone/confirm/"
PHONE = "+79161234567"


def request_code(api_client, phone=PHONE, ip="10.0.0.1"):
    return api_client.post(REQUEST_URL, {"phone": phone}, format="json", REMOTE_ADDR=ip)


def test_first_confirmation_creates_passwordless_account_and_returns_jwt_pair(api_client, sms_outbox):
    # given
    response = request_code(api_client)
    assert response.status_code == 202
    code = last_sms_code(sms_outbox, PHONE)
    # when
    response = api_client.post(CONFIRM_URL, {"phone": PHONE, "code": code}, format="json")
    # then
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    user = User.objects.get(phone=PHONE)
    assert user.phone_verified is True
    assert user.has_usable_password() is False
    profile = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert profile.json()["phone"] == PHONE


def test_later_confirmation_logs_into_the_same_account(api_client, sms_outbox):
    existing = UserFactory(phone=PHONE, phone_verified=True)
    request_code(api_client)
    response = api_client.post(CONFIRM_URL, {"phone": PHONE, "code": last_sms_code(sms_outbox, PHONE)}, format="json")
    assert response.status_code == 200
    assert User.objects.filter(phone=PHONE).count() == 1
    me = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert me.json()["id"] == existing.pk


@pytest.mark.parametrize("written", ["8 (916) 123-45-67", "+7 916 123 45 67", "79161234567", "8-916-1234567"])
def test_phone_is_normalised_before_lookup(api_client, sms_outbox, written):
    UserFactory(phone=PHONE, phone_verified=True)
    assert request_code(api_client, phone=written).status_code == 202
    code = last_sms_code(sms_outbox, PHONE)
    response = api_client.post(CONFIRM_URL, {"phone": written, "code": code}, format="json")
    assert response.status_code == 200
    assert User.objects.count() == 1


def test_invalid_phone_is_a_validation_error(api_client, sms_outbox):
    response = request_code(api_client, phone="12345")
    assert response.status_code == 400
    assert response.json()["error"]["fields"][0] == {
        "path": "phone",
        "code": "invalid_phone",
        "message": "Введите мобильный номер, например +7 916 123-45-67.",
    }
    assert sms_outbox == []


def test_code_request_answer_does_not_reveal_whether_phone_is_registered(api_client, sms_outbox):
    # given: один номер зарегистрирован, другой нет
    UserFactory(phone=PHONE, phone_verified=True)
    # when
    known = request_code(api_client, phone=PHONE, ip="10.0.0.1")
    unknown = request_code(api_client, phone="+79167654321", ip="10.0.0.2")
    # then: ответы совпадают целиком, SMS ушло на оба номера
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert {message.phone for message in sms_outbox} == {PHONE, "+79167654321"}


def test_code_is_six_digits_and_stored_only_as_hmac(api_client, sms_outbox):
    request_code(api_client)
    code = last_sms_code(sms_outbox, PHONE)
    assert len(code) == 6 and code.isdigit()
    record = cache.get(f"otp:{codes.PURPOSE_LOGIN}:{codes.NO_USER}:{PHONE}")
    assert record is not None
    assert code not in str(record)
    assert len(record["digest"]) == 64


def test_code_generator_uses_secrets_and_pads_to_six_digits(monkeypatch):
    monkeypatch.setattr(codes.secrets, "randbelow", lambda upper: 42)
    assert codes.code_generate() == "000042"


def test_wrong_code_is_rejected_with_stable_code(api_client, sms_outbox):
    request_code(api_client)
    code = last_sms_code(sms_outbox, PHONE)
    response = api_client.post(CONFIRM_URL, {"phone": PHONE, "code": wrong_code(code)}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "code_invalid"
    assert not User.objects.exists()


def test_code_dies_after_five_wrong_attempts_even_if_right_code_follows(api_client, sms_outbox):
    # given
    request_code(api_client)
    code = last_sms_code(sms_outbox, PHONE)
    # when: пять неверных попыток
    answers = [
        api_client.post(CONFIRM_URL, {"phone": PHONE, "code": wrong_code(code)}, format="json").json()["error"]["code"]
        for _ in range(5)
    ]
    # then: пятая сообщает об исчерпании, а верный код уже не принимается
    assert answers == ["code_invalid"] * 4 + ["code_attempts_exceeded"]
    response = api_client.post(CONFIRM_URL, {"phone": PHONE, "code": code}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "code_attempts_exceeded"
    assert not User.objects.exists()


def test_code_expires_after_five_minutes(api_client, sms_outbox, monkeypatch):
    # given
    request_code(api_client)
    code = last_sms_code(sms_outbox, PHONE)
    # when: прошло 5 минут и 1 секунда
    real = limits.current_timestamp
    monkeypatch.setattr(limits, "current_timestamp", lambda: real() + 301)
    response = api_client.post(CONFIRM_URL, {"phone": PHONE, "code": code}, format="json")
    # then
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "code_invalid"


@pytest.mark.redis_only(reason="срок жизни ключа кода читается командой TTL Redis")
def test_code_record_lives_in_redis_no_longer_than_ttl(api_client, sms_outbox):
    request_code(api_client)
    ttl = cache.ttl(f"otp:{codes.PURPOSE_LOGIN}:{codes.NO_USER}:{PHONE}")
    assert 290 <= ttl <= 300


def test_code_is_single_use(api_client, sms_outbox):
    request_code(api_client)
    code = last_sms_code(sms_outbox, PHONE)
    assert api_client.post(CONFIRM_URL, {"phone": PHONE, "code": code}, format="json").status_code == 200
    again = api_client.post(CONFIRM_URL, {"phone": PHONE, "code": code}, format="json")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "code_invalid"


def test_new_code_cannot_be_requested_within_sixty_seconds(api_client, sms_outbox, monkeypatch):
    # given
    assert request_code(api_client).status_code == 202
    # when: повторный запрос сразу
    response = request_code(api_client)
    # then
    assert response.status_code == 429
    body = response.json()["error"]
    assert body["code"] == "code_resend_too_soon"
    assert 55 <= body["retry_after"] <= 60
    assert "Повторите через" in body["message"]
    assert len(sms_outbox) == 1


def test_new_code_can_be_requested_after_sixty_seconds_and_replaces_old_one(api_client, sms_outbox):
    # given
    request_code(api_client)
    first = last_sms_code(sms_outbox, PHONE)
    # when: пауза истекла (ключ паузы в Redis исчез)
    cache.delete(f"code-cooldown:{PHONE}")
    assert request_code(api_client).status_code == 202
    second = last_sms_code(sms_outbox, PHONE)
    # then: действует только новый код
    if first != second:
        stale = api_client.post(CONFIRM_URL, {"phone": PHONE, "code": first}, format="json")
        assert stale.json()["error"]["code"] == "code_invalid"
    assert api_client.post(CONFIRM_URL, {"phone": PHONE, "code": second}, format="json").status_code == 200


def test_per_phone_hourly_cap_stops_sms_pumping(api_client, sms_outbox, settings):
    # given: без паузы между запросами, потолок 3 в час на номер
    settings.ACCOUNTS_CODE_RESEND_SECONDS = 0
    settings.ACCOUNTS_CODE_LIMIT_TARGET_PER_HOUR = 3
    # when: запросы с разных IP
    statuses = [request_code(api_client, ip=f"10.0.1.{index}").status_code for index in range(4)]
    # then
    assert statuses == [202, 202, 202, 429]
    assert len(sms_outbox) == 3
    assert request_code(api_client, ip="10.0.9.9").json()["error"]["code"] == "code_request_limit"


def test_per_phone_daily_cap_holds_across_hours(api_client, sms_outbox, settings, monkeypatch):
    # given: часовой потолок 2, суточный 3
    settings.ACCOUNTS_CODE_RESEND_SECONDS = 0
    settings.ACCOUNTS_CODE_LIMIT_TARGET_PER_HOUR = 2
    settings.ACCOUNTS_CODE_LIMIT_TARGET_PER_DAY = 3
    day_start = (int(limits.current_timestamp()) // limits.DAY) * limits.DAY
    monkeypatch.setattr(limits, "current_timestamp", lambda: day_start + 60)
    assert [request_code(api_client, ip="10.0.2.1").status_code for _ in range(2)] == [202, 202]
    # when: следующий час того же дня
    monkeypatch.setattr(limits, "current_timestamp", lambda: day_start + 60 + limits.HOUR)
    statuses = [request_code(api_client, ip="10.0.2.2").status_code for _ in range(2)]
    # then: суточный потолок исчерпан на третьем запросе
    assert statuses == [202, 429]


def test_per_ip_hourly_cap_stops_one_client_from_pumping_many_numbers(api_client, sms_outbox, settings):
    settings.ACCOUNTS_CODE_LIMIT_IP_PER_HOUR = 3
    phones = [f"+7916000000{index}" for index in range(5)]
    statuses = [request_code(api_client, phone=phone, ip="10.0.3.1").status_code for phone in phones]
    assert statuses == [202, 202, 202, 429, 429]
    # другой IP не затронут
    assert request_code(api_client, phone="+79160000009", ip="10.0.3.2").status_code == 202


def test_per_ip_daily_cap(api_client, sms_outbox, settings):
    settings.ACCOUNTS_CODE_LIMIT_IP_PER_HOUR = 100
    settings.ACCOUNTS_CODE_LIMIT_IP_PER_DAY = 2
    statuses = [request_code(api_client, phone=f"+7916000001{index}", ip="10.0.4.1").status_code for index in range(3)]
    assert statuses == [202, 202, 429]


def test_ip_cap_rejection_does_not_consume_phone_quota(api_client, sms_outbox, settings):
    # given: IP исчерпал лимит
    settings.ACCOUNTS_CODE_RESEND_SECONDS = 0
    settings.ACCOUNTS_CODE_LIMIT_IP_PER_HOUR = 1
    settings.ACCOUNTS_CODE_LIMIT_TARGET_PER_HOUR = 2
    request_code(api_client, phone="+79160000020", ip="10.0.5.1")
    for _ in range(3):
        assert request_code(api_client, ip="10.0.5.1").status_code == 429
    # when / then: с другого IP номер получает оба своих кода
    assert request_code(api_client, ip="10.0.5.2").status_code == 202
    assert request_code(api_client, ip="10.0.5.3").status_code == 202


def test_login_code_cannot_confirm_another_phone(api_client, sms_outbox):
    request_code(api_client)
    code = last_sms_code(sms_outbox, PHONE)
    response = api_client.post(CONFIRM_URL, {"phone": "+79167654321", "code": code}, format="json")
    assert response.json()["error"]["code"] == "code_invalid"


def test_code_requested_before_phone_changed_owner_is_void(api_client, sms_outbox):
    # given: код запрошен, пока номер был свободен
    request_code(api_client)
    code = last_sms_code(sms_outbox, PHONE)
    # when: номер тем временем закрепился за другим аккаунтом
    UserFactory(phone=PHONE, phone_verified=True)
    response = api_client.post(CONFIRM_URL, {"phone": PHONE, "code": code}, format="json")
    # then: код привязан к владельцу на момент запроса
    assert response.json()["error"]["code"] == "code_invalid"


def test_gateway_failure_is_a_clear_503_error_not_500(api_client, settings):
    settings.SMS_BACKEND = "tests.integrations.sms.test_loading.FailingBackend"
    response = request_code(api_client)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "sms_delivery_failed"
    assert response.json()["error"]["message"].startswith("Не удалось отправить SMS")


def test_blocked_account_cannot_log_in_by_code(api_client, sms_outbox):
    UserFactory(phone=PHONE, phone_verified=True, is_active=False)
    request_code(api_client)
    response = api_client.post(CONFIRM_URL, {"phone": PHONE, "code": last_sms_code(sms_outbox, PHONE)}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "account_disabled"


def test_forwarded_for_is_ignored_unless_proxy_is_trusted(api_client, sms_outbox, settings):
    # given: потолок 1 на IP; клиент подставляет разные X-Forwarded-For
    settings.ACCOUNTS_CODE_LIMIT_IP_PER_HOUR = 1
    first = api_client.post(
        REQUEST_URL, {"phone": "+79160000030"}, format="json", REMOTE_ADDR="10.0.6.1", HTTP_X_FORWARDED_FOR="1.1.1.1"
    )
    second = api_client.post(
        REQUEST_URL, {"phone": "+79160000031"}, format="json", REMOTE_ADDR="10.0.6.1", HTTP_X_FORWARDED_FOR="2.2.2.2"
    )
    # then: подделка не помогает, считается REMOTE_ADDR
    assert (first.status_code, second.status_code) == (202, 429)
    # when: запрос через доверенный прокси — считается адрес клиента
    settings.TRUSTED_PROXIES = ["10.0.6.254"]
    third = api_client.post(
        REQUEST_URL, {"phone": "+79160000032"}, format="json", REMOTE_ADDR="10.0.6.254", HTTP_X_FORWARDED_FOR="3.3.3.3"
    )
    assert third.status_code == 202
