"""Ключ шифрования секретов для разработки: создаётся один раз в var/ и не покидает машину.

В production ключ задаёт администратор (INTEGRATIONS_SECRET_KEY в окружении; установщик создаёт
его сам). В разработке (`make run`) без ключа нельзя сохранить ни одного секрета — например,
пароль демо-узла обмена с 1С. Поэтому при первом запуске здесь создаётся случайный ключ Fernet
в файле с правами 0600: у каждой рабочей копии свой, в репозиторий он не попадает (/var/ в
.gitignore), а все процессы одной копии (сервер, его перезагрузки, manage.py) читают один и тот же.
"""

import base64
import os
import secrets
import tempfile


def development_fernet_key(path):
    """Вернуть ключ Fernet из файла path, создав файл (0600), если его ещё нет.

    Два процесса, стартующие одновременно (наблюдатель autoreload и сервер), получают один ключ:
    файл появляется целиком, ссылкой на уже записанный временный файл (os.link не заменяет
    существующий), и проигравший гонку читает ключ победителя.
    """
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key + "\n")
        os.chmod(draft, 0o600)
        os.link(draft, path)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    finally:
        os.unlink(draft)
    return key
