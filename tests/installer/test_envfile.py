"""Файл окружения: слияние без потери правок, секреты создаются один раз, кавычки."""

from cryptography.fernet import Fernet

from installer.envfile import HEADER, SECRET_KEYS, envfile_merge, envfile_parse, secrets_ensure


def test_first_merge_writes_header_and_every_value():
    text = envfile_merge("", {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "shop.example.ru"})
    assert text.startswith(HEADER.splitlines()[0])
    assert envfile_parse(text) == {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "shop.example.ru"}


def test_merge_replaces_known_keys_in_place_and_keeps_admin_lines():
    existing = "# мой комментарий\nALLOWED_HOSTS=old.example.ru\nSEARCH_BACKEND=opensearch2\n"
    text = envfile_merge(existing, {"ALLOWED_HOSTS": "new.example.ru", "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert text.splitlines() == [
        "# мой комментарий",
        "ALLOWED_HOSTS=new.example.ru",
        "SEARCH_BACKEND=opensearch2",
        "REDIS_URL=redis://127.0.0.1:6379/0",
    ]


def test_merge_with_same_values_is_byte_identical():
    first = envfile_merge("", {"A": "1", "DEFAULT_FROM_EMAIL": "Megashop <noreply@example.ru>"})
    assert envfile_merge(first, envfile_parse(first)) == first


def test_values_with_spaces_quotes_and_backslashes_round_trip():
    tricky = 'pa ss"word\\with $ and #'
    text = envfile_merge("", {"EMAIL_HOST_PASSWORD": tricky})
    assert 'EMAIL_HOST_PASSWORD="pa ss\\"word\\\\with $ and #"' in text
    assert envfile_parse(text)["EMAIL_HOST_PASSWORD"] == tricky


def test_parse_understands_export_single_quotes_and_comments():
    text = "# c\nexport A=1\nB='two words'\n\nnot a line\nC=\n"
    assert envfile_parse(text) == {"A": "1", "B": "two words", "C": ""}


def test_secrets_are_generated_once_and_kept_afterwards():
    generated, created = secrets_ensure({})
    assert created == list(SECRET_KEYS)
    assert len(set(generated.values())) == len(SECRET_KEYS)
    again, created_again = secrets_ensure(generated)
    assert again == generated
    assert created_again == []


def test_only_missing_secret_is_generated():
    generated, _ = secrets_ensure({})
    partial = {key: value for key, value in generated.items() if key != "JWT_SIGNING_KEY"}
    result, created = secrets_ensure(partial)
    assert created == ["JWT_SIGNING_KEY"]
    assert result["SECRET_KEY"] == generated["SECRET_KEY"]
    assert result["JWT_SIGNING_KEY"] != generated["JWT_SIGNING_KEY"]


def test_generated_keys_are_strong_and_integrations_key_is_a_fernet_key():
    generated, _ = secrets_ensure({})
    assert len(generated["SECRET_KEY"]) >= 50
    assert generated["SECRET_KEY"] != generated["JWT_SIGNING_KEY"]
    token = Fernet(generated["INTEGRATIONS_SECRET_KEY"].encode()).encrypt(b"x")
    assert Fernet(generated["INTEGRATIONS_SECRET_KEY"].encode()).decrypt(token) == b"x"
