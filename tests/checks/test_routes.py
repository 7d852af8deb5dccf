"""workshop.checks.routes, lesson 03's your-turn: fails on the skeleton, passes on the solution,
and names the cause of each typical mistake."""

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


@app.route("/")
def render_home():
    return "Hello from Flask!"
'''
# The lesson's skeleton: the student writes both views, routes and signatures included.
SKELETON = '''
# Your two views: each with its @app.route(...) line, its def, a docstring and a return.
'''
SOLUTION = '''

@app.route("/users/<user_id>", methods=["GET"])
def get_user(user_id):
    """The GitHub profile of `user_id` (for now: only what the URL told us)."""
    return {"user_id": user_id}


@app.route("/users/<user_id>/repos/<repo_name>", methods=["GET"])
def get_repository(user_id, repo_name):
    """One repository of `user_id` (for now: only what the URL told us)."""
    return {"user_id": user_id, "repo_name": repo_name}
'''
# The views without their routes (the lesson's skeleton before it was thinned).
UNROUTED = "\n".join(line for line in SOLUTION.splitlines() if not line.startswith("@"))


def workspace(tmp_path, code: str) -> str:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text(INIT, encoding="utf-8")
    (tmp_path / "app" / "routes.py").write_text(ROUTES + code, encoding="utf-8")
    return str(tmp_path)


def test_repository_route_fails_on_the_skeleton_with_a_nudge(tmp_path):
    with pytest.raises(NotYet, match="no route leads to a view named get_user yet: write "
                                     r"`def get_user` with its @app.route\(...\) line"):
        checks.repository_route.raw(workspace(tmp_path, SKELETON))


def test_repository_route_passes_on_the_solution(tmp_path):
    assert "echoed their URL variables" in checks.repository_route.raw(
        workspace(tmp_path, SOLUTION))


@pytest.mark.parametrize(("code", "hint"), [
    (UNROUTED, "no route leads to a view named get_user"),
    (SOLUTION.replace('@app.route("/users/<user_id>/repos/<repo_name>", methods=["GET"])\n', ""),
     "no route leads to a view named get_repository"),
    (SOLUTION.replace('"/users/<user_id>", methods', '"/user/<user_id>", methods'),
     "GET /users/octocat answered 404 Not Found: which path did you give the route of get_user"),
    (SOLUTION.replace("def get_user(user_id):", "def get_user(user):"),
     "unexpected keyword argument 'user_id'"),
    (SOLUTION.replace('return {"user_id": user_id}', 'return {"user_id": "octocat"}'),
     "GET /users/new-user-0 sent {'user_id': 'octocat'}, expected {'user_id': 'new-user-0'}"),
    (SOLUTION.replace('return {"user_id": user_id}', "..."), "returned None"),
    (SOLUTION.replace("user_id, repo_name):", "user_id):"), "unexpected keyword argument"),
    (SOLUTION.replace(', "repo_name": repo_name', ""), "expected {'user_id'"),
    (SOLUTION.replace("repo_name}", '"Hello-World"}'), "new-user-0/repos/notes sent"),
    (SOLUTION.replace("<repo_name>", "<repo>"), "unexpected keyword argument 'repo'"),
    (SOLUTION.replace('{"user_id": user_id, "repo_name": repo_name}', "[user_id, repo_name]"),
     "sent ['octocat', 'Hello-World'], expected {'user_id'"),
    (SOLUTION.replace("/repos/<repo_name>", "/<repo_name>"),
     "404 Not Found: which part of your route's path matches the repository's name"),
])
def test_repository_route_nudges(tmp_path, capsys, code, hint):
    checks.repository_route(workspace(tmp_path, code))
    out = heard(capsys)
    assert out.startswith("not yet:") and hint in out, out
