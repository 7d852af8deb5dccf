"""No check output holds a secret: conftest.py runs every check test with canary values in
GITHUB_TOKEN, CLASS_SECRET and DB_PASSWORD and greps all it prints; here, the ways a token used
to end up in a notebook (issue 22), each shown as `<GITHUB_TOKEN>` instead."""

from __future__ import annotations

import pytest

from checks.workspace_copy import CANARIES, said, unsolve
from workshop import checks
from workshop.checks import redact

TIMEOUT_LINE = 'float(os.environ.get("GITHUB_TIMEOUT", "10"))'


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
