"""Checks for exercises 01-03 (a first route, CORS, methods) and lesson 03's your-turn."""

from __future__ import annotations

from flask import Flask

from workshop.checks._core import (
    EVIL_ORIGIN,
    NotYet,
    check,
    client,
    expect_status,
    json_object,
    json_of,
    step,
    workspace_app,
)

# --- Lesson 01: a first server -------------------------------------------------------------------


@check
def hello_route(app: Flask) -> str:
    """Exercise 01: GET /hello/<name> greets in JSON, over a real background server."""
    from workshop import serve

    server = serve(app, name="exercise")
    for name in ("Ada", "Grace"):
        step(f"your view did not answer GET /hello/{name}")
        response = server.get(f"/hello/{name}")
        expect_status(response, 200, f"GET /hello/{name}")
        data = json_of(response, f"GET /hello/{name}")
        if data != {"greeting": f"Hello, {name}!"}:
            want = {"greeting": f"Hello, {name}!"}
            raise NotYet(f"GET /hello/{name} sent {data}, expected {want}")
    return "GET /hello/Ada and /hello/Grace answered 200 with the right greeting over real HTTP"


# --- Lesson 02: the app package, CORS ------------------------------------------------------------


@check
def cors_one_origin(app: Flask, origin: str) -> str:
    """Exercise 02: CORS allows the page's own origin and nobody else."""
    web = client(app)
    allowed = web.get("/data", headers={"Origin": origin})
    if allowed.headers.get("Access-Control-Allow-Origin") != origin:
        raise NotYet(f"a request from {origin} did not get Access-Control-Allow-Origin: {origin}")
    evil = web.get("/data", headers={"Origin": EVIL_ORIGIN})
    if "Access-Control-Allow-Origin" in evil.headers:
        value = evil.headers["Access-Control-Allow-Origin"]
        raise NotYet(f"{EVIL_ORIGIN} got Access-Control-Allow-Origin: {value}; "
                     "which origins does CORS(...) allow?")
    preflight = web.options("/data", headers={"Origin": EVIL_ORIGIN,
                                              "Access-Control-Request-Method": "GET"})
    if "Access-Control-Allow-Origin" in preflight.headers:
        raise NotYet(f"a preflight OPTIONS from {EVIL_ORIGIN} was allowed")
    return f"only {origin} may read /data from a browser (checked GET and a preflight OPTIONS)"


# --- Lesson 03: routes and methods ---------------------------------------------------------------


@check
def notes_methods(app: Flask) -> str:
    """Exercise 03: one route, GET lists and POST adds; other methods get 405."""
    web = client(app)
    added = web.post("/notes", json={"text": "buy milk"})
    if added.status_code == 405:
        raise NotYet("POST /notes answered 405 Method Not Allowed: which methods do the "
                     "routes for /notes accept?")
    expect_status(added, 201, "POST /notes")
    empty = web.post("/notes", data="buy milk", content_type="text/plain")
    expect_status(empty, 400, "POST /notes with a body that is not JSON")
    if "message" not in json_object(empty, "POST /notes without JSON"):
        raise NotYet("the 400 for a body that is not JSON needs a JSON 'message'")
    notes = json_object(web.get("/notes"), "GET /notes").get("notes")
    if not isinstance(notes, list) or "buy milk" not in notes:
        raise NotYet(f"after POST, GET /notes listed {notes!r}; the new note is missing")
    deleted = web.delete("/notes")
    expect_status(deleted, 405, "DELETE /notes")
    allow = sorted(m.strip() for m in deleted.headers.get("Allow", "").split(","))
    return (f"POST /notes → 201 (400 without JSON), GET lists the note, DELETE → 405 "
            f"(Allow: {', '.join(allow)})")


# Two different pairs, so a view that returns fixed values does not pass.
REPOSITORIES = (("octocat", "Hello-World"), ("new-user-0", "notes"))


def _routed(app: Flask, view: str) -> None:
    """NotYet unless some route leads to the view named `view`."""
    if view not in {rule.endpoint for rule in app.url_map.iter_rules()}:
        raise NotYet(f"no route leads to a view named {view} yet: write `def {view}` with "
                     "its @app.route(...) line right above it")


def _expect_echo(web, path: str, want: dict, not_found: str) -> None:
    """NotYet unless GET `path` answers 200 with exactly `want` as JSON."""
    answer = web.get(path)
    if answer.status_code == 404:
        raise NotYet(f"GET {path} answered 404 Not Found: {not_found}")
    expect_status(answer, 200, f"GET {path}")
    data = json_of(answer, f"GET {path}")
    if data != want:
        raise NotYet(f"GET {path} sent {data}, expected {want}")


@check
def repository_route(workspace: str = "workspace") -> str:
    """Lesson 03: GET /users/<user_id> and /users/<user_id>/repos/<repo_name> echo their URL
    variables as JSON (get_user and get_repository)."""
    app = workspace_app(workspace)
    web = client(app)
    _routed(app, "get_user")
    for user_id, _ in REPOSITORIES:
        _expect_echo(web, f"/users/{user_id}", {"user_id": user_id},
                     "which path did you give the route of get_user?")
    _routed(app, "get_repository")
    for user_id, repo_name in REPOSITORIES:
        _expect_echo(web, f"/users/{user_id}/repos/{repo_name}",
                     {"user_id": user_id, "repo_name": repo_name},
                     "which part of your route's path matches the repository's name?")
    return ("get_user and get_repository echoed their URL variables as JSON "
            "(octocat, Hello-World; new-user-0, notes)")
