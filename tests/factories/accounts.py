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


def staff_user_with(*permissions, **fields):
    """Создать сотрудника без суперправ, которому права даны через группу (как в жизни).

    permissions — коды «приложение.право» (``"exchange.run_import"``); группа своя у каждого
    пользователя, чтобы тесты не делили права.
    """
    from django.contrib.auth.models import Group, Permission

    user = UserFactory(**{"is_staff": True, "is_superuser": False, **fields})
    group = Group.objects.create(name=f"test-{user.username}")
    for code in permissions:
        app_label, codename = code.split(".", 1)
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user.groups.add(group)
    return user
