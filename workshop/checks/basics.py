"""Checks for the your-turns of lessons 01-02: a first view and its server; CORS, a preflight."""

from __future__ import annotations

import requests
from flask import Flask

from workshop.checks._core import (
    EVIL_ORIGIN,
    NotYet,
    check,
    client,
    environment_variable,
    workspace_app,
)

# --- Lesson 01: a first server -------------------------------------------------------------------

GREETING = "Hello from Flask!"


@check
def home_page(workspace: str = "workspace", server=None) -> str:
    """Lesson 01: the view `render_home` answers GET / with the text "Hello from Flask!";
    with `server`, that server runs and serves the app as the file now defines it."""
    app = workspace_app(workspace)
    answer = client(app).get("/")
    if answer.status_code == 404:
        raise NotYet("GET / answered 404 Not Found: is render_home connected to the path / "
                     "by a decorator on the line above its def?")
    if answer.status_code != 200:
        raise NotYet(f"GET / answered {answer.status_code}, expected 200")
    text = answer.get_data(as_text=True)
    if text != GREETING:
        raise NotYet(f"GET / answered {text[:60]!r}, expected {GREETING!r}")
    if server is None:
        return f"GET / answered 200 with the text {GREETING!r}"
    _serving_the_file(server)
    return f"GET / answered 200 with the text {GREETING!r}, and `server` serves that app"


def _serving_the_file(server) -> None:
    """NotYet unless `server` is a running workshop server of the app the file defines now."""
    from workshop.runtime.server import Server

    if isinstance(server, Flask):
        raise NotYet("`server` holds the app itself, not a server: give the app to "
                     "workshop.serve(...) and keep what it returns")
    if not isinstance(server, Server):
        raise NotYet(f"`server` holds {type(server).__name__}, not a server: keep what "
                     "workshop.serve(...) returns in it")
    # The check runs in a forked child, where the server's thread does not exist: ask its
    # socket instead, which Server.stop() closes (in the kernel, before the fork).
    if server._wsgi.socket.fileno() < 0:
        raise NotYet("`server` has stopped: serve the app again")
    # The served app answered through a test client: the server's log stays the lesson's own.
    answer = client(server.app).get("/")
    if answer.status_code != 200 or answer.get_data(as_text=True) != GREETING:
        raise NotYet(f"your file is right, but `server` serves an app whose GET / answers "
                     f"{answer.status_code}: an older version? Load the app again (the file "
                     "has changed since), then serve it")


# --- Lesson 02: CORS, a preflight request ------------------------------------------------------

PAGE_ORIGIN = "http://localhost:5001"
LOCAL_ORIGINS = ("http://127.0.0.1:5001", PAGE_ORIGIN)
# What a deployment might put in CORS_ORIGINS: these, and only these, are then allowed.
DEPLOYED_ORIGINS = ("https://demo.example", "https://www.demo.example")


@check
def preflight(answer, workspace: str = "workspace") -> str:
    """Lesson 02: CORS in app/__init__.py allows our page's origins (or those of CORS_ORIGINS),
    and the preflight a page at PAGE_ORIGIN sends before a JSON POST, and its answer."""
    _cors_setup(workspace)
    if not isinstance(answer, requests.Response):
        raise NotYet("`preflight` should hold the answer of server.request(...)")
    sent = answer.request.headers
    method = answer.request.method
    if method != "OPTIONS":
        raise NotYet(f"your request was a {method}: which method does a browser use to ask "
                     "for permission first?")
    if sent.get("Origin") != PAGE_ORIGIN:
        raise NotYet(f"the server cannot tell who asks: send the page's origin, {PAGE_ORIGIN}, "
                     "in a request header")
    wanted = sent.get("Access-Control-Request-Method")
    if wanted is None:
        raise NotYet("the server cannot tell which method the page wants to send: "
                     "which Access-Control-Request-... header names it?")
    if wanted != "POST":
        raise NotYet(f"your preflight asks for {wanted}, but the page wants to send a POST")
    headers = [h.strip().lower() for h in sent.get("Access-Control-Request-Headers", "").split(",")]
    if "content-type" not in headers:
        raise NotYet("a JSON body comes with a Content-Type header: which "
                     "Access-Control-Request-... header lists the headers the page will send?")
    if answer.headers.get("Access-Control-Allow-Origin") != PAGE_ORIGIN:
        raise NotYet(f"your file allows {PAGE_ORIGIN}, but the server's answer does not: "
                     "load the app again (the file has changed), serve it, then send the "
                     "preflight")
    return (f"CORS allows our page's two origins (or CORS_ORIGINS's), no other; OPTIONS / from "
            f"{PAGE_ORIGIN} asked for POST with Content-Type, and the answer allows it")


def _allowed(workspace: str, cors_origins: str | None) -> dict[str, bool]:
    """Origin -> whether the workspace's app, loaded with that CORS_ORIGINS, allows it."""
    # The check may run in the kernel's own process (no fork): the variable is put back.
    with environment_variable("CORS_ORIGINS", cors_origins):
        app = workspace_app(workspace)
    allowed = {}
    for origin in (*LOCAL_ORIGINS, *DEPLOYED_ORIGINS, EVIL_ORIGIN):
        answer = client(app).get("/", headers={"Origin": origin})
        allowed[origin] = answer.headers.get("Access-Control-Allow-Origin") in (origin, "*")
    return allowed


def _cors_setup(workspace: str) -> None:
    """NotYet unless the app allows our origins (or CORS_ORIGINS's when set), not a stranger."""
    local = _allowed(workspace, None)
    if not any(local.values()):
        raise NotYet(f"the app lets no origin read its answers (no Access-Control-Allow-Origin "
                     f"for {LOCAL_ORIGINS[0]}): set up CORS in app/__init__.py, with a list of "
                     "origins, one per item")
    if local[EVIL_ORIGIN]:
        raise NotYet(f"the app lets every origin read its answers, {EVIL_ORIGIN} too: "
                     "give CORS only the origins you name")
    for origin in LOCAL_ORIGINS:
        if not local[origin]:
            raise NotYet(f"{origin} is not allowed: is it spelt so, as one item of the list "
                         "you give CORS (a comma-separated string must be split)?")
    deployed = _allowed(workspace, ",".join(DEPLOYED_ORIGINS))
    if not all(deployed[origin] for origin in DEPLOYED_ORIGINS):
        raise NotYet(f"with CORS_ORIGINS={','.join(DEPLOYED_ORIGINS)} in the environment "
                     "those origins are still refused: read the variable with os.environ")
