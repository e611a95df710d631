"""Подкоманды установщика: install, upgrade, backup, restore, status, doctor, start, stop, uninstall, release."""

import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, fields, replace
from pathlib import Path

from installer import backup as backups
from installer.docker import docker_plan
from installer.envfile import envfile_parse
from installer.health import health_read, health_wait
from installer.layout import Layout, release_version
from installer.native import UNIT_NAMES, app_units, database_admin_command, native_plan
from installer.options import FIELDS, Options, options_resolve, saved_load
from installer.plan import Executor, InstallerError, Plan, Run
from installer.preflight import preflight
from installer.processes import processes_start, processes_state, processes_stop
from installer.release import admin_ui_bundle, release_build, release_verify


@dataclass(frozen=True)
class Context:
    """Где и как работает установщик: корень (--root), режим печати, пути, исходники, окружение.

    prefix — каталог установки под --prefix ("" — системные пути); передаётся новому выпуску
    при обновлении.
    """

    root: Path
    dry_run: bool
    layout: Layout
    source: Path
    environ: dict
    prefix: str = ""

    @property
    def system(self):
        """Сказать, меняет ли запуск настоящую систему (не --root и не --dry-run)."""
        return str(self.root) == "/" and not self.dry_run

    def path(self, path):
        """Вернуть системный путь внутри --root."""
        return self.root / str(path).lstrip("/")

    def read(self, path):
        """Прочитать файл под --root ("" — файла нет)."""
        try:
            return self.path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def executor(self):
        """Вернуть исполнитель плана для этого запуска."""
        return Executor(root=self.root, dry_run=self.dry_run)

    def saved_options(self):
        """Вернуть ответы прошлой установки (install.json) как Options; нет файла — умолчания."""
        saved = saved_load(self.path(self.layout.saved_file))
        known = {item.name for item in fields(Options)}
        return Options(**{name: value for name, value in saved.items() if name in known})

    def installed_layout(self):
        """Вернуть пути установки с адресом gunicorn из install.json."""
        return replace(self.layout, web_bind=self.saved_options().web_bind)


def _flags(args):
    return {item.name: getattr(args, item.name) for item in FIELDS}


def _saved(context, env_text, saved_path):
    """Вернуть ответы прошлой установки вместе с секретами SMTP и SMS из файла окружения."""
    saved = saved_load(context.path(saved_path))
    env = envfile_parse(env_text)
    saved.setdefault("smtp_password", env.get("EMAIL_HOST_PASSWORD", ""))
    saved.setdefault("sms_password", env.get("SMS_PROSTOR_PASSWORD", ""))
    return saved


def _say(text=""):
    print(text, flush=True)


def command_install(context, args):
    """Установить магазин или повторно применить установку (идемпотентно)."""
    layout = context.layout
    docker_saved = saved_load(context.source / ".megashop" / "install.json") if str(context.root) == "/" else {}
    flags = _flags(args)
    mode = flags["mode"] or context.environ.get("MEGASHOP_MODE") or docker_saved.get("mode")
    if mode == "docker":
        env_path, saved_path = str(context.source / ".env"), str(context.source / ".megashop" / "install.json")
    else:
        env_path, saved_path = layout.env_file, layout.saved_file
    existing_env = context.read(env_path)
    options = options_resolve(
        flags=flags,
        environ=context.environ,
        saved=_saved(context, existing_env, saved_path),
        interactive=not args.non_interactive and sys.stdin.isatty(),
        detect_docker=context.system,
    )
    if context.system and not args.skip_preflight and options.mode == "native":
        _preflight(options=options, skip_dns=args.skip_dns, ours=bool(existing_env), layout=layout)
    version = release_version(context.source)
    if options.mode == "docker":
        plan, env, created = docker_plan(options=options, source=context.source, existing_env=existing_env)
    else:
        plan, env, created = native_plan(
            options=options,
            layout=layout,
            source=context.source,
            version=version,
            existing_env=existing_env,
            wheelhouse=args.wheelhouse,
        )
    _say(f"Megashop {version}: установка {options.mode}, домен {options.domain}, HTTPS: {options.tls}.")
    executor = context.executor()
    changed = executor.execute(plan)
    _summary(context=context, options=options, env=env, created=created, changed=changed, env_path=env_path)
    return 0


def _preflight(*, options, skip_dns, ours, layout):
    _say("Проверка сервера:")
    failed = False
    for check in preflight(options=options, skip_dns=skip_dns, ours=ours, layout=layout):
        mark = "✓" if check.ok else ("✗" if check.fatal else "!")
        _say(f"  {mark} {check.text}")
        failed |= not check.ok and check.fatal
    if failed:
        raise InstallerError("Сервер не прошёл проверки (✗ выше). Исправьте и запустите ./install.sh снова.")


