"""Shared fixtures: the system Chromium (Playwright), repository paths, CI strictness."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from workshop.runtime.chromium import ARGS, chromium_path

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# Fixture lessons are data for `catch_up(..., lessons_dir=...)` tests, not notebooks to run.
collect_ignore_glob = ["notebooks/lessons_fixture/*.ipynb"]

CHROMIUM_ARGS = ARGS  # tests that launch Chromium themselves use the kit's flags


def need(condition: bool, reason: str) -> None:
    """Skip locally with a clear reason; in CI (CI=true) every test is mandatory."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def browser():
    """A headless system Chromium driven by Playwright (never a downloaded browser)."""
    path = chromium_path()
    need(path is not None, "Chromium not found (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def exported(tmp_path_factory):
    """Every deck exported once with `python -m workshop slides`'s code, into a temp folder
    (shared by the export's tests and the accessibility check, so the suite exports once)."""
    from workshop.authoring import slides

    out = tmp_path_factory.mktemp("slides")
    return {deck.stem: slides.export(deck, out) for deck in slides.decks()}


@pytest.fixture(autouse=True)
def _keep_github_api_url():
    """Undo any GITHUB_API_URL a test sets, so notebook kernels started later by nbval (which
    inherit this process's environment) start their own GitHub double with a fresh budget."""
    before = os.environ.get("GITHUB_API_URL")
    yield
    if before is None:
        os.environ.pop("GITHUB_API_URL", None)
    else:
        os.environ["GITHUB_API_URL"] = before


HUB_TESTS = ROOT / "tests" / "classroom" / "hub"


def pytest_collection_modifyitems(config, items):
    """The hub tests run where the kit's JupyterHub runs: Linux (local spawner, psutil's view
    of each student's listening sockets). Elsewhere they are reported as skipped, in CI too."""
    if sys.platform.startswith("linux"):
        return
    skip = pytest.mark.skip(reason="the kit's JupyterHub is supported and tested on Linux only")
    for item in items:
        if HUB_TESTS in item.path.resolve().parents:
            item.add_marker(skip)
