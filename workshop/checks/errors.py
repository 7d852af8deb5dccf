"""Checks for lesson 07: JSON errors and name rules."""

from __future__ import annotations

from flask import Flask

from workshop.checks._core import NotYet, check, client, expect_status, json_of


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
