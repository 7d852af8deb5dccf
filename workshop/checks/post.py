"""Checks for lesson 06: the alphabetical POST route, POST bodies, pages, one-request count."""

from __future__ import annotations

import math
import sys

import requests

from workshop.checks._core import (
    NotYet,
    brief,
    check,
    client,
    config_value,
    counting_requests,
    expect_status,
    fresh_upstream,
    json_object,
    json_of,
    upstream_url,
    workspace_app,
)

GOOD_BODIES = [{"num_repos": 1}, {"num_repos": 5}, {"num_repos": 100}]
BAD_BODIES = [None, [], {}, {"num_repos": None}, {"num_repos": "5"}, {"num_repos": 5.0},
              {"num_repos": True}, {"num_repos": 0}, {"num_repos": -3}, {"num_repos": 101},
              {"num_repos": 10**9}]


@check
def num_repos(read_num_repos) -> str:
    """Exercise 08: read_num_repos accepts whole numbers 1..100 and explains everything else."""
    for body in GOOD_BODIES:
        result = read_num_repos(body)
        if result != (body["num_repos"], None):
            raise NotYet(f"read_num_repos({body}) returned {result!r}, "
                         f"expected ({body['num_repos']}, None)")
    for body in BAD_BODIES:
        result = read_num_repos(body)
        if not isinstance(result, tuple) or len(result) != 2:
            raise NotYet(f"read_num_repos({body!r}) returned {result!r}, expected a pair")
        value, message = result
        if value is not None or not isinstance(message, str) or not message:
            raise NotYet(f"read_num_repos({body!r}) returned {result!r}; "
                         "expected (None, a message saying what is wrong)")
    return f"{len(GOOD_BODIES)} good bodies accepted, {len(BAD_BODIES)} bad ones explained"


def all_repo_names(user_id: str) -> list[str]:
    """The reference answer: every repository name, following GitHub's Link headers."""
    names, url = [], f"{upstream_url()}/users/{user_id}/repos?per_page=100"
    while url:
        page = requests.get(url, timeout=10)
        page.raise_for_status()
        names += [repo["name"] for repo in page.json()]
        url = page.links.get("next", {}).get("url")
    return sorted(names, key=str.casefold)


@check
def repo_names_pages(repo_names) -> str:
    """Exercise 09: repo_names follows every page and sorts case-insensitively."""
    fresh_upstream()
    for user_id in ("octocat", "new-user-0", "prolific-dev"):
        expected = all_repo_names(user_id)
        got = repo_names(user_id)
        if not isinstance(got, list):
            raise NotYet(f"repo_names({user_id!r}) returned {type(got).__name__}, expected a list")
        if len(got) != len(expected):
            raise NotYet(f"repo_names({user_id!r}) found {len(got)} names, GitHub has "
                         f"{len(expected)}: are you reading the first page only?")
        if got != expected:
            first = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
            raise NotYet(f"names out of order at position {first}: {got[first]!r} where "
                         f"{expected[first]!r} belongs: does your sort ignore case?")
    pages = math.ceil(len(expected) / 100)
    return f"all {len(expected)} of prolific-dev's repositories over {pages} pages, sorted"


@check
def count_one_request(count_repos) -> str:
    """Exercise 10: count_repos gives the right number with one upstream request."""
    user_id = "prolific-dev"
    user = requests.get(f"{fresh_upstream()}/users/{user_id}", timeout=10)
    expected = user.json()["public_repos"]
    with counting_requests() as sent:
        got = count_repos(user_id)
    made = len(sent)
    if got != expected:
        raise NotYet(f"count_repos({user_id!r}) returned {got!r}, expected {expected}")
    if made != 1:
        raise NotYet(f"right answer, but {made} upstream requests; one is enough: what "
                     "does the user's profile already report?")
    return f"count_repos('prolific-dev') == {expected} with exactly 1 upstream request"


