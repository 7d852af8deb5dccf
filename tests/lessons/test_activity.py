"""Students do, not watch: the targets of tests/lessons/course_report.py, per lesson.

Run the script itself for the table of measurements.
"""

from __future__ import annotations

import json
import re

import pytest
from course_report import (
    BUDGETS,
    CLASS_MINUTES,
    MAX_CELL_LINES,
    RESHOWN_TARGET,
    ROOT,
    course,
)

LESSONS, FINAL_STATE = course()
ACTIVE = [lesson for lesson in LESSONS if 1 <= lesson.number <= 10]
BY_NUMBER = {lesson.number: lesson for lesson in LESSONS}

# The lessons brought up to the typed-lines and minutes targets (all of them now); a lesson
# under rework can leave this list, and the course-wide tests then xfail instead of failing.
TARGETS_MET = list(range(11))
MIN_TYPED = 5  # per lesson 01–10
COURSE_TYPED = 100
SLACK = 0.10


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_a_lesson_shows_only_what_changes(lesson):
    assert lesson.reshown_share <= RESHOWN_TARGET, (
        f"{lesson.name}: {lesson.reshown} of {lesson.shown} lines shown re-show unchanged code")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_code_cells_are_short(lesson):
    assert not lesson.long_cells, f"over {MAX_CELL_LINES} lines: {lesson.long_cells}"


@pytest.mark.parametrize("lesson", ACTIVE, ids=lambda lesson: lesson.name)
def test_the_student_writes_code_and_the_check_is_proven_both_ways(lesson):
    assert lesson.your_turns >= 1
    assert lesson.proven_checks >= lesson.your_turns, (
        "each 'Your turn' needs a check stored once as 'not yet' and later as '✓'")


@pytest.mark.parametrize("lesson", ACTIVE, ids=lambda lesson: lesson.name)
def test_the_student_predicts_before_running(lesson):
    assert lesson.predictions >= 2


def _pending(numbers) -> None:
    missing = sorted(set(numbers) - set(TARGETS_MET))
    if missing:
        pytest.xfail(f"lessons {missing} are not yet brought up to the targets (TARGETS_MET)")


@pytest.mark.parametrize("number", [n for n in TARGETS_MET if n >= 1])
def test_the_student_types_lines_that_later_cells_need(number):
    lesson = BY_NUMBER[number]
    assert lesson.typed >= MIN_TYPED, (
        f"{lesson.name}: the student types {lesson.typed} lines, at least {MIN_TYPED} wanted")


def test_the_course_asks_for_100_typed_lines():
    _pending(range(1, 11))
    typed = sum(lesson.typed for lesson in ACTIVE)  # core "Your turn" cells only
    assert typed >= COURSE_TYPED, f"the course asks for {typed} typed lines"


def _teaching(lesson) -> int:
    """The `| teaching | N |` minutes in a lesson's first cell."""
    path = next(p for p in (ROOT / "notebooks").glob(f"{lesson.number:02}-*.ipynb"))
    first = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
    return int(re.search(r"^\| teaching(?: \(homework\))? \| (\d+) \|", first, re.M)[1])


@pytest.mark.parametrize("number", TARGETS_MET)
def test_a_lessons_teaching_minutes_are_its_model_minutes(number):
    lesson = BY_NUMBER[number]
    assert _teaching(lesson) == lesson.scheduled, (
        f"{lesson.name}: the model gives {lesson.minutes:.1f} minutes, so `| teaching | "
        f"{lesson.scheduled} |` (python tests/lessons/course_report.py)")


@pytest.mark.parametrize(("first", "last"), BUDGETS)
def test_each_half_of_the_course_fits_its_budget(first, last):
    _pending(range(first, last + 1))
    minutes = sum(BY_NUMBER[n].scheduled for n in range(first, last + 1))
    assert minutes <= BUDGETS[(first, last)]


def test_the_three_hour_workshop_keeps_ten_percent_slack():
    _pending(range(0, 11))
    minutes = sum(BY_NUMBER[n].scheduled for n in range(0, 11))
    assert minutes <= (1 - SLACK) * CLASS_MINUTES
