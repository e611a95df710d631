"""Чужой не может даром заблокировать вход по SMS ни паузой между кодами, ни перебором кода.

Внешняя проверка нашла: запрос кода, отклонённый лимитом IP атакующего, всё равно запускал паузу
номера жертвы; а ввод кода не был ограничен по IP, и пять неверных попыток с любого адреса
сжигали текущий код владельца.
"""

import pytest

from accounts.models import User
from tests.site.accounts.conftest import last_sms_code, wrong_code

pytestmark = pytest.mark.django_db

REQUEST_URL = "/api/v1/auth/phone/request-code/"
CONFIRM_URL = "/api/v1/auth/phone/confirm/"
VICTIM = "+79161234567"
ATTACKER_IP = "198.51.100.7"
OWNER_IP = "203.0.113.20"


def request_code(api_client, phone, ip):
    return api_client.post(REQUEST_URL, {"phone": phone}, format="json", REMOTE_ADDR=ip)


def confirm(api_client, phone, code, ip):
    return api_client.post(CONFIRM_URL, {"phone": phone, "code": code}, format="json", REMOTE_ADDR=ip)


def test_request_refused_by_the_attackers_ip_limit_does_not_start_the_victims_cooldown(
    api_client, sms_outbox, settings
):
    # given: атакующий исчерпал часовой потолок своего адреса
    settings.ACCOUNTS_CODE_LIMIT_IP_PER_HOUR = 2
    for number in range(2):
        assert request_code(api_client, f"+7916000000{number}", ATTACKER_IP).status_code == 202
    # when: он запрашивает код на номер жертвы и получает отказ
    refused = request_code(api_client, VICTIM, ATTACKER_IP)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "code_request_limit"
    # then: жертва сразу получает код со своего адреса
    assert request_code(api_client, VICTIM, OWNER_IP).status_code == 202
    assert last_sms_code(sms_outbox, VICTIM)


def test_wrong_codes_from_another_ip_do_not_burn_the_owners_code(api_client, sms_outbox):
    # given
    assert request_code(api_client, VICTIM, OWNER_IP).status_code == 202
    code = last_sms_code(sms_outbox, VICTIM)
    # when: пять неверных попыток с чужого адреса
    answers = [confirm(api_client, VICTIM, wrong_code(code), ATTACKER_IP).json()["error"]["code"] for _ in range(5)]
    assert answers[-1] == "code_attempts_exceeded"
    # then: с этого адреса код больше не принимается даже верный, а владелец входит со своего
    assert confirm(api_client, VICTIM, code, ATTACKER_IP).json()["error"]["code"] == "code_attempts_exceeded"
    response = confirm(api_client, VICTIM, code, OWNER_IP)
    assert response.status_code == 200, response.json()
    assert User.objects.filter(phone=VICTIM).exists()


def test_guessing_from_many_addresses_destroys_the_code_after_the_total_cap(api_client, sms_outbox, settings):
    settings.ACCOUNTS_CODE_MAX_ATTEMPTS_TOTAL = 6
    assert request_code(api_client, VICTIM, OWNER_IP).status_code == 202
    code = last_sms_code(sms_outbox, VICTIM)
    for number in range(6):
        confirm(api_client, VICTIM, wrong_code(code), f"198.51.100.{number + 10}")
    # код уничтожен: даже владелец должен запросить новый
    assert confirm(api_client, VICTIM, code, OWNER_IP).json()["error"]["code"] == "code_invalid"


def test_code_attempts_from_one_ip_are_capped_across_all_numbers(api_client, sms_outbox, settings):
    settings.ACCOUNTS_CODE_CONFIRM_LIMIT_IP_PER_HOUR = 3
    answers = [confirm(api_client, f"+7916111111{number}", "000000", ATTACKER_IP).status_code for number in range(4)]
    assert answers == [400, 400, 400, 429]
    # другой адрес не затронут
    assert confirm(api_client, "+79161111119", "000000", OWNER_IP).status_code == 400


def test_ipv6_addresses_of_one_64_network_share_one_attempt_budget(api_client, sms_outbox):
    assert request_code(api_client, VICTIM, OWNER_IP).status_code == 202
    code = last_sms_code(sms_outbox, VICTIM)
    # пять разных адресов одной сети /64 — это один абонент
    answers = [
        confirm(api_client, VICTIM, wrong_code(code), f"2001:db8:1:2::{number + 1}").json()["error"]["code"]
        for number in range(5)
    ]
    assert answers[-1] == "code_attempts_exceeded"
    assert confirm(api_client, VICTIM, code, "2001:db8:1:2::ff").json()["error"]["code"] == "code_attempts_exceeded"
    assert confirm(api_client, VICTIM, code, "2001:db8:9:9::1").status_code == 200


def test_failed_sms_delivery_does_not_leave_a_cooldown(api_client, settings, sms_outbox):
    settings.SMS_BACKEND = "tests.integrations.sms.test_loading.FailingBackend"
    assert request_code(api_client, VICTIM, OWNER_IP).status_code == 503
    settings.SMS_BACKEND = "integrations.sms.backends.locmem.LocmemSmsBackend"
    assert request_code(api_client, VICTIM, OWNER_IP).status_code == 202
