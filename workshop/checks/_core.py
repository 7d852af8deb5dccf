"""Shared pieces of the self-checks: the verdict, hints, redaction, clients, upstream."""


from __future__ import annotations

import difflib
import functools
import inspect
import io
import logging
import os
import re
import sys
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from unittest import mock

import requests
from flask import Flask
from flask.testing import FlaskClient

from workshop.checks import _deadline
from workshop.checks._deadline import LOOP_ADVICE, step  # noqa: F401 (used by the checks)
from workshop.runtime.progress import report_check

OK, NOT_YET = "✓", "not yet:"
EVIL_ORIGIN = "http://evil.example"
XSS_PAYLOAD = "<img src=x onerror=window.pwned=1>"
# Environment variables whose values never appear in a check's output (see `redact`).
SECRET_WORDS = ("TOKEN", "SECRET", "PASSWORD")
# Shorter values (an empty token, a flag like "1") would blank out ordinary words in hints.
MIN_SECRET_LENGTH = 6


class NotYet(Exception):
    """The first thing a check found wrong; the message is the hint shown to the student."""


class ServerStarted(BaseException):
    """Student code called app.run() in a check (a BaseException, so load_app lets it through)."""


def check(fn):
    """Turn a function that returns what it verified (or raises) into a printing self-check.

    The function runs in a child process with a deadline per step (see _deadline), so student
    code that loops, sleeps, exits or starts a server cannot hang or end the kernel.
    """

    takes_app = next(iter(inspect.signature(fn).parameters), None) == "app"

    @functools.wraps(fn)
    def run(*args, **kwargs) -> None:
        if takes_app and args and args[0] is None:
            # workshop.load_app() returned None: it printed why; blaming the check would mislead.
            verdict(NOT_YET, "there is no app to check: loading it failed, as the message above "
                             "says; fix that line, then run this cell again")
            report_check(fn.__name__, False)
            return
        upstream_url()  # start the GitHub double here, before the clock and in the kernel
        try:
            (kind, text), printed = _deadline.run(attempt, fn, args, kwargs, scrub=redact)
        except (_deadline.TimedOut, _deadline.Ended) as stuck:
            kind, text, printed = NOT_YET, str(stuck), ""
        if printed:
            print(redact(printed), end="" if printed.endswith("\n") else "\n")
        verdict(kind, text)
        report_check(fn.__name__, kind == OK)  # to the hub's class view, queued; off a hub a no-op

    run.raw = fn  # tests call the unwrapped check to see the exception
    return run


def attempt(fn, args, kwargs) -> tuple[str, str]:
    """Run one check function: (OK, what it verified) or (NOT_YET, a hint). Never raises.

    The text is redacted here too, with the environment the student's code may have changed
    (verdict redacts again with the kernel's).
    """
    kind, text = _attempt(fn, args, kwargs)
    return kind, redact(text)


def _attempt(fn, args, kwargs) -> tuple[str, str]:
    try:
        with mock.patch.object(Flask, "run", _refuse_run):
            return OK, fn(*args, **kwargs)
    except NotYet as hint:
        return NOT_YET, str(hint)
    except ServerStarted as started:
        return NOT_YET, (f"{_where(started)} calls app.run(), which starts a server that never "
                         "returns: remove that line (the lessons serve the app for you)")
    except SystemExit as exit_:
        return NOT_YET, (f"{_where(exit_)} calls sys.exit() (or exit()), which ends the "
                         "program: remove it, a notebook's code must keep running")
    except BaseException as error:  # noqa: BLE001 (a check must survive any student code)
        return NOT_YET, explain(error)


def verdict(kind: str, text: str) -> None:
    """The one place a check's verdict is final: redacted, then printed (OK or NOT_YET)."""
    print(kind, redact(text))


def say(*parts: str) -> None:
    """Print a line of a check's output that is not a single verdict (redacted like one)."""
    print(redact(" ".join(parts)))


