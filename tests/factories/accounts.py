"""Фабрики пользователей и адресов."""

import factory

from accounts.models import Address, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda number: f"user{number}")
    email = factory.Sequence(lambda number: f"user{number}@example.ru")
    password = factory.PostGenerationMethodCall("set_password", "Secret-Passw0rd!")

    @factory.post_generation
    def _save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    user = factory.SubFactory(UserFactory)
    city = "Москва"
    street = "Тверская"
    house = factory.Sequence(lambda number: str(number + 1))
