"""The pictures: committed exactly as `python -m workshop pictures` draws them, valid SVG,
every image a lesson, exercise, deck or guide shows is in the repository, and every image,
stored outputs included, has a text alternative a screen reader reads."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from conftest import ROOT

from workshop.authoring import pictures

SVG = "{http://www.w3.org/2000/svg}"
# Markdown images `![alt](path "title")` and HTML `<img src="path">`.
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)  # examples in code show no image
HTML_IMAGE = re.compile(r"""<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
MARKDOWN_ALT = re.compile(r"!\[([^\]]*)\]\(")
# An alt that says nothing a sighted reader gets from the picture.
EMPTY_ALT = re.compile(r"^\s*(?:|image|img|picture|figure|chart|plot|graph|diagram|screenshot"
                       r"|\S+\.(?:png|jpe?g|gif|svg|webp))\s*$", re.IGNORECASE)
NOTEBOOK_FOLDERS = ("notebooks", "exercises", "solutions", "slides")
SKIP_FOLDERS = {".venv", "build", "workspace", "node_modules", "vendor", ".git"}


def documents():
    """Every notebook and Markdown file that can show an image, with its Markdown text."""
    for folder in NOTEBOOK_FOLDERS:
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            yield path, "\n".join("".join(c["source"]) for c in cells
                                  if c["cell_type"] == "markdown")
    for path in sorted(ROOT.rglob("*.md")):
        if not SKIP_FOLDERS.intersection(path.relative_to(ROOT).parts):
            yield path, path.read_text(encoding="utf-8")


def image_references():
    """(document, target) for every local image a document shows."""
    for path, text in documents():
        text = CODE.sub("", text)
        for target in MARKDOWN_IMAGE.findall(text) + HTML_IMAGE.findall(text):
            if not re.match(r"^(?:[a-z]+:|//|#)", target, re.IGNORECASE):  # http:, data:, …
                yield path, unquote(target.split("#")[0].split("?")[0])


@pytest.mark.parametrize("name", sorted(pictures.PICTURES))
def test_committed_picture_is_what_the_module_draws(name):
    committed = (pictures.IMAGES / name).read_text(encoding="utf-8")
    assert committed == pictures.PICTURES[name](), (
        f"notebooks/images/{name} is out of date: run `python -m workshop pictures`")


@pytest.mark.parametrize("name", sorted(pictures.PICTURES))
def test_picture_is_valid_svg_sized_for_slides(name):
    root = ET.parse(pictures.IMAGES / name).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert int(root.get("width")) >= 1000
    assert root.find(f"{SVG}title").text  # what a screen reader says
    sizes = [float(t.get("font-size")) for t in root.iter(f"{SVG}text")]
    assert sizes and min(sizes) >= 18  # still readable when a slide scales it down


def test_write_puts_every_picture_in_the_folder(tmp_path):
    written = pictures.write(tmp_path)
    assert sorted(p.name for p in written) == sorted(pictures.PICTURES)
    assert all(p.read_text(encoding="utf-8").startswith("<svg") for p in written)


def test_every_image_shown_exists():
    references = list(image_references())
    assert references, "no images found: the scan is broken"
    missing = [f"{path.relative_to(ROOT)} → {target}" for path, target in references
               if not (path.parent / target).is_file()]
    assert missing == []


def test_every_picture_is_shown_somewhere():
    shown = {(path.parent / target).resolve() for path, target in image_references()}
    unused = [name for name in pictures.PICTURES if (pictures.IMAGES / name).resolve() not in shown]
    assert unused == []


def test_image_scan_reads_markdown_and_html():
    text = ('![a](images/a.svg) ![b](images/b.svg "title") <img alt="x" src="c.png">'
            " ![remote](https://example.com/x.png) ![inline](data:image/png;base64,AA)"
            " `![in code](not/an/image.svg)`")
    text = CODE.sub("", text)
    found = MARKDOWN_IMAGE.findall(text) + HTML_IMAGE.findall(text)
    assert found == ["images/a.svg", "images/b.svg", "https://example.com/x.png",
                     "data:image/png;base64,AA", "c.png"]


class _ImageAlts(HTMLParser):
    """The alt attribute of every <img> in a piece of HTML (None where there is none)."""

    def __init__(self, html: str):
        super().__init__()
        self.alts = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))


def image_alts(path, notebook):
    """(where, alt) for every image a notebook shows: its Markdown and HTML, and its outputs.

    JupyterLab 4 draws an `image/png` (or other image/*) output as an <img> without alt, so an
    output holding one counts as an image without alt unless it also holds HTML, which
    JupyterLab renders instead (`workshop.runtime.figures.with_alt` writes that HTML).
    """
    for number, cell in enumerate(notebook["cells"], start=1):
        where = f"{path.relative_to(ROOT)} cell {number}"
        texts = [(where, "".join(cell["source"]))] if cell["cell_type"] == "markdown" else []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            texts += [(f"{where} output", "".join(data[kind]))
                      for kind in ("text/markdown", "text/html") if kind in data]
            if any(kind.startswith("image/") for kind in data) and "text/html" not in data:
                yield f"{where} output", None
        for label, text in texts:
            text = CODE.sub("", text)
            yield from ((label, alt) for alt in MARKDOWN_ALT.findall(text))
            yield from ((label, alt) for alt in _ImageAlts(text).alts)


def test_every_image_has_a_meaningful_alt_text():
    """Markdown `![alt](…)`, HTML `<img alt=…>` and plots stored as outputs, in every notebook
    of the kit, and images in every Markdown file."""
    # The course's folders and the tests' own notebooks (not a walk of the whole tree: .venv).
    notebooks = [path for folder in NOTEBOOK_FOLDERS
                 for path in sorted((ROOT / folder).glob("*.ipynb"))]
    notebooks += sorted((ROOT / "tests").rglob("*.ipynb"))
    assert len(notebooks) >= 12 + 4 + 2 + 2  # lessons, decks, exercises, solutions at least
    found = [pair for path in notebooks
             for pair in image_alts(path, json.loads(path.read_text(encoding="utf-8")))]
    for path, text in documents():
        if path.suffix == ".md":
            text = CODE.sub("", text)
            found += [(str(path.relative_to(ROOT)), alt)
                      for alt in MARKDOWN_ALT.findall(text) + _ImageAlts(text).alts]
    assert len(found) >= 12, "the scan finds the lessons' and decks' pictures"
    assert any(where.endswith("output") for where, _ in found), "and lesson 11's chart"
    assert [(where, alt) for where, alt in found if alt is None or EMPTY_ALT.match(alt)] == []


def test_alt_scan_flags_missing_and_empty_descriptions():
    cell = {"cell_type": "markdown", "source": [
        "![](a.svg) ![architecture.svg](b.svg) <img src='c.png'> `<img src=x>` ![The app](d.svg)"],
        "outputs": []}
    plot = {"cell_type": "code", "source": [], "outputs": [
        {"output_type": "display_data", "data": {"image/png": "AA", "text/plain": "<Figure>"}},
        {"output_type": "display_data", "data": {"text/html": '<img src="x" alt="Bars">',
                                                 "text/plain": "Bars"}}]}
    alts = [alt for _, alt in image_alts(ROOT / "x.ipynb", {"cells": [cell, plot]})]
    assert alts == ["", "architecture.svg", "The app", None, None, "Bars"]
    assert [bool(alt is None or EMPTY_ALT.match(alt)) for alt in alts] == [
        True, True, False, True, True, False]