def redact(text: str) -> str:
    """`text` with the value of every secret environment variable replaced by `<ITS_NAME>`.

    Checks quote what the student's code produced, and notebooks get shared: a GITHUB_TOKEN
    read from the wrong variable must show up as `<GITHUB_TOKEN>`, never as its value.
    """
    found = {}
    for name, value in os.environ.items():
        if any(word in name.upper() for word in SECRET_WORDS):
            for shown in (value, value.strip()):
                if len(shown) >= MIN_SECRET_LENGTH:
                    found.setdefault(shown, name)
    for value in sorted(found, key=len, reverse=True):  # a longer secret may contain a shorter
        text = text.replace(value, f"<{found[value]}>")
    return text


def _refuse_run(app, *args, **kwargs):
    raise ServerStarted()


def _where(error: BaseException) -> str:
    """`app/__init__.py, line 7`: the deepest frame in the student's own files, or 'your code'."""
    import traceback

    kit = Path(__file__).resolve().parents[1]
    library = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if not _inside(Path(frame.filename), {kit, *library})
              and not frame.filename.startswith("<frozen")]
    if not frames:
        return "your code"
    path = Path(frames[-1].filename)
    parts = path.parts
    # From the workspace's `app` folder on (the last one: the kit itself may live in /app).
    last = len(parts) - 1 - parts[::-1].index("app") if "app" in parts[:-1] else None
    shown = "/".join(parts[last:]) if last is not None else path.name
    return f"{shown}, line {frames[-1].lineno}"


def _inside(path: Path, folders) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(folder) for folder in folders)


def explain(error: BaseException) -> str:
    """A one-line hint for an exception raised by the student's code."""
    text = (str(error).strip().splitlines() or [""])[0]
    if isinstance(error, TypeError) and "did not return a valid response" in text:
        if "returned None" in text:
            return ("a view (or error handler) returned None: replace the `...` with a `return` "
                    "of a dict, a string or a Response")
        returned = re.search(r"but it was a (\w+)", text)
        kind = returned.group(1) if returned else "value"
        if kind == "Response":
            return ("a view returned the requests.Response itself (GitHub's answer as requests "
                    "received it), which Flask cannot send: return the data inside it")
        return (f"a view returned a {kind}, which Flask cannot send: return a dict, a string "
                "or a Response")
    if isinstance(error, requests.exceptions.JSONDecodeError):
        return (f"your code read a body that is not JSON with .json() "
                f"({type(error).__name__}: {text[:120]})")
    if isinstance(error, requests.RequestException):
        return _request_failed(error)
    return f"your code raised {type(error).__name__}: {text[:160]}"


def _request_failed(error: requests.RequestException) -> str:
    """Name the request that failed: to GitHub (an upstream request) or to something else."""
    url = getattr(getattr(error, "request", None), "url", None) or ""
    kind = type(error).__name__
    upstream = os.environ.get("GITHUB_API_URL", "").rstrip("/")
    target = "GitHub" if upstream and url.startswith(upstream) else "a server"
    if isinstance(error, requests.Timeout):
        return (f"a request to {target} ran out of time ({kind}): handle requests.Timeout, or "
                "look for a sleep on the other side")
    if target == "GitHub":
        return f"a request to GitHub failed ({kind}): did your code ask the right URL?"
    return f"a request from your code failed ({kind}): which URL did it ask?"


class StepClient(FlaskClient):
    """A test client that tells the deadline which request runs, so a timeout names it, and
    keeps the exception behind a 500 (`response.crash`), so a hint can name it.

    `situation` (" when GitHub ...") and `advice` adapt the timeout message to a check's setup.
    """

    situation, advice = "", LOOP_ADVICE

    def open(self, *args, **kwargs):
        method = kwargs.get("method", "GET")
        path = args[0] if args and isinstance(args[0], str) else kwargs.get("path", "/")
        step(f"your view did not answer {method} {path}{self.situation}", advice=self.advice)
        crashes = _CrashLog()
        logger = self.application.logger
        logger.filters.insert(0, crashes)  # before quiet_logger's filter, which drops records
        try:
            response = super().open(*args, **kwargs)
        finally:
            logger.removeFilter(crashes)
        response.crash = crashes.error
        return response


class _CrashLog(logging.Filter):
    """Remembers the last exception the app logged (Flask's own 500 log, or a catch-all's)."""

    error: BaseException | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            self.error = record.exc_info[1]
        return True


