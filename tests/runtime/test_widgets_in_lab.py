"""The explorer widget in a real JupyterLab, driven by Chromium: type a user, press, read JSON.

A notebook in a temporary root loads the reference app (`demo_code/`, copied as its workspace)
with `workshop.load_app()`, serves it and shows `workshop.explorer(server)`. Chromium runs all
cells from the Run menu, types `octocat` and presses the button; the answer comes from the app
over real HTTP, and the app's upstream is the GitHub double started in the kernel.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from conftest import ROOT
from lab_process import start_lab
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

WAIT_MS = 90_000  # generous: a cold kernel plus widget rendering on a busy CI machine
NOTEBOOK = "explorer.ipynb"
CELLS = [
    "import workshop\n\napp = workshop.load_app()\nserver = workshop.serve(app)",
    'explorer = workshop.explorer(server, user="")\nexplorer',
]


@pytest.fixture
def lab_root(tmp_path):
    """A notebook folder holding the reference app as its workspace, and the notebook."""
    root = tmp_path / "root"
    shutil.copytree(ROOT / "demo_code", root / "workspace",
                    ignore=shutil.ignore_patterns("__pycache__", "instance", "*.sqlite3"))
    nb = new_notebook(cells=[new_markdown_cell("# Explorer"), *map(new_code_cell, CELLS)],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                               "language": "python"}})
    nbformat.write(nb, root / NOTEBOOK)
    return root


@pytest.fixture
def lab(lab_root, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    process = start_lab(lab_root, home)
    try:
        yield process
    finally:
        process.stop()


@pytest.mark.slow
@pytest.mark.browser
def test_explorer_shows_the_users_json(lab, page):
    from playwright.sync_api import expect

    page.set_default_timeout(WAIT_MS)
    expect.set_options(timeout=WAIT_MS)
    page.goto(f"{lab.url}lab/tree/{NOTEBOOK}?reset")
    # Wait for the kernel itself: the toolbar's indicator says "idle" before a kernel exists,
    # and Run All at that moment opens a "Select Kernel" dialog instead of running.
    expect(page.locator(".jp-Notebook")).to_be_visible()
    expect(page.get_by_role("button", name="Python 3 (ipykernel) | Idle")).to_be_visible()

    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

    user = page.locator(".widget-text", has_text="user").locator("input")
    expect(user).to_be_visible()
    user.fill("octocat")
    page.get_by_role("button", name="GET /users/<user>", exact=True).click()

    result = page.locator(".workshop-explorer-result")
    expect(result).to_contain_text("GET /users/octocat")
    expect(result).to_contain_text("HTTP 200 OK")
    expect(result).to_contain_text('"login": "octocat"')
