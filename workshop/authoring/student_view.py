"""Fold what would answer a student before they act: predictions, solutions, checks (authors' tool).

    python -m workshop student-view                  mark every lesson and exercise in place
    python -m workshop student-view a.ipynb b.ipynb  mark these notebooks
    python -m workshop student-view --check [...]    list the notebooks it would change, exit 1

Notebooks are stored with their outputs, the tested reference strict nbval compares. JupyterLab
opens a cell with `"jupyter": {"outputs_hidden": true}` with its outputs folded and shows them
once the cell runs; `source_hidden` folds the code to a "…" bar. The marks follow from rules on
the lesson's own text, so they hold after lessons are edited (run this again, or
`python -m workshop execute`, which applies it whenever it stores a lesson or an exercise):
- a code cell between a markdown cell containing `**Predict.**` and the next markdown cell is
  tagged `predict`, its outputs folded (the answer must wait for the student's guess);
- a code cell tagged `solution` by its author has its code and outputs folded;
- a code cell that calls `checks.<name>(...)` is tagged `check`, its outputs folded (no verdict,
  ✓ or "not yet", before the student ran it on their own code).
The tags `predict` and `check` and the two `jupyter` keys belong to these rules: a cell no rule
picks loses them, so re-running the tool after an edit is all it takes.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
PREDICT_MARK = "**Predict.**"
PREDICT, CHECK, SOLUTION = "predict", "check", "solution"
OWNED_TAGS = (PREDICT, CHECK)
OUTPUTS_HIDDEN, SOURCE_HIDDEN = "outputs_hidden", "source_hidden"
# A call such as `checks.home_page()` or `checks.preflight(preflight)`, not `from workshop import
# checks` nor an attribute of something else (`my.checks.x()`).
CHECK_CALL = re.compile(r"(?<![\w.])checks\.[A-Za-z_]\w*\s*\(")
# The folders students open. The answer keys (solutions/) and the decks (slides/, presented by
# the instructor) are read with everything shown.
STUDENT_FOLDERS = ("notebooks", "exercises")


def tags(cell) -> list[str]:
    """A cell's tags (a copy)."""
    return list(cell.get("metadata", {}).get("tags", []))


def predict_cells(nb) -> list[int]:
    """Indexes of the code cells that answer a `**Predict.**` question, up to the next markdown."""
    found, answering = [], False
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            answering = PREDICT_MARK in cell.source
        elif cell.cell_type == "code" and answering:
            found.append(index)
    return found


def solution_cells(nb) -> list[int]:
    """Indexes of the code cells their author tagged `solution`."""
    # Only code: a markdown cell's "source" is its rendered text, which folding would hide whole.
    return [i for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and SOLUTION in tags(cell)]


def check_cells(nb) -> list[int]:
    """Indexes of the code cells that print a self-check's verdict (they call `checks.…(`)."""
    # A cell magic (`%%writefile`, `%%add_to`) writes a file rather than running a check.
    return [i for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and not cell.source.lstrip().startswith("%%")
            and CHECK_CALL.search(cell.source)]


def wanted_marks(nb) -> dict[int, tuple[set[str], dict[str, bool]]]:
    """For each cell a rule picks: the tags it gets and the `jupyter` keys it gets."""
    marks: dict[int, tuple[set[str], dict[str, bool]]] = defaultdict(lambda: (set(), {}))
    for tag, found in ((PREDICT, predict_cells(nb)), (CHECK, check_cells(nb))):
        for index in found:
            marks[index][0].add(tag)
            marks[index][1][OUTPUTS_HIDDEN] = True
    for index in solution_cells(nb):  # already tagged by its author
        marks[index][1].update({SOURCE_HIDDEN: True, OUTPUTS_HIDDEN: True})
    return dict(marks)


def mark(nb) -> bool:
    """Set every cell's marks to what the rules say, in place; True if anything changed."""
    before = [dict(cell.metadata) for cell in nb.cells]
    marks = wanted_marks(nb)
    for index, cell in enumerate(nb.cells):
        new_tags, hidden = marks.get(index, (set(), {}))
        kept = [t for t in tags(cell) if t not in OWNED_TAGS]
        kept += [t for t in OWNED_TAGS if t in new_tags]
        if kept:
            cell.metadata["tags"] = kept
        else:
            cell.metadata.pop("tags", None)
        jupyter = {k: v for k, v in cell.metadata.get("jupyter", {}).items()
                   if k not in (OUTPUTS_HIDDEN, SOURCE_HIDDEN)}
        jupyter.update(hidden)
        if jupyter:
            cell.metadata["jupyter"] = jupyter
        else:
            cell.metadata.pop("jupyter", None)
    return [dict(cell.metadata) for cell in nb.cells] != before


def applies_to(path: Path) -> bool:
    """Whether a notebook is one students open: a lesson or an exercise."""
    return Path(path).resolve().parent.name in STUDENT_FOLDERS


def mark_file(path: Path, write: bool = True) -> bool:
    """Mark one notebook file; True if it changed (or, without `write`, would change)."""
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    changed = mark(nb)
    if changed and write:
        nbformat.write(nb, path)
    return changed


def student_notebooks() -> list[Path]:
    """Every lesson and every exercise: what students open."""
    return [*sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")),
            *sorted((ROOT / "exercises").glob("[0-9][0-9]-*.ipynb"))]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(arg) for arg in argv if not arg.startswith("--")] or student_notebooks()
    changed = [path for path in paths if mark_file(path, write=not check)]
    for path in changed:
        print(f"{'not marked' if check else 'marked'}: {path}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
