"""Checks for lesson 09: tests that catch bugs."""

from __future__ import annotations

import importlib.util
import inspect
import sys
import tempfile
from pathlib import Path

from flask import Flask, request
from flask.testing import FlaskClient

from workshop.checks._core import NotYet, brief, check, step

FAVOURITES_TEST = "test_favourites_start_empty_and_keep_one_copy"
# Broken favourites apps a good test must fail on, and what is wrong with each.
FAVOURITES_BUGS = (("missing", "has no /favourites at all: does it assert anything yet?"),
                   ("always-201", "answers 201 Created when the favourite is already stored: "
                                  "what should it assert?"),
                   ("duplicates", "stores the same favourite twice: what should it assert?"))


def _users_app(variant: str) -> Flask:
    """A tiny app whose /users/<user_id> is right ('good') or broken in one way."""
    app = Flask(f"users_{variant}")

    @app.get("/users/<user_id>")
    def user(user_id):
        """octocat exists; everybody else is unknown."""
        if user_id == "octocat" or variant == "always-200":
            return {"login": user_id}
        if variant == "html-404":
            return "<h1>Not Found</h1>", 404
        return {"message": "The requested URL could not be found."}, 404

    return app


@check
def catches_bugs(test_function) -> str:
    """Exercise 14: the student's test passes on a good app and fails on two broken ones."""
    outcomes = {}
    for variant in ("good", "always-200", "html-404"):
        step("your test did not finish")
        try:
            test_function(_test_client(_users_app(variant)))
            outcomes[variant] = "passed"
        except Exception:  # noqa: BLE001 (pytest counts any exception as a failed test)
            outcomes[variant] = "failed"
    if outcomes["good"] != "passed":
        raise NotYet("your test fails on a correct app; check what it asserts")
    for variant, bug in (("always-200", "answers 200 for unknown users"),
                         ("html-404", "answers 404 with HTML instead of JSON")):
        if outcomes[variant] == "passed":
            raise NotYet(f"your test also passes on an app that {bug}; assert more")
    return "passes on the correct app, fails on both broken apps"


def _test_client(app: Flask):
    """A plain test client (the app is ours, the test is the student's: a stuck test is theirs)."""
    app.testing = True  # exceptions propagate instead of becoming a bare 500
    return app.test_client()


def _favourites_app(variant: str) -> Flask:
    """A tiny in-memory /favourites API: right ('good') or broken in one way."""
    app = Flask(f"favourites_{variant}")
    rows = []
    if variant == "missing":
        return app  # every request is a 404

    @app.get("/favourites")
    def list_favourites():
        """All favourites."""
        return {"favourites": rows}

    @app.post("/favourites")
    def add_favourite():
        """Add one; the good app keeps one copy and says 200 for a repeat."""
        body = request.get_json(silent=True) or {}
        known = [row for row in rows if row["user_id"] == body.get("user_id")
                 and row["repo_name"] == body.get("repo_name")]
        if known and variant != "duplicates":
            return known[0], 201 if variant == "always-201" else 200
        rows.append({"id": len(rows) + 1, "user_id": body.get("user_id"),
                     "repo_name": body.get("repo_name")})
        return rows[-1], 201

    return app


def _test_function(path: str, name: str):
    """`name` from the test file at `path`, imported fresh (the student may have just edited it)."""
    file = Path(path)
    function = getattr(_test_module(path), name, None)
    if not callable(function):
        raise NotYet(f"{file.as_posix()} has no {name} yet: run the cell above")
    return function


def _test_module(path: str):
    """The test file at `path` as a module, imported fresh."""
    file = Path(path)
    if not file.is_file():
        raise NotYet(f"there is no {file.as_posix()} yet: run the cells above")
    spec = importlib.util.spec_from_file_location(f"_checked_{file.stem}", file)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(file.resolve().parent))  # the test file imports our `app` package
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(file.resolve().parent))
    return module


@check
def favourites_test(path: str = "workspace/test_app.py") -> str:
    """Lesson 09: the student's favourites test passes on a good app and fails on broken ones."""
    return _favourites_test_catches_bugs(path)


