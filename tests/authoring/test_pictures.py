"""The pictures: committed exactly as `python -m workshop pictures` draws them, valid SVG, and
every image a lesson, exercise, deck or guide shows is in the repository."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest
from conftest import ROOT

from workshop.authoring import pictures

SVG = "{http://www.w3.org/2000/svg}"
# Markdown images `![alt](path "title")` and HTML `<img src="path">`.
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)  # examples in code show no image
HTML_IMAGE = re.compile(r"""<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
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
