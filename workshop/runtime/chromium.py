"""Which Chromium the kit drives (page checks, the pre-flight check, the browser tests)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Flags for a headless Chromium on a machine without internet (and as root in containers).
ARGS = [
    "--no-sandbox",  # CI and containers run as root
    "--disable-gpu",
    "--disable-background-networking",  # no internet here: don't even try
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """The system Chromium or Chrome ($CHROMIUM first), else Playwright's own, else None.

    Linux machines get Chromium from their packages; macOS and Windows runners get Playwright's
    (`python -m playwright install chromium`).
    """
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "chromium",
                      "chromium-browser", "google-chrome", "chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return _playwrights_own()


def _playwrights_own() -> str | None:
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            path = pw.chromium.executable_path
    except Exception:  # no Playwright, or it cannot start here: no browser, as without one
        return None
    return path if path and Path(path).is_file() else None
