"""Ключ секретов разработки: создаётся один раз, закрыт от других пользователей, один на все процессы."""

import stat
import threading

from cryptography.fernet import Fernet

from config.dev_keys import development_fernet_key


def test_key_is_created_once_private_and_usable(tmp_path):
    path = tmp_path / "var" / "integrations-dev.key"

    first = development_fernet_key(path)
    second = development_fernet_key(path)

    assert first == second
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Fernet(first).decrypt(Fernet(second).encrypt(b"1c-demo")) == b"1c-demo"
    assert [item.name for item in path.parent.iterdir()] == ["integrations-dev.key"], "черновики удалены"


def test_processes_starting_together_get_the_same_key(tmp_path):
    # given: восемь одновременных стартов (наблюдатель autoreload, сервер, manage.py…)
    path = tmp_path / "integrations-dev.key"
    barrier = threading.Barrier(8)
    keys = []

    def start():
        barrier.wait()
        keys.append(development_fernet_key(path))

    threads = [threading.Thread(target=start) for _ in range(8)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert len(keys) == 8 and len(set(keys)) == 1
    assert path.read_text().strip() == keys[0]
