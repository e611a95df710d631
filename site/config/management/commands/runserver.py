"""runserver с коротким блоком «как войти» в самом конце вывода запуска (`make run`)."""

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver


def demo_summary(*, base_url):
    """Вернуть строки блока «как войти»: админка, логин и пароль, документация API, где коды."""
    base_url = base_url.rstrip("/")
    if settings.MEGASHOP_SUPERUSER_PASSWORD:
        where = "из DJANGO_SUPERUSER_PASSWORD"
    else:
        where = "показан строкой «Админка:» при первом запуске; сменить — manage.py changepassword"
    return [
        "─" * 60,
        f"Админка:      {base_url}/admin/",
        f"Логин:        {settings.MEGASHOP_SUPERUSER_USERNAME} (пароль {where})",
        f"API:          {base_url}/api/docs/",
        "Коды SMS и письма: печатаются здесь, в журнале сервера (строки «SMS для …»).",
        "─" * 60,
    ]


class Command(StaticfilesRunserver):
    def on_bind(self, server_port):
        """Напечатать стандартные строки runserver, затем блок «как войти» — последним."""
        super().on_bind(server_port)
        host = "127.0.0.1" if self.addr in ("0", "0.0.0.0") else self.addr  # noqa: S104 — адрес прослушивания, не привязка
        if self._raw_ipv6:
            host = f"[{self.addr}]"
        for line in demo_summary(base_url=f"{self.protocol}://{host}:{server_port}"):
            self.stdout.write(line)
