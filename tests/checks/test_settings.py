"""Lesson 04's `seconds_from_environment`: ✓ on our version, and a hint for each typical mistake."""

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
STOP = '    raise SystemExit(f"Error: {name} must be a number of seconds above 0")\n'


def test_our_version_passes(workspace, capsys):
    checks.timeout_from_environment(str(workspace))
    assert said(capsys) == ("✓ GITHUB_TIMEOUT: 10 seconds by default, 2.5 when set to 2.5; "
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
    checks.timeout_from_environment(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and hint in out, out
    assert "def seconds_from_environment" not in out and "suppress" not in out  # no solution


def test_a_secret_in_the_variable_is_never_shown(workspace, capsys, monkeypatch):
    """A student who read the wrong variable must not see (or store) its value in the output."""
    unsolve(workspace, "app/__init__.py", BODY,
            '    return os.environ.get("GITHUB_TOKEN", "ghp_canary0123456789")\n')
    checks.timeout_from_environment(str(workspace))
    assert "ghp_canary" not in said(capsys)
