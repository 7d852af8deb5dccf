"""Checks for lesson 09: tests that catch bugs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from flask import Flask, request

from workshop.checks._core import NotYet, check, step

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
    if not file.is_file():
        raise NotYet(f"there is no {file.as_posix()} yet: run the cells above")
    spec = importlib.util.spec_from_file_location(f"_checked_{file.stem}", file)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(file.resolve().parent))  # the test file imports our `app` package
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(file.resolve().parent))
    function = getattr(module, name, None)
    if not callable(function):
        raise NotYet(f"{file.as_posix()} has no {name} yet: run the cell above")
    return function


@check
def favourites_test(path: str = "workspace/test_app.py") -> str:
    """Lesson 09: the student's favourites test passes on a good app and fails on broken ones."""
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
