"""Write `exercises/` from `solutions/`: the solutions are the single source (authors' tool).

    python -m workshop exercises            # strip solutions, execute, refresh the README index
    python -m workshop exercises --check    # exit 1 when exercises/ is not what this would write

Solution code is marked with otter-grader's format (see exercises/README.md for why):
- `# BEGIN SOLUTION` ... `# END SOLUTION`: the block becomes `...` at the same indentation;
  `# BEGIN SOLUTION NO PROMPT` drops it without a placeholder;
- a line ending `# SOLUTION`: `name = value  # SOLUTION` becomes `name = ...`, any other line `...`;
- lines ending `# BEGIN PROMPT` / `# END PROMPT` (and `# SOLUTION NO PROMPT`) are dropped, so
  starting code written between them inside a `\"\"\"` string is inert in the solution and live in
  the exercise.
Code cells tagged `solution` and markdown cells tagged `solution` are left out of exercises, and
the check cells get student_view's marks (their verdict stays folded until run).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat

from workshop.authoring import student_view
from workshop.paths import EXERCISES, KIT_ROOT, SOLUTIONS

PLACEHOLDER = "..."
SOLUTION_TAG = "solution"
INDEX_START, INDEX_END = "<!-- index:start -->", "<!-- index:end -->"

# otter-grader's patterns (`otter/assign/solutions.py`, Python flavour). Its assignment pattern
# nests quantifiers and backtracks exponentially on long lines, so ours spells the same targets
# (names, attributes, ["key"] subscripts, tuples) without nesting, and is tried only on
# lines that end with the marker.
TARGET = r"[\w.]+(?:\[['\"][^\]]*['\"]\])*"
ASSIGNMENT = re.compile(rf"(\s*{TARGET}(?:\s*,\s*{TARGET})*\s*=)(?!=)")
SOLUTION_LINE = re.compile(r"(\s*).*# ?SOLUTION\s*$")
BEGIN = re.compile(r"(\s*)# BEGIN SOLUTION( NO PROMPT)?\s*$")
END = "# END SOLUTION"
DROPPED_SUFFIXES = ("# SOLUTION NO PROMPT", "# BEGIN PROMPT", "# END PROMPT")


class MarkerError(ValueError):
    """A solution notebook's markers do not pair up."""


def strip_solutions(source: str) -> str:
    """The exercise version of one code cell's source."""
    kept, inside = [], False
    for line in source.splitlines():
        bare = line.rstrip()
        if bare.endswith(DROPPED_SUFFIXES):
            continue
        if bare.endswith(END):
            if not inside:
                raise MarkerError(f"END SOLUTION without BEGIN SOLUTION:\n{source}")
            inside = False
            continue
        if inside:
            continue
        begin = BEGIN.match(line)
        if begin:
            inside = True
            if not begin.group(2):
                kept.append(begin.group(1) + PLACEHOLDER)
            continue
        marked = SOLUTION_LINE.match(line)
        if marked:
            assignment = ASSIGNMENT.match(line)
            line = (assignment.group(1) + " " if assignment else marked.group(1)) + PLACEHOLDER
        kept.append(line)
    if inside:
        raise MarkerError(f"BEGIN SOLUTION without END SOLUTION:\n{source}")
    return "\n".join(kept)


def exercise_notebook(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The exercise notebook for one solution notebook, without outputs."""
    # A JSON round trip copies a notebook far faster than copy.deepcopy of a NotebookNode.
    nb = nbformat.from_dict(json.loads(json.dumps(solution)))
    nb.cells = [cell for cell in nb.cells if SOLUTION_TAG not in cell.metadata.get("tags", [])]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
            cell.outputs, cell.execution_count = [], None
    student_view.mark(nb, keep_away=False)
    return nb


def sources(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """What the round trip compares: each cell's type and source (outputs may differ)."""
    return [(cell.cell_type, cell.source) for cell in nb.cells]


def solution_paths() -> list[Path]:
    return sorted(SOLUTIONS.glob("[0-9][0-9]-*.ipynb"))


def index_table() -> str:
    """The README's table of exercises, from each solution notebook's `exercise` metadata."""
    rows = ["| # | exercise | after lesson | level | minutes |", "|---|---|---|---|---|"]
    for path in solution_paths():
        meta = nbformat.read(path, as_version=4).metadata["exercise"]
        lesson = f"[{meta['lesson']}](../notebooks/{meta['lesson']}.ipynb)"
        rows.append(f"| {path.name[:2]} | [{meta['title']}]({path.name}) "
                    f"([solution](../solutions/{path.name})) | {lesson} | {meta['level']} "
                    f"| {meta['minutes']} |")
    return "\n".join(rows)


def readme_with_index(text: str) -> str:
    """README text with the table between the index markers replaced."""
    head, _, rest = text.partition(INDEX_START)
    _, _, tail = rest.partition(INDEX_END)
    return f"{head}{INDEX_START}\n{index_table()}\n{INDEX_END}{tail}"


def out_of_date() -> list[str]:
    """Names of exercise files that differ from what `build` would write."""
    stale = []
    for path in solution_paths():
        target = EXERCISES / path.name
        want = sources(exercise_notebook(nbformat.read(path, as_version=4)))
        if not target.exists() or sources(nbformat.read(target, as_version=4)) != want:
            stale.append(target.name)
    extra = {p.name for p in EXERCISES.glob("[0-9][0-9]-*.ipynb")} - {
        p.name for p in solution_paths()}
    readme = EXERCISES / "README.md"
    if not readme.exists() or readme_with_index(readme.read_text()) != readme.read_text():
        stale.append(readme.name)
    return stale + sorted(extra)


def back_up_if_edited(target: Path, exercise: nbformat.NotebookNode) -> Path | None:
    """Copy `target` to exercises/.backups/<time>/ when its code is not what we would write.

    Someone may have worked in it (a student running this by mistake, or an author who edited
    the exercise instead of the solution): their work must never be lost.
    """
    if not target.exists() or sources(nbformat.read(target, as_version=4)) == sources(exercise):
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup, n = EXERCISES / ".backups" / stamp / target.name, 1
    while backup.exists():  # two builds in one second: never overwrite the earlier backup
        n += 1
        backup = EXERCISES / ".backups" / f"{stamp}-{n}" / target.name
    backup.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(target, backup)
    print(f"backed up {target.name} (it had other code) -> {backup.relative_to(KIT_ROOT)}")
    return backup


def build(names: list[str] | None = None, execute: bool = True) -> list[Path]:
    """Write (and execute) the exercise notebooks, then refresh the README index."""
    from workshop.authoring.execute import execute as run_notebook

    written = []
    for path in solution_paths():
        if names and not {path.name, path.stem, path.name[:2]} & set(names):
            continue
        target = EXERCISES / path.name
        exercise = exercise_notebook(nbformat.read(path, as_version=4))
        back_up_if_edited(target, exercise)
        nbformat.write(exercise, target)
        if execute:
            print(f"executing {target.relative_to(KIT_ROOT)}", flush=True)
            run_notebook(target)
        written.append(target)
    readme = EXERCISES / "README.md"
    if readme.exists():
        readme.write_text(readme_with_index(readme.read_text()))
    return written


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = out_of_date()
        for name in stale:
            print(f"out of date: exercises/{name} (run python -m workshop exercises)")
        return 1 if stale else 0
    names = [arg for arg in argv if not arg.startswith("--")]
    build(names or None, execute="--no-execute" not in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
