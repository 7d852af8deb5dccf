"""workshop.checks.errors: not yet on the crashing or unchecked app, ✓ when fixed."""

from __future__ import annotations

import pytest
import requests
from demo_app import import_demo_app
from flask import Flask, abort

from checks.workspace_copy import heard
from workshop import checks
from workshop.upstream import github_api_url


def ask_app(variant: str) -> Flask:
    """A one-view app that asks the double for octocat: unfixed, with the lesson's two error
    handlers ("handlers"), with only the RequestException one ("one handler"), or with
    try/except in the view ("except", another right answer)."""
    app = Flask(f"ask_{variant.replace(' ', '_')}")
    app.config["GITHUB_TIMEOUT"] = 10

    @app.errorhandler(Exception)
    def as_json(error):
        """JSON for every error, like app/errors.py."""
        code = getattr(error, "code", 500)
        return {"message": getattr(error, "description", "crash")}, code

    if variant == "handlers":
        app.register_error_handler(requests.Timeout, lambda error: ({"message": "slow"}, 504))
    if variant in ("handlers", "one handler"):
        app.register_error_handler(requests.RequestException,
                                   lambda error: ({"message": "no answer"}, 502))

    @app.get("/users/<user_id>")
    def get_user(user_id):
        """The profile, asked from the double."""
        url, timeout = f"{github_api_url()}/users/{user_id}", app.config["GITHUB_TIMEOUT"]
        if variant != "except":
            return requests.get(url, timeout=timeout).json()
        try:
            return requests.get(url, timeout=timeout).json()
        except requests.Timeout:
            abort(504, "GitHub did not answer in time.")
        except requests.RequestException:
            abort(502, "Could not connect to GitHub.")

    return app


@pytest.fixture(autouse=True)
def in_process_double(monkeypatch):
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    github_api_url()  # starts the kit's double, whose faults the check injects


def test_the_crashing_view_is_not_yet(capsys):
    checks.upstream_failures(ask_app("unfixed"))
    assert heard(capsys).startswith("not yet: when GitHub hangs up without an answer, "
                                              "GET /users/octocat still crashes (500)")


def test_a_timeout_handled_as_any_request_exception_is_not_yet(capsys):
    checks.upstream_failures(ask_app("one handler"))
    assert "needs a handler of its own (504)" in heard(capsys)


def test_the_fixed_view_and_the_reference_app_pass(capsys):
    checks.upstream_failures(ask_app("handlers"))
    checks.upstream_failures(ask_app("except"))
    checks.upstream_failures(import_demo_app(GITHUB_API_URL=github_api_url()))
    assert heard(capsys) == (
        "✓ GitHub hanging up → 502, GitHub too slow → 504, each with a JSON message\n" * 3)


def test_an_app_without_check_names_is_not_yet(capsys):
    app = import_demo_app(GITHUB_API_URL=github_api_url())
    app.url_value_preprocessors[None].clear()  # as the skeleton's check_names: no check
    checks.names_checked(app)
    assert heard(capsys) == (
        "not yet: GET /users/-octocat- answered 404 after asking GitHub (get_user): check_names "
        "should check every user_id and repo_name in the URL before any view runs\n")


def test_the_reference_app_checks_every_name(capsys):
    checks.names_checked(import_demo_app(GITHUB_API_URL=github_api_url()))
    assert heard(capsys).startswith("✓ impossible names get 400 from all four views")
