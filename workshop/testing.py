"""pytest plugin of the kit (`-p workshop.testing` in pyproject.toml): hooks for every test,
notebooks included. Fixtures for the ordinary tests live in tests/conftest.py."""

import os

import pytest

# Where GitHub requests go, and the token: settings a test may leave behind in this process.
UPSTREAM_SETTINGS = ("GITHUB_API_URL", "GITHUB_TOKEN")


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
