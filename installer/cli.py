"""Командная строка установщика: разбор флагов и выбор подкоманды."""

import argparse
import os
import sys
from pathlib import Path

from installer import operations
from installer.layout import SOURCE_DIR, layout_build
from installer.options import FIELDS, env_name, flag_name
from installer.plan import InstallerError

COMMANDS = ("install", "upgrade", "backup", "restore", "status", "doctor", "start", "stop", "uninstall", "release")


def parser_build():
    """Вернуть разборщик аргументов со всеми подкомандами и флагами ответов."""
    parser = argparse.ArgumentParser(
        prog="install.sh",
        description="Установка, обновление и резервные копии Megashop одной командой.",
    )
    parser.add_argument("command", nargs="?", default="install", choices=COMMANDS, help="подкоманда (install)")
    parser.add_argument("archive", nargs="?", default="", help="архив выпуска (upgrade) или копии (restore)")
    for item in FIELDS:
        kwargs = {"dest": item.name, "default": None, "help": f"{item.question} (или {env_name(item.name)})"}
        if item.choices:
            kwargs["choices"] = item.choices
        if item.kind == "bool":
            kwargs["action"] = argparse.BooleanOptionalAction
        parser.add_argument(flag_name(item.name), **kwargs)
    parser.add_argument("--non-interactive", action="store_true", help="не задавать вопросов: флаги или умолчания")
    parser.add_argument("--dry-run", action="store_true", help="показать файлы и команды, ничего не меняя")
    parser.add_argument("--root", default="/", help="писать файлы под этот каталог и не выполнять команд")
    parser.add_argument(
        "--prefix",
        default=None,
        help="установить всё под этот каталог (PREFIX/etc/megashop, PREFIX/opt/megashop…) от текущего "
        "пользователя (или MEGASHOP_PREFIX)",
    )
    parser.add_argument("--offline", action="store_true", help="ставить пакеты Python только из --wheelhouse")
    parser.add_argument("--wheelhouse", default="", help="каталог колёс (pip download -r requirements.txt)")
    parser.add_argument("--skip-dns", action="store_true", help="не проверять, что домен указывает на сервер")
    parser.add_argument("--skip-preflight", action="store_true", help="не выполнять предварительных проверок")
    parser.add_argument("--keep", type=int, default=None, help="backup: сколько копий хранить")
    parser.add_argument("--backup-dir", default=None, help="backup/restore: каталог копий")
    parser.add_argument("--no-backup", action="store_true", help="upgrade: не делать копию перед обновлением")
    parser.add_argument("--no-verify", action="store_true", help="upgrade: не сверять контрольную сумму архива")
    parser.add_argument("--purge", action="store_true", help="uninstall: удалить и данные (база, медиа, настройки)")
    parser.add_argument("--yes", action="store_true", help="restore/uninstall --purge: не спрашивать подтверждения")
    parser.add_argument("--output", default="dist", help="release: каталог архива")
    return parser


def main(argv=None):
    """Разобрать аргументы и выполнить подкоманду; вернуть код выхода."""
    args = parser_build().parse_args(argv)
    if args.offline and not args.wheelhouse:
        print("--offline требует --wheelhouse КАТАЛОГ с колёсами пакетов.", file=sys.stderr)
        return 2
    prefix = args.prefix if args.prefix is not None else os.environ.get("MEGASHOP_PREFIX", "")
    if prefix and not os.path.isabs(prefix):
        print("--prefix: нужен абсолютный путь каталога.", file=sys.stderr)
        return 2
    context = operations.Context(
        root=Path(args.root),
        dry_run=args.dry_run,
        layout=layout_build(prefix),
        source=SOURCE_DIR,
        environ=dict(os.environ),
        prefix=prefix,
    )
    handler = getattr(operations, f"command_{args.command}")
    try:
        return handler(context, args) or 0
    except InstallerError as error:
        print(f"\nОшибка: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nПрервано.", file=sys.stderr)
        return 130