@check
def repos_alphabetically(workspace: str = "workspace") -> str:
    """Lesson 06: POST /users/<user_id>/get-n-repos-alphabetically answers sorted names."""
    web = client(workspace_app(workspace))
    fresh_upstream()
    path = "/users/mona-lisa-dev/get-n-repos-alphabetically"
    answer = web.post(path, json={"num_repos": 4})
    if answer.status_code == 404:
        raise NotYet(f"POST {path} answered 404: no route has this URL; does the view have its "
                     "@app.route line, with this path?")
    if answer.status_code == 405:
        raise NotYet(f"POST {path} answered 405: the route does not take POST; which argument "
                     "of @app.route names the methods?")
    if answer.status_code == 500:
        repo_names_problem(web.application, "mona-lisa-dev")
    expect_status(answer, 200, f"POST {path} with {{\"num_repos\": 4}}")
    names = json_object(answer, f"POST {path}").get("repo_names")
    if not isinstance(names, list):
        raise NotYet(f'POST {path} sent no list under "repo_names"')
    want = all_repo_names("mona-lisa-dev")[:4]
    if len(names) != len(want):
        raise NotYet(f"asked for 4 names, got {len(names)}")
    if names != want:
        raise NotYet(f"got {names}, expected {want}: does the sort ignore upper and lower case?")
    many = web.post("/users/prolific-dev/get-n-repos-alphabetically", json={"num_repos": 100})
    got = many.get_json(silent=True) if many.status_code == 200 else None
    if isinstance(got, dict) and isinstance(got.get("repo_names"), list) \
            and len(got["repo_names"]) < 100:
        raise NotYet(f"asked for 100 of prolific-dev's 250 names, got {len(got['repo_names'])}: "
                     "GitHub sends 30 repositories a page unless the URL asks for more")
    refused = web.post(path, json={"num_repos": 0})
    expect_status(refused, 400, f"POST {path} with {{\"num_repos\": 0}}")
    return (f"POST {path} → the first 4 names, sorted as a person expects; 100 of "
            "prolific-dev's 250; num_repos 0 → 400")


def repo_names_problem(app, user_id: str) -> None:
    """NotYet if the app's list_repo_names (app/github.py) does not return a list of names."""
    lister = getattr(sys.modules.get("app.github"), "list_repo_names", None)
    if lister is None:
        return
    try:
        with app.app_context():
            names = lister(user_id)
    except Exception:  # noqa: BLE001 - the route's own 500 message names this error
        return
    if names is None:
        raise NotYet("list_repo_names returned None: replace its `...` with a `return` of the "
                     "names")
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise NotYet(f"list_repo_names({user_id!r}) returned {brief(names)}: it should return "
                     "a list of the repositories' names (strings), not the repositories")


@check
def body_limit(workspace: str = "workspace") -> str:
    """Lesson 06: MAX_CONTENT_LENGTH is 1 MB, so a larger body gets 413, as JSON."""
    app = workspace_app(workspace)
    limit = config_value(app, "MAX_CONTENT_LENGTH")
    if limit is ...:
        raise NotYet('app.config["MAX_CONTENT_LENGTH"] is still `...`: how many bytes is 1 MB?')
    if isinstance(limit, str):
        raise NotYet(f'app.config["MAX_CONTENT_LENGTH"] is the text {brief(limit)}, but Flask '
                     "compares it with a number of bytes")
    if limit != 1024 * 1024:
        raise NotYet(f'app.config["MAX_CONTENT_LENGTH"] is {brief(limit)}, expected 1 MB in '
                     "bytes")
    path = "/users/octocat/get-n-repos-alphabetically"
    too_big = client(app).post(path, data=b" " * (limit + 1), content_type="application/json")
    expect_status(too_big, 413, f"POST {path} with a body of 1 MB and 1 byte")
    json_of(too_big, "the 413")
    return "MAX_CONTENT_LENGTH is 1 MB: a larger body gets 413 (as JSON) before any view reads it"
