"""Shared pieces of the self-checks: the printing decorator, hints, clients, upstream."""


from __future__ import annotations

import functools
import io
from contextlib import contextmanager, redirect_stdout

import requests
from flask import Flask

from workshop.runtime.progress import report_check

OK, NOT_YET = "✓", "not yet:"
EVIL_ORIGIN = "http://evil.example"
XSS_PAYLOAD = "<img src=x onerror=window.pwned=1>"


class NotYet(Exception):
    """The first thing a check found wrong; the message is the hint shown to the student."""


def check(fn):
    """Turn a function that returns what it verified (or raises) into a printing self-check."""

    @functools.wraps(fn)
    def run(*args, **kwargs) -> None:
        passed = False
        try:
            verified = fn(*args, **kwargs)
        except NotYet as hint:
            print(NOT_YET, hint)
        except Exception as error:  # noqa: BLE001 (a check must survive any student code)
            print(NOT_YET, explain(error))
        else:
            passed = True
            print(OK, verified)
        report_check(fn.__name__, passed)  # to the hub's class view, queued; off a hub a no-op

    run.raw = fn  # tests call the unwrapped check to see the exception
    return run


def explain(error: BaseException) -> str:
    """A one-line hint for an exception raised by the student's code."""
    text = (str(error).strip().splitlines() or [""])[0]
    if isinstance(error, TypeError) and "did not return a valid response" in text:
        return ("a view (or error handler) returned None: replace the `...` with a `return` "
                "of a dict, a string or a Response")
    if isinstance(error, requests.RequestException):
        return f"an upstream request failed ({type(error).__name__}); did you add a timeout?"
    return f"your code raised {type(error).__name__}: {text[:160]}"


def client(app: Flask):
    """A test client whose requests let the view's exceptions reach the check."""
    app.testing = True  # exceptions propagate instead of becoming a bare 500
    return app.test_client()


def workspace_app(workspace="workspace") -> Flask:
    """The student's app, imported fresh from `workspace/` (the lessons' files), or NotYet.

    Lesson checks read the files, not a variable in the notebook: a student who edited a file
    but did not reload the app is still checked on what they wrote.
    """
    from workshop.runtime.workspace import load_app

    printed = io.StringIO()
    with redirect_stdout(printed):  # load_app explains a broken file; keep only its first line
        app = load_app(workspace)
    if app is None:
        first = (printed.getvalue().strip().splitlines() or ["no app"])[0]
        raise NotYet(f"the app did not load: {first}")
    return app


def json_of(response, what: str):
    """The JSON body of a test-client or requests response, or NotYet naming `what`."""
    data = response.get_json(silent=True) if hasattr(response, "get_json") else _json(response)
    if data is None:
        kind = response.headers.get("Content-Type", "no Content-Type")
        raise NotYet(f"{what} did not answer JSON (it sent {kind})")
    return data


def _json(response: requests.Response):
    try:
        return response.json()
    except ValueError:
        return None


def expect_status(response, status: int, what: str) -> None:
    """NotYet unless `response` has `status`."""
    code = getattr(response, "status_code", None)
    if code != status:
        raise NotYet(f"{what} answered {code}, expected {status}")


def upstream_url() -> str:
    """The GitHub API the exercises use (the kit's double unless GITHUB_API_URL says otherwise)."""
    from workshop.runtime.github_api import github_api_url

    return github_api_url()


def fresh_upstream() -> str:
    """The GitHub API URL, with the in-process double reset (full rate budget, no fault).

    Students re-run checks many times; without this the double's 60-an-hour budget would run
    out in class and every check would fail for a reason that is not theirs.
    """
    from workshop.runtime.github_api import double

    url = upstream_url()
    control = double()
    if control is not None:
        control.reset()
    return url


@contextmanager
def counting_requests():
    """Count the HTTP requests `requests` sends inside the block (works live or offline)."""
    sent: list[str] = []
    original = requests.Session.send

    def send(session, prepared, **kwargs):
        sent.append(prepared.url)
        return original(session, prepared, **kwargs)

    requests.Session.send = send
    try:
        yield sent
    finally:
        requests.Session.send = original


def workspace_module(name: str, workspace: str = "workspace"):
    """A module of the student's `app` package (e.g. "app.rate_limit"), imported fresh."""
    import importlib
    import sys

    workspace_app(workspace)  # forgets old modules and puts the workspace first on sys.path
    previous, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        return importlib.import_module(name)
    finally:
        sys.dont_write_bytecode = previous


@contextmanager
def quiet_logger(app: Flask):
    """Keep the app's error log (a traceback per crash) out of the check's one-line output."""
    was_disabled, app.logger.disabled = app.logger.disabled, True
    try:
        yield
    finally:
        app.logger.disabled = was_disabled


@contextmanager
def config_set(app: Flask, **values):
    """Set app.config values for the duration of a check, then put the old ones back."""
    missing = object()
    old = {key: app.config.get(key, missing) for key in values}
    app.config.update(values)
    try:
        yield
    finally:
        for key, value in old.items():
            if value is missing:
                app.config.pop(key, None)
            else:
                app.config[key] = value
