"""Lesson 04: a setting read at start-up keeps good values and refuses bad ones in one line."""

from __future__ import annotations

from workshop.checks._core import NotYet, check, workspace_app
from workshop.checks.proxying import environment_variable

SETTING = "GITHUB_TIMEOUT"
GOOD = ((None, 10), ("2.5", 2.5))  # (the variable's text, or None for unset; the seconds)
BAD = ("0", "-1", "nan", "inf", "ten")  # each would make every GitHub request fail


def _start(workspace: str, text: str | None):
    """The app started with GITHUB_TIMEOUT=`text`: (app, None), or (None, its SystemExit)."""
    with environment_variable(SETTING, text):
        try:
            return workspace_app(workspace), None
        except SystemExit as stop:  # the refusal we ask for: one line, the app does not start
            return None, stop


def _kept(workspace: str, text: str | None, want: float) -> None:
    where = f"with {SETTING} unset" if text is None else f"with {SETTING}={text}"
    app, stop = _start(workspace, text)
    if stop is not None:
        raise NotYet(f"{where} the app stopped: a good value must be kept")
    value = app.config.get(SETTING)
    if value is None or value is ...:
        raise NotYet("seconds_from_environment returned None: replace the `...` with code that "
                     "returns the number of seconds")
    if isinstance(value, str):  # its text is never shown: a mistyped variable may be a secret
        raise NotYet(f"{where} the timeout is text: float() turns it into a number")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != want:
        raise NotYet(f"{where} the timeout should be {want} seconds")


def _refused(workspace: str, text: str) -> None:
    where = f"{SETTING}={text}"
    try:
        app, stop = _start(workspace, text)
    except NotYet:  # the import failed with a traceback (e.g. float's ValueError)
        raise NotYet(f"{where} stopped the app with a traceback: refuse it with one clear "
                     'line instead, raise SystemExit("Error: ...")') from None
    if stop is None:
        raise NotYet(f"{where} was accepted: a timeout must be a number above 0 and not inf or "
                     'nan; refuse anything else with raise SystemExit("Error: ...")')
    message = str(stop.code)
    if SETTING not in message or "\n" in message.strip():
        raise NotYet(f"the message for {where} should be one line that names {SETTING}")


@check
def timeout_from_environment(workspace: str = "workspace") -> str:
    """Lesson 04: GITHUB_TIMEOUT is seconds (10 by default); 0, -1, nan, inf, text stop the app."""
    for text, want in GOOD:
        _kept(workspace, text, want)
    for text in BAD:
        _refused(workspace, text)
    return (f"{SETTING}: 10 seconds by default, 2.5 when set to 2.5; "
            f"{', '.join(BAD)} stop the app with one line naming the setting")