def _summary(*, context, options, env, created, changed, env_path):
    if context.dry_run:
        _say("\n--dry-run: ничего не изменено.")
        return
    scheme = "http" if options.tls == "none" else "https"
    if options.supervisor == "none":
        _say(f"Процессы (web на {options.web_bind}, worker, beat) запускает установщик: ./install.sh start | stop.")
    _say("")
    _say("Изменено: " + (", ".join(changed) if changed else "ничего — установка уже в нужном состоянии."))
    if not context.system:
        _say(f"--root {context.root}: файлы записаны, системные команды не выполнялись.")
    _say(f"Магазин:  {scheme}://{options.domain}/  (API: /api/, документация API: /api/docs/)")
    _say(f"Админка:  {scheme}://{options.domain}/admin/  логин admin")
    if "DJANGO_SUPERUSER_PASSWORD" in created:
        _say(f"Пароль администратора (показан один раз): {env['DJANGO_SUPERUSER_PASSWORD']}")
    else:
        _say(f"Пароль администратора прежний (переменная DJANGO_SUPERUSER_PASSWORD в {env_path}).")
    _say(f"Настройки и секреты: {env_path} (права 0600).")
    _say("Дальше: ./install.sh status — состояние; ./install.sh backup — копия; docs/sysadmin/install.md.")


def _env_values(context, args):
    text = context.read(context.layout.env_file)
    if not text:
        raise InstallerError(f"Нет {context.layout.env_file}: магазин не установлен (./install.sh install).")
    return envfile_parse(text)


def _backup_dir(context, args):
    return context.path(args.backup_dir or context.layout.backups)


def command_backup(context, args):
    """Сделать резервную копию базы и медиафайлов, оставить --keep последних."""
    env = _env_values(context, args)
    keep = args.keep or int(saved_load(context.path(context.layout.saved_file)).get("keep_backups", 7))
    if context.dry_run:
        _say(f"$ pg_dump --format=custom → {_backup_dir(context, args)}/megashop-….tar (хранить {keep})")
        return 0
    path = backups.backup_create(
        database_url=env["DATABASE_URL"],
        media_dir=context.path(env.get("MEDIA_ROOT", context.layout.media)),
        directory=_backup_dir(context, args),
        keep=keep,
        version=_current_version(context),
    )
    _say(f"Резервная копия: {path} ({path.stat().st_size / 1024**2:.1f} МБ); хранится последних: {keep}.")
    return 0


def command_restore(context, args):
    """Восстановить базу и медиафайлы из копии (процессы магазина на это время остановлены)."""
    if not args.archive:
        raise InstallerError("Укажите архив: ./install.sh restore /var/backups/megashop/megashop-….tar")
    archive = Path(args.archive)
    manifest = backups.backup_manifest(archive)
    env = _env_values(context, args)
    _say(f"Копия {archive.name}: создана {manifest.get('created')}, версия {manifest.get('version') or '?'}.")
    if context.dry_run:
        _say("$ systemctl stop megashop.target; pg_restore --clean …; systemctl start megashop.target")
        return 0
    if not args.yes and sys.stdin.isatty():
        answer = input("База и медиафайлы будут заменены содержимым копии. Продолжить? [нет]: ")
        if answer.strip().lower() not in ("да", "yes", "y", "д"):
            _say("Отменено.")
            return 1
    supervised = context.system
    if supervised:
        _stop(context)
    try:
        backups.backup_restore(
            archive_path=archive,
            database_url=env["DATABASE_URL"],
            media_dir=context.path(env.get("MEDIA_ROOT", context.layout.media)),
        )
    finally:
        if supervised:
            _start(context, env)
    if supervised:
        health_wait(context.installed_layout().health_url)
        _say("Восстановлено, магазин отвечает. Состояние: ./install.sh status")
    else:
        _say("Восстановлено. Запустите процессы магазина и проверьте его: ./install.sh status")
    return 0


def _stop(context):
    """Остановить процессы магазина тем, кто их запускает (systemd или сам установщик)."""
    if context.saved_options().supervisor == "systemd":
        _run(("systemctl", "stop", "megashop.target", *app_units()))
        return
    stopped = processes_stop(layout=context.installed_layout())
    _say(f"Остановлены: {', '.join(stopped) or 'ничего не работало'}.")


def _start(context, env):
    """Запустить процессы магазина (уже работающие не трогаются)."""
    if context.saved_options().supervisor == "systemd":
        _run(("systemctl", "start", "megashop.target"))
        return
    started = processes_start(layout=context.installed_layout(), env=tuple(env.items()))
    _say(f"Запущены: {', '.join(started) or 'всё уже работало'}.")


