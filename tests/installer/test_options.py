"""Ответы установки: порядок источников, вопросы с умолчаниями, проверка значений."""

import pytest

from installer.options import Options, options_resolve, saved_dump
from installer.plan import InstallerError


def resolve(flags=None, environ=None, saved=None, answers=None):
    asked = []

    def read(prompt, secret):
        asked.append(prompt)
        return (answers or {}).get(prompt.split(" [")[0], "")

    options = options_resolve(
        flags=flags or {},
        environ=environ or {},
        saved=saved or {},
        interactive=answers is not None,
        read=read,
        detect_docker=False,
    )
    return options, asked


def test_flag_beats_environment_beats_saved_answer():
    saved = {"domain": "saved.example.ru", "tls": "internal"}
    options, _ = resolve({"domain": "flag.example.ru"}, {"MEGASHOP_DOMAIN": "env.example.ru"}, saved)
    assert options.domain == "flag.example.ru"
    options, _ = resolve({}, {"MEGASHOP_DOMAIN": "env.example.ru"}, saved)
    assert options.domain == "env.example.ru"
    options, _ = resolve({}, {}, saved)
    assert options.domain == "saved.example.ru"
    assert options.tls == "internal"


def test_defaults_follow_the_domain():
    options, _ = resolve({"domain": "shop.example.ru"})
    assert options.admin_email == "admin@shop.example.ru"
    assert options.acme_email == "admin@shop.example.ru"
    assert options.smtp_from == "Megashop <noreply@shop.example.ru>"
    assert (options.mode, options.tls, options.demo, options.supervisor) == ("native", "acme", False, "systemd")


def test_questions_show_defaults_and_empty_answer_takes_it():
    options, asked = resolve(
        {"domain": "shop.example.ru"},
        answers={"HTTPS: acme (Let's Encrypt), internal (свой сертификат) или none": "internal"},
    )
    assert options.tls == "internal"
    assert "E-mail администратора [admin@shop.example.ru]: " in asked
    # Вопрос о почте для Let's Encrypt не задаётся, когда выбран не acme; SMTP-логин — без SMTP.
    assert not any(prompt.startswith("E-mail для Let's Encrypt") for prompt in asked)
    assert not any(prompt.startswith("Логин SMTP") for prompt in asked)
    assert not any(prompt.startswith("Домен") for prompt in asked)


def test_boolean_answers_in_russian():
    options, _ = resolve({"domain": "shop.example.ru"}, answers={"Загрузить демонстрационные данные": "да"})
    assert options.demo is True


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"domain": "bad domain"}, "не похож на имя хоста"),
        ({"domain": "shop.example.ru", "admin_email": "nope"}, "E-mail администратора"),
        ({"domain": "shop.example.ru", "admin_phone": "12"}, "Телефон"),
        ({"domain": "localhost", "tls": "acme"}, "публичному домену"),
        ({"domain": "shop.example.ru", "mode": "docker", "tls": "acme"}, "docker"),
        ({"domain": "shop.example.ru", "sms": "prostor"}, "--sms-login"),
        ({"domain": "shop.example.ru", "keep_backups": "0"}, "хотя бы одну"),
        ({"domain": "shop.example.ru", "tls": "ftp"}, "допустимо acme, internal, none"),
        ({"domain": "shop.example.ru", "smtp_port": "abc"}, "целое число"),
    ],
)
def test_invalid_answers_are_refused_in_russian(flags, message):
    with pytest.raises(InstallerError, match=message):
        resolve(flags)


def test_saved_answers_have_no_secrets():
    text = saved_dump(Options(domain="shop.example.ru", smtp_password="s3cret", sms_password="p4ss"))
    assert "s3cret" not in text
    assert "p4ss" not in text
    assert '"domain": "shop.example.ru"' in text
