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
