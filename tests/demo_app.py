"""Import the reference app (demo_code/app) fresh, for tests that serve it (demo_code, hub)."""

from __future__ import annotations

import importlib
import os
import sys
from contextlib import contextmanager

from conftest import ROOT

DEMO = ROOT / "demo_code"


def purge_app_modules() -> None:
    """Forget every imported `app` module (students' workspace apps are also called `app`)."""
    for name in [name for name in sys.modules if name == "app" or name.startswith("app.")]:
        del sys.modules[name]


@contextmanager
def environment(**values: str):
    """Set environment variables for the duration of a block, then restore the old ones."""
    old = os.environ.copy()
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(old)


def import_demo_app(**env: str):
    """Import demo_code's `app` package fresh, as `python demo_code/server.py` would."""
    purge_app_modules()
    sys.path.insert(0, str(DEMO))
    try:
        with environment(**env):
            return importlib.import_module("app").app
    finally:
        sys.path.remove(str(DEMO))
        purge_app_modules()  # the objects live on; later imports of `app` find their own


# Playwright's default 30 s is a speed limit; on a busy machine (a hub with three students
# beside the suite) a page can take longer. This only guards against a hang.
HANG_GUARD_MS = 180_000


def look_up_octocat(page) -> None:
    """On the demo page (already loading in Playwright's `page`), look up octocat and check the
    answer: the page's relative fetch must reach the app, wherever the page is served from."""
    heading = page.get_by_role("heading", level=1)
    heading.wait_for(timeout=HANG_GUARD_MS)
    assert heading.inner_text() == "Flask Demo Using the Github API"
    page.fill("#user-input", "octocat")
    page.click("#user-form button:enabled", timeout=HANG_GUARD_MS)  # enabled once the script ran
    answer = page.locator("#user-output:not([hidden]), #user-message.error:not([hidden])")
    answer.wait_for(timeout=HANG_GUARD_MS)
    assert '"login": "octocat"' in page.locator("#user-output").inner_text(), (
        page.locator("#user-message").inner_text())
