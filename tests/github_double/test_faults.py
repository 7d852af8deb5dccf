"""Injected faults as a client meets them: 5xx, hang (timeout), malformed JSON, dropped socket."""

import pytest
import requests
from gh_helpers import served_double

from workshop.github_double import Settings


@pytest.fixture
def gh():
    yield from served_double()


def test_500(gh):
    gh.double.settings.fault = "500"
    response = gh.get("/users/octocat")
    assert response.status_code == 500
    assert response.json()["message"] == "Internal Server Error"


def test_other_5xx(gh):
    gh.double.settings.fault = "503"
    assert gh.get("/users/octocat").status_code == 503


def test_5xx_carries_the_rate_limit_headers(gh):
    gh.get("/users/octocat")
    gh.double.settings.fault = "502"
    response = gh.get("/users/octocat")
    assert response.status_code == 502
    assert response.headers["X-RateLimit-Remaining"] == "59"  # shown, not spent
    assert response.headers["X-RateLimit-Limit"] == "60"


def test_rate_limit_faults(gh):
    gh.double.settings.fault, gh.double.settings.fault_count = "429", 1
    primary = gh.get("/users/octocat")
    assert primary.status_code == 429 and primary.headers["X-RateLimit-Remaining"] == "0"
    gh.double.settings.fault, gh.double.settings.retry_after_s = "secondary", 5
    secondary = gh.get("/users/octocat")
    assert secondary.status_code == 403 and secondary.headers["Retry-After"] == "5"
    assert secondary.headers["X-RateLimit-Remaining"] == "60"  # budget left, yet refused
    gh.double.settings.fault = "secondary-429"
    assert gh.get("/users/octocat").status_code == 429


def test_hang_outlasts_a_short_client_timeout(gh):
    gh.double.settings.fault = "hang"
    with pytest.raises(requests.exceptions.ReadTimeout):
        gh.get("/users/octocat", timeout=0.5)
    gh.double.reset()  # ends the hang at once instead of after hang_seconds
    assert gh.get("/users/octocat").status_code == 200


def test_malformed_json(gh):
    gh.double.settings.fault = "malformed"
    response = gh.get("/users/octocat")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    with pytest.raises(requests.exceptions.JSONDecodeError):
        response.json()


def test_dropped_connection(gh):
    gh.double.settings.fault = "drop"
    with pytest.raises(requests.exceptions.ConnectionError):
        gh.get("/users/octocat")
    gh.double.settings.fault = None
    assert gh.get("/users/octocat").status_code == 200  # the server itself is fine


def test_fault_count_limits_the_fault(gh):
    gh.double.settings.fault, gh.double.settings.fault_count = "500", 2
    statuses = [gh.get("/users/octocat").status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    assert gh.double.settings.fault is None  # spent, and the settings say so


def test_fault_path_limits_the_fault(gh):
    gh.double.settings.fault, gh.double.settings.fault_path = "500", "/repos/"
    assert gh.get("/users/octocat").status_code == 200
    assert gh.get("/repos/octocat/Hello-World").status_code == 500


def test_faulty_answers_do_not_spend_the_budget(gh):
    gh.double.settings.fault, gh.double.settings.fault_count = "502", 1
    gh.get("/users/octocat")
    assert gh.get("/users/octocat").headers["X-RateLimit-Used"] == "1"
    assert len(gh.double.calls) == 2


def test_reset_clears_the_fault(gh):
    gh.double.settings.fault = "500"
    gh.double.reset()
    assert gh.get("/users/octocat").status_code == 200


def test_unknown_fault_is_refused_at_once():
    settings = Settings()
    with pytest.raises(ValueError, match="unknown fault"):
        settings.fault = "explode"
    with pytest.raises(ValueError):
        Settings(fault="404")


def test_switches_read_the_environment():
    environ = {"GITHUB_DOUBLE_FAULT": "503", "GITHUB_DOUBLE_RATE_LIMIT": "5",
               "GITHUB_DOUBLE_LATENCY_MS": "20", "GITHUB_DOUBLE_FAULT_COUNT": "1",
               "GITHUB_DOUBLE_HANG_SECONDS": "2", "GITHUB_DOUBLE_RETRY_AFTER_S": "7"}
    settings = Settings.from_env(environ, latency_ms=0)
    assert (settings.fault, settings.rate_limit, settings.latency_ms) == ("503", 5, 0)
    assert (settings.fault_count, settings.hang_seconds, settings.retry_after_s) == (1, 2, 7)
    assert Settings.from_env({}) == Settings()
