"""The offline slide export: one command, no remote URL, and it renders in Chromium offline."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import ROOT, need

from workshop.authoring import slides

# Each deck's title (its first slide's heading) and its number of slides, as the instructor's
# guide schedules them. A deck that grows or shrinks must update this table and the guide.
EXPECTED = {
    "1-flask-in-one-hour": ("Session 1 · Flask in one hour: server, app package, routes", 13),
    "2-proxying-github": ("Session 2 · Proxying GitHub and serving the page", 13),
    "3-post-errors-persistence": ("Session 3 · POST, errors, persistence", 15),
    "4-testing-deploying-async": ("Session 4 · Testing, deploying, threads vs async", 12),
}
SHOTS = ROOT / "slides" / "build" / "screenshots"


def test_every_deck_is_expected():
    assert [deck.stem for deck in slides.decks()] == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_deck_is_short_and_has_speaker_notes(name):
    nb = nbformat.read(ROOT / "slides" / f"{name}.ipynb", as_version=4)
    kinds = [cell.metadata.get("slideshow", {}).get("slide_type") for cell in nb.cells]
    assert 8 <= kinds.count("slide") <= 15
    assert kinds.count("notes") >= 3
    assert any(cell.cell_type == "code" for cell in nb.cells)


def test_export_references_nothing_remote(exported):
    for name, path in exported.items():
        report = slides.remote_urls(path.read_text(encoding="utf-8"))
        assert report.loaded == [], f"{name} loads remote files: {report.loaded}"


def test_every_deck_shows_at_least_two_pictures_inside_the_page(exported):
    """Pictures are embedded as data URLs: the page shows them offline, copied anywhere."""
    for name, path in exported.items():
        html = path.read_text(encoding="utf-8")
        assert slides.remote_urls(html).files == [], f"{name} points at picture files"
        assert len(re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,', html)) >= 2, name


def test_embed_pictures_inlines_kit_files_only(tmp_path):
    html = ('<p><img src="../notebooks/images/architecture.svg" alt="a"></p>'
            '<img src="missing.svg"><img src="https://example.com/x.png">')
    embedded = slides.embed_pictures(html, slides.SLIDES)
    assert '<img src="data:image/svg+xml;base64,' in embedded
    assert '<img src="missing.svg">' in embedded  # left for the export's check to report
    assert '<img src="https://example.com/x.png">' in embedded
    outside = tmp_path / "outside.svg"
    outside.write_text("<svg/>", encoding="utf-8")
    page = f'<img src="{outside}">'
    assert slides.embed_pictures(page, slides.SLIDES) == page  # not a file of the kit


def test_command_fails_on_a_picture_it_cannot_embed(tmp_path, capsys):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# Missing\n\n![gone](images/no-such-picture.svg)",
        metadata={"slideshow": {"slide_type": "slide"}})])
    deck = tmp_path / "9-missing.ipynb"
    nbformat.write(nb, deck)
    assert slides.main([str(deck)], out_dir=tmp_path / "build") == 1
    assert "images/no-such-picture.svg" in capsys.readouterr().out


def test_url_scan_finds_what_would_be_loaded():
    page = """<html><head>
    <link rel="stylesheet" href="https://cdn.example.org/reveal.css">
    <script src="//unpkg.com/require.js"></script>
    <style>/* https://in-a-comment.example */ @import url(https://fonts.example/css);
    .a { background: url('http://img.example/x.png'); } .b { src: url(data:font/woff;base64,AA) }
    </style></head><body>
    <img src="http://127.0.0.1:5001/logo.png"><a href="https://flask.palletsprojects.com/">docs</a>
    <p>Plain text https://example.com/in-prose is not a reference.</p>
    <div style="background-image: url(https://bg.example/b.png)"></div>
    </body></html>"""
    report = slides.remote_urls(page)
    assert report.loaded == [
        "//unpkg.com/require.js",
        "http://img.example/x.png",
        "https://bg.example/b.png",
        "https://cdn.example.org/reveal.css",
        "https://fonts.example/css",
    ]
    assert report.links == ["https://flask.palletsprojects.com/"]


def test_command_fails_and_lists_a_remote_url(tmp_path, capsys):
    """A deck whose output loads a remote image makes `python -m workshop slides` exit 1."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "# Remote\n\n<img src='https://example.com/x.png'>",
        metadata={"slideshow": {"slide_type": "slide"}})])
    deck = tmp_path / "9-remote.ipynb"
    nbformat.write(nb, deck)
    assert slides.main([str(deck)], out_dir=tmp_path / "build") == 1
    out = capsys.readouterr().out
    assert "https://example.com/x.png" in out
    assert "✗" in out


@pytest.mark.browser
def test_decks_render_offline_in_chromium(browser, exported):
    """Open each export over file:// with everything off-machine blocked; read title and size."""
    need(browser is not None, "Chromium")
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    # A guard against hangs, not a speed test: a passing run takes seconds, a loaded machine
    # (Playwright's default is 30 s per step) much longer.
    context.set_default_timeout(180_000)
    blocked = []

    def only_local(route):
        url = route.request.url
        if url.startswith(("file://", "data:", "http://127.0.0.1", "http://localhost")):
            return route.continue_()
        blocked.append(url)
        return route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        for name, path in exported.items():
            page.goto(path.as_uri())
            page.wait_for_function("window.Reveal && Reveal.isReady()")
            title, total = EXPECTED[name]
            first = page.locator(".reveal .slides > section").first
            assert first.locator("h2").first.inner_text().strip() == title
            assert page.evaluate("Reveal.getTotalSlides()") == total
            assert page.locator(".reveal .slides > section").count() == total
            assert page.locator("aside.notes").count() >= 3  # speaker notes, hidden on slides
            assert page.evaluate("!!Reveal.getPlugin('notes')")  # speaker view: key S
            page.screenshot(path=str(SHOTS / f"{name}-title.png"))
            code_slide = page.evaluate(
                "Array.from(document.querySelectorAll('.reveal .slides > section'))"
                ".findIndex(s => s.querySelector('.jp-CodeCell .jp-OutputArea-output'))")
            page.evaluate(f"Reveal.slide({code_slide})")
            page.screenshot(path=str(SHOTS / f"{name}-code.png"))
    finally:
        context.close()
    assert blocked == []
    assert errors == []
