"""Модель пользователя: уникальность e-mail без учёта регистра и телефона в E.164."""

import pytest
from django.db import IntegrityError, transaction

from accounts.models import User
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_user_model_is_auth_user_model():
    from django.contrib.auth import get_user_model

    assert get_user_model() is User


def test_email_is_unique_case_insensitively_in_the_database():
    # given
    UserFactory(email="ivan@example.ru")
    # when / then: запись в обход save() всё равно упирается в ограничение базы
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(username="other", email="IVAN@Example.RU")])


def test_email_is_normalised_on_save():
    user = UserFactory(email="  Petr@Example.RU ")
    user.refresh_from_db()
    assert user.email == "petr@example.ru"


def test_many_users_without_email_or_phone_are_allowed():
    UserFactory(email="", phone=None)
    UserFactory(email="", phone="")
    assert User.objects.filter(email="").count() == 2
    assert User.objects.filter(phone__isnull=True).count() == 2


def test_phone_is_stored_in_e164_and_unique():
    # given
    user = UserFactory(phone="8 (916) 123-45-67")
    user.refresh_from_db()
    assert str(user.phone) == "+79161234567"
    # when / then: тот же номер в другой записи — нарушение уникальности
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(phone="+7 916 123 45 67")


def test_verified_flags_default_to_false():
    user = UserFactory()
    assert user.phone_verified is False
    assert user.email_verified is False


def test_model_validation_reports_duplicate_email_in_russian():
    from django.core.exceptions import ValidationError

    UserFactory(email="anna@example.ru")
    duplicate = User(username="anna2", email="Anna@example.ru")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean(exclude=["password"])
    assert "Пользователь с таким e-mail уже существует." in str(error.value)
