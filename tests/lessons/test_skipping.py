"""A student who falls behind skips their own attempt and runs "our version": that must work.

For every cell tagged `solution`, the file is rebuilt as it was when the "Your turn" began, without
the skeleton cell(s) the student would have filled in, and the solution cell is applied to it. The
result must not use a name it does not define or import (ruff's F821), e.g. an import that only
the skeleton cell brought in.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from course_report import ROOT, WORKSPACE, _source

from workshop.catchup import (
    SUPPLIED_FROM,
    apply_cell,
    lesson_notebooks,
    parse_file_cell,
    supplied_files,
)


def skipped_skeletons() -> list[tuple[str, str, str]]:
    """(where, file, text) for each solution cell applied without the cells since its task."""
    state: dict[str, str] = {}
    found = []
    for number, path in lesson_notebooks(ROOT / "notebooks"):
        if number == SUPPLIED_FROM:
            state.update(supplied_files())
        behind = None  # the files as they were when the latest "Your turn" began
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            source = _source(cell)
            if cell["cell_type"] == "markdown":
                if "**Your turn.**" in source:
                    behind = dict(state)
                continue
            parsed = parse_file_cell(source)
            if parsed is None:
                continue
            filename, content, mode = parsed
            rel = filename.removeprefix("./").removeprefix(WORKSPACE)
            if "solution" in cell.get("metadata", {}).get("tags", []) and behind is not None:
                behind[rel] = apply_cell(behind.get(rel, ""), content, mode)
                found.append((f"{path.stem} cell {index}", rel, behind[rel]))
            state[rel] = apply_cell(state.get(rel, ""), content, mode)
    return found


CASES = skipped_skeletons()


def test_every_lesson_with_a_your_turn_has_solution_cells():
    assert len({where.split()[0] for where, _, _ in CASES}) >= 8


@pytest.mark.parametrize(("where", "rel", "text"), CASES, ids=[case[0] for case in CASES])
def test_our_version_works_without_the_students_attempt(where, rel, text):
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F821",
         "--output-format", "concise", "--stdin-filename", rel, "-"],
        input=text, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert ruff.returncode == 0, f"{where} ({rel}):\n{ruff.stdout}{ruff.stderr}"
