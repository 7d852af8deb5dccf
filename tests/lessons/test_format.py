"""Every lesson keeps the kit's shape: objectives first, catch-up first in code, key points,
glossary and a pointer to its exercises at the end (the Carpentries' shape; see "How a lesson is
built" in notebooks/README.md). An optional "## Going further" part may follow the key points."""

import json

import pytest
from conftest import ROOT

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def cells(path, kind):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_opens_with_objectives_and_catches_up(path):
    assert "**Objectives.**" in cells(path, "markdown")[0]
    number = int(path.name[:2])
    assert f"workshop.catch_up({number})" in cells(path, "code")[0]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_ends_with_key_points_glossary_and_exercises(path):
    markdown = cells(path, "markdown")
    core = next((i for i, text in enumerate(markdown) if text.startswith("## Going further")),
                len(markdown))
    ending = "\n".join(markdown[:core][-4:])
    assert "Key points" in ending
    assert "Glossary" in ending
    assert "../exercises/" in ending
