"""workshop.checks.errors: not yet on the crashing or unchecked app, ✓ when fixed."""

from __future__ import annotations

import pytest
import requests
from demo_app import import_demo_app
from flask import Flask, abort

from checks.workspace_copy import heard, unsolve
from workshop import checks, github_api_url, load_app


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


def app_with_check_names(body):
    """The reference app with `body(values)` as its check_names (the validation functions of
    app.validation at hand, as in the lesson)."""
    app = import_demo_app(GITHUB_API_URL=github_api_url())
    names = app.url_value_preprocessors[None][0].__globals__  # the reference check_names'

    def check_names(endpoint, values):
        body(values, names["check_user_id"], names["check_repo_name"])

    app.url_value_preprocessors[None][:] = [check_names]
    return app


def no_guard(values, check_user_id, check_repo_name):
    if "user_id" in values:  # TypeError when values is None
        check_user_id(values["user_id"])
    if "repo_name" in values:
        check_repo_name(values["repo_name"])


def none_guard_only(values, check_user_id, check_repo_name):
    if values is None:
        return
    check_user_id(values["user_id"])  # KeyError for a URL without variables
    if "repo_name" in values:
        check_repo_name(values["repo_name"])


def checks_missing_names(values, check_user_id, check_repo_name):
    if values is None:
        return
    check_user_id(values.get("user_id"))  # None is not a valid name: 400 for GET /
    if "repo_name" in values:
        check_repo_name(values["repo_name"])


def user_id_only(values, check_user_id, check_repo_name):
    if values and "user_id" in values:
        check_user_id(values["user_id"])


@pytest.mark.parametrize(("body", "hint"), [
    (no_guard, "GET /no/such/page answered 500: check_names runs for every request, also this "
     "one, where no route matches it, so values is None: what does your code do then?"),
    (none_guard_only, "GET / answered 500: check_names runs for every request, also this one, "
     "where its URL has no variables, so values is {}: what does your code do then?"),
    (checks_missing_names, "GET / answered 400, but it has no name to check (its URL has no "
     "variables, so values is {}): check only the names the URL has"),
    (user_id_only, "GET /users/octocat/repos/Hello%20World answered 404 after asking GitHub "
     "(get_repository)"),
])
def test_check_names_wrong_answers(capsys, body, hint):
    checks.names_checked(app_with_check_names(body))
    out = heard(capsys)
    assert out.startswith("not yet: ") and hint in out, out


@pytest.fixture
def errors_app(workspace):
    """Load the reference workspace app after the test edited its errors.py."""
    return lambda: load_app(str(workspace))


TOO_SLOW = ('    seconds = app.config["GITHUB_TIMEOUT"]\n    return jsonify(message=f"GitHub did '
            'not answer within {seconds:g} seconds."), 504\n')


@pytest.mark.parametrize(("attempt", "hint"), [
    # abort() inside an error handler raises again: nothing handles that one.
    ('    abort(504, "GitHub is too slow.")\n', "github_too_slow calls abort(), which raises a "
     "new error inside an error handler"),
    # The skeleton's `...` left in the handler.
    ("    ...\n", "github_too_slow returned None: replace the `...` with a `return`"),
    # The status forgotten: the message goes out as 200 OK.
    ('    return jsonify(message="GitHub is too slow.")\n', "answered 200, expected 504"),
    # A 504 without a message.
    ('    return "", 504\n', "did not answer JSON"),
])
def test_upstream_failures_wrong_handlers(workspace, errors_app, capsys, attempt, hint):
    errors = workspace / "app" / "errors.py"
    errors.write_text("from flask import abort\n" + errors.read_text(encoding="utf-8"),
                      encoding="utf-8")
    unsolve(workspace, "app/errors.py", TOO_SLOW, attempt)
    checks.upstream_failures(errors_app())
    out = heard(capsys)
    assert out.startswith("not yet: ") and hint in out, out


def test_an_app_that_did_not_load_is_named_not_the_check(workspace, capsys):
    """Lesson 07's handlers without `import requests`: load_app prints the error, returns None."""
    unsolve(workspace, "app/errors.py", "import requests\n", "")
    checks.upstream_failures(load_app(str(workspace)))
    out = heard(capsys)
    assert "name 'requests' is not defined" in out, out
    assert "not yet: there is no app to check: loading it failed" in out and "NoneType" not in out
