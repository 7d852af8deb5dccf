"""Lesson 06's in-lesson check: "not yet" on the lesson's skeleton, ✓ on the solution."""

from __future__ import annotations

import pytest

from checks.workspace_copy import said, unsolve
from workshop import checks

SOLVED = "repo_names = sorted(list_repo_names(user_id), key=str.casefold)"


def test_repos_alphabetically(workspace, capsys):
    checks.repos_alphabetically(str(workspace))
    assert said(capsys).startswith("✓ POST /users/mona-lisa-dev/get-n-repos-alphabetically →")
    routes = (workspace / "app/routes.py").read_text(encoding="utf-8")
    view = routes[routes.index("    num_repos = read_num_repos"):routes.index("\n\n\n@app.url")]
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



ROUTE = '@app.route("/users/<user_id>/get-n-repos-alphabetically", methods=["POST"])\n'


def test_repos_alphabetically_wants_the_route(workspace, capsys):
    unsolve(workspace, "app/routes.py", ROUTE, "")
    checks.repos_alphabetically(str(workspace))
    assert said(capsys).endswith("answered 404: no route has this URL; does the view have its "
                                 "@app.route line, with this path?")


def test_repos_alphabetically_wants_post(workspace, capsys):
    unsolve(workspace, "app/routes.py", ROUTE,
            '@app.route("/users/<user_id>/get-n-repos-alphabetically")\n')
    checks.repos_alphabetically(str(workspace))
    assert said(capsys).endswith("answered 405: the route does not take POST; which argument of "
                                 "@app.route names the methods?")


def test_repos_alphabetically_wants_the_names_returned(workspace, capsys):
    unsolve(workspace, "app/github.py", "    return repo_names\n", "    ...\n")
    checks.repos_alphabetically(str(workspace))
    assert said(capsys) == ("not yet: list_repo_names returned None: replace its `...` with a "
                            "`return` of the names")


def test_repos_alphabetically_wants_names_not_repositories(workspace, capsys):
    unsolve(workspace, "app/github.py", "repo_names += names_on_page(upstream)",
            "repo_names += read_json(upstream, list)")
    checks.repos_alphabetically(str(workspace))
    hint = said(capsys)
    assert hint.startswith("not yet: list_repo_names('mona-lisa-dev') returned [{")
    assert hint.endswith("a list of the repositories' names (strings), not the repositories")


def test_repos_alphabetically_wants_the_first_num_repos(workspace, capsys):
    unsolve(workspace, "app/routes.py", "repo_names=repo_names[:num_repos]",
            "repo_names=repo_names")
    checks.repos_alphabetically(str(workspace))
    assert said(capsys).startswith("not yet: asked for 4 names, got ")


LIMIT = "1024 * 1024  # our JSON bodies are tiny"


def test_body_limit(workspace, capsys):
    checks.body_limit(str(workspace))
    assert said(capsys).startswith("✓ MAX_CONTENT_LENGTH is 1 MB: a larger body gets 413")
    unsolve(workspace, "app/__init__.py", LIMIT, "...  # our JSON bodies are tiny")
    checks.body_limit(str(workspace))
    assert said(capsys) == ('not yet: app.config["MAX_CONTENT_LENGTH"] is still `...`: how many '
                            "bytes is 1 MB?")


def test_body_limit_wants_one_megabyte(workspace, capsys):
    unsolve(workspace, "app/__init__.py", LIMIT, "1024  # our JSON bodies are tiny")
    checks.body_limit(str(workspace))
    assert said(capsys).endswith('"MAX_CONTENT_LENGTH"] is 1024, expected 1 MB in bytes')



ANSWER = "jsonify(repo_names=repo_names[:num_repos])"


@pytest.mark.parametrize(("attempt", "hint"), [
    # A bare JSON list: the hint names it, not the check's own `.get`.
    ("jsonify(repo_names[:num_repos])", "sent a JSON list (["),
    # Every name, not the first num_repos.
    ("jsonify(repo_names=repo_names)", "asked for 4 names, got"),
    # The count turned into text: a slice needs a number.
    ("jsonify(repo_names=repo_names[:str(num_repos)])",
     "answered 500, expected 200: your code raised TypeError: slice"),
])
def test_repos_alphabetically_names_the_real_cause(workspace, capsys, attempt, hint):
    unsolve(workspace, "app/routes.py", ANSWER, attempt)
    checks.repos_alphabetically(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and hint in out, out


@pytest.mark.parametrize(("attempt", "hint"), [
    # A decimal megabyte.
    ("1000000  # our JSON bodies are tiny", "is 1000000, expected 1 MB in bytes"),
    # The size as text.
    ('"1MB"  # our JSON bodies are tiny', "is the text '1MB', but Flask compares it with a "
     "number of bytes"),
    # The key mistyped: Flask's own setting stays unset.
    ('...  # our JSON bodies are tiny\napp.config["MAX_CONTENT_LENGHT"] = 1024 * 1024  #',
     'app.config has "MAX_CONTENT_LENGHT", but the setting is named "MAX_CONTENT_LENGTH"'),
])
def test_body_limit_names_the_real_cause(workspace, capsys, attempt, hint):
    unsolve(workspace, "app/__init__.py", LIMIT, attempt)
    checks.body_limit(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and hint in out, out


URL_LINE = ('    url = github_url("users", user_id, "repos") + "?per_page=100"'
            "  # 100: GitHub's maximum\n")
DEMO_LIST = URL_LINE + ("    repo_names = []\n    for upstream in pages(url):\n"
                        "        repo_names += names_on_page(upstream)\n    return repo_names\n")
LESSON_LIST = URL_LINE + '    return [repo["name"] for repo in read_json(ask_github(url), list)]\n'


def test_the_lessons_one_page_of_100_is_enough(workspace, capsys):
    unsolve(workspace, "app/github.py", DEMO_LIST, LESSON_LIST)
    checks.repos_alphabetically(str(workspace))
    assert said(capsys).endswith("100 of prolific-dev's 250; num_repos 0 → 400")


def test_repos_alphabetically_wants_100_a_page(workspace, capsys):
    unsolve(workspace, "app/github.py", DEMO_LIST,
            LESSON_LIST.replace(' + "?per_page=100"  # 100: GitHub\'s maximum', ""))
    checks.repos_alphabetically(str(workspace))
    assert said(capsys) == ("not yet: asked for 100 of prolific-dev's 250 names, got 30: GitHub "
                            "sends 30 repositories a page unless the URL asks for more")
