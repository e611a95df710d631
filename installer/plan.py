"""План установки: шаги и исполнитель в трёх режимах (настоящий, --dry-run, --root DIR)."""

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path


class InstallerError(Exception):
    """Ошибка установщика с понятным администратору русским текстом."""


@dataclass(frozen=True)
class WriteFile:
    """Записать файл целиком (только если содержимое или права отличаются)."""

    path: str
    content: str
    mode: int = 0o644
    owner: str = "root"
    group: str = "root"
    redact: tuple[str, ...] = ()

    def shown(self):
        """Вернуть содержимое для печати: значения ключей из redact скрыты."""
        if not self.redact:
            return self.content
        lines = []
        for line in self.content.splitlines():
            key = line.split("=", 1)[0].strip()
            lines.append(f"{key}=********" if "=" in line and key in self.redact else line)
        return "\n".join(lines)


@dataclass(frozen=True)
class MakeDir:
    """Создать каталог с правами и владельцем."""

    path: str
    mode: int = 0o755
    owner: str = "root"
    group: str = "root"


@dataclass(frozen=True)
class Symlink:
    """Направить символьную ссылку path на target (заменив прежнюю)."""

    path: str
    target: str


@dataclass(frozen=True)
class CopyTree:
    """Скопировать каталог исходников source в target, если target ещё нет."""

    source: str
    target: str
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class Run:
    """Выполнить команду.

    unless — проверка: команда пропускается, если проверка успешна (unless_env — добавка к её
    окружению); counts=False — команда выполняется каждый раз и не считается изменением
    (collectstatic, daemon-reload); only_if_changed — выполнить, только если этот запуск уже
    что-то изменил (перезапуск).
    """

    argv: tuple[str, ...]
    description: str
    unless: tuple[str, ...] = ()
    unless_env: tuple[tuple[str, str], ...] = ()
    stdin: str = ""
    env: tuple[tuple[str, str], ...] = ()
    check: bool = True
    counts: bool = True
    only_if_changed: bool = False
    cwd: str = "/"

    def shell(self):
        """Вернуть команду строкой для печати (ввод и окружение не печатаются: там секреты)."""
        text = shlex.join(self.argv)
        if self.unless:
            text = f"{shlex.join(self.unless)} || {text}"
        return text


@dataclass(frozen=True)
class Call:
    """Вызвать функцию Python (ожидание здоровья, запуск процессов) — только в настоящем режиме.

    only_if_changed — как у Run: только если этот запуск уже что-то изменил. Вызов не считается
    изменением.
    """

    function: object
    description: str
    kwargs: tuple[tuple[str, object], ...] = ()
    only_if_changed: bool = False


@dataclass
class Plan:
    """Упорядоченный список шагов."""

    steps: list = field(default_factory=list)

    def add(self, step):
        """Добавить шаг в конец плана и вернуть его."""
        self.steps.append(step)
        return step

    def extend(self, steps):
        """Добавить несколько шагов."""
        self.steps.extend(steps)

    def files(self):
        """Вернуть {путь: шаг WriteFile} — всё, что план запишет."""
        return {step.path: step for step in self.steps if isinstance(step, WriteFile)}

    def commands(self):
        """Вернуть шаги Run по порядку."""
        return [step for step in self.steps if isinstance(step, Run)]


def _lookup_ids(owner, group):
    """Вернуть (uid, gid) по именам или (-1, -1), если пользователя ещё нет (--root)."""
    import grp
    import pwd

    try:
        return pwd.getpwnam(owner).pw_uid, grp.getgrnam(group).gr_gid
    except KeyError:
        return -1, -1


