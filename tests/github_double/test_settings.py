"""The double checks its settings when they are set: a clear ValueError, never a broken double."""

import math

import pytest
from gh_helpers import served_double

from workshop.github_double import Settings


@pytest.fixture
def gh():
    yield from served_double()


@pytest.mark.parametrize(("name", "value", "says"), [
    ("latency_ms", "200", "latency_ms must be a number of milliseconds (0 to 60000), "
                          "not the text '200'"),
    ("rate_limit", "10", "rate_limit must be a whole number of requests (0 or more), "
                         "not the text '10'"),
    ("fault_count", "2", "fault_count must be a whole number of faults (0 or more)"),
    ("rate_limit", -1, "not -1"),
    ("rate_limit", 2.5, "whole number"),
    ("rate_limit", True, "not True"),
    ("latency_ms", -5, "not -5"),
    ("latency_ms", math.nan, "not nan"),
    ("latency_ms", math.inf, "0 to 60000"),
    ("hang_seconds", -1, "hang_seconds must be a number of seconds"),
    ("rate_window_s", 0, "rate_window_s must be a whole number of seconds (1 or more)"),
    ("retry_after_s", None, "retry_after_s must be"),
    ("fault_count", -2, "not -2"),
    ("fault", 404, "unknown fault 404"),
    ("fault", 500.0, "unknown fault"),
    ("fault_path", "users/", "starting with '/'"),
    ("sleep", 3, "sleep must be a function"),
])
def test_a_bad_value_is_refused_when_set_and_nothing_changes(gh, name, value, says):
    before = getattr(gh.double.settings, name)
    with pytest.raises(ValueError) as refused:
        setattr(gh.double.settings, name, value)
    assert says in str(refused.value)
    assert getattr(gh.double.settings, name) == before
    assert gh.get("/users/octocat").status_code == 200  # the double still answers


def test_bad_values_are_refused_at_construction_and_from_the_environment():
    with pytest.raises(ValueError, match="rate_limit must be a whole number"):
        Settings(rate_limit="10")
    with pytest.raises(ValueError, match=r"^GITHUB_DOUBLE_LATENCY_MS='-3': latency_ms must be"):
        Settings.from_env({"GITHUB_DOUBLE_LATENCY_MS": "-3"})
    with pytest.raises(ValueError, match=r"^GITHUB_DOUBLE_RATE_LIMIT='ten': "):
        Settings.from_env({"GITHUB_DOUBLE_RATE_LIMIT": "ten"})
    assert Settings.from_env({"GITHUB_DOUBLE_FAULT_COUNT": "2"}).fault_count == 2


def test_an_int_fault_is_taken_as_its_status(gh):
    gh.double.settings.fault = 500
    assert gh.double.settings.fault == "500"
    assert gh.get("/users/octocat").status_code == 500


def test_numbers_of_the_right_kind_are_kept(gh):
    settings = gh.double.settings
    settings.latency_ms, settings.hang_seconds = 0.5, 2
    settings.rate_limit, settings.fault_count, settings.fault_path = 0, None, "/users/"
    assert (settings.latency_ms, settings.rate_limit, settings.fault_path) == (0.5, 0, "/users/")


def test_fault_count_zero_means_no_fault(gh):
    gh.double.settings.fault, gh.double.settings.fault_count = "500", 0
    assert [gh.get("/users/octocat").status_code for _ in range(2)] == [200, 200]
    gh.double.settings.fault_count = 1
    assert [gh.get("/users/octocat").status_code for _ in range(2)] == [500, 200]
