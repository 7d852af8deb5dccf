"""Checks for lesson 04: proxying GitHub (followers, rate limit, ETag)."""

from __future__ import annotations

import time

import requests
from flask import Flask

from workshop.checks._core import (
    NotYet,
    check,
    client,
    expect_status,
    fresh_upstream,
    json_of,
    upstream_url,
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
    if "message" not in json_of(missing, "the unknown user"):
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
