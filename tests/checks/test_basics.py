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
from workshop.checks.basics import GREETING, PAGE_ORIGIN

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


def test_home_page_passes_with_a_server_of_the_file(tmp_path):
    folder = workspace(tmp_path, SOLUTION)
    app = Flask("served")
    app.add_url_rule("/", "home", lambda: GREETING)
    with serve(app, name="home-check") as server:
        assert "serves that app" in checks.home_page.raw(folder, server=server)


def _old_app(path: str, text: str = "an older text") -> Flask:
    app = Flask("older")
    app.add_url_rule(path, "home", lambda: text)
    return app


@pytest.mark.parametrize(("make", "hint"), [
    (lambda: ..., "holds ellipsis, not a server"),  # the skeleton: `server = ...`
    (lambda: _old_app("/"), "holds the app itself, not a server"),  # forgot workshop.serve
    (lambda: "http://127.0.0.1:5000/", "holds str, not a server"),
    (lambda: serve(_old_app("/"), name="home-stopped"), "has stopped: serve the app again"),
    (lambda: serve(_old_app("/"), name="home-old"), "serves an app whose GET / answers 200: "
                                                    "an older version? Load the app again"),
    (lambda: serve(_old_app("/hello"), name="home-404"), "answers 404: an older version?"),
])
def test_home_page_nudges_for_the_server(tmp_path, capsys, make, hint):
    server = make()
    if "stopped" in hint:
        server.stop()
    try:
        checks.home_page(workspace(tmp_path, SOLUTION), server=server)
    finally:
        if hasattr(server, "stop"):
            server.stop()
    out = heard(capsys)
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


def test_preflight_fails_on_a_get(cors_server, workspace):
    sent = cors_server.request("GET", "/", headers={"Origin": PAGE_ORIGIN})
    with pytest.raises(NotYet, match="your request was a GET"):
        checks.preflight.raw(sent, str(workspace))


def test_preflight_passes_on_the_solution(cors_server, workspace):
    answer = cors_server.request("OPTIONS", "/", headers=SOLUTION_HEADERS)
    assert "allows it" in checks.preflight.raw(answer, str(workspace))


# Lesson 02's CORS lines in app/__init__.py (demo_code has them as the lesson writes them).
CORS_SOLVED = (
    'cors_origins = os.environ.get("CORS_ORIGINS", local_origins).split(",")\n'
    "CORS(app, origins=[origin.strip() for origin in cors_origins if origin.strip()])\n"
)


@pytest.mark.parametrize(("cors_lines", "hint"), [
    # the skeleton: `local_origins = ...`, `cors_origins = ...`, no CORS(...) yet
    ("cors_origins = ...\n", "lets no origin read its answers"),
    ("CORS(app)\n", "lets every origin read its answers"),
    ('CORS(app, origins=["http://127.0.0.1:5001"])\n', "http://localhost:5001 is not allowed"),
    ('CORS(app, origins=os.environ.get("CORS_ORIGINS", local_origins))\n',
     "lets no origin read its answers"),  # a string, not a list: no origin matches
    ('CORS(app, origins=local_origins.split(","))\n', "those origins are still refused: read "
                                                       "the variable"),
    ('CORS(app, origins=["http://127.0.0.1:5001", "http://localhost:5001", "*"])\n',
     "lets every origin"),
])
def test_preflight_nudges_for_the_cors_setup(cors_server, workspace, capsys, cors_lines, hint):
    init = workspace / "app" / "__init__.py"
    text = init.read_text(encoding="utf-8")
    assert text.count(CORS_SOLVED) == 1
    init.write_text(text.replace(CORS_SOLVED, cors_lines), encoding="utf-8")
    checks.preflight(cors_server.request("OPTIONS", "/", headers=SOLUTION_HEADERS),
                     str(workspace))
    out = heard(capsys)
    assert out.startswith("not yet:") and hint in out, out


def test_preflight_names_an_old_server(workspace, capsys):
    old = Flask("cors_old")
    old.add_url_rule("/", "home", lambda: "home")
    with serve(old, name="cors-old") as server:  # served before CORS was set up
        checks.preflight(server.request("OPTIONS", "/", headers=SOLUTION_HEADERS),
                         str(workspace))
    out = heard(capsys)
    assert out.startswith("not yet:") and "load the app again" in out, out


@pytest.mark.parametrize(("leave_out", "hint"), [
    ("Origin", "send the page's origin"),
    ("Access-Control-Request-Method", "which method the page wants"),
    ("Access-Control-Request-Headers", "Content-Type header"),
])
def test_preflight_nudges_for_each_missing_header(cors_server, workspace, capsys, leave_out,
                                                  hint):
    headers = {k: v for k, v in SOLUTION_HEADERS.items() if k != leave_out}
    checks.preflight(cors_server.request("OPTIONS", "/", headers=headers), str(workspace))
    out = heard(capsys)
    assert out.startswith("not yet:") and hint in out, out


def test_preflight_says_what_to_pass_when_it_is_not_a_response(workspace, capsys):
    checks.preflight(None, str(workspace))
    assert "server.request" in heard(capsys)
