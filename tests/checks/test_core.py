"""workshop.checks._core.explain: the hint names the real cause of an exception, and speaks of
an upstream (GitHub) request only when the failed request went to GitHub."""

from __future__ import annotations

import pytest
import requests

from workshop.checks import explain

GITHUB = "http://127.0.0.1:9/github"


def failed(error_class, url: str):
    return error_class("boom", request=requests.Request("GET", url).prepare())


@pytest.fixture(autouse=True)
def github_at(monkeypatch):
    monkeypatch.setenv("GITHUB_API_URL", GITHUB)


@pytest.mark.parametrize(("error", "hint"), [
    (failed(requests.ReadTimeout, f"{GITHUB}/users/octocat"),
     "a request to GitHub ran out of time (ReadTimeout): handle requests.Timeout"),
    (failed(requests.ConnectionError, f"{GITHUB}/users/octocat"),
     "a request to GitHub failed (ConnectionError): did your code ask the right URL?"),
    (failed(requests.ReadTimeout, "http://127.0.0.1:9/hello/Ada"),
     "a request to a server ran out of time (ReadTimeout)"),
    (failed(requests.ConnectionError, "http://example.invalid/"),
     "a request from your code failed (ConnectionError): which URL did it ask?"),
    (requests.exceptions.JSONDecodeError("Expecting value", "<html>", 0),
     "your code read a body that is not JSON with .json() (JSONDecodeError: Expecting value"),
    (TypeError("The view function for 'x' did not return a valid response. The function either "
               "returned None or ended without a return statement."),
     "a view (or error handler) returned None"),
    (TypeError("The view function did not return a valid response. The return type must be a "
               "string, dict, list, tuple with headers or status, Response instance, or WSGI "
               "callable, but it was a set."),
     "a view returned a set, which Flask cannot send"),
    (KeyError("user_id"), "your code raised KeyError: 'user_id'"),
])
def test_explain_names_the_cause(error, hint):
    said = explain(error)
    assert said.startswith(hint), said
    if "GitHub" not in hint:
        assert "GitHub" not in said and "upstream" not in said, said
