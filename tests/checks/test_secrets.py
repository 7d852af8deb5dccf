"""No check output holds a secret: conftest.py runs every check test with canary values in
GITHUB_TOKEN, CLASS_SECRET and DB_PASSWORD and greps all it prints; here, the ways a token used
to end up in a notebook (issue 22), each shown as `<GITHUB_TOKEN>` instead."""

from __future__ import annotations

import inspect
import os
import sqlite3
from contextlib import closing

import pytest
import requests
from flask import Flask

from checks.workspace_copy import CANARIES, said, unsolve
from workshop import checks
from workshop.checks import redact

TIMEOUT_LINE = 'seconds_from_environment("GITHUB_TIMEOUT", "10")'


def test_a_setting_read_from_the_token_variable(workspace, capsys):
    unsolve(workspace, "app/__init__.py", TIMEOUT_LINE, 'os.environ.get("GITHUB_TOKEN", "10")')
    checks.timeout_setting(str(workspace))
    assert said(capsys) == ("not yet: app.config[\"GITHUB_TIMEOUT\"] is the text "
                            "'<GITHUB_TOKEN>', but requests needs a number of seconds")


def test_an_exception_that_quotes_the_token(workspace, capsys):
    unsolve(workspace, "app/__init__.py", TIMEOUT_LINE, 'float(os.environ["GITHUB_TOKEN"])')
    checks.timeout_setting(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet: the app did not load: ValueError in ") and out.endswith(
        "could not convert string to float: '<GITHUB_TOKEN>'"), out


def test_code_that_prints_the_token_then_raises(workspace, capsys):
    init = workspace / "app" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8") + '\nprint("token is", '
                    'app.config["GITHUB_TOKEN"])\nraise RuntimeError("the real error")\n',
                    encoding="utf-8")
    checks.timeout_setting(str(workspace))
    out = said(capsys)
    # The real error is named (not the print), and the print never shows the token.
    assert out.startswith("not yet: the app did not load: RuntimeError in ") and out.endswith(
        ": the real error"), out


def test_a_view_that_prints_the_token(tmp_path, capsys):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text(
        'import os\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/")\n'
        'def render_home():\n    print("using", os.environ["GITHUB_TOKEN"])\n'
        '    return "Hello from Flask!"\n', encoding="utf-8")
    checks.home_page(str(tmp_path))
    assert said(capsys) == ("using <GITHUB_TOKEN>\n"
                            "✓ GET / answered 200 with the text 'Hello from Flask!'")


@pytest.mark.parametrize("name", sorted(CANARIES))
def test_every_secret_variable_is_redacted_by_name(name):
    assert redact(f"x {CANARIES[name]} y") == f"x <{name}> y"


def test_short_values_and_ordinary_variables_stay(monkeypatch):
    monkeypatch.setenv("EMPTY_TOKEN", "1")
    monkeypatch.setenv("GITHUB_TIMEOUT", "2.5")
    assert redact("1 retry, 2.5 s") == "1 retry, 2.5 s"


def test_a_secret_the_app_loads_itself_is_redacted_too(tmp_path, capsys):
    # As python-dotenv would: the secret exists only in the check's process, after the import.
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text(
        'import os\nos.environ["API_SECRET"] = "loaded-from-a-dotenv-file"\n'
        'raise RuntimeError("bad key " + os.environ["API_SECRET"])\n', encoding="utf-8")
    checks.home_page(str(tmp_path))
    out = said(capsys)
    assert "loaded-from-a-dotenv-file" not in out and out.endswith("bad key <API_SECRET>"), out


def test_a_secret_the_app_loads_and_prints_is_redacted(tmp_path, capsys):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text(
        'import os\nfrom flask import Flask\n\nos.environ["API_SECRET"] = "loaded-from-a-file"\n'
        'app = Flask(__name__)\n\n\n@app.route("/")\ndef render_home():\n'
        '    print("using", os.environ["API_SECRET"])\n    return "Hello from Flask!"\n',
        encoding="utf-8")
    checks.home_page(str(tmp_path))
    assert said(capsys) == ("using <API_SECRET>\n"
                            "✓ GET / answered 200 with the text 'Hello from Flask!'")


# --- every check, fed answers that put the token in what it reports -------------------------

def leaky_app() -> Flask:
    """An app whose every view (and the async `profile`) fails with the token in its message."""
    app = Flask("leaky")
    token = os.environ["GITHUB_TOKEN"]

    def leak(**_):
        raise ValueError(f"bad token {token}")

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    app.add_url_rule("/", "home", leak, methods=methods)
    app.add_url_rule("/<path:rest>", "anything", leak, methods=methods)

    async def profile(user_id):
        leak()

    app.add_url_rule("/users/<user_id>/profile", "profile", profile)
    return app


def leak(*args, **kwargs):
    raise ValueError(f"bad token {os.environ['GITHUB_TOKEN']}")


def leaky_arguments(name: str, tmp_path):
    """A typical wrong answer for the parameter `name`, one that quotes the token."""
    token = os.environ["GITHUB_TOKEN"]
    if name == "workspace":
        (tmp_path / "app").mkdir(exist_ok=True)
        (tmp_path / "app" / "__init__.py").write_text(
            'import os\nraise RuntimeError("bad token " + os.environ["GITHUB_TOKEN"])\n',
            encoding="utf-8")
        return str(tmp_path)
    if name == "path":
        test_file = tmp_path / "test_app.py"
        test_file.write_text('import os\n\n\ndef test_favourites_start_empty_and_keep_one_copy('
                             'client):\n    raise ValueError(os.environ["GITHUB_TOKEN"])\n',
                             encoding="utf-8")
        return str(test_file)
    if name == "answer":
        answer = requests.Response()
        answer.request = requests.Request("OPTIONS", "http://127.0.0.1:9/", headers={
            "Origin": "http://localhost:5001", "Access-Control-Request-Method": token}).prepare()
        return answer
    if name == "sql":
        return f"SELECT repo_name FROM favourite WHERE {token} = ?"
    if name == "database":
        database = tmp_path / "favourites.sqlite3"
        with closing(sqlite3.connect(database)) as db:
            db.execute("CREATE TABLE favourite (id INTEGER PRIMARY KEY, user_id, repo_name)")
            db.execute("INSERT INTO favourite (user_id, repo_name) VALUES ('octocat', 'x')")
            db.commit()
        return str(database)
    return {"app": leaky_app(), "origin": token, "javascript": f"// {token}"}.get(name, leak)


CHECKS = sorted(name for name in dir(checks) if hasattr(getattr(checks, name), "raw"))


@pytest.mark.parametrize("name", [*CHECKS, "fix_the_original"])
def test_no_check_prints_the_token_of_a_wrong_answer(name, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_API_URL", raising=False)  # fix_the_original wants the double
    check = getattr(checks, name)
    parameters = inspect.signature(getattr(check, "raw", check)).parameters
    check(*[leaky_arguments(parameter, tmp_path) for parameter in parameters])
    out = said(capsys)  # fails if the token (or another canary) is in it
    assert "not yet" in out, out
    if name not in QUOTE_NOTHING:  # the wrong answer's message is quoted, token redacted
        assert "<GITHUB_TOKEN>" in out, out


# Checks whose first hint for these answers does not quote the student's message at all
# (hello_route's app runs behind a real server, whose log keeps the exception).
QUOTE_NOTHING = {"catches_bugs", "concurrent_profile", "hello_route", "xss_safe"}
