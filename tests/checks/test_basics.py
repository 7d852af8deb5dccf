"""workshop.checks.basics: each your-turn check fails on the lesson's skeleton, passes on its
solution, and gives a nudge (not a traceback) for the usual mistakes."""

from __future__ import annotations

import textwrap

import pytest
from flask import Flask
from flask_cors import CORS

from checks.workspace_copy import heard
from workshop import checks, serve
from workshop.checks import NotYet
from workshop.checks.basics import PAGE_ORIGIN

APP = '''\
"""The Flask app."""

from flask import Flask

app = Flask(__name__)
'''
SKELETON = '''

def render_home():
    """A first answer, to see the server work."""
    ...
'''
SOLUTION = '''

@app.route("/")
def render_home():
    """A first answer, to see the server work."""
    return "Hello from Flask!"
'''


def workspace(tmp_path, code: str) -> str:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text(APP + textwrap.dedent(code), encoding="utf-8")
    return str(tmp_path)


def test_home_page_fails_on_the_skeleton_with_a_nudge(tmp_path):
    with pytest.raises(NotYet, match="404 Not Found: is render_home connected"):
        checks.home_page.raw(workspace(tmp_path, SKELETON))


def test_home_page_passes_on_the_solution(tmp_path):
    assert "200" in checks.home_page.raw(workspace(tmp_path, SOLUTION))


@pytest.mark.parametrize(("code", "hint"), [
    (SOLUTION.replace('return "Hello from Flask!"', "..."), "returned None"),
    (SOLUTION.replace("Hello from Flask!", "Hi"), "answered 'Hi', expected"),
    (SOLUTION.replace("):", ")"), "did not load: SyntaxError"),
    (SOLUTION.replace('route("/")', 'route("/home")'), "404 Not Found: is render_home connected"),
    (SOLUTION.replace("return", "print("), "did not load: SyntaxError"),
    (SOLUTION.replace('return "Hello from Flask!"', 'print("Hello from Flask!")'),
     "returned None"),
])
def test_home_page_nudges(tmp_path, capsys, code, hint):
    checks.home_page(workspace(tmp_path, code))
    out = heard(capsys).splitlines()[-1]  # after what the student's code printed, if anything
    assert out.startswith("not yet:") and hint in out, out


@pytest.fixture(scope="module")
def cors_server():
    app = Flask("cors_check")
    CORS(app, origins=[PAGE_ORIGIN])
    app.add_url_rule("/", "home", lambda: "home")
    with serve(app, name="cors-check") as server:
        yield server


SOLUTION_HEADERS = {
    "Origin": PAGE_ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "Content-Type",
}


def test_preflight_fails_on_the_skeleton(cors_server):
    skeleton = cors_server.request("GET", "/", headers={"Origin": PAGE_ORIGIN})
    with pytest.raises(NotYet, match="your request was a GET"):
        checks.preflight.raw(skeleton)


def test_preflight_passes_on_the_solution(cors_server):
    answer = cors_server.request("OPTIONS", "/", headers=SOLUTION_HEADERS)
    assert "allows it" in checks.preflight.raw(answer)


@pytest.mark.parametrize(("leave_out", "hint"), [
    ("Origin", "send the page's origin"),
    ("Access-Control-Request-Method", "which method the page wants"),
    ("Access-Control-Request-Headers", "Content-Type header"),
])
def test_preflight_nudges_for_each_missing_header(cors_server, capsys, leave_out, hint):
    headers = {k: v for k, v in SOLUTION_HEADERS.items() if k != leave_out}
    checks.preflight(cors_server.request("OPTIONS", "/", headers=headers))
    out = heard(capsys)
    assert out.startswith("not yet:") and hint in out, out


def test_preflight_says_what_to_pass_when_it_is_not_a_response(capsys):
    checks.preflight(None)
    assert "server.request" in heard(capsys)
