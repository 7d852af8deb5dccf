"""Checks for lesson 09: tests that catch bugs."""

from __future__ import annotations

from flask import Flask

from workshop.checks._core import NotYet, check, client


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
        try:
            test_function(client(_users_app(variant)))
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
