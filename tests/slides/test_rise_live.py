"""Deck 1 presented live with jupyterlab-rise in a real JupyterLab, driven by Chromium.

JupyterLab serves the slideshow at `/rise/<path>` (what "Render as slideshow" opens). We check
that the reveal.js deck renders its title, has one slide per `slide` cell of the notebook, and
that a code cell of the deck really runs in the kernel from the slideshow (Shift+Enter).

The root is a temporary copy of the decks (plus `demo_code/` beside them, as in the repo), so
the checkpoints and any autosave of the live session never touch the repository.
"""

from __future__ import annotations

import shutil

import nbformat
import pytest
from conftest import ROOT
from lab_process import start_lab

DECK = "slides/1-flask-in-one-hour.ipynb"
WAIT_MS = 60_000  # generous: a cold kernel on a busy CI machine; passing runs take ~10 s
LIVE_CELL = 7  # "GitHub, or its double": self-contained, asks the double for octocat

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def deck_cells() -> list:
    return nbformat.read(ROOT / DECK, as_version=4).cells


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab (no token, own config dirs) serving a temporary copy of the decks."""
    root = tmp_path_factory.mktemp("rise-root")
    (root / "slides").mkdir()
    for deck in (ROOT / "slides").glob("*.ipynb"):
        shutil.copy2(deck, root / "slides")
    # Decks may call workshop.load_app("../demo_code"): keep the repo's layout.
    shutil.copytree(ROOT / "demo_code", root / "demo_code",
                    ignore=shutil.ignore_patterns("__pycache__", "instance", "*.sqlite3"))
    process = start_lab(root, tmp_path_factory.mktemp("rise-home"))
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def slideshow(lab, browser):
    """Deck 1 opened in RISE's slideshow view, at the deck's own size (metadata.rise)."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    expect.set_options(timeout=WAIT_MS)
    page.goto(f"{lab.url}rise/{DECK}")
    page.locator(".reveal .slides > section.present").wait_for()
    yield page
    context.close()


def test_deck_opens_on_its_title(slideshow):
    from playwright.sync_api import expect

    first = deck_cells()[0].source.splitlines()[0].removeprefix("# ")  # "Flask, live"
    current = slideshow.locator(".reveal .slides > section.present")
    # The theme upper-cases headings with CSS: compare the DOM text, not what is painted.
    expect(current.locator("h1")).to_contain_text(first)
    assert slideshow.locator(".reveal .slides > section").first.locator("h1").count() == 1


def test_one_slide_per_slide_cell(slideshow):
    kinds = [cell.metadata.get("slideshow", {}).get("slide_type") for cell in deck_cells()]
    # Top-level <section>s are reveal's horizontal slides; this deck has no sub-slides.
    assert "subslide" not in kinds
    assert slideshow.locator(".reveal .slides > section").count() == kinds.count("slide")


def test_code_cell_runs_live_in_the_slideshow(slideshow, tmp_path_factory):
    from playwright.sync_api import expect

    cell = deck_cells()[LIVE_CELL]
    assert cell.cell_type == "code" and "github_api_url()" in cell.source
    # Slides 1-3 are text; reveal's own arrow button is what a presenter clicks.
    for _ in range(3):
        slideshow.locator(".reveal .controls .navigate-right").click()
    code = slideshow.locator(".reveal .slides section.present .jp-CodeCell").first
    expect(code.locator(".cm-content")).to_contain_text("github_api_url()")
    # The stored output is already on the slide: mark it, so only a fresh output can match.
    code.locator(".jp-OutputArea-output").evaluate_all(
        "nodes => nodes.forEach(node => node.setAttribute('data-stored', ''))")
    code.locator(".cm-content").click()
    slideshow.keyboard.press("Shift+Enter")
    fresh = code.locator(".jp-OutputArea-output:not([data-stored])")
    expect(fresh).to_contain_text("HTTP 200 OK")
    expect(fresh).to_contain_text('"login": "octocat"')
    slideshow.screenshot(path=tmp_path_factory.mktemp("rise-shot") / "rise.png")
