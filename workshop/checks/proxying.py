"""Checks for lesson 04: proxying GitHub (timeout, rate limit, repository route, exercises)."""

from __future__ import annotations

import time

import requests
from flask import Flask

from workshop.checks._core import (
    NotYet,
    brief,
    check,
    client,
    config_value,
    counting_requests,
    environment_variable,
    expect_status,
    fresh_upstream,
    json_object,
    json_of,
    step,
    upstream_url,
    workspace_app,
    workspace_module,
)


@check
def followers(app: Flask) -> str:
    """Exercise 04: GET /users/<user_id>/followers reports GitHub's follower count."""
    web = client(app)
    fresh_upstream()
    for user_id in ("octocat", "mona-lisa-dev"):
        expected = requests.get(f"{upstream_url()}/users/{user_id}", timeout=10).json()
        response = web.get(f"/users/{user_id}/followers")
        expect_status(response, 200, f"GET /users/{user_id}/followers")
        data = json_of(response, f"GET /users/{user_id}/followers")
        want = {"user_id": user_id, "followers": expected["followers"]}
        if data != want:
            raise NotYet(f"GET /users/{user_id}/followers sent {data}, expected {want}")
    missing = web.get("/users/no-such-user-0/followers")
    expect_status(missing, 404, "GET /users/no-such-user-0/followers")
    if "message" not in json_object(missing, "the unknown user"):
        raise NotYet("the 404 for an unknown user has no JSON message")
    return "follower counts for octocat and mona-lisa-dev match GitHub; an unknown user → 404 JSON"


def fake_upstream(status: int, body, headers: dict | None = None) -> requests.Response:
    """A requests.Response as GitHub might send it, without any network."""
    import json

    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers.update({"Content-Type": "application/json; charset=utf-8", **(headers or {})})
    response.url = "https://api.github.com/users/octocat"
    return response


# GitHub's rate-limit answers: (status, headers, name, Retry-After range in seconds).
RATE_LIMITS = [
    (403, {"X-RateLimit-Remaining": "0"}, "primary limit (403, X-RateLimit-Remaining: 0)",
     (1, 130)),
    (429, {"X-RateLimit-Remaining": "0"}, "primary limit (429, X-RateLimit-Remaining: 0)",
     (1, 130)),
    (403, {"X-RateLimit-Remaining": "37", "Retry-After": "30"},
     "secondary limit (403, Retry-After: 30)", (30, 30)),
]


@check
def rate_limit_429(app: Flask, create_response) -> str:
    """Exercise 05: create_response maps GitHub's answers to honest statuses."""

    def answer(upstream):
        with app.test_request_context():
            return app.make_response(create_response(upstream))

    ok = answer(fake_upstream(200, {"login": "octocat"}))
    if ok.status_code != 200 or ok.get_json() != {"login": "octocat"}:
        raise NotYet("a 200 from GitHub should pass through as 200 with the same JSON")
    expect_status(answer(fake_upstream(404, {"message": "Not Found"})), 404, "a GitHub 404")
    reset = str(int(time.time()) + 120)
    for status, headers, what, wait in RATE_LIMITS:
        limited = answer(fake_upstream(status, {"message": "API rate limit exceeded"},
                                       {**headers, "X-RateLimit-Reset": reset}))
        if limited.status_code != 429:
            raise NotYet(f"GitHub's {what} became {limited.status_code}, expected 429 Too Many "
                         "Requests: which headers tell a rate limit apart?")
        retry = limited.headers.get("Retry-After", "")
        if not retry.isdigit() or not wait[0] <= int(retry) <= wait[1]:
            raise NotYet(f"for GitHub's {what} Retry-After was {retry!r}, expected "
                         f"{wait[0]}-{wait[1]} seconds: where does GitHub say how long to wait?")
        if "message" not in (limited.get_json(silent=True) or {}):
            raise NotYet("the 429 needs a JSON message saying when to retry")
    broken = answer(fake_upstream(500, {"message": "Server Error"}))
    expect_status(broken, 502, "a GitHub 500 (our upstream failed: 502 Bad Gateway)")
    return ("200 passes, 404 stays 404, primary and secondary rate limits (403 or 429) → 429 "
            "with Retry-After, GitHub 500 → 502")


@check
def etag_304(app: Flask) -> str:
    """Exercise 06: answers carry an ETag, and If-None-Match with it gets 304 Not Modified."""
    web = client(app)
    first = web.get("/users/octocat/summary")
    expect_status(first, 200, "GET /users/octocat/summary")
    etag = first.headers.get("ETag")
    if not etag:
        raise NotYet("the answer has no ETag header: which response method computes one?")
    again = web.get("/users/octocat/summary", headers={"If-None-Match": etag})
    if again.status_code != 304:
        raise NotYet(f"If-None-Match with the ETag answered {again.status_code}, expected 304: "
                     "which response method compares the tag with the request?")
    if again.data:
        raise NotYet("a 304 must have an empty body")
    other = web.get("/users/mona-lisa-dev/summary", headers={"If-None-Match": etag})
    expect_status(other, 200, "another user's summary with octocat's ETag")
    return "ETag sent; If-None-Match → 304 with no body; another resource's ETag → 200"


