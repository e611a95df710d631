"""Вход сотрудника (сессия с CSRF, лимит неудач), me/ и ключи API (хеш, группа, отзыв)."""

import hashlib

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from staff import roles
from staffapi.models import ApiKey, StaffAction
from tests.factories.accounts import UserFactory
from tests.site.staffapi.conftest import BASE, PASSWORD, session_client, staff_in_group

pytestmark = pytest.mark.django_db

LOGIN = f"{BASE}auth/login/"


def browser():
    """Клиент как браузер: CSRF проверяется, токен берётся из auth/csrf/."""
    client = APIClient(enforce_csrf_checks=True)
    token = client.get(f"{BASE}auth/csrf/").json()["csrf_token"]
    client.credentials(HTTP_X_CSRFTOKEN=token)
    return client


def test_login_opens_a_session_shared_with_wagtail_admin(manager):
    client = browser()

    response = client.post(LOGIN, {"username": manager.username, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json()["username"] == manager.username
    assert client.get(f"{BASE}me/").status_code == 200
    assert client.get("/admin/").status_code == 200  # та же сессия пускает в Wagtail admin


def test_login_without_csrf_token_is_refused(manager):
    client = APIClient(enforce_csrf_checks=True)

    response = client.post(LOGIN, {"username": manager.username, "password": PASSWORD}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_wrong_password_and_customer_get_401():
    customer = UserFactory(is_staff=False)
    client = browser()

    wrong = client.post(LOGIN, {"username": customer.username, "password": "nope"}, format="json")
    not_staff = client.post(LOGIN, {"username": customer.username, "password": PASSWORD}, format="json")

    assert wrong.status_code == 401
    assert not_staff.status_code == 401
    assert not_staff.json()["error"]["code"] == "authentication_failed"
    assert client.get(f"{BASE}me/").status_code in (401, 403)


def test_login_is_throttled_after_repeated_failures_even_with_right_password(settings, manager):
    settings.ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT = 3
    client = browser()
    for _ in range(3):
        assert client.post(LOGIN, {"username": manager.username, "password": "bad"}, format="json").status_code == 401

    response = client.post(LOGIN, {"username": manager.username, "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "login_throttled"
    assert "Retry-After" in response


def test_logout_closes_the_session(manager_client):
    assert manager_client.post(f"{BASE}auth/logout/").status_code == 204
    assert manager_client.get(f"{BASE}me/").status_code in (401, 403)


@pytest.fixture
def admin_user():
    return staff_in_group(roles.ADMINISTRATOR)


def test_api_key_is_shown_once_stored_hashed_and_scoped_to_its_group(admin_user, orders):
    # given: администратор состоит и в группе менеджеров, ключ выпускает с её правами
    admin_user.groups.add(Group.objects.get(name=roles.ORDER_MANAGER))
    client = session_client(admin_user)

    # when
    created = client.post(f"{BASE}api-keys/", {"name": "ERP", "group": roles.ORDER_MANAGER}, format="json")

    # then
    assert created.status_code == 201, created.json()
    raw = created.json()["key"]
    key = ApiKey.objects.get()
    secret = raw.split(".", 1)[1]
    assert key.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiKey.objects.values().get())
    assert "key" not in client.get(f"{BASE}api-keys/").json()[0]
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert script.get(f"{BASE}orders/").status_code == 200
    # права группы ключа, а не все права владельца: журнал действий ключу закрыт
    assert script.get(f"{BASE}audit/").status_code == 403
    me = script.get(f"{BASE}me/").json()
    assert me["api_key"] == "ERP"
    assert "staffapi.view_staffaction" not in me["permissions"]
    # запись по ключу — без CSRF (нет cookie) и с пометкой ключа в журнале
    note = script.post(f"{BASE}orders/{orders.msk_new.number}/notes/", {"text": "из ERP"}, format="json")
    assert note.status_code == 201
    assert StaffAction.objects.get(action="order.note_add").api_key == key


def test_revoked_or_forged_api_key_is_401(admin_user):
    client = session_client(admin_user)
    created = client.post(f"{BASE}api-keys/", {"name": "скрипт", "group": roles.ADMINISTRATOR}, format="json").json()
    script = APIClient()

    script.credentials(HTTP_AUTHORIZATION=f"Api-Key {created['key']}x")
    forged = script.get(f"{BASE}me/")
    revoke = client.post(f"{BASE}api-keys/{created['id']}/revoke/")
    script.credentials(HTTP_AUTHORIZATION=f"Api-Key {created['key']}")
    revoked = script.get(f"{BASE}me/")

    assert forged.status_code == 401
    assert revoke.status_code == 200 and revoke.json()["revoked_at"] is not None
    assert revoked.status_code == 401
    assert revoked.json()["error"]["code"] == "authentication_failed"
    assert list(StaffAction.objects.order_by("id").values_list("action", flat=True)) == [
        "api_key.create",
        "api_key.revoke",
    ]


def test_api_key_only_with_a_group_of_the_owner(admin_user):
    response = session_client(admin_user).post(
        f"{BASE}api-keys/", {"name": "x", "group": roles.MERCHANDISER}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "api_key_group_not_allowed"


def test_audit_log_lists_actions_with_filters(admin_user, orders):
    client = session_client(admin_user)
    client.post(f"{BASE}orders/{orders.msk_new.number}/notes/", {"text": "раз"}, format="json")
    client.post(f"{BASE}orders/{orders.msk_paid.number}/notes/", {"text": "два"}, format="json")

    everything = client.get(f"{BASE}audit/").json()["results"]
    one = client.get(f"{BASE}audit/", {"object_id": str(orders.msk_paid.pk)}).json()["results"]

    assert [row["action"] for row in everything] == ["order.note_add", "order.note_add"]
    assert [row["after"]["text"] for row in one] == ["два"]
    assert one[0]["actor"] == admin_user.username


def test_audit_rows_cannot_be_changed_or_deleted(admin_user, orders):
    session_client(admin_user).post(f"{BASE}orders/{orders.msk_new.number}/notes/", {"text": "раз"}, format="json")
    action = StaffAction.objects.get()

    with pytest.raises(TypeError):
        action.save()
    with pytest.raises(TypeError):
        StaffAction.objects.all().delete()
    with pytest.raises(TypeError):
        StaffAction.objects.update(action="x")


def test_audit_log_is_read_only_in_wagtail_admin(admin_user, orders):
    session_client(admin_user).post(f"{BASE}orders/{orders.msk_new.number}/notes/", {"text": "раз"}, format="json")
    action = StaffAction.objects.get()
    client = APIClient()
    client.force_login(admin_user)

    index = client.get("/admin/staffapi/action/")
    inspect = client.get(f"/admin/staffapi/action/inspect/{action.pk}/")
    edit = client.get(f"/admin/staffapi/action/edit/{action.pk}/")

    assert index.status_code == 200
    assert "order.note_add" in index.content.decode()
    assert inspect.status_code == 200
    assert edit.status_code == 302
