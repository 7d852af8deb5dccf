"""notebooks/README.md: every lesson is listed, and every link in the coverage table resolves."""

from __future__ import annotations

import re

import nbformat
from conftest import ROOT

from workshop.runtime.lessons import lesson_notebooks

NOTEBOOKS = ROOT / "notebooks"
README = (NOTEBOOKS / "README.md").read_text(encoding="utf-8")
LINK = re.compile(r"\]\(([^)#]+\.ipynb)(?:#([^)]+))?\)")


def anchors(notebook) -> set[str]:
    """The ids JupyterLab gives a notebook's headings: the text, spaces as hyphens."""
    nb = nbformat.read(notebook, as_version=4)
    found = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                heading = re.match(r"#+ (.*)", line)
                if heading:
                    found.add(heading.group(1).replace("`", "").strip().replace(" ", "-"))
    return found


def test_every_lesson_is_in_the_index():
    missing = [p.name for _, p in lesson_notebooks(NOTEBOOKS) if f"]({p.name})" not in README]
    assert missing == []


def test_links_point_at_existing_notebooks_and_sections():
    broken = []
    for name, anchor in LINK.findall(README):
        path = NOTEBOOKS / name
        if not path.is_file():
            broken.append(name)
        elif anchor and anchor not in anchors(path):
            broken.append(f"{name}#{anchor}")
    assert broken == []
