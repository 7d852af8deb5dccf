"""The class view's reports in SQLite, and the grid the instructor's page shows."""

from __future__ import annotations

import re
import sqlite3
import statistics
import time
from pathlib import Path

from workshop.runtime.progress import DONE, NOT_YET, OK, STUCK

VERDICTS = (OK, NOT_YET, STUCK, DONE)
NOTES = (STUCK, DONE)  # the sticky notes: about the student, not about one check
FIELDS = ("lesson", "your_turn", "verdict", "time", "attempt")  # all a report may hold
NAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
TURN = re.compile(r"^[A-Za-z0-9_]{0,64}$")  # empty for a note sent before any check
STUCK_NOT_YETS = 3  # this many "not yet" in a row on one your-turn: shown first
SLOWER_THAN_MEDIAN = 2  # or this many times the class median on one your-turn
MIN_MEDIAN = 60.0  # seconds: a quick first finisher does not make everyone else "slow"
DB_NAME = "class-view.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    student TEXT NOT NULL, lesson TEXT NOT NULL, your_turn TEXT NOT NULL,
    verdict TEXT NOT NULL, at REAL NOT NULL, attempt INTEGER NOT NULL,
    received REAL NOT NULL);
CREATE INDEX IF NOT EXISTS reports_by_lesson ON reports (lesson, at);
"""


class BadReport(ValueError):
    """A report the service refuses; the message says what to send instead."""


def validate(report, now: float | None = None) -> dict:
    """The report's five fields, checked; BadReport says what is wrong."""
    if not isinstance(report, dict):
        raise BadReport(f"send a JSON object with {', '.join(FIELDS)}")
    extra = set(report) - set(FIELDS)
    if extra:
        raise BadReport(f"a report holds only {', '.join(FIELDS)}; not {', '.join(sorted(extra))}")
    missing = [field for field in FIELDS if field not in report]
    if missing:
        raise BadReport(f"missing: {', '.join(missing)}")
    lesson, turn, verdict = report["lesson"], report["your_turn"], report["verdict"]
    if not isinstance(lesson, str) or not NAME.match(lesson):
        raise BadReport("lesson: 1 to 100 letters, digits, '.', '_' or '-'")
    if not isinstance(turn, str) or not TURN.match(turn):
        raise BadReport("your_turn: a check's name (letters, digits, '_'), at most 64")
    if verdict not in VERDICTS:
        raise BadReport(f"verdict: one of {', '.join(repr(v) for v in VERDICTS)}")
    at, attempt = report["time"], report["attempt"]
    now = time.time() if now is None else now
    if isinstance(at, bool) or not isinstance(at, (int, float)) or abs(at - now) > 86400:
        raise BadReport("time: seconds since the epoch, within a day of now")
    if isinstance(attempt, bool) or not isinstance(attempt, int) or not 0 <= attempt <= 100000:
        raise BadReport("attempt: a whole number from 0")
    return {"lesson": lesson, "your_turn": turn, "verdict": verdict, "time": float(at),
            "attempt": attempt}


class Store:
    """One SQLite file in the service's folder; every write is committed at once."""

    def __init__(self, folder: Path):
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / DB_NAME
        self.db = sqlite3.connect(self.path, isolation_level=None)  # autocommit
        self.db.execute("PRAGMA journal_mode=WAL")  # `forget` may run while the service reads
        # No disk flush per report (5 ms each here): a power cut may lose the last seconds of a
        # class's reports, never corrupt the file (SQLite's WAL guarantee).
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def add(self, student: str, report: dict) -> None:
        self.db.execute("INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (student, report["lesson"], report["your_turn"], report["verdict"],
                         report["time"], report["attempt"], time.time()))

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]

    def forget(self, student: str | None = None) -> int:
        """Delete every report (or one student's); the number deleted."""
        if student is None:
            return self.db.execute("DELETE FROM reports").rowcount
        return self.db.execute("DELETE FROM reports WHERE student = ?", (student,)).rowcount

    def lessons(self) -> list[str]:
        return [row[0] for row in self.db.execute(
            "SELECT DISTINCT lesson FROM reports ORDER BY lesson")]

    def latest_lesson(self) -> str | None:
        row = self.db.execute(
            "SELECT lesson FROM reports ORDER BY received DESC, rowid DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def state(self, lesson: str | None, course: dict[str, list[str]],
              now: float | None = None) -> dict:
        """What the page shows for `lesson` (default: the one reported last)."""
        lesson = lesson or self.latest_lesson() or next(iter(course), "")
        students = [row[0] for row in self.db.execute(
            "SELECT DISTINCT student FROM reports ORDER BY student")]
        rows = self.db.execute(
            "SELECT student, your_turn, verdict, at, attempt FROM reports WHERE lesson = ? "
            "ORDER BY at, rowid", (lesson,)).fetchall()
        state = grid(rows, students, course.get(lesson, []),
                     time.time() if now is None else now)
        return {"lesson": lesson, "lessons": sorted(set(self.lessons()) | set(course)), **state}


