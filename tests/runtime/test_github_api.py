"""workshop.runtime.github_api: one setting (GITHUB_API_URL) decides where GitHub requests go."""

import re

import pytest
import requests

from workshop.runtime import github_api as upstream
from workshop.runtime.server import running_servers

TOKEN = "ghp_thisIsNotARealTokenButLooksLikeOne123"


@pytest.fixture
def fresh(monkeypatch):
    """No GITHUB_API_URL, no token, no double yet; stops the double this test starts."""
    for name in ("GITHUB_API_URL", "GITHUB_TOKEN"):
        # setenv first, so teardown restores the variable even though upstream sets it.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setattr(upstream, "_server", None)
    yield
    server = running_servers().get(upstream.DOUBLE_NAME)
    if server is not None:
        server.stop()


def test_unset_starts_the_double_once(fresh, capsys):
    url = upstream.github_api_url()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
    assert upstream.os.environ["GITHUB_API_URL"] == url
    assert upstream.github_api_url() == url  # started once
    assert requests.get(url + "/users/octocat", timeout=10).json()["login"] == "octocat"
    assert upstream.double().calls == ["/users/octocat"]
    assert upstream.double().url == url
    assert capsys.readouterr().out == ""  # nothing printed, no request log


def test_override_goes_where_it_says(fresh, monkeypatch):
    monkeypatch.setenv("GITHUB_API_URL", "https://api.github.com/")
    assert upstream.github_api_url() == "https://api.github.com"
    assert upstream.double() is None
    assert upstream.DOUBLE_NAME not in running_servers()


def test_a_stopped_double_is_started_again(fresh):
    upstream.github_api_url()
    running_servers()[upstream.DOUBLE_NAME].stop()
    url = upstream.github_api_url()
    assert requests.get(url + "/rate_limit", timeout=10).status_code == 200


def test_headers_without_and_with_a_token(fresh, monkeypatch):
    assert upstream.github_headers() == {"Accept": "application/vnd.github+json",
                                         "X-GitHub-Api-Version": "2022-11-28"}
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    assert upstream.github_headers()["Authorization"] == f"Bearer {TOKEN}"


def test_the_token_never_shows(fresh, monkeypatch):
    from IPython.lib.pretty import pretty

    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    headers = upstream.github_headers()
    for shown in (repr(headers), str(headers), f"{headers}", pretty(headers)):
        assert TOKEN not in shown and "Bearer ***" in shown
    url = upstream.github_api_url()
    requests.get(url + "/users/octocat", headers=headers, timeout=10)
    server = running_servers()[upstream.DOUBLE_NAME]
    kept = [repr(upstream.double()), *upstream.double().calls, *server.log,
            *map(repr, server.requests)]
    assert not [line for line in kept if TOKEN in line]
