"""Lesson 04: settings read at start-up: where GitHub is, our token, and a timeout that keeps
good values and refuses bad ones in one line."""

from __future__ import annotations

from unittest import mock

from workshop.checks._core import (
    NotYet,
    check,
    config_value,
    environment_variable,
    workspace_app,
)
from workshop.runtime import workspace as runtime_workspace

GITHUB = "https://api.github.com"
# (the variable's text, or None for unset; the setting). A double's address ends in "/" here:
# our URLs add their own, so the setting must not.
API_URLS = ((None, GITHUB), ("http://127.0.0.1:5999/", "http://127.0.0.1:5999"))
# A token pasted with a space and a newline; its value is never shown, not even redacted.
TOKENS = ((None, ""), (" ghp_check0123456789abcdef\n", "ghp_check0123456789abcdef"))
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
    value = config_value(app, SETTING, missing="below the function, set it to what "
                         "seconds_from_environment returns for GITHUB_TIMEOUT")
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


def _read(folder: str, name: str, text: str | None):
    """app.config[name] with the environment variable `name` set to `text` (None: unset)."""
    # load_app points an unset GITHUB_API_URL at the double first: here it must stay unset.
    unset_stays_unset = mock.patch.object(runtime_workspace, "github_api_url", str)
    with environment_variable(name, text), unset_stays_unset:
        app = workspace_app(folder)
    return config_value(app, name, missing=f"read the environment variable {name} into it")


def _api_url(workspace: str) -> None:
    name = "GITHUB_API_URL"
    for text, want in API_URLS:
        value = _read(workspace, name, text)
        where = f"with {name} unset" if text is None else f"with {name}={text}"
        if value is ... or value is None:
            shown = "still `...`" if value is ... else "None"
            raise NotYet(f'{where}, app.config["{name}"] is {shown}: os.environ.get(name, '
                         "default) gives the variable's text, or the default when it is unset")
        if text is not None and value == GITHUB:
            raise NotYet(f"{where} the app still talks to {GITHUB}: read the variable, "
                         "with GitHub's address only as the default")
        if isinstance(value, str) and value == want + "/":
            raise NotYet(f'{where}, app.config["{name}"] ends in "/": our URLs add their own '
                         '"/", so strip it with .rstrip("/")')
        if value != want:
            raise NotYet(f'{where}, app.config["{name}"] should be {want!r}, not {value!r}')


def _token(workspace: str) -> None:
    name = "GITHUB_TOKEN"
    for text, want in TOKENS:
        value = _read(workspace, name, text)
        where = f"with {name} unset" if text is None else f"with {name} set"
        # Never quote the value: it is a secret (or, read from a wrong variable, another one).
        if value == want:
            continue
        if not isinstance(value, str):
            raise NotYet(f'{where}, app.config["{name}"] is not text: an unset token is the '
                         'empty text, "" (give os.environ.get that default)')
        if value.strip() == want:
            raise NotYet(f"{where} to a value with a space and a newline around it, the token "
                         "kept them, and GitHub would refuse it: .strip() them off")
        raise NotYet(f'{where}, app.config["{name}"] is not the variable\'s value: read the '
                     f"environment variable {name}")


@check
def settings_from_environment(workspace: str = "workspace") -> str:
    """Lesson 04: GITHUB_API_URL and GITHUB_TOKEN read with defaults and stripped;
    GITHUB_TIMEOUT is seconds (10 by default); 0, -1, nan, inf, text stop the app."""
    _api_url(workspace)
    _token(workspace)
    for text, want in GOOD:
        _kept(workspace, text, want)
    for text in BAD:
        _refused(workspace, text)
    return ("GITHUB_API_URL and GITHUB_TOKEN read, with defaults, stripped; "
            f"{SETTING}: 10 seconds by default, 2.5 when set to 2.5; "
            f"{', '.join(BAD)} stop the app with one line naming the setting")
