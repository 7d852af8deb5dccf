"""Checks for the your-turns of lessons 01-02: a first view, a preflight request."""

from __future__ import annotations

import requests

from workshop.checks._core import NotYet, check, client, workspace_app

# --- Lesson 01: a first server -------------------------------------------------------------------

GREETING = "Hello from Flask!"


@check
def home_page(workspace: str = "workspace") -> str:
    """Lesson 01: the view `render_home` answers GET / with the text "Hello from Flask!"."""
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
    return f"GET / answered 200 with the text {GREETING!r}"


# --- Lesson 02: CORS, a preflight request ------------------------------------------------------

PAGE_ORIGIN = "http://localhost:5001"


@check
def preflight(answer) -> str:
    """Lesson 02: the preflight a page at PAGE_ORIGIN sends before a JSON POST, and its answer."""
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
        raise NotYet(f"the answer does not allow {PAGE_ORIGIN}: run the cells above that set up "
                     "CORS, load the app and serve it")
    return (f"OPTIONS / from {PAGE_ORIGIN} asked for POST with Content-Type, "
            "and the answer allows it")
