"""Students do, not watch: the targets of tests/lessons/course_report.py, per lesson.

Run the script itself for the table of measurements.
"""

from __future__ import annotations

import pytest
from course_report import MAX_CELL_LINES, RESHOWN_TARGET, course

LESSONS, FINAL_STATE = course()
ACTIVE = [lesson for lesson in LESSONS if 1 <= lesson.number <= 10]


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


def test_a_newcomer_types_code_three_times_in_lesson_4():
    lesson = next(lesson for lesson in LESSONS if lesson.number == 4)
    assert lesson.your_turns >= 3