def _favourites_test_catches_bugs(path: str) -> str:
    test = _test_function(path, FAVOURITES_TEST)
    step("your test did not finish")
    try:
        test(_favourites_app("good").test_client())
    except AssertionError:
        raise NotYet("your test fails on a correct app: check what each assert expects") from None
    for variant, bug in FAVOURITES_BUGS:
        try:
            test(_favourites_app(variant).test_client())
        except AssertionError:
            continue
        raise NotYet(f"your test also passes on an app that {bug}")
    return "passes on a correct app, fails on one that says 201 twice and one that keeps duplicates"


NOT_GITHUB = "http://github.invalid"  # the app's GITHUB_API_URL before the fixture runs


def _fixture_function(fixture):
    """The function behind a `@pytest.fixture`, or None for a plain function."""
    from _pytest.fixtures import getfixturemarker

    if getfixturemarker(fixture) is None:
        return None
    if hasattr(fixture, "_get_wrapped_function"):  # pytest 8.4 and later
        return fixture._get_wrapped_function()
    return fixture.__pytest_wrapped__.obj  # pytest 8.3


def _fixture_config(function, folder: Path):
    """Run the student's fixture with a real monkeypatch; (its client's app, the config it saw),
    with the monkeypatch undone afterwards."""
    import pytest

    monkeypatch = pytest.MonkeyPatch()
    step("your client fixture did not finish")
    try:
        result = function(monkeypatch, folder)
        if inspect.isgenerator(result):  # a fixture may `yield` its client
            result = next(result, None)
        if not isinstance(result, FlaskClient):
            raise NotYet(f"your client fixture returns {brief(result)}: return the app's "
                         "test client")
        seen = {key: result.application.config.get(key) for key in ("GITHUB_API_URL", "DATABASE")}
        return result.application, seen
    finally:
        monkeypatch.undo()


def _client_fixture(path: str) -> None:
    """The test file's `client` fixture: the double, a database in tmp_path, both undone after."""
    import pytest

    from workshop import github_api_url

    module = _test_module(path)
    fixture = getattr(module, "client", None)
    if not callable(fixture):
        raise NotYet(f"{Path(path).as_posix()} has no client fixture yet: run the cell that "
                     "writes it")
    function = _fixture_function(fixture)
    if function is None:
        raise NotYet("client is a plain function: mark it with @pytest.fixture, so that pytest "
                     "passes its result to each test that names it")
    app = getattr(module, "app", None)
    with pytest.MonkeyPatch.context() as ours, tempfile.TemporaryDirectory() as folder:
        if isinstance(app, Flask):  # so that we see whether the fixture points it at the double
            ours.setitem(app.config, "GITHUB_API_URL", NOT_GITHUB)
        tested, seen = _fixture_config(function, Path(folder))
        after = {key: tested.config.get(key) for key in seen}  # the monkeypatch undone
        url, database = seen["GITHUB_API_URL"], seen["DATABASE"]
        if url == NOT_GITHUB:
            raise NotYet("your client fixture leaves GITHUB_API_URL as it was: set it to "
                         "github_api_url(), the kit's GitHub double")
        if str(url).rstrip("/") != github_api_url().rstrip("/"):
            raise NotYet(f"your client fixture sets GITHUB_API_URL to {brief(url)}, not the "
                         "kit's double: use github_api_url()")
        if not isinstance(database, (str, Path)) or not Path(database).resolve().is_relative_to(
                Path(folder).resolve()):
            raise NotYet(f"your client fixture's DATABASE is {brief(database)}, a file every test "
                         "would share: put it in tmp_path, the test's own folder")
        if after["DATABASE"] == database or after["GITHUB_API_URL"] == url:
            raise NotYet("after the test, app.config still holds the fixture's settings: change "
                         "them with monkeypatch.setitem, which undoes them after each test")


@check
def tests_written(path: str = "workspace/test_app.py") -> str:
    """Lesson 09: the favourites test catches bugs, and the client fixture isolates each test."""
    _favourites_test_catches_bugs(path)
    _client_fixture(path)
    return ("the favourites test fails on each broken app; the client fixture gives each test "
            "the double and its own database, undone afterwards")
