"""A student who falls behind skips their own attempt and runs "our version": that must work.

For every cell tagged `solution`, tests/lessons/course_report.py rebuilds the file as it was when
the "Your turn" began, without the skeleton cell(s) the student would have filled in, and applies
the solution cell to it. The result must not use a name it does not define or import (ruff's
F821), e.g. an import that only the skeleton cell brought in.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from course_report import ROOT, course

CASES = [case for lesson in course()[0] for case in lesson.solutions_alone]


def test_every_lesson_with_a_your_turn_has_solution_cells():
    assert len({where.split()[0] for where, _, _ in CASES}) >= 8


@pytest.mark.parametrize(("where", "rel", "text"), CASES, ids=[case[0] for case in CASES])
def test_our_version_works_without_the_students_attempt(where, rel, text):
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "F821",
         "--output-format", "concise", "--stdin-filename", rel, "-"],
        input=text, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert ruff.returncode == 0, f"{where} ({rel}):\n{ruff.stdout}{ruff.stderr}"