class Executor:
    """Выполнить план: по-настоящему, только напечатать (dry_run) или записать файлы под root.

    changed — список того, что исполнитель изменил: повторный запуск без изменений оставляет
    его пустым (кроме команд, которые выполняются всегда).
    """

    def __init__(self, *, root="/", dry_run=False, out=None, system=None):
        self.root = Path(root)
        self.dry_run = dry_run
        # system — выполнять ли команды; по умолчанию только без --root и --dry-run.
        self.system = (str(self.root) == "/" and not dry_run) if system is None else system
        self.out = out or sys.stdout
        self.changed = []
        # Владельца меняет только root (установка под --prefix от обычного пользователя — без chown).
        self.chown = self.system and os.geteuid() == 0

    def path(self, path):
        """Вернуть путь на диске для системного пути (под --root — внутри каталога)."""
        return self.root / str(path).lstrip("/")

    def say(self, text):
        """Напечатать строку хода установки."""
        print(text, file=self.out, flush=True)

    def execute(self, plan):
        """Выполнить все шаги плана по порядку; вернуть список изменений."""
        for step in plan.steps:
            handler = getattr(self, f"_do_{type(step).__name__.lower()}")
            handler(step)
        return self.changed

    def _do_writefile(self, step):
        target = self.path(step.path)
        data = step.content.encode("utf-8")
        same = target.is_file() and target.read_bytes() == data and (target.stat().st_mode & 0o7777) == step.mode
        if self.dry_run:
            state = "без изменений" if same else "будет записан"
            self.say(f"--- файл {step.path} (права {step.mode:04o}, {step.owner}:{step.group}, {state})")
            self.say(step.shown().rstrip("\n"))
            return
        if same:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        # Сначала права, потом содержимое: секреты ни мгновения не лежат в файле 0644.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, step.mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, step.mode)
        if self.chown:
            uid, gid = _lookup_ids(step.owner, step.group)
            os.chown(temporary, uid, gid)
        os.replace(temporary, target)
        self.changed.append(f"файл {step.path}")
        self.say(f"Записан {step.path}")

    def _do_makedir(self, step):
        target = self.path(step.path)
        if self.dry_run:
            if not target.is_dir():
                self.say(f"$ install -d -m {step.mode:04o} -o {step.owner} -g {step.group} {step.path}")
            return
        if target.is_dir() and (target.stat().st_mode & 0o7777) == step.mode:
            return
        target.mkdir(parents=True, exist_ok=True)
        os.chmod(target, step.mode)
        if self.chown:
            os.chown(target, *_lookup_ids(step.owner, step.group))
        self.changed.append(f"каталог {step.path}")

    def _do_symlink(self, step):
        target = self.path(step.path)
        if target.is_symlink() and os.readlink(target) == step.target:
            return
        if self.dry_run:
            self.say(f"$ ln -sfn {step.target} {step.path}")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.link")
        if temporary.is_symlink():
            temporary.unlink()
        os.symlink(step.target, temporary)
        os.replace(temporary, target)
        self.changed.append(f"ссылка {step.path} → {step.target}")

    def _do_copytree(self, step):
        # Выпуск — не созданный установщиком файл: под --root он не копируется.
        target = self.path(step.target)
        if target.exists() or not (self.system or self.dry_run):
            return
        if self.dry_run:
            self.say(f"$ cp -a {step.source} {step.target}")
            return
        shutil.copytree(step.source, target, symlinks=True, ignore=shutil.ignore_patterns(*step.ignore))
        self.changed.append(f"выпуск {step.target}")
        self.say(f"Скопирован выпуск в {step.target}")

    def _do_run(self, step):
        if not self.system:
            if self.dry_run:
                self.say(f"$ {step.shell()}")
            return
        environment = {**os.environ, **dict(step.env)}
        if step.only_if_changed and not self.changed:
            return
        if step.unless and _quiet(step.unless, {**environment, **dict(step.unless_env)}) == 0:
            return
        self.say(f"→ {step.description}")
        result = subprocess.run(
            step.argv, input=step.stdin or None, text=True, env=environment, cwd=step.cwd, check=False
        )
        if result.returncode != 0 and step.check:
            raise InstallerError(f"Не удалось: {step.description} (код {result.returncode}): {step.shell()}")
        if step.counts:
            self.changed.append(step.description)

    def _do_call(self, step):
        if not self.system:
            if self.dry_run:
                self.say(f"# {step.description}")
            return
        if step.only_if_changed and not self.changed:
            return
        self.say(f"→ {step.description}")
        step.function(**dict(step.kwargs))


def _quiet(argv, environment):
    """Выполнить проверочную команду молча и вернуть код выхода (127 — команды нет)."""
    try:
        return subprocess.run(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment, check=False
        ).returncode
    except FileNotFoundError:
        return 127
