"""Lesson 04's in-lesson checks: "not yet" on the lesson's skeleton, ✓ on the solution."""

from __future__ import annotations

import pytest

from checks.workspace_copy import said, unsolve
from workshop import checks

TIMEOUT_LINE = 'seconds_from_environment("GITHUB_TIMEOUT", "10")'
RATE_LIMIT_BODY = '''    headers = upstream.headers
    return (upstream.status_code == 429 or headers.get("X-RateLimit-Remaining") == "0"
            or "Retry-After" in headers or "rate limit" in upstream.text.lower())
'''


def test_timeout_setting(workspace, capsys):
    checks.timeout_setting(str(workspace))
    assert said(capsys).startswith("✓ GITHUB_TIMEOUT: 10 seconds by default")
    unsolve(workspace, "app/__init__.py", TIMEOUT_LINE, "...")
    checks.timeout_setting(str(workspace))
    assert said(capsys) == ('not yet: app.config["GITHUB_TIMEOUT"] is still `...`: read the '
                            "environment variable GITHUB_TIMEOUT")


@pytest.mark.parametrize(("attempt", "hint"), [
    ('os.environ.get("GITHUB_TIMEOUT", "10")', "is the text '10'"),
    ('float(os.environ.get("GITHUB_TIMEOUT", "5"))', "GITHUB_TIMEOUT unset the timeout is 5.0"),
    ("10", "with GITHUB_TIMEOUT=2.5 the timeout is 10 seconds"),
])
def test_timeout_setting_names_the_first_mistake(workspace, capsys, attempt, hint):
    unsolve(workspace, "app/__init__.py", TIMEOUT_LINE, attempt)
    checks.timeout_setting(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and hint in out


def test_rate_limit_signals(workspace, capsys):
    checks.rate_limit_signals(str(workspace))
    assert said(capsys).startswith("✓ is_rate_limited is right for all 6 answers: 429")
    unsolve(workspace, "app/rate_limit.py", RATE_LIMIT_BODY, "    ...\n")
    checks.rate_limit_signals(str(workspace))
    assert said(capsys).startswith("not yet: is_rate_limited returned None")


@pytest.mark.parametrize(("attempt", "hint"), [
    ('    return upstream.headers.get("X-RateLimit-Remaining") == "0"\n', "for a 429,"),
    ('    return upstream.status_code in (403, 429)\n', "41 requests left"),
    ('    h = upstream.headers\n    return upstream.status_code == 429 or h.get('
     '"X-RateLimit-Remaining") == "0" or "Retry-After" in h\n', "secondary rate limit"),
])
def test_rate_limit_signals_names_the_first_case_missed(workspace, capsys, attempt, hint):
    unsolve(workspace, "app/rate_limit.py", RATE_LIMIT_BODY, attempt)
    checks.rate_limit_signals(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and hint in out


def test_repository_from_github(workspace, capsys):
    checks.repository_from_github(str(workspace))
    assert said(capsys).startswith("✓ GET /users/octocat/repos/Hello-World → 200")
    solved = '''    upstream = ask_github(github_url("repos", user_id, repo_name))
    return jsonify(read_json(upstream))
'''
    unsolve(workspace, "app/routes.py", solved, "    ...\n")
    checks.repository_from_github(str(workspace))
    assert said(capsys).startswith("not yet: a view (or error handler) returned None")


def test_repository_from_github_spots_the_wrong_github_url(workspace, capsys):
    right = 'github_url("repos", user_id, repo_name)'
    unsolve(workspace, "app/routes.py", right, 'github_url("users", user_id, "repos", repo_name)')
    checks.repository_from_github(str(workspace))
    assert said(capsys) == ("not yet: GET /users/octocat/repos/Hello-World answered 404: which "
                            "GitHub URL did the view ask for?")


@pytest.mark.parametrize(("attempt", "hint"), [
    # The key mistyped: the setting the app reads is never set.
    ('...  # seconds\napp.config["GITHUB_TIMOUT"] = float(os.environ.get("GITHUB_TIMEOUT", "10"))',
     'app.config has "GITHUB_TIMOUT", but the setting is named "GITHUB_TIMEOUT": is the '
     "key spelt right?"),
    # The variable's name mistyped: the default always wins.
    ('float(os.environ.get("GITHUB_TIMOUT", "10"))', "with GITHUB_TIMEOUT=2.5 the timeout is "
     "10.0 seconds, expected 2.5: is the variable's name in os.environ.get spelt GITHUB_TIMEOUT?"),
    # int() cannot read 2.5: the app does not even load, and the hint says where.
    ('int(os.environ.get("GITHUB_TIMEOUT", "10"))', "invalid literal for int() with base 10: "
     "'2.5'"),
])
def test_timeout_setting_names_the_real_cause(workspace, capsys, attempt, hint):
    unsolve(workspace, "app/__init__.py", TIMEOUT_LINE, attempt)
    checks.timeout_setting(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and hint in out, out


@pytest.mark.parametrize("attempt", [
    # The header compared with the number 0: header values are text, so this is never true.
    '    h = upstream.headers\n    return (upstream.status_code == 429 or h.get('
    '"X-RateLimit-Remaining") == 0\n            or "Retry-After" in h or "rate limit" in '
    "upstream.text.lower())\n",
    # The header left out: a message without "rate limit" goes unnoticed.
    '    h = upstream.headers\n    return (upstream.status_code == 429 or "Retry-After" in h\n'
    '            or "rate limit" in upstream.text.lower())\n',
])
def test_rate_limit_signals_tests_the_remaining_header_alone(workspace, capsys, attempt):
    unsolve(workspace, "app/rate_limit.py", RATE_LIMIT_BODY, attempt)
    checks.rate_limit_signals(str(workspace))
    assert said(capsys) == (
        "not yet: for a 403 with X-RateLimit-Remaining: 0 whose message does not say why, "
        "is_rate_limited returned False, expected True: does your code read "
        "X-RateLimit-Remaining? Header values are text, not numbers")


REPOSITORY_VIEW = ('upstream = ask_github(github_url("repos", user_id, repo_name))\n'
                   "    return jsonify(read_json(upstream))")


@pytest.mark.parametrize(("right", "attempt", "hint"), [
    # The requests.Response handed to Flask as it is.
    (REPOSITORY_VIEW, REPOSITORY_VIEW.replace("jsonify(read_json(upstream))", "upstream"),
     "a view returned the requests.Response itself"),
    # The path built by joining with "/": github_url encodes it as %2F, one path part.
    ('github_url("repos", user_id, repo_name)', 'github_url("repos", user_id + "/" + repo_name)',
     "asked GitHub for /repos/octocat%2FHello-World: a / inside one part stays encoded"),
    # An f-string instead of github_url: a "?" in the name starts a query.
    ('ask_github(github_url("repos", user_id, repo_name))',
     'ask_github(f"{current_app.config[\'GITHUB_API_URL\']}/repos/{user_id}/{repo_name}")',
     "asked GitHub for /repos/octocat/Hello-World?page=2, so the name's ? started a query"),
    # GitHub's JSON as a bare list, not the repository object.
    (REPOSITORY_VIEW, REPOSITORY_VIEW.replace("jsonify(read_json(upstream))",
                                              "jsonify([read_json(upstream)])"),
     "sent a JSON list ([{'id': 1296269"),
])
def test_repository_from_github_names_the_real_cause(workspace, capsys, right, attempt, hint):
    unsolve(workspace, "app/routes.py", right, attempt)
    # As in lesson 04: current_app imported, and no check_names yet (it comes in lesson 07).
    unsolve(workspace, "app/routes.py", "@app.url_value_preprocessor\n", "")
    routes = workspace / "app" / "routes.py"
    routes.write_text("from flask import current_app\n" + routes.read_text(encoding="utf-8"),
                      encoding="utf-8")
    checks.repository_from_github(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and hint in out, out
