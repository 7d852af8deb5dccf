"""kit.py without side effects: usage, command wiring, and which Python it picks.

Nothing here creates a virtual environment or runs pip: `run` and `venv` are replaced.
"""

from __future__ import annotations

import hashlib
import sys

import pytest
from kit_module import load_kit


@pytest.fixture
def kit():
    return load_kit()


@pytest.fixture
def no_install(kit, monkeypatch):
    """Record what kit.py would run or create instead of doing it."""
    calls = []
    monkeypatch.setattr(kit, "run", lambda cmd, **kw: calls.append([str(c) for c in cmd]) or 0)
    monkeypatch.setattr(kit.venv, "EnvBuilder", lambda **kw: pytest.fail("would create a venv"))
    return calls


@pytest.mark.parametrize("argv", [[], ["nonsense"], ["--help"]])
def test_main_without_a_command_prints_usage(kit, no_install, capsys, argv):
    assert kit.main(argv) == 2
    out = capsys.readouterr().out
    for command in ("python kit.py lab", "python kit.py test", "python kit.py doctor",
                    "python kit.py bench"):
        assert command in out
    assert no_install == []


def test_commands_run_the_kit_parts(kit, no_install, monkeypatch):
    monkeypatch.setattr(kit, "ensure_environment", lambda: "/env/python")
    kit.main(["doctor", "--for-tests"])
    kit.main(["test", "-q"])
    kit.main(["bench"])
    assert no_install == [["/env/python", "-m", "workshop", "doctor", "--for-tests"],
                          ["/env/python", "-m", "pytest", "-q"],
                          ["/env/python", "-m", "workshop", "bench"]]


def test_lab_opens_the_first_lesson_on_localhost(kit, no_install, monkeypatch):
    cmd = kit.lab_command("/env/python", ["--no-browser"])
    assert cmd[:5] == ["/env/python", "-m", "jupyter", "lab", "notebooks/00-start-here.ipynb"]
    assert "--ServerApp.ip=127.0.0.1" in cmd and cmd[-1] == "--no-browser"
    monkeypatch.setattr(kit, "ensure_environment", lambda: "/env/python")
    kit.main(["lab", "--no-browser"])
    assert no_install == [cmd]  # `kit.py lab` runs exactly the command the tests start
    monkeypatch.setattr(kit.os, "geteuid", lambda: 0, raising=False)
    assert "--allow-root" in kit.lab_command("/env/python", [])
    monkeypatch.setattr(kit.os, "geteuid", lambda: 1000, raising=False)
    assert "--allow-root" not in kit.lab_command("/env/python", [])


def in_env(monkeypatch, kit, prefix, base="/usr", conda=None):
    monkeypatch.setattr(kit.sys, "prefix", str(prefix))
    monkeypatch.setattr(kit.sys, "base_prefix", base)
    if conda:
        monkeypatch.setenv("CONDA_PREFIX", conda)
    else:
        monkeypatch.delenv("CONDA_PREFIX", raising=False)


def test_active_env_with_the_kit_is_used(kit, no_install, monkeypatch, tmp_path):
    in_env(monkeypatch, kit, tmp_path / "other-venv")  # a venv that is not the kit's .venv
    assert kit.active_env_has_kit()
    assert kit.ensure_environment() == sys.executable
    assert no_install == []


def test_active_conda_env_with_the_kit_is_used(kit, no_install, monkeypatch, tmp_path):
    in_env(monkeypatch, kit, tmp_path / "conda", base=str(tmp_path / "conda"),
           conda=str(tmp_path / "conda"))
    assert kit.ensure_environment() == sys.executable


def test_no_active_env_means_the_kit_venv(kit, monkeypatch, tmp_path):
    in_env(monkeypatch, kit, "/usr", base="/usr")
    assert not kit.active_env_has_kit()
    in_env(monkeypatch, kit, kit.VENV)  # running from the kit's own .venv is not "another env"
    assert not kit.active_env_has_kit()


def test_active_env_without_flask_is_not_used(kit, monkeypatch, tmp_path):
    in_env(monkeypatch, kit, tmp_path / "bare-venv")
    monkeypatch.setitem(sys.modules, "flask", None)  # `import flask` now fails
    assert not kit.active_env_has_kit()


def fake_kit_root(kit, monkeypatch, tmp_path, stamp: str | None):
    """Point kit.py at a copy of the repo layout with an existing .venv python."""
    monkeypatch.setattr(kit, "active_env_has_kit", lambda: False)
    monkeypatch.setattr(kit, "ROOT", tmp_path)
    monkeypatch.setattr(kit, "VENV", tmp_path / ".venv")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'flask-live'\n")
    python = kit.venv_python()
    python.parent.mkdir(parents=True)
    python.write_text("")
    if stamp is not None:
        (tmp_path / ".venv" / ".kit-installed").write_text(stamp)
    return python


def test_up_to_date_venv_is_used_without_installing(kit, no_install, monkeypatch, tmp_path):
    wanted = hashlib.sha256(b"[project]\nname = 'flask-live'\n").hexdigest()
    python = fake_kit_root(kit, monkeypatch, tmp_path, stamp=wanted)
    assert kit.ensure_environment() == str(python)
    assert no_install == []


def test_changed_pyproject_reinstalls_and_restamps(kit, no_install, monkeypatch, tmp_path):
    python = fake_kit_root(kit, monkeypatch, tmp_path, stamp="old")
    assert kit.ensure_environment() == str(python)
    assert [cmd[3:5] for cmd in no_install] == [["install", "--quiet"]] * 2
    assert no_install[-1][-1] == f"{tmp_path}[test]"
    wanted = hashlib.sha256((tmp_path / "pyproject.toml").read_bytes()).hexdigest()
    assert (tmp_path / ".venv" / ".kit-installed").read_text() == wanted


def test_skip_install_uses_the_venv_even_when_stale(kit, no_install, monkeypatch, tmp_path):
    python = fake_kit_root(kit, monkeypatch, tmp_path, stamp="old")
    monkeypatch.setenv("KIT_SKIP_INSTALL", "1")
    assert kit.ensure_environment() == str(python)
    assert no_install == []