def command_start(context, args):
    """Запустить процессы магазина и дождаться здоровья."""
    env = _env_values(context, args)
    if context.dry_run or not context.system:
        return 0
    _start(context, env)
    health_wait(context.installed_layout().health_url)
    _say("Магазин отвечает.")
    return 0


def command_stop(context, args):
    """Остановить процессы магазина."""
    _env_values(context, args)
    if context.dry_run or not context.system:
        return 0
    _stop(context)
    return 0


def _run(argv, *, check=True):
    result = subprocess.run(argv, check=False)
    if check and result.returncode != 0:
        raise InstallerError(f"Команда завершилась с ошибкой {result.returncode}: {' '.join(argv)}")
    return result.returncode


def _current_version(context):
    current = context.path(context.layout.current)
    return current.resolve().name if current.is_symlink() else ""


def command_upgrade(context, args):
    """Обновить: проверка архива → копия → новый выпуск → установка, миграции, перезапуск, здоровье."""
    if not args.archive:
        raise InstallerError("Укажите архив выпуска: ./install.sh upgrade megashop-X.Y.Z.tar.gz")
    archive = Path(args.archive)
    if not args.no_verify:
        release_verify(archive)
        _say(f"Контрольная сумма {archive.name} совпадает.")
    previous = _current_version(context)
    backup_path = None
    if not args.no_backup and context.system:
        command_backup(context, args)
        backup_path = backups.backups_list(_backup_dir(context, args))[-1]
    with tempfile.TemporaryDirectory(prefix="megashop-upgrade-") as work:
        source = _release_extract(archive, Path(work))
        version = release_version(source)
        _say(f"Обновление {previous or '?'} → {version}.")
        argv = [str(source / "install.sh"), "install", "--non-interactive", "--skip-dns"]
        passed = (("--root", str(context.root)), ("--prefix", context.prefix), ("--wheelhouse", args.wheelhouse))
        for flag, value in passed:
            if value and value != "/":
                argv += [flag, value]
        argv += ["--offline"] if args.offline else []
        argv += ["--dry-run"] if context.dry_run else []
        code = subprocess.run(argv, check=False).returncode
    if code != 0:
        _rollback_help(context, previous=previous, backup_path=backup_path)
        return code
    _say(f"Обновлено до {version}.")
    return 0


def _rollback_help(context, *, previous, backup_path):
    layout = context.layout
    _say("\nОбновление не удалось. Как вернуть прежнюю версию:")
    if previous:
        _say(f"  ln -sfn {layout.releases}/{previous} {layout.current}")
    if backup_path:
        _say(f"  {layout.current}/install.sh restore {backup_path} --yes   # база до обновления")
    if context.saved_options().supervisor == "systemd":
        _say("  systemctl restart megashop.target && ./install.sh status")
    else:
        again = f"{layout.current}/install.sh{_prefix_flag(context)}"
        _say(f"  {again} stop && {again} start && {again} status")
    _say("Причину покажет ./install.sh doctor (журналы процессов).")


def _release_extract(archive, target):
    """Распаковать архив выпуска в target и вернуть каталог с install.sh."""
    try:
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                name = Path(member.name)
                if name.is_absolute() or ".." in name.parts or (member.issym() and Path(member.linkname).is_absolute()):
                    raise InstallerError(f"Архив выпуска содержит недопустимый путь {member.name}.")
            tar.extractall(target)  # noqa: S202 — пути проверены выше
    except tarfile.TarError as error:
        raise InstallerError(f"{archive} — не архив выпуска: {error}") from error
    candidates = [path.parent for path in target.glob("*/install.sh")]
    if len(candidates) != 1:
        raise InstallerError(f"В {archive} нет каталога выпуска с install.sh.")
    return candidates[0]


def _units_state():
    names = [*app_units(), "megashop-backup.timer", "nginx.service", "postgresql.service", "redis-server.service"]
    rows = []
    for name in names:
        result = subprocess.run(["systemctl", "is-active", name], capture_output=True, text=True, check=False)
        rows.append((name, result.stdout.strip() or "unknown"))
    return rows


def command_status(context, args):
    """Показать версию, состояние процессов, здоровье и последнюю копию; код 1 — что-то не так."""
    _env_values(context, args)  # магазин установлен?
    saved = saved_load(context.path(context.layout.saved_file))
    _say(f"Версия: {_current_version(context) or '?'}; домен: {saved.get('domain', '?')}")
    healthy = True
    if context.system and saved.get("supervisor", "systemd") == "systemd":
        for name, state in _units_state():
            healthy &= state == "active"
            _say(f"  {name:<40} {state}")
    elif context.system:
        for name, pid in processes_state(context.installed_layout()):
            healthy &= pid is not None
            _say(f"  {name:<40} {f'работает (pid {pid})' if pid else 'остановлен'}")
    status, body = health_read(context.installed_layout().health_url)
    healthy &= status == 200
    _say(f"Здоровье /api/health/: {status or 'нет ответа'} {body.get('status') if isinstance(body, dict) else ''}")
    archives = backups.backups_list(_backup_dir(context, args))
    _say(f"Последняя копия: {archives[-1] if archives else 'нет'} (всего {len(archives)})")
    return 0 if healthy else 1


