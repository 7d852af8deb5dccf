"""Lesson 04's settings (GITHUB_API_URL, GITHUB_TOKEN, and GITHUB_TIMEOUT from
`seconds_from_environment`): ✓ on our version, and a hint for each typical mistake."""

from __future__ import annotations

import pytest

from checks.workspace_copy import said, unsolve
from workshop import checks

BODY = '''    text = os.environ.get(name, default)
    with suppress(ValueError):  # text that is not a number: refused below
        if 0 < float(text) < math.inf:  # refuses 0, negative numbers, inf and nan
            return float(text)
    raise SystemExit(f"Error: {name} must be a number of seconds above 0, not {text!r}")
'''
# The three settings the student reads, as demo_code has them.
SETTINGS = '''github_api_url = os.environ.get("GITHUB_API_URL", "https://api.github.com")
app.config["GITHUB_API_URL"] = github_api_url.rstrip("/")  # we add the "/" in each URL
app.config["GITHUB_TOKEN"] = os.environ.get("GITHUB_TOKEN", "").strip()  # secret: never print it
'''
URL_LINES = SETTINGS[:SETTINGS.index('app.config["GITHUB_TOKEN"]')]
TOKEN_LINE = SETTINGS.splitlines()[2]
TIMEOUT_LINE = 'app.config["GITHUB_TIMEOUT"] = seconds_from_environment("GITHUB_TIMEOUT", "10")\n'
STOP = '    raise SystemExit(f"Error: {name} must be a number of seconds above 0")\n'


def test_our_version_passes(workspace, capsys):
    checks.settings_from_environment(str(workspace))
    assert said(capsys) == ("✓ GITHUB_API_URL and GITHUB_TOKEN read, with defaults, stripped; "
                            "GITHUB_TIMEOUT: 10 seconds by default, 2.5 when set to 2.5; "
                            "0, -1, nan, inf, ten stop the app with one line naming the setting")


@pytest.mark.parametrize(("attempt", "hint"), [
    ("    ...\n", "seconds_from_environment returned None: replace the `...`"),
    ("    return os.environ.get(name, default)\n", "the timeout is text: float()"),
    ("    return float(os.environ.get(name, default))\n", "GITHUB_TIMEOUT=0 was accepted"),
    ("    seconds = float(os.environ.get(name, default))\n    if seconds > 0:\n"
     "        return seconds\n" + STOP, "GITHUB_TIMEOUT=inf was accepted"),
    ("    seconds = float(os.environ.get(name, default))\n"
     "    if seconds > 0 and seconds != math.inf:\n        return seconds\n" + STOP,
     "GITHUB_TIMEOUT=ten stopped the app with a traceback"),
    ('    text = os.environ.get(name, default)\n    with suppress(ValueError):\n'
     '        if 0 < float(text) < math.inf:\n            return float(text)\n'
     '    raise SystemExit("bad timeout")\n', "one line that names GITHUB_TIMEOUT"),
    ("    return 10.0\n", "with GITHUB_TIMEOUT=2.5 the timeout should be 2.5 seconds"),
])
def test_each_mistake_gets_its_hint(workspace, capsys, attempt, hint):
    unsolve(workspace, "app/__init__.py", BODY, attempt)
    checks.settings_from_environment(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and hint in out, out
    assert "def seconds_from_environment" not in out and "suppress" not in out  # no solution


def test_a_secret_in_the_variable_is_never_shown(workspace, capsys, monkeypatch):
    """A student who read the wrong variable must not see (or store) its value in the output."""
    unsolve(workspace, "app/__init__.py", BODY,
            '    return os.environ.get("GITHUB_TOKEN", "ghp_canary0123456789")\n')
    checks.settings_from_environment(str(workspace))
    assert "ghp_canary" not in said(capsys)


@pytest.mark.parametrize(("solved", "attempt", "hint"), [
    (SETTINGS, "", 'app.config has no "GITHUB_API_URL" yet: read the environment variable'),
    (URL_LINES, 'app.config["GITHUB_API_URL"] = os.environ.get("GITHUB_API_URL")\n',
     'with GITHUB_API_URL unset, app.config["GITHUB_API_URL"] is None: os.environ.get(name, '
     "default)"),
    (URL_LINES, 'app.config["GITHUB_API_URL"] = ...\n', "is still `...`"),
    (URL_LINES, 'app.config["GITHUB_API_URL"] = "https://api.github.com"\n',
     "the app still talks to https://api.github.com: read the variable"),
    (URL_LINES, 'app.config["GITHUB_API_URL"] = os.environ.get("GITHUB_API_URL", '
                '"https://api.github.com")\n', 'ends in "/": our URLs add their own'),
    (URL_LINES, 'app.config["GITHUB_API_URL"] = os.environ.get("GITHUB_API_URL", '
                '"api.github.com").rstrip("/")\n',
     "should be 'https://api.github.com', not 'api.github.com'"),
    (TOKEN_LINE, "", 'app.config has no "GITHUB_TOKEN" yet: read the environment variable'),
    (TOKEN_LINE, 'app.config["GITHUB_TOKEN"] = os.environ.get("GITHUB_TOKEN")',
     'with GITHUB_TOKEN unset, app.config["GITHUB_TOKEN"] is not text'),
    (TOKEN_LINE, 'app.config["GITHUB_TOKEN"] = os.environ.get("GITHUB_TOKEN", "")',
     "the token kept them, and GitHub would refuse it: .strip()"),
    (TOKEN_LINE, 'app.config["GITHUB_TOKEN"] = os.environ.get("TOKEN", "").strip()',
     "is not the variable's value: read the environment variable GITHUB_TOKEN"),
    (TIMEOUT_LINE, "", 'app.config has no "GITHUB_TIMEOUT" yet: below the function'),
    (TIMEOUT_LINE, TIMEOUT_LINE.replace("GITHUB_TIMEOUT\"]", "GITHUB_TIMOUT\"]"),
     'app.config has "GITHUB_TIMOUT", but the setting is named "GITHUB_TIMEOUT"'),
])
def test_each_settings_mistake_gets_its_hint(workspace, capsys, solved, attempt, hint):
    unsolve(workspace, "app/__init__.py", solved, attempt)
    checks.settings_from_environment(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and hint in out, out
    solution = [line.split("  #")[0] for line in (SETTINGS + TIMEOUT_LINE).splitlines()]
    assert not [line for line in solution if line in out]  # never the solution's own line


@pytest.mark.parametrize("line", ["import math\n", "from contextlib import suppress\n"])
def test_a_forgotten_import_is_named(workspace, capsys, line):
    """Lesson 04's students type the two imports: one left out stops the app at its first use."""
    unsolve(workspace, "app/__init__.py", line, "")
    checks.settings_from_environment(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet: the app did not load: NameError") and "is not defined" in out
