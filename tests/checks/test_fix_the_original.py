"""workshop.checks.fix_the_original: exercise 17's checklist names exactly the app's defects."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import requests
from flask import Flask, request
from flask_cors import CORS

from workshop import checks
from workshop.runtime.github_api import double, github_api_url

PAGE_ORIGIN = "http://127.0.0.1:5001"
NUMBERS = list(range(1, 9))
ALL = frozenset(NUMBERS)
USER_ID = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}")
REPO_NAME = re.compile(r"(?!\.\.?$)[\w.-]{1,100}", re.ASCII)


def make_app(broken=frozenset(), timeout_handler=True) -> Flask:
    """The demo with every defect fixed, except those numbered in `broken` (as the exercise)."""
    base, app = github_api_url(), Flask(f"original_{sorted(broken)}")
    CORS(app) if 8 in broken else CORS(app, origins=[PAGE_ORIGIN])

    def get(url):
        return requests.get(url, timeout=None if 3 in broken else 5)

    def part(name):
        return name if 7 in broken else quote(name, safe="")

    def answer(upstream):
        if upstream.status_code == 404:
            return {"message": "not found"}, 404
        if not upstream.ok and 1 not in broken:
            return {"message": "GitHub failed"}, 502
        return upstream.json(), 200

    if 7 not in broken:
        @app.before_request
        def names():
            args = request.view_args or {}
            if not USER_ID.fullmatch(args.get("user_id", "a")) or not REPO_NAME.fullmatch(
                    args.get("repo_name", "a")):
                return {"message": "bad name"}, 400
            return None

    if timeout_handler:
        app.register_error_handler(requests.Timeout, lambda e: ({"message": "slow"}, 504))
    if 2 not in broken:
        app.register_error_handler(requests.RequestException,
                                   lambda e: ({"message": "broken"}, 502))

    @app.get("/users/<user_id>")
    def user(user_id):
        return answer(get(f"{base}/users/{part(user_id)}"))

    @app.get("/users/<user_id>/repos/<repo_name>")
    def repo(user_id, repo_name):
        return answer(get(f"{base}/repos/{part(user_id)}/{part(repo_name)}"))

    @app.post("/users/<user_id>/count-repos")
    def count(user_id):
        if 4 in broken:  # the original: count the items of every page, whatever they are
            total, url = 0, f"{base}/users/{part(user_id)}/repos?per_page=100"
            while url:
                page = get(url)
                total, url = total + len(page.json()), page.links.get("next", {}).get("url")
            return {"number_of_repos": total}
        found = get(f"{base}/users/{part(user_id)}")
        return answer(found) if not found.ok else {"number_of_repos": found.json()["public_repos"]}

    @app.post("/users/<user_id>/get-n-repos-alphabetically")
    def first(user_id):
        body = request.get_json(silent=6 not in broken)
        n = body.get("num_repos") if isinstance(body, dict) else None
        if 6 in broken and n is None or 6 not in broken and (
                type(n) is not int or not 1 <= n <= 100):
            return {"message": "send num_repos"}, 400
        page = get(f"{base}/users/{part(user_id)}/repos?per_page=100")
        names = [repo["name"] for repo in page.json()]
        return {"repo_names": (names if 5 in broken else sorted(names, key=str.casefold))[:n]}

    return app


def lines_of(capsys, app) -> list[str]:
    checks.fix_the_original(app)
    return capsys.readouterr().out.splitlines()


@pytest.fixture(autouse=True)
def own_double(monkeypatch):
    """Each test talks to the in-process double, with a fresh budget."""
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    github_api_url()
    double().reset()


def test_the_fixed_app_gets_eight_ticks_and_a_ticked_summary(capsys):
    lines = lines_of(capsys, make_app())
    assert [line.split(":")[0] for line in lines[:8]] == [f"✓ defect {n} fixed" for n in NUMBERS]
    assert lines[8] == "✓ all 8 defects fixed: the original demo is mended" and len(lines) == 9


def test_the_original_gets_eight_not_yets(capsys):
    lines = lines_of(capsys, make_app(ALL))
    assert [line.split(" — ")[0] for line in lines[:8]] == [f"not yet: defect {n}" for n in NUMBERS]
    assert lines[8].startswith("not yet: 0 of 8 defects fixed")


@pytest.mark.parametrize("defect", NUMBERS)
def test_each_defect_alone_is_named_and_nothing_else(capsys, defect):
    lines = lines_of(capsys, make_app({defect}))
    flagged = [n for n, line in enumerate(lines[:8], start=1) if line.startswith("not yet")]
    assert flagged == [defect], "\n".join(lines)
    assert lines[8].startswith("not yet: 7 of 8 defects fixed")


def test_a_timeout_without_a_504_is_not_enough(capsys):
    line = lines_of(capsys, make_app(timeout_handler=False))[2]
    assert line.startswith("not yet: defect 3") and "answered 502" in line and "504" in line


def test_hints_point_at_what_to_look_at(capsys):
    lines = lines_of(capsys, make_app(ALL))
    for number, words in {1: "502", 2: "JSONDecodeError", 3: "timeout=", 4: "404 body",
                          5: "str.casefold", 6: "1 to 100", 7: "quote(", 8: "origins="}.items():
        assert words in lines[number - 1], lines[number - 1]


def test_views_that_crash_give_lines_not_a_traceback(capsys):
    app = Flask("crashing")
    for rule in ("/users/<user_id>", "/users/<user_id>/repos/<repo_name>"):
        app.add_url_rule(rule, rule, lambda **kw: 1 / 0)
    lines = lines_of(capsys, app)
    assert len(lines) == 9 and all(line.startswith("not yet:") for line in lines)
    assert "ZeroDivisionError" in lines[0]


def test_the_check_leaves_requests_and_the_double_as_it_found_them(capsys):
    send = requests.Session.send
    lines_of(capsys, make_app({3}))
    lines_of(capsys, make_app())
    assert requests.Session.send is send
    assert double().settings.fault is None and double().settings.rate_limit > 0


def test_not_an_app_or_not_our_double_is_one_hint(capsys, monkeypatch):
    assert lines_of(capsys, None) == [
        "not yet: pass the Flask app, checks.fix_the_original(app), not NoneType"]
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    assert lines_of(capsys, make_app())[0].startswith("not yet: the probes switch")
