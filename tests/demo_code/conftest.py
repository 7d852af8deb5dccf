"""Fixtures for demo_code: the GitHub double and the reference app, both served over real HTTP.

Module-scoped: the suite runs test files in parallel workers, each file in one go, and another
file in the same worker may stop every server (`stop_all()` is a tested feature)."""

from __future__ import annotations

import pytest
from demo_app import import_demo_app

from workshop import serve

# GITHUB_TIMEOUT bounds GitHub's whole answer: generous, so a busy machine never turns a good
# answer into a 504. Tests that want the 504 set SHORT_TIMEOUT_S on the app they use.
TIMEOUT_S = 10
SHORT_TIMEOUT_S = 1
UNLIMITED = 10**9  # a rate-limit budget these tests never exhaust (unless they mean to)


@pytest.fixture(scope="module")
def double():
    """One GitHub double (its control object) on its own port; `github` resets it per test."""
    from workshop.github_double import Settings, control, create_app

    # An unlimited budget, so only the tests that mean to hit the rate limit do. A hang lasts
    # until reset() (the `github` fixture's, at the latest), or 120 s if a test breaks.
    double_app = create_app(Settings(rate_limit=UNLIMITED, hang_seconds=120))
    server = serve(double_app, name="demo-code-github-double")
    double = control(double_app)
    double.url = server.url.rstrip("/")
    yield double
    double.reset()
    server.stop()


@pytest.fixture(scope="module")
def demo_app(double, tmp_path_factory):
    """The reference app, configured to ask the double and to keep favourites in a temp file."""
    database = tmp_path_factory.mktemp("demo_code") / "favourites.sqlite3"
    return import_demo_app(GITHUB_API_URL=double.url, GITHUB_TIMEOUT=str(TIMEOUT_S),
                           DATABASE=str(database))


@pytest.fixture(scope="module")
def demo_server(demo_app):
    """The reference app served over real HTTP on a free port."""
    server = serve(demo_app, name="demo-code-app")
    yield server
    server.stop()


@pytest.fixture
def github(double):
    """The double, reset before and after the test, so faults never leak into the next test."""
    double.reset()
    yield double
    double.reset()


@pytest.fixture
def api(demo_server, github):
    """The served reference app, with a freshly reset double behind it."""
    return demo_server


@pytest.fixture
def start_demo(github):
    """A factory: import the app fresh with extra settings and serve it (stopped afterwards)."""
    servers = []

    def start(name="extra", **env):
        env.setdefault("GITHUB_API_URL", github.url)
        env.setdefault("GITHUB_TIMEOUT", str(TIMEOUT_S))
        servers.append(serve(import_demo_app(**env), name="demo-code-" + name))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def short_timeout(monkeypatch):
    """Give an app a GITHUB_TIMEOUT of SHORT_TIMEOUT_S for this test (tests that want a 504)."""

    def shorten(app):
        monkeypatch.setitem(app.config, "GITHUB_TIMEOUT", SHORT_TIMEOUT_S)

    return shorten
