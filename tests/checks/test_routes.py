"""workshop.checks.routes, lesson 03's your-turn: fails on the skeleton, passes on the solution."""

from __future__ import annotations

import pytest

from checks.workspace_copy import heard
from workshop import checks
from workshop.checks import NotYet

INIT = '''\
from flask import Flask

app = Flask(__name__)

from app import routes  # noqa: E402, F401
'''
ROUTES = '''\
from app import app


@app.route("/users/<user_id>", methods=["GET"])
def get_user(user_id):
    return {"user_id": user_id}
'''
SKELETON = '''

@app.route("/users/<user_id>/repos/...", methods=["GET"])
def get_repository(user_id):
    """One repository of `user_id` (for now: only what the URL told us)."""
    ...
'''
SOLUTION = '''

@app.route("/users/<user_id>/repos/<repo_name>", methods=["GET"])
def get_repository(user_id, repo_name):
    """One repository of `user_id` (for now: only what the URL told us)."""
    return {"user_id": user_id, "repo_name": repo_name}
'''


def workspace(tmp_path, code: str) -> str:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text(INIT, encoding="utf-8")
    (tmp_path / "app" / "routes.py").write_text(ROUTES + code, encoding="utf-8")
    return str(tmp_path)


def test_repository_route_fails_on_the_skeleton_with_a_nudge(tmp_path):
    with pytest.raises(NotYet, match="404 Not Found: which part of your route's path"):
        checks.repository_route.raw(workspace(tmp_path, SKELETON))


def test_repository_route_passes_on_the_solution(tmp_path):
    assert "echoed both" in checks.repository_route.raw(workspace(tmp_path, SOLUTION))


@pytest.mark.parametrize(("code", "hint"), [
    (SOLUTION.replace("user_id, repo_name):", "user_id):"), "unexpected keyword argument"),
    (SOLUTION.replace(', "repo_name": repo_name', ""), "expected {'user_id'"),
    (SOLUTION.replace("repo_name}", '"Hello-World"}'), "new-user-0/repos/notes sent"),
    (SOLUTION.replace("<repo_name>", "<repo>"), "unexpected keyword argument 'repo'"),
    (SOLUTION.replace('{"user_id": user_id, "repo_name": repo_name}', "[user_id, repo_name]"),
     "sent ['octocat', 'Hello-World'], expected {'user_id'"),
])
def test_repository_route_nudges(tmp_path, capsys, code, hint):
    checks.repository_route(workspace(tmp_path, code))
    out = heard(capsys)
    assert out.startswith("not yet:") and hint in out, out
