"""Фабрики ядра интеграций: подключения."""

import factory

from integrations.core.models import Connection


class ConnectionFactory(factory.django.DjangoModelFactory):
    """Включённое подключение универсального вебхука; адрес задайте фейковым сервером теста."""

    class Meta:
        model = Connection
        skip_postgeneration_save = True

    system = "webhook"
    code = factory.Sequence(lambda number: f"hook-{number}")
    base_url = "http://127.0.0.1:9/"
    options = factory.LazyFunction(dict)
    enabled = True

    @factory.post_generation
    def secrets(connection, create, extracted, **kwargs):
        if extracted:
            connection.secrets_update(extracted)
            if create:
                connection.save(update_fields=["secrets_encrypted"])
