"""Checks for lesson 07: JSON errors and name rules."""

from __future__ import annotations

import requests
from flask import Flask
from werkzeug.exceptions import HTTPException

from workshop.checks._core import (
    LOOP_ADVICE,
    NotYet,
    brief,
    check,
    client,
    config_set,
    counting_requests,
    expect_status,
    explain,
    fresh_upstream,
    json_of,
    quiet_logger,
)

# Names GitHub cannot have, one request per view: each should get 400 before we ask GitHub.
BAD_NAME_REQUESTS = (
    ("GET", "/users/-octocat-", None, "get_user"),
    ("GET", "/users/-octocat-/repos/Hello-World", None, "get_repository"),
    ("GET", "/users/octocat/repos/Hello%20World", None, "get_repository"),
    ("POST", "/users/-octocat-/count-repos", None, "count_repos"),
    ("POST", "/users/-octocat-/get-n-repos-alphabetically", {"num_repos": 1},
     "get_n_repos_alphabetically"),
)
# Each upstream failure of the double, the status our API should answer, and how to say it.
UPSTREAM_FAILURES = (("drop", 502, "hangs up without an answer"),
                     ("hang", 504, "does not answer in time"))


@check
def json_errors(app: Flask) -> str:
    """Exercise 11: unknown URLs and wrong methods answer JSON, not HTML."""
    web = client(app)
    for method, path, status in (("GET", "/no/such/page", 404), ("DELETE", "/", 405)):
        response = web.open(path, method=method)
        what = f"{method} {path}"
        expect_status(response, status, what)
        data = json_of(response, what)
        if not isinstance(data, dict) or not data.get("message"):
            raise NotYet(f"{what} sent {data!r}; include a 'message'")
    return "GET /no/such/page → 404 JSON and DELETE / → 405 JSON, each with a message"


VALID_USERS = ["octocat", "a", "mona-lisa-dev", "A1-b2-C3", "x" * 39]
INVALID_USERS = ["", "-octocat", "octocat-", "mona--lisa", "x" * 40, "under_score", "dot.ted",
                 "../etc", "a/b", "a?b", "a#b", "a b", "ünïcode", "octocat\n"]


@check
def user_names(is_valid_user_id) -> str:
    """Exercise 12: is_valid_user_id follows GitHub's username rules."""
    for name in VALID_USERS + INVALID_USERS:
        verdict = is_valid_user_id(name)
        if not isinstance(verdict, bool):
            raise NotYet(f"is_valid_user_id({name!r}) returned {verdict!r}; return True or False")
        if verdict != (name in VALID_USERS):
            word = "accepted" if verdict else "rejected"
            raise NotYet(f"is_valid_user_id({name!r}) {word} it, but GitHub would not")
    return f"{len(VALID_USERS)} valid and {len(INVALID_USERS)} invalid names classified right"


@check
def upstream_failures(app: Flask) -> str:
    """Lesson 07: GitHub hanging up answers 502 and GitHub not answering in time 504, as JSON."""
    from workshop.runtime.github_api import double

    fresh_upstream()
    control = double()
    if control is None:
        raise NotYet("this check needs the kit's GitHub double: unset GITHUB_API_URL")
    web = client(app, propagate=False)
    try:
        with quiet_logger(app), config_set(app, GITHUB_TIMEOUT=0.5):
            for fault, status, what in UPSTREAM_FAILURES:
                control.settings.fault = fault
                web.situation = f" when GitHub {what}"
                if fault == "hang":  # GitHub never answers: only a timeout ends the wait
                    web.advice = f"does every request to GitHub pass timeout=? Else {LOOP_ADVICE}"
                response = web.get("/users/octocat")
                control.reset()  # also ends the hang
                if response.status_code == 500:
                    raise NotYet(_why_500(app, FAULT_ERRORS[fault], response.crash, what))
                if fault == "hang" and response.status_code == 502:
                    raise NotYet("a timeout answered 502: requests.Timeout is also a "
                                 "RequestException, so it needs a handler of its own (504)")
                expect_status(response, status, f"when GitHub {what}, GET /users/octocat")
                data = json_of(response, f"when GitHub {what}, GET /users/octocat")
                if not isinstance(data, dict) or not data.get("message"):
                    raise NotYet(f"the {status} answer sent {brief(data)}; give it a JSON "
                                 "message")
    finally:
        control.reset()
    return "GitHub hanging up → 502, GitHub too slow → 504, each with a JSON message"


