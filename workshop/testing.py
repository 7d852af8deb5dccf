"""pytest plugin of the kit (`-p workshop.testing` in pyproject.toml): hooks for every test,
notebooks included. Fixtures for the ordinary tests live in tests/conftest.py."""

import os

import pytest

# Where GitHub requests go, and the token: settings a test may leave behind in this process.
UPSTREAM_SETTINGS = ("GITHUB_API_URL", "GITHUB_TOKEN")
# Fixtures made once for many tests: tests sharing one must run in the same worker.
SHARED_SCOPES = {"module", "class", "package"}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Start every notebook's kernel without inherited GitHub settings.

    nbval's kernel inherits this process's environment. A GITHUB_API_URL left by an earlier
    test points at a GitHub double that test has already stopped; without it, the notebook
    starts its own double, with a fresh rate-limit budget, exactly as in class.
    """
    if item.path.suffix == ".ipynb":
        for name in UPSTREAM_SETTINGS:
            os.environ.pop(name, None)


def pytest_collection_modifyitems(config, items):
    """Tell pytest-xdist (`--dist loadgroup`) what must stay together in one worker.

    A folder of notebooks shares one `workspace/` (lesson N starts from the files lesson N-1
    wrote), so its notebooks run in one worker, in order, cell after cell. A test using a
    module-scoped fixture (a JupyterHub, a built course) runs beside its module's other tests,
    so the fixture is made once. Every other test is free to go to any worker.
    """
    for item in items:
        group = _group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def _group(item) -> str | None:
    if item.path.suffix == ".ipynb":
        return f"notebooks:{item.path.parent}"
    fixtures = getattr(item, "_fixtureinfo", None)
    if fixtures is None:
        return None
    for name in fixtures.names_closure:
        definitions = fixtures.name2fixturedefs.get(name, ())
        if any(d.scope in SHARED_SCOPES for d in definitions):
            return f"module:{item.path}"
    return None
