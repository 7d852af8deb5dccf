"""The rate-limit budget: exhaustion (GitHub's 403), reset by the clock, 304s free with a token."""

import pytest
from gh_helpers import START, served_double


@pytest.fixture
def gh():
    yield from served_double()


def remaining(response) -> int:
    return int(response.headers["X-RateLimit-Remaining"])


def test_exhausted_budget_gets_githubs_403(gh):
    gh.double.settings.rate_limit = 3
    assert [remaining(gh.get("/users/octocat")) for _ in range(3)] == [2, 1, 0]
    refused = gh.get("/users/octocat")
    assert refused.status_code == 403
    assert refused.headers["Content-Type"] == "application/json; charset=utf-8"
    assert refused.json()["message"].startswith("API rate limit exceeded for 127.0.0.1.")
    assert refused.json()["documentation_url"] == (
        "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting")
    assert refused.headers["X-RateLimit-Limit"] == "3"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert refused.headers["X-RateLimit-Used"] == "3"
    assert refused.headers["X-RateLimit-Reset"] == str(START + 3600)
    assert len(gh.double.calls) == 4  # the refused request was received too


def test_budget_refills_at_the_reset_time(gh):
    gh.double.settings.rate_limit = 1
    gh.get("/users/octocat")
    assert gh.get("/users/octocat").status_code == 403
    gh.clock.advance(3599)
    assert gh.get("/users/octocat").status_code == 403
    gh.clock.advance(1)
    fresh = gh.get("/users/octocat")
    assert fresh.status_code == 200
    assert fresh.headers["X-RateLimit-Reset"] == str(START + 3600 + 3600)


def test_errors_count_but_rate_limit_endpoint_does_not(gh):
    gh.get("/users/nobody-here")
    for _ in range(3):
        gh.get("/rate_limit")
    body = gh.get("/rate_limit").json()
    assert body["rate"]["used"] == 1 and body["rate"]["remaining"] == 59


def test_304_is_free_only_with_a_token(gh):
    token = {"Authorization": "Bearer not-a-real-token"}
    first = gh.get("/repos/octocat/Hello-World", headers=token)
    etag = first.headers["ETag"]
    again = gh.get("/repos/octocat/Hello-World", headers={**token, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    assert remaining(again) == remaining(first) == 4999
    changed = gh.get("/repos/octocat/Hello-World",
                     headers={**token, "If-None-Match": '"other"'})
    assert changed.status_code == 200 and remaining(changed) == 4998


def test_anonymous_304_counts(gh):
    first = gh.get("/repos/octocat/Hello-World")
    again = gh.get("/repos/octocat/Hello-World", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert (remaining(first), remaining(again)) == (59, 58)


def test_a_token_has_its_own_larger_budget(gh):
    gh.double.settings.rate_limit = 1
    gh.get("/users/octocat")
    with_token = gh.get("/users/octocat", headers={"Authorization": "Bearer not-a-real-token"})
    assert with_token.status_code == 200
    assert with_token.headers["X-RateLimit-Limit"] == "5000"
    assert with_token.headers["Cache-Control"].startswith("private")


def test_reset_refills_and_clears_calls(gh):
    gh.double.settings.rate_limit = 1
    gh.get("/users/octocat")
    gh.double.reset()
    assert gh.double.calls == []
    assert gh.double.settings.rate_limit == 60  # back to how the double started
    assert remaining(gh.get("/users/octocat")) == 59
