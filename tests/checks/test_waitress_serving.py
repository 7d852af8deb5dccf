"""workshop.checks.deploying.waitress_serving: lesson 10's your-turn, DATABASE from the
environment and then waitress started on a free port with a DATABASE of its own."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys

import pytest
from conftest import ROOT

from checks.test_deploying import workspace_copy
from checks.workspace_copy import heard
from workshop import checks
from workshop.checks import deploying


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """start(command_tail, env) runs a server in the workspace; all are stopped afterwards."""
    folder = workspace_copy(tmp_path)
    shutil.copy(ROOT / "demo_code" / "server.py", folder / "server.py")
    processes = []

    def start(args, env):
        processes.append(subprocess.Popen([sys.executable, *args], cwd=folder, env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        return folder

    yield folder, start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def settings_in(tmp_path) -> dict:
    (tmp_path / "fresh").mkdir()
    return {"DATABASE": str(tmp_path / "fresh" / "favourites.sqlite3")}


def waitress(port) -> list[str]:
    return ["-m", "waitress", f"--listen=127.0.0.1:{port}", "server:app"]


def test_the_skeleton_is_not_yet(tmp_path, capsys):
    folder = workspace_copy(tmp_path, 'app.config["DATABASE"] = ...')
    checks.waitress_serving(free_port(), ..., str(folder))
    assert heard(capsys).startswith("not yet: with the DATABASE environment variable")


def test_the_solution_passes(tmp_path, capsys, served):
    folder, start = served
    port, settings = free_port(), settings_in(tmp_path)
    start(waitress(port), {**os.environ, **settings})
    checks.waitress_serving(port, settings, str(folder))
    assert heard(capsys).startswith("✓ DATABASE from the environment; waitress serves the app")


def test_settings_still_a_skeleton_is_named(tmp_path, capsys):
    checks.waitress_serving(free_port(), ..., str(workspace_copy(tmp_path)))
    assert heard(capsys).startswith("not yet: settings is Ellipsis: make it a dict whose DATABASE")


def test_no_server_is_named(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(deploying, "SERVER_WAIT", 0.5)
    checks.waitress_serving(free_port(), settings_in(tmp_path), str(workspace_copy(tmp_path)))
    assert heard(capsys).startswith("not yet: nothing answered on port ")


def test_the_development_server_is_named(tmp_path, capsys, served):
    folder, start = served
    port, settings = free_port(), settings_in(tmp_path)
    start(["server.py"], {**os.environ, **settings, "PORT": str(port)})
    checks.waitress_serving(port, settings, str(folder))
    out = heard(capsys)
    assert out.startswith("not yet: the server on that port says 'Werkzeug/"), out
    assert "not waitress" in out


def test_a_server_without_the_settings_is_named(tmp_path, capsys, served):
    folder, start = served
    port, settings = free_port(), settings_in(tmp_path)
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE"}
    start(waitress(port), environment)  # the settings forgotten: the instance folder's file
    checks.waitress_serving(port, settings, str(folder))
    assert heard(capsys).startswith("not yet: waitress answers, but not from settings' DATABASE")


def test_the_wrong_module_is_named(tmp_path, capsys, served):
    folder, start = served
    port, settings = free_port(), settings_in(tmp_path)
    (folder / "hello.py").write_text("def app(environ, start_response):\n"
                                     "    start_response('404 Not Found', [])\n"
                                     "    return [b'']\n", encoding="utf-8")
    start(["-m", "waitress", f"--listen=127.0.0.1:{port}", "hello:app"],
          {**os.environ, **settings})
    checks.waitress_serving(port, settings, str(folder))
    assert heard(capsys).startswith("not yet: waitress answered GET /favourites with 404")