@check
def timeout_setting(workspace: str = "workspace") -> str:
    """Lesson 04: app.config["GITHUB_TIMEOUT"] is seconds from GITHUB_TIMEOUT, 10 by default."""
    for text, want in ((None, 10), ("2.5", 2.5)):
        with environment_variable("GITHUB_TIMEOUT", text):
            value = config_value(workspace_app(workspace), "GITHUB_TIMEOUT")
        if value is ...:
            raise NotYet('app.config["GITHUB_TIMEOUT"] is still `...`: read the environment '
                         "variable GITHUB_TIMEOUT")
        if isinstance(value, str):
            raise NotYet(f'app.config["GITHUB_TIMEOUT"] is the text {value!r}, but requests '
                         "needs a number of seconds")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise NotYet(f'app.config["GITHUB_TIMEOUT"] is {value!r}, expected a number')
        if value != want:
            setting = "with GITHUB_TIMEOUT unset" if text is None else f"with GITHUB_TIMEOUT={text}"
            # Unset, a wrong value is the default; set, the variable was not read (or misspelt).
            cause = ("which default does os.environ.get give?" if text is None else
                     "is the variable's name in os.environ.get spelt GITHUB_TIMEOUT?")
            raise NotYet(f"{setting} the timeout is {value!r} seconds, expected {want}: {cause}")
    return "GITHUB_TIMEOUT: 10 seconds by default, 2.5 when the environment says 2.5"


RATE_LIMIT_CASES = [
    # No "rate limit" in this message: only the header can tell (the header branch alone).
    (403, {"X-RateLimit-Remaining": "0"}, "Forbidden", True,
     "a 403 with X-RateLimit-Remaining: 0 whose message does not say why"),
    (429, {}, "Too many requests", True, "a 429"),
    (403, {"X-RateLimit-Remaining": "12", "Retry-After": "30"}, "Slow down", True,
     "a 403 with Retry-After: 30"),
    (403, {"X-RateLimit-Remaining": "12"}, "You have exceeded a secondary rate limit", True,
     "a 403 whose message says 'You have exceeded a secondary rate limit'"),
    (200, {"X-RateLimit-Remaining": "59"}, "octocat", False, "a 200 with 59 requests left"),
    (403, {"X-RateLimit-Remaining": "41"}, "Resource not accessible by integration", False,
     "a 403 with 41 requests left and no word of a rate limit"),
]


# What a student most likely missed when a case goes wrong.
RATE_LIMIT_CAUSES = {
    RATE_LIMIT_CASES[0][4]: (": does your code read X-RateLimit-Remaining? Header values are "
                             "text, not numbers"),
}


@check
def rate_limit_signals(workspace: str = "workspace") -> str:
    """Lesson 04: is_rate_limited spots primary and secondary rate limits, and nothing else."""
    is_rate_limited = workspace_module("app.rate_limit", workspace).is_rate_limited
    for status, headers, message, want, what in RATE_LIMIT_CASES:
        step("is_rate_limited did not return")
        got = is_rate_limited(fake_upstream(status, {"message": message}, headers))
        if got is None:
            raise NotYet("is_rate_limited returned None: replace the `...` with a `return` of "
                         "True or False")
        if bool(got) != want:
            cause = RATE_LIMIT_CAUSES.get(what, "")
            raise NotYet(f"for {what}, is_rate_limited returned {brief(got)}, expected "
                         f"{want}{cause}")
    return (f"is_rate_limited is right for all {len(RATE_LIMIT_CASES)} answers: 429, remaining 0, "
            "Retry-After or a rate-limit message mean a rate limit, nothing else does")


@check
def repository_from_github(workspace: str = "workspace") -> str:
    """Lesson 04: GET /users/<user_id>/repos/<repo_name> answers GitHub's repository, or 404."""
    web = client(workspace_app(workspace))
    fresh_upstream()
    path = "/users/octocat/repos/Hello-World"
    with counting_requests() as sent:
        found = web.get(path)
    asked = [_path_of(url) for url in sent]
    if any("%2F" in url for url in asked):
        raise NotYet(f"GET {path} asked GitHub for {asked[-1]}: a / inside one part stays "
                     "encoded (%2F), so it cannot change the path; give github_url each part "
                     "as an argument of its own")
    if found.status_code == 404:
        raise NotYet(f"GET {path} answered 404: which GitHub URL did the view ask for?")
    expect_status(found, 200, f"GET {path}")
    full_name = json_object(found, f"GET {path}").get("full_name")
    if full_name != "octocat/Hello-World":
        raise NotYet(f"GET {path} sent JSON whose full_name is {brief(full_name)}, expected "
                     "'octocat/Hello-World': pass GitHub's repository on")
    missing = web.get("/users/octocat/repos/no-such-repo")
    expect_status(missing, 404, "GET /users/octocat/repos/no-such-repo")
    # A name with "?" must stay part of the path: pasted into an f-string it becomes a query.
    sneaky = "/users/octocat/repos/Hello-World%3Fpage=2"
    with counting_requests() as sent:
        tricked = web.get(sneaky)
    if tricked.status_code == 200:
        where = _path_of(sent[-1]) if sent else "GitHub"
        raise NotYet(f"GET {sneaky} answered 200: the view asked GitHub for {where}, so the "
                     "name's ? started a query; build the URL with github_url, which encodes "
                     "each part")
    return f"GET {path} → 200 with GitHub's repository; an unknown repository → 404"


def _path_of(url: str) -> str:
    """The path and query of a URL (no host and port: they differ between runs)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