# The exception requests raises for each fault of the double.
FAULT_ERRORS = {"drop": requests.ConnectionError, "hang": requests.ReadTimeout}


def _why_500(app: Flask, error_class, crash, what: str) -> str:
    """Why the app crashed when GitHub failed with `error_class`: what its handler does wrong,
    a crash of the view's own before GitHub mattered, or no handler at all."""
    crashed = f"when GitHub {what}, GET /users/octocat still crashes (500): "
    handled = app.error_handler_spec.get(None, {}).get(None, {})  # app-wide, by class
    owner = next((cls for cls in error_class.__mro__ if cls in handled), None)
    if owner is not None and issubclass(owner, requests.RequestException):
        return crashed + _handler_problem(app, handled[owner], error_class)
    if crash is not None and not isinstance(crash, requests.RequestException):
        return ("GET /users/octocat crashed (500) before GitHub's failure mattered: "
                + explain(crash))
    # No handler, or only a catch-all (Exception) that answers 500 for everything.
    return crashed + "which exception does the traceback end with? give that class an error handler"


def _handler_problem(app: Flask, handler, error_class) -> str:
    """What the student's handler for `error_class` does instead of answering."""
    error = error_class("from the check")
    name = getattr(handler, "__name__", "the handler")
    with app.test_request_context("/users/octocat"):
        try:
            answer = handler(error)
        except HTTPException:
            return (f"{name} calls abort(), which raises a new error inside an error handler, "
                    "and nothing handles that one: return the answer (a JSON message and its "
                    "status) instead")
        except Exception as raised:  # noqa: BLE001 (reported as the hint)
            return f"{name} itself raised {type(raised).__name__}: {raised}"
    if answer is None:
        return f"{name} returned None: replace the `...` with a `return`"
    return f"{name} returned {brief(answer)}, which Flask could not send"


# Requests with no names to check: check_names runs for them too, and must let them through.
# For a URL no route matches Flask passes values=None; for a route without variables, {}.
NO_NAME_REQUESTS = (
    ("GET", "/no/such/page", 404, "no route matches it, so values is None"),
    ("DELETE", "/", 405, "no route allows DELETE there, so values is None"),
    ("GET", "/", 200, "its URL has no variables, so values is {}"),
)


@check
def names_checked(app: Flask) -> str:
    """Lesson 07: every view refuses impossible names with 400, without asking GitHub."""
    fresh_upstream()
    web = client(app, propagate=False)
    with quiet_logger(app), counting_requests() as sent:
        for method, path, body, view in BAD_NAME_REQUESTS:
            before = len(sent)
            response = web.open(path, method=method, json=body)
            crash = getattr(response, "crash", None)
            if response.status_code == 500 and crash is not None:
                raise NotYet(f"{method} {path} crashed (500, {view}): {explain(crash)}")
            if response.status_code != 400 or len(sent) > before:
                asked = " after asking GitHub" if len(sent) > before else ""
                raise NotYet(f"{method} {path} answered {response.status_code}{asked} "
                             f"({view}): check_names should check every user_id and "
                             "repo_name in the URL before any view runs")
            json_of(response, f"{method} {path}")
        for method, path, status, why in NO_NAME_REQUESTS:
            response = web.open(path, method=method)
            if response.status_code == 500:
                raise NotYet(f"{method} {path} answered 500: check_names runs for every request, "
                             f"also this one, where {why}: what does your code do then?")
            if response.status_code == 400:
                raise NotYet(f"{method} {path} answered 400, but it has no name to check "
                             f"({why}): check only the names the URL has")
            expect_status(response, status, f"{method} {path}")
        expect_status(web.get("/users/octocat"), 200, "GET /users/octocat (a good name)")
    return "impossible names get 400 from all four views, without a request to GitHub"
