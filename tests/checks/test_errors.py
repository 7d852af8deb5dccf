"""workshop.checks.errors.upstream_failures: fails on the crashing view, passes when fixed."""

from __future__ import annotations

import pytest
import requests
from demo_app import import_demo_app
from flask import Flask, abort

from workshop import checks
from workshop.upstream import github_api_url


def ask_app(variant: str) -> Flask:
    """A one-view app that asks the double for octocat: unfixed, fixed, or with swapped excepts."""
    app = Flask(f"ask_{variant}")
    app.config["GITHUB_TIMEOUT"] = 10

    @app.errorhandler(Exception)
    def as_json(error):
        """JSON for every error, like app/errors.py."""
        code = getattr(error, "code", 500)
        return {"message": getattr(error, "description", "crash")}, code

    @app.get("/users/<user_id>")
    def get_user(user_id):
        """The profile, asked from the double."""
        url, timeout = f"{github_api_url()}/users/{user_id}", app.config["GITHUB_TIMEOUT"]
        if variant == "unfixed":
            return requests.get(url, timeout=timeout).json()
        try:
            return requests.get(url, timeout=timeout).json()
        except requests.Timeout:
            abort(502 if variant == "swapped" else 504, "GitHub did not answer in time.")
        except requests.RequestException:
            abort(502, "Could not connect to GitHub.")

    return app


@pytest.fixture(autouse=True)
def in_process_double(monkeypatch):
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    github_api_url()  # starts the kit's double, whose faults the check injects


def test_the_crashing_view_is_not_yet(capsys):
    checks.upstream_failures(ask_app("unfixed"))
    assert capsys.readouterr().out.startswith("not yet: when GitHub hangs up without an answer, "
                                              "GET /users/octocat still crashes (500)")


def test_catching_timeouts_after_request_exception_is_not_yet(capsys):
    checks.upstream_failures(ask_app("swapped"))
    assert "more specific except must come first" in capsys.readouterr().out


def test_the_fixed_view_and_the_reference_app_pass(capsys):
    checks.upstream_failures(ask_app("fixed"))
    checks.upstream_failures(import_demo_app(GITHUB_API_URL=github_api_url()))
    assert capsys.readouterr().out == (
        "✓ GitHub hanging up → 502, GitHub too slow → 504, each with a JSON message\n" * 2)


def test_a_view_that_asks_github_first_is_not_yet(capsys):
    app = import_demo_app(GITHUB_API_URL=github_api_url())
    names = app.view_functions["get_user"].__globals__  # the routes module's functions

    def skeleton(user_id):
        """The lesson's skeleton: get_user without its check."""
        upstream = names["ask_github"](names["github_url"]("users", user_id))
        return names["jsonify"](names["read_json"](upstream))

    app.view_functions["get_user"] = skeleton
    checks.names_checked(app)
    assert capsys.readouterr().out == (
        "not yet: GET /users/-octocat- answered 404 after asking GitHub: get_user should check "
        "its names before anything else\n")


def test_the_reference_app_checks_every_name(capsys):
    checks.names_checked(import_demo_app(GITHUB_API_URL=github_api_url()))
    assert capsys.readouterr().out.startswith("✓ impossible names get 400 from all four views")