def client(app: Flask, propagate: bool = True):
    """A test client; with `propagate`, the view's exceptions reach the check (not a bare 500).

    Every request it sends is a step of the deadline, so a stuck view is named by its path.
    """
    if propagate:
        app.testing = True  # exceptions propagate instead of becoming a bare 500
    return StepClient(app, app.response_class, use_cookies=True)


def workspace_app(workspace="workspace") -> Flask:
    """The student's app, imported fresh from `workspace/` (the lessons' files), or NotYet.

    Lesson checks read the files, not a variable in the notebook: a student who edited a file
    but did not reload the app is still checked on what they wrote.
    """
    from workshop.runtime.workspace import load_app

    step("importing your app did not finish",
         advice="look for a loop that never ends or a sleep outside any function")
    printed = io.StringIO()
    with redirect_stdout(printed):  # load_app explains a broken file; keep only its first line
        app = load_app(workspace)
    if app is None:
        raise NotYet(f"the app did not load: {_load_error(printed.getvalue())}")
    return app


# The lines load_app prints about a broken app (workshop.runtime.workspace); other lines are the
# student's own prints during the import, which must not hide the real error.
LOAD_ERRORS = re.compile(r"^(No app yet in |Could not import the app: |\S+ in \S+, line \d+: |"
                         r"\S+/app/__init__.py has no )")


def _load_error(printed: str) -> str:
    lines = printed.strip().splitlines()
    return next((line for line in lines if LOAD_ERRORS.match(line)),
                lines[-1] if lines else "no app")


def json_of(response, what: str):
    """The JSON body of a test-client or requests response, or NotYet naming `what`."""
    data = response.get_json(silent=True) if hasattr(response, "get_json") else _json(response)
    if data is None:
        kind = response.headers.get("Content-Type", "no Content-Type")
        raise NotYet(f"{what} did not answer JSON (it sent {kind})")
    return data


def json_object(response, what: str) -> dict:
    """The JSON object (dict) of a response, or NotYet saying what it sent instead."""
    data = json_of(response, what)
    if not isinstance(data, dict):
        raise NotYet(f"{what} sent a JSON {type(data).__name__} ({brief(data)}), expected an "
                     "object with named fields")
    return data


def brief(value) -> str:
    """repr(value), cut to 60 characters: a hint quotes what it saw, not a whole page."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@contextmanager
def environment_variable(name: str, value: str | None):
    """Set (or, with None, unset) one environment variable inside the block."""
    saved = os.environ.pop(name, None)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        os.environ.pop(name, None)
        if saved is not None:
            os.environ[name] = saved


def config_value(app: Flask, key: str, missing: str = "run the cell that sets it"):
    """app.config[key], or NotYet naming a mistyped key (or saying the key is missing)."""
    defaults = set(Flask.default_config)
    close = difflib.get_close_matches(key, [k for k in app.config if k not in defaults | {key}],
                                      n=1, cutoff=0.75)
    value = app.config.get(key, ...) if key in app.config else None
    if close and (key not in app.config or value is ... or value is None):
        raise NotYet(f'app.config has "{close[0]}", but the setting is named "{key}": '
                     "is the key spelt right?")
    if key not in app.config:
        raise NotYet(f'app.config has no "{key}" yet: {missing}')
    return value


def _json(response: requests.Response):
    try:
        return response.json()
    except ValueError:
        return None


def expect_status(response, status: int, what: str) -> None:
    """NotYet unless `response` has `status`; a 500 names the exception behind it."""
    code = getattr(response, "status_code", None)
    if code != status:
        crash = getattr(response, "crash", None) if code == 500 else None
        cause = f": {explain(crash)}" if crash is not None else ""
        raise NotYet(f"{what} answered {code}, expected {status}{cause}")


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
    # A filter, not `disabled`: StepClient's filter before it still sees the crash.
    drop = logging.Filter(name="\0")  # matches no logger name: every record is dropped
    app.logger.addFilter(drop)
    try:
        yield
    finally:
        app.logger.removeFilter(drop)


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
