"""The READMEs' links: every lesson is listed, every `§` link names and anchors its section, and
every relative link (and anchor) in the kit's READMEs resolves."""

from __future__ import annotations

import re

import nbformat
import pytest
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


# `[04 § The tutorial's way: `create_response`](04-proxying-github.ipynb#The-tutorial's-way:-...)`
SECTION_LINK = re.compile(r"\[(\d\d) § ([^\]]+)\]\(([^)#]+)(?:#([^)]*))?\)")


def test_every_section_link_names_its_heading_and_anchors_it():
    """A `§` link says which section it means: its anchor must be that heading's, and exist."""
    wrong = []
    for number, title, name, anchor in SECTION_LINK.findall(README):
        want = title.replace("`", "").strip().replace(" ", "-")
        if not name.startswith(number) or anchor != want or want not in anchors(NOTEBOOKS / name):
            wrong.append(f"{number} § {title} -> {name}#{anchor}")
    assert wrong == []


READMES = ["README.md", "notebooks/README.md", "exercises/README.md", "demo_code/README.md",
           "slides/INSTRUCTOR.md"]
RELATIVE_LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)\s]+)\)")


def markdown_anchors(path) -> set[str]:
    """GitHub's ids for a Markdown file's headings: lower case, punctuation dropped, "-" for " "."""
    headings = re.findall(r"^#+ (.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("readme", READMES)
def test_every_relative_link_in_a_readme_resolves(readme):
    source = ROOT / readme
    broken = []
    text = re.sub(r"`[^`\n]*`", "", source.read_text(encoding="utf-8"))  # code, not links
    for target in RELATIVE_LINK.findall(text):
        name, _, anchor = target.partition("#")
        path = (source.parent / name).resolve() if name else source
        if not path.exists():
            broken.append(target)
        elif anchor and path.suffix == ".ipynb" and anchor not in anchors(path):
            broken.append(target)
        elif anchor and path.suffix == ".md" and anchor not in markdown_anchors(path):
            broken.append(target)
    assert broken == []
