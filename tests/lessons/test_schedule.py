"""The lessons' minutes fit the instructor's schedules: every lesson taught in class gets exactly
its teaching minutes in both schedules, and all that is marked homework stays out of them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from conftest import ROOT

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
GUIDE = ROOT / "slides" / "INSTRUCTOR.md"
# A lesson's minutes table: `| teaching | 15 |`, `| exercises (homework) | 10 |`.
MINUTES_ROW = re.compile(r"^\|\s*(teaching|exercises)\s*(\(homework\))?\s*\|\s*(\d+)\s*\|\s*$",
                         re.MULTILINE)
SCHEDULES = {"One 3-hour workshop": 180, "Two 90-minute sessions": 90}  # minutes per session


@dataclass
class Minutes:
    teaching: int
    teaching_is_homework: bool
    exercises: int
    exercises_are_homework: bool


def lesson_minutes(path) -> Minutes:
    """The minutes table in a lesson's first cell."""
    first = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
    rows = {kind: (int(number), bool(homework))
            for kind, homework, number in MINUTES_ROW.findall(first)}
    assert len(MINUTES_ROW.findall(first)) == 2 and set(rows) == {"teaching", "exercises"}, (
        f"{path.name}: its first cell needs one `| teaching | N |` (or `| teaching (homework) "
        "| N |`) row and one `| exercises (homework) | M |` row")
    return Minutes(*rows["teaching"], *rows["exercises"])


def all_minutes() -> dict[int, Minutes]:
    return {int(path.name[:2]): lesson_minutes(path) for path in LESSONS}


def schedule(title: str) -> list[dict[str, str]]:
    """The rows of the table under `### <title>` in the instructor's guide, as dicts."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split(f"### {title}\n", 1)[1].split("\n#", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    def cells(line):
        return [cell.strip() for cell in line.strip().strip("|").split("|")]

    return [dict(zip(cells(lines[0]), cells(line), strict=True)) for line in lines[2:]]


def lessons_in(cell: str) -> list[int]:
    """`00` → [0]; `01–03` → [1, 2, 3]; `—` → []."""
    numbers = [int(n) for n in re.findall(r"\d+", cell)]
    if re.search(r"\d\s*[–-]\s*\d", cell):
        return list(range(numbers[0], numbers[1] + 1))
    return numbers


def sessions(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        grouped.setdefault(row.get("session", "1"), []).append(row)
    return grouped


def minutes_of(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_exercises_are_homework(path):
    assert lesson_minutes(path).exercises_are_homework, (
        f"{path.name}: write `| exercises (homework) | M |`: no schedule has class time for them")


def test_only_the_last_lesson_is_homework_as_a_whole():
    minutes = all_minutes()
    homework = [number for number, m in minutes.items() if m.teaching_is_homework]
    assert homework == [11]


def test_class_time_is_what_the_guide_says():
    class_time = sum(m.teaching for m in all_minutes().values() if not m.teaching_is_homework)
    said = re.search(r"lessons 00–10\s+add up to (\d+) minutes", GUIDE.read_text(encoding="utf-8"))
    assert said and int(said[1]) == class_time


@pytest.mark.parametrize("title", SCHEDULES)
def test_schedule_gives_each_lesson_its_minutes(title):
    minutes = all_minutes()
    in_class = sorted(n for n, m in minutes.items() if not m.teaching_is_homework)
    taught = []
    for row in schedule(title):
        numbers = lessons_in(row["lessons"])
        taught += numbers
        if numbers:
            wanted = sum(minutes[n].teaching for n in numbers)
            assert int(row["min"]) == wanted, (
                f"{title}, {row['what']!r}: {row['min']} min, the lessons' teaching adds up to "
                f"{wanted}")
    assert sorted(taught) == in_class  # each class lesson once; homework lessons never


@pytest.mark.parametrize("title", SCHEDULES)
def test_schedule_adds_up_to_its_sessions(title):
    for session, rows in sessions(schedule(title)).items():
        clock = 0
        for row in rows:
            assert minutes_of(row["start"]) == clock, f"{title}, session {session}: {row}"
            clock += int(row["min"])
        assert clock == SCHEDULES[title], f"{title}, session {session}: {clock} minutes"


def test_the_long_workshop_has_a_break():
    breaks = [row for row in schedule("One 3-hour workshop") if row["what"].startswith("Break")]
    assert [int(row["min"]) for row in breaks] == [15]


def test_two_sessions_take_the_lessons_in_order():
    split = [sorted(n for row in rows for n in lessons_in(row["lessons"]))
             for rows in sessions(schedule("Two 90-minute sessions")).values()]
    assert len(split) == 2
    assert split[0] + split[1] == list(range(split[0][0], split[1][-1] + 1))


def test_lesson_index_shows_the_class_minutes():
    """notebooks/README.md's "class + homework" column agrees with the lessons' own tables."""
    index = (ROOT / "notebooks" / "README.md").read_text(encoding="utf-8")
    shown = {int(number): int(minutes) for number, minutes
             in re.findall(r"^\| (\d\d) \|.*\| (\d+) \+ \d+ \|", index, re.MULTILINE)}
    expected = {number: 0 if m.teaching_is_homework else m.teaching
                for number, m in all_minutes().items()}
    assert shown == expected
