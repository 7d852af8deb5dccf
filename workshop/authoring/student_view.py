"""Fold what would answer a student before they act: predictions, solutions, checks (authors' tool).

    python -m workshop student-view                  mark every lesson and exercise in place
    python -m workshop student-view a.ipynb b.ipynb  mark these notebooks
    python -m workshop student-view --check [...]    list the notebooks it would change, exit 1

Notebooks are stored with their outputs, the tested reference strict nbval compares; but the
lessons in notebooks/ are also what students open, so an output that would answer a question
is not kept where JupyterLab shows it. Folding is not enough: JupyterLab 4 previews a folded
cell's first line (of code, or of output). So a folded cell's outputs are kept in its metadata,
`flask_live.outputs`, which JupyterLab does not show, and workshop/pytest_plugin.py hands them
back to nbval, which compares the run against them as usual. The rules follow from the lesson's
own text, so they hold after lessons are edited (run this again, or `python -m workshop
execute`, which applies it whenever it stores a lesson or an exercise):
- a code cell between a markdown cell containing `**Predict.**` and the next markdown cell is
  tagged `predict`, its outputs kept away (the answer must wait for the student's guess);
- a code cell tagged `solution` by its author has its code folded (`source_hidden`) and its
  outputs kept away; its first line is a cell magic or a comment, since JupyterLab previews it;
- a code cell that calls `checks.<name>(...)` is tagged `check`, its outputs kept away (no
  verdict, ✓ or "not yet", before the student ran it on their own code).
Exercises store only their skeleton's "not yet" (no answer), so their outputs stay in place,
folded with `outputs_hidden`, and each exercise is its own plain nbval reference (`keeps_away`).
The tags `predict` and `check`, `source_hidden` and the kept-away outputs belong to these rules:
a cell no rule picks loses them (its outputs come back), so re-running the tool is all it takes.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import nbformat

from workshop.paths import EXERCISES, NOTEBOOKS

PREDICT_MARK = "**Predict.**"
PREDICT, CHECK, SOLUTION = "predict", "check", "solution"
OWNED_TAGS = (PREDICT, CHECK)
OUTPUTS_HIDDEN, SOURCE_HIDDEN = "outputs_hidden", "source_hidden"
KEPT = "flask_live"  # cell metadata: {"outputs": [...]}, a folded cell's reference outputs
# What a solution cell without a cell magic starts with: JupyterLab previews a folded cell's
# first line, which must not be the answer.
SOLUTION_FIRST_LINE = "# Our version: run it to continue from it."
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


def wanted_marks(nb, keep_away: bool = True) -> dict[int, tuple[set[str], dict[str, bool]]]:
    """For each cell a rule picks: the tags it gets and the `jupyter` keys it gets."""
    marks: dict[int, tuple[set[str], dict[str, bool]]] = defaultdict(lambda: (set(), {}))
    for tag, found in ((PREDICT, predict_cells(nb)), (CHECK, check_cells(nb))):
        for index in found:
            marks[index][0].add(tag)
    for index in solution_cells(nb):  # already tagged by its author
        marks[index][1][SOURCE_HIDDEN] = True
    if not keep_away:  # the outputs stay, folded
        for index in marks:
            marks[index][1][OUTPUTS_HIDDEN] = True
    return dict(marks)


def stored_outputs(cell) -> list:
    """A code cell's reference outputs, wherever they are kept (outputs, or kept away)."""
    return cell.get("outputs") or cell.get("metadata", {}).get(KEPT, {}).get("outputs", [])


def restore_outputs(cell) -> None:
    """Put kept-away outputs back where nbval (and Jupyter) read them, in place."""
    kept = cell.get("metadata", {}).get(KEPT, {}).get("outputs")
    if kept and not cell.get("outputs"):
        cell["outputs"] = [nbformat.from_dict(output) for output in kept]


def _keep_away(cell, away: bool) -> None:
    if cell.cell_type != "code":
        return
    outputs = stored_outputs(cell)
    cell.metadata.pop(KEPT, None)
    if away and outputs:
        cell.metadata[KEPT] = {"outputs": outputs}
    cell.outputs = [] if away else outputs


def mark(nb, keep_away: bool = True) -> bool:
    """Set every cell's marks to what the rules say, in place; True if anything changed.

    With `keep_away` (a lesson) the outputs of marked cells go to the metadata; without it (an
    exercise) they stay in `outputs`, folded.
    """
    before = _state(nb)
    marks = wanted_marks(nb, keep_away)
    for index, cell in enumerate(nb.cells):
        new_tags, hidden = marks.get(index, (set(), {}))
        _keep_away(cell, keep_away and index in marks)
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
    return _state(nb) != before


def _state(nb) -> str:
    """What marking may change, as text: each cell's metadata and outputs."""
    return json.dumps([[cell.metadata, cell.get("outputs")] for cell in nb.cells], sort_keys=True)


def applies_to(path: Path) -> bool:
    """Whether a notebook is one students open: a lesson or an exercise."""
    return Path(path).resolve().parent.name in STUDENT_FOLDERS


def keeps_away(path: Path) -> bool:
    """Whether a notebook keeps its answers' outputs in metadata: a lesson does. An exercise
    stores only the "not yet" of its own skeleton (tests/exercises asserts it), which answers
    nothing, so its outputs stay where Jupyter and nbval read them, folded."""
    return Path(path).resolve().parent.name == "notebooks"


def mark_file(path: Path, write: bool = True) -> bool:
    """Mark one notebook file; True if it changed (or, without `write`, would change)."""
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    changed = mark(nb, keeps_away(path))
    if changed and write:
        nbformat.write(nb, path)
    return changed


def student_notebooks() -> list[Path]:
    """Every lesson and every exercise: what students open."""
    return [*sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")),
            *sorted(EXERCISES.glob("[0-9][0-9]-*.ipynb"))]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(arg) for arg in argv if not arg.startswith("--")] or student_notebooks()
    changed = [path for path in paths if mark_file(path, write=not check)]
    for path in changed:
        print(f"{'not marked' if check else 'marked'}: {path}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