def grid(rows, students: list[str], planned: list[str], now: float) -> dict:
    """Students × your-turns from (student, your_turn, verdict, at, attempt) rows in time order.

    A cell is the latest verdict with its attempts; a student is flagged (and listed first)
    when their latest verdict on a your-turn is "not yet" for the 3rd time in a row, when
    they have been on it twice as long as the class's median time to ✓ (silent students
    too: on the your-turn after their last ✓), or when their sticky note says "stuck".
    """
    turns = list(planned) + sorted({r[1] for r in rows if r[1] and r[2] not in NOTES}
                                   - set(planned))
    cells: dict[tuple[str, str], dict] = {}
    notes: dict[str, str] = {}
    for student, turn, verdict, at, attempt in rows:
        if verdict in NOTES:
            notes[student] = verdict
            continue
        cell = cells.setdefault((student, turn), {"state": verdict, "attempts": 0, "not_yet_run": 0,
                                                  "first": at, "done_at": None, "last": at})
        cell["state"], cell["last"] = verdict, at
        cell["attempts"] = max(cell["attempts"] + 1, attempt)
        cell["not_yet_run"] = cell["not_yet_run"] + 1 if verdict == NOT_YET else 0
        if verdict == OK and cell["done_at"] is None:
            cell["done_at"] = at
    durations = _durations(cells, turns, now)
    medians = {turn: statistics.median(times) for turn in turns
               if (times := [d for (s, t), (d, finished) in durations.items()
                             if t == turn and finished])}
    table = []
    for student in students:
        why = [f"says: {STUCK}"] if notes.get(student) == STUCK else []
        row_cells = {}
        for index, turn in enumerate(turns):
            cell = cells.get((student, turn))
            if cell is None:
                # Silent since finishing the one before: on this one, without a check yet.
                before = cells.get((student, turns[index - 1])) if index else None
                median = medians.get(turn)
                if before and before["done_at"] is not None and median is not None:
                    spent = now - before["done_at"]
                    if spent >= SLOWER_THAN_MEDIAN * max(median, MIN_MEDIAN):
                        why.append(f"{spent / 60:.0f} min on {turn}, no check yet (class "
                                   f"median {median / 60:.1f} min)")
                continue
            row_cells[turn] = {"state": cell["state"], "attempts": cell["attempts"]}
            if cell["state"] != NOT_YET:
                continue
            if cell["not_yet_run"] >= STUCK_NOT_YETS:
                why.append(f"{cell['not_yet_run']} × not yet on {turn}")
            spent, _ = durations[(student, turn)]
            median = medians.get(turn)
            if median is not None and spent >= SLOWER_THAN_MEDIAN * max(median, MIN_MEDIAN):
                why.append(f"{spent / 60:.0f} min on {turn} (class median "
                           f"{median / 60:.1f} min)")
        table.append({"name": student, "note": notes.get(student), "flagged": bool(why),
                      "why": why, "cells": row_cells})
    table.sort(key=lambda row: (not row["flagged"], row["name"]))
    counts = {turn: {"done": sum(1 for r in table if r["cells"].get(turn, {}).get("state") == OK),
                     "trying": sum(1 for r in table
                                   if r["cells"].get(turn, {}).get("state") == NOT_YET)}
              for turn in turns}
    return {"your_turns": turns, "counts": counts, "students": table,
            "flagged": sum(1 for r in table if r["flagged"])}


def _durations(cells: dict, turns: list[str], now: float) -> dict:
    """{(student, turn): (seconds on it, finished?)}.

    A student arrives at a your-turn when they finished the one before it (or, for the
    first, at their first check of it), so a ✓ at the first try is not "0 seconds".
    """
    out = {}
    for (student, turn), cell in cells.items():
        arrived = cell["first"]
        index = turns.index(turn)
        if index > 0:
            before = cells.get((student, turns[index - 1]))
            if before and before["done_at"] is not None and before["done_at"] < arrived:
                arrived = before["done_at"]
        finished = cell["done_at"] is not None
        out[(student, turn)] = ((cell["done_at"] if finished else now) - arrived, finished)
    return out