def command_doctor(context, args):
    """Собрать сведения для разбора проблем: версии, здоровье, журналы, диск, nginx -t."""
    code = command_status(context, args)
    _say("\nВерсии:")
    for argv in (("python3", "--version"), ("psql", "--version"), ("redis-server", "--version"), ("nginx", "-v")):
        if shutil.which(argv[0]):
            result = subprocess.run(argv, capture_output=True, text=True, check=False)
            _say(f"  {(result.stdout or result.stderr).strip().splitlines()[0]}")
        else:
            _say(f"  {argv[0]}: не установлен")
    _say("\nДиск:")
    for path in (context.layout.home, context.layout.data, context.layout.backups):
        target = context.path(path)
        if target.exists():
            usage = shutil.disk_usage(target)
            _say(f"  {path}: свободно {usage.free / 1024**3:.1f} из {usage.total / 1024**3:.1f} ГБ")
    if context.system and shutil.which("nginx"):
        result = subprocess.run(["nginx", "-t"], capture_output=True, text=True, check=False)
        _say(f"\nnginx -t: {'ок' if result.returncode == 0 else result.stderr.strip()}")
    if context.system and context.saved_options().supervisor == "none":
        for log in sorted(Path(context.layout.logs).glob("*.log")):
            _say(f"\nПоследние строки {log}:")
            _say("\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]))
    elif context.system and shutil.which("journalctl"):
        _say("\nПоследние предупреждения и ошибки (journalctl):")
        units = [arg for name in app_units() for arg in ("-u", name)]
        subprocess.run(["journalctl", *units, "-p", "warning", "-n", "40", "--no-pager"], check=False)
    return code


def command_uninstall(context, args):
    """Удалить программу и юниты; данные (база, медиа, настройки, копии) — только с --purge."""
    layout = context.layout
    options = context.saved_options()
    plan = Plan()
    if options.supervisor == "systemd":
        plan.extend(_systemd_removal(layout))
    elif context.system:
        processes_stop(layout=layout)
    plan.add(Run(("rm", "-rf", layout.home), f"Удалить программу {layout.home}"))
    if args.purge:
        if not args.yes and context.system:
            raise InstallerError("--purge удалит базу, медиафайлы и настройки безвозвратно: добавьте --yes.")
        sql = f"DROP DATABASE IF EXISTS {layout.database};\nDROP ROLE IF EXISTS {layout.database};\n"
        plan.add(
            Run(
                database_admin_command(options),
                "Удалить базу и роль",
                stdin=sql,
                check=False,
            )
        )
        plan.add(Run(("rm", "-rf", layout.data, layout.etc), "Удалить медиафайлы и настройки"))
        if layout.system_user:
            plan.add(Run(("userdel", layout.user), f"Удалить пользователя {layout.user}", check=False))
    if context.system or context.dry_run:
        context.executor().execute(plan)
    if not context.dry_run:
        kept = "" if args.purge else f" База, медиафайлы ({layout.data}) и настройки ({layout.etc}) сохранены."
        _say(f"Megashop удалён.{kept} Резервные копии — в {layout.backups}.")
    return 0


def _systemd_removal(layout):
    """Шаги удаления юнитов systemd и сайта nginx."""
    steps = [
        Run(
            ("systemctl", "disable", "--now", "megashop.target", "megashop-backup.timer", *app_units()),
            "Остановить магазин",
            check=False,
        )
    ]
    steps += [Run(("rm", "-f", f"{layout.units}/{name}"), f"Удалить {name}") for name in UNIT_NAMES]
    return [
        *steps,
        Run(("systemctl", "daemon-reload"), "Перечитать юниты systemd", check=False),
        Run(("rm", "-f", layout.nginx_enabled, layout.nginx_site), "Удалить сайт nginx"),
        Run(("systemctl", "reload", "nginx"), "Перечитать nginx", check=False),
    ]


def command_release(context, args):
    """Собрать архив выпуска (с готовой React-админкой) и файл контрольной суммы в --output."""
    bundle = admin_ui_bundle(context.source)
    archive, checksum = release_build(source=context.source, output=Path(args.output), admin_ui_dist=bundle)
    _say(f"Выпуск: {archive}\nКонтрольная сумма: {checksum}")
    return 0


def _prefix_flag(context):
    return f" --prefix {context.prefix}" if context.prefix else ""
