"""Исполнитель плана: проверки unless, перезапуск только после изменений, ошибки команд, права файлов."""

import io
import stat

import pytest

from installer.plan import Executor, InstallerError, Plan, Run, Symlink, WriteFile


def _executor(tmp_path, **kwargs):
    return Executor(root=tmp_path, out=io.StringIO(), system=True, **kwargs)


def test_unless_skips_and_failed_check_runs(tmp_path):
    marker = tmp_path / "ran"
    plan = Plan(
        [
            Run(("touch", str(marker)), "не нужно", unless=("true",)),
            Run(("sh", "-c", f"echo -n done > {marker}"), "нужно", unless=("test", "-e", str(marker))),
        ]
    )
    assert _executor(tmp_path).execute(plan) == ["нужно"]
    assert marker.read_text() == "done"


def test_only_if_changed_runs_after_a_change_and_not_on_a_clean_rerun(tmp_path):
    log = tmp_path / "restarts"
    plan = Plan(
        [
            WriteFile("/etc/app.conf", "a=1\n", 0o640),
            Run(("sh", "-c", f"echo restart >> {log}"), "перезапуск", only_if_changed=True),
            Run(("true",), "всегда", counts=False),
        ]
    )
    assert _executor(tmp_path).execute(plan) == ["файл /etc/app.conf", "перезапуск"]
    assert _executor(tmp_path).execute(plan) == []
    assert log.read_text() == "restart\n"
    assert stat.S_IMODE((tmp_path / "etc/app.conf").stat().st_mode) == 0o640


def test_mode_change_alone_rewrites_the_file(tmp_path):
    _executor(tmp_path).execute(Plan([WriteFile("/etc/secret.env", "K=v\n", 0o644)]))
    changed = _executor(tmp_path).execute(Plan([WriteFile("/etc/secret.env", "K=v\n", 0o600)]))
    assert changed == ["файл /etc/secret.env"]
    assert stat.S_IMODE((tmp_path / "etc/secret.env").stat().st_mode) == 0o600


def test_failed_command_stops_with_its_description(tmp_path):
    plan = Plan([Run(("sh", "-c", "exit 3"), "Создать базу"), Run(("touch", str(tmp_path / "after")), "после")])
    with pytest.raises(InstallerError, match=r"Не удалось: Создать базу \(код 3\)"):
        _executor(tmp_path).execute(plan)
    assert not (tmp_path / "after").exists()


def test_stdin_cwd_and_environment_reach_the_command(tmp_path):
    out = tmp_path / "out"
    script = f'read line; echo "$line $PWD $GREETING" > {out}'
    plan = Plan([Run(("sh", "-c", script), "ввод", stdin="пароль\n", cwd=str(tmp_path), env=(("GREETING", "hi"),))])
    _executor(tmp_path).execute(plan)
    assert out.read_text() == f"пароль {tmp_path} hi\n"


def test_symlink_is_switched_atomically_and_idempotently(tmp_path):
    executor = _executor(tmp_path)
    assert executor.execute(Plan([Symlink("/opt/app/current", "/opt/app/releases/1")])) == [
        "ссылка /opt/app/current → /opt/app/releases/1"
    ]
    assert _executor(tmp_path).execute(Plan([Symlink("/opt/app/current", "/opt/app/releases/1")])) == []
    _executor(tmp_path).execute(Plan([Symlink("/opt/app/current", "/opt/app/releases/2")]))
    assert str((tmp_path / "opt/app/current").readlink()) == "/opt/app/releases/2"


def test_root_mode_runs_no_command(tmp_path):
    plan = Plan([Run(("touch", str(tmp_path / "never")), "команда")])
    assert Executor(root=tmp_path, out=io.StringIO()).execute(plan) == []
    assert not (tmp_path / "never").exists()
