"""Lesson 06's in-lesson check: "not yet" on the lesson's skeleton, ✓ on the solution."""

from __future__ import annotations

import pytest

from checks.workspace_copy import demo_workspace, unsolve
from workshop import checks

SOLVED = "repo_names = sorted(list_repo_names(user_id), key=str.casefold)"


@pytest.fixture
def workspace(tmp_path):
    return demo_workspace(tmp_path)


def said(capsys) -> str:
    return capsys.readouterr().out.strip()


def test_repos_alphabetically(workspace, capsys):
    checks.repos_alphabetically(str(workspace))
    assert said(capsys).startswith("✓ POST /users/mona-lisa-dev/get-n-repos-alphabetically →")
    routes = (workspace / "app/routes.py").read_text(encoding="utf-8")
    view = routes[routes.index("    check_user_id(user_id)\n    num_repos"):]
    unsolve(workspace, "app/routes.py", view, "    ...\n")
    checks.repos_alphabetically(str(workspace))
    assert said(capsys).startswith("not yet: a view (or error handler) returned None")


def test_repos_alphabetically_wants_case_ignored(workspace, capsys):
    unsolve(workspace, "app/routes.py", SOLVED, "repo_names = sorted(list_repo_names(user_id))")
    checks.repos_alphabetically(str(workspace))
    assert said(capsys).endswith("does the sort ignore upper and lower case?")


def test_repos_alphabetically_wants_the_body_checked(workspace, capsys):
    unsolve(workspace, "app/routes.py", "num_repos = read_num_repos(read_json_body())",
            'num_repos = request.get_json()["num_repos"]')
    routes = workspace / "app/routes.py"
    routes.write_text(routes.read_text().replace("from flask import abort,",
                                                 "from flask import request, abort,"))
    checks.repos_alphabetically(str(workspace))
    assert said(capsys).startswith("not yet: POST /users/mona-lisa-dev/get-n-repos-alphabetically"
                                   ' with {"num_repos": 0} answered 200, expected 400')


BODY_SOLVED = '''    if not isinstance(body, dict):
        abort(400, "The request body must be a JSON object, e.g. {\\"num_repos\\": 5}.")
    return body
'''


def test_json_body(workspace, capsys):
    checks.json_body(str(workspace))
    assert said(capsys).startswith("✓ a JSON object is read; a list, a string or null gets 400")
    unsolve(workspace, "app/validation.py", BODY_SOLVED, "")
    checks.json_body(str(workspace))
    assert said(capsys) == ('not yet: read_json_body returned None for the body {"num_repos": 3}: '
                            "return the body")


@pytest.mark.parametrize(("attempt", "hint"), [
    ("    return body\n", "let the body [3] through"),
    ("    if not isinstance(body, dict):\n        abort(400)\n    return body\n",
     "has Flask's general message"),
])
def test_json_body_names_the_first_mistake(workspace, capsys, attempt, hint):
    unsolve(workspace, "app/validation.py", BODY_SOLVED, attempt)
    checks.json_body(str(workspace))
    assert hint in said(capsys)
