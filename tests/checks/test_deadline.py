"""workshop.checks._deadline: student code that sleeps, loops, exits or starts a server gets a
hint naming the cause, and the check (and so the kernel) goes on."""

from __future__ import annotations

import os

import pytest

from checks.workspace_copy import said
from workshop import checks
from workshop.checks import _deadline

APP = 'from flask import Flask\n\napp = Flask(__name__)\n'
VIEW = '\n\n@app.route("/")\ndef render_home():\n    """A first answer."""\n'


@pytest.fixture(autouse=True)
def short_deadline(monkeypatch):
    # The hanging cases wait for the whole deadline: keep it short (the message says how long).
    monkeypatch.setattr(_deadline, "DEADLINE", 2.0)


def workspace(tmp_path, code: str) -> str:
    (tmp_path / "app").mkdir(parents=True)
    (tmp_path / "app" / "__init__.py").write_text(APP + code, encoding="utf-8")
    return str(tmp_path)


@pytest.mark.parametrize(("body", "name"), [
    ("    import time\n    time.sleep(3600)\n", "sleep"),
    ("    while True:\n        pass\n", "while True"),
])
def test_a_view_that_never_answers_is_named(tmp_path, capsys, body, name):
    # Other test files in this worker may have left processes of their own running.
    before = set(_children())
    checks.home_page(workspace(tmp_path / "stuck", VIEW + body))
    assert said(capsys) == ("not yet: your view did not answer GET / within 2 s: look for a loop "
                            "that never ends or a sleep"), name
    # The stuck child was killed and reaped: the next check in this process runs and passes.
    assert not set(_children()) - before
    checks.home_page(workspace(tmp_path / "fine", VIEW + '    return "Hello from Flask!"\n'))
    assert said(capsys) == "✓ GET / answered 200 with the text 'Hello from Flask!'"


def _children() -> list[str]:
    """This process's child processes (Linux; elsewhere an empty list)."""
    try:
        return open(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read().split()
    except OSError:
        return []


def test_a_loop_at_import_is_named(tmp_path, capsys):
    checks.home_page(workspace(tmp_path, "while True:\n    pass\n"))
    assert said(capsys).startswith("not yet: importing your app did not finish within 2 s")


def test_app_run_at_import_is_named_at_once(tmp_path, capsys):
    code = VIEW + '    return "Hello from Flask!"\n\n\napp.run(port=5000)\n'
    checks.home_page(workspace(tmp_path, code))
    out = said(capsys)
    assert out.startswith("not yet: the app did not load: RuntimeError in ") and out.endswith(
        "/app/__init__.py, line 12: app.run() starts a server that never returns, so the kernel "
        "would wait forever: remove it (the lessons serve the app with workshop.serve)"), out


def test_app_run_anywhere_else_is_named_too(tmp_path, capsys):
    code = VIEW + "    app.run()\n"
    checks.home_page(workspace(tmp_path, code))
    assert said(capsys) == ("not yet: app/__init__.py, line 9 calls app.run(), which starts a "
                            "server that never returns: remove that line (the lessons serve the "
                            "app for you)")


def test_sys_exit_at_import_is_named(tmp_path, capsys):
    checks.home_page(workspace(tmp_path, "import sys\n\nsys.exit('bye')\n"))
    assert said(capsys) == ("not yet: app/__init__.py, line 6 calls sys.exit() (or exit()), "
                            "which ends the program: remove it, a notebook's code must keep "
                            "running")


def test_a_process_that_dies_is_named(tmp_path, capsys):
    checks.home_page(workspace(tmp_path, "import os\n\nos._exit(3)\n"))
    assert said(capsys) == ("not yet: your code ended the check's process (os._exit() or a "
                            "crash?)")


def test_a_sleeping_view_is_not_called_an_upstream_failure(capsys):
    # Exercise 01's check sends real HTTP to a served app: its own request must not be blamed
    # on GitHub when the view is the one that sleeps.
    from flask import Flask

    app = Flask("sleepy")

    @app.get("/hello/<name>")
    def hello(name):
        import time

        time.sleep(3600)

    checks.hello_route(app)
    assert said(capsys) == ("not yet: your view did not answer GET /hello/Ada within 2 s: look "
                            "for a loop that never ends or a sleep")


def test_without_fork_a_thread_keeps_the_deadline(tmp_path, capsys, monkeypatch):
    # Windows has no fork: the check runs in a thread, and says the stuck code stays behind.
    monkeypatch.delattr(os, "fork")
    checks.home_page(workspace(tmp_path, VIEW + "    import time\n    time.sleep(4)\n"))
    assert said(capsys) == ("not yet: your view did not answer GET / within 2 s: look for a loop "
                            "that never ends or a sleep (it keeps running in the background "
                            "until you restart the kernel)")


def test_a_request_without_timeout_is_named_when_github_hangs(capsys, monkeypatch):
    # The child is killed while the kernel's double hangs on purpose: the double must be reset,
    # or the student's next cell would hang too.
    import requests
    from flask import Flask

    from workshop.runtime.github_api import double, github_api_url

    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    app = Flask("no_timeout")
    app.register_error_handler(requests.Timeout, lambda error: ({"message": "slow"}, 504))
    app.register_error_handler(requests.RequestException, lambda error: ({"message": "no"}, 502))

    @app.get("/users/<user_id>")
    def get_user(user_id):
        return requests.get(f"{github_api_url()}/users/{user_id}").json()  # no timeout=

    checks.upstream_failures(app)
    assert said(capsys) == ("not yet: your view did not answer GET /users/octocat when GitHub "
                            "does not answer in time within 2 s: does every request to GitHub "
                            "pass timeout=? Else look for a loop that never ends or a sleep")
    assert double().settings.fault is None
