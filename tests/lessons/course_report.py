"""What a student does in each lesson, measured: `python tests/lessons/course_report.py`.

Per lesson: the minutes it takes by the model below; lines the student types against lines we
supply, and the share of those in the optional "Going further" part (advanced hardening); lines
shown in file-writing cells vs lines new and lines re-shown (already in the file, unchanged),
code cells over 8 lines, "Your turn" tasks whose self-check is stored both unsolved ("not yet")
and solved ("✓"), and "Predict" questions with a folded answer. Then the course's
final state against demo_code/, block by block, naming the lesson that wrote each block last.
tests/lessons/test_activity.py asserts the targets; this script prints the table.

Counting rules: blank lines are not counted; a cell tagged `solution` (our version after a
"Your turn", which the student has just written themselves) is left out of shown/re-shown, since
it repeats what the student wrote, but not out of the 8-line limit; a `%%writefile` of a file that
does not exist yet is a first appearance and may be long.

Typed lines: the lines of each `solution` cell that the student's skeleton (the code cells
between the "Your turn" and our solution, checks included) does not already hold: what the
student writes. Supplied lines: every other non-blank line of a code cell, solutions excluded.

The minutes model, for the core part of a lesson (everything before a "## Going further" heading,
which is optional and placed after the key points): prose is read at READ_WPM words a minute
(markdown, glossary included; link targets, HTML tags and the folded hint and solution of a
"Your turn" left out, as TURN_MIN covers them); each code cell costs
RUN_MIN to run, plus OUTPUT_MIN if it prints something to read; each prediction PREDICT_MIN to
think and compare; each "Your turn" TURN_MIN to plan and read its hint once (its task is prose
and its checks are code cells, counted above), plus TYPE_MIN per typed line. A lesson's teaching
minutes (its first cell, and the schedule in slides/INSTRUCTOR.md) are its model minutes rounded
to the nearest minute.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from workshop.authoring.student_view import SOLUTION_FIRST_LINE, stored_outputs  # noqa: E402
from workshop.runtime.lessons import (  # noqa: E402
    SUPPLIED_FROM,
    apply_cell,
    lesson_notebooks,
    parse_file_cell,
    supplied_files,
)
from workshop.runtime.merge import parse  # noqa: E402

MAX_CELL_LINES = 8
# The minutes model (see the module's docstring).
READ_WPM = 200  # adults read non-fiction at about 240 words a minute; technical text is slower
RUN_MIN = 0.25  # Shift+Enter, and a glance at what the cell does
OUTPUT_MIN = 0.25  # reading an answer: a status line, a few headers
PREDICT_MIN = 1.0  # think, say it, compare with the answer
TURN_MIN = 1.0  # plan the code, read the hint once (the task's words and checks count above)
TYPE_MIN = 0.5  # a beginner types and thinks about two lines a minute
# A "Your turn"'s folded hint and solution: their reading is in TURN_MIN.
FOLDED_HELP = re.compile(r"<details><summary>(Hint|Solution)</summary>.*?</details>", re.DOTALL)
GOING_FURTHER = re.compile(r"^#+\s*Going further", re.MULTILINE)
RESHOWN_TARGET = 0.10
WORKSPACE = "workspace/"
LAST_CLASS_LESSON = 10  # lesson 11 is homework
BUDGETS = {(0, 5): 80, (6, 10): 72}  # model minutes per half of the course
CLASS_MINUTES = 180 - 15  # the 3-hour workshop without its break


@dataclass
class Lesson:
    number: int
    name: str
    shown: int = 0
    reshown: int = 0
    long_cells: list[str] = field(default_factory=list)
    your_turns: int = 0
    proven_checks: int = 0
    predictions: int = 0
    # (cell, file, text) per solution cell: the file had the student skipped their attempt
    solutions_alone: list[tuple[str, str, str]] = field(default_factory=list)
    typed: int = 0  # lines the student writes in the core's "Your turn" cells
    supplied: int = 0  # lines of code cells we give (solutions excluded)
    hardening: int = 0  # of those, the lines in the optional "Going further" part
    words: int = 0  # prose of the core part
    code_cells: int = 0  # run in the core part
    printing_cells: int = 0  # of those, cells with an output to read

    @property
    def minutes(self) -> float:
        """The core part's minutes by the model in the module's docstring."""
        return (self.words / READ_WPM + self.code_cells * RUN_MIN
                + self.printing_cells * OUTPUT_MIN + self.predictions * PREDICT_MIN
                + self.your_turns * TURN_MIN + self.typed * TYPE_MIN)

    @property
    def scheduled(self) -> int:
        """The model minutes rounded: the lesson's teaching minutes in the schedule."""
        return math.floor(self.minutes + 0.5)

    @property
    def hardening_share(self) -> float:
        return self.hardening / self.supplied if self.supplied else 0.0

    @property
    def new(self) -> int:
        return self.shown - self.reshown

    @property
    def reshown_share(self) -> float:
        return self.reshown / self.shown if self.shown else 0.0


def _source(cell) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def _outputs_text(cell) -> str:
    texts = []
    for output in stored_outputs(cell):  # kept-away outputs too (student_view.py)
        text = output.get("text") or output.get("data", {}).get("text/plain", "")
        texts.append(text if isinstance(text, str) else "".join(text))
    return "".join(texts)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _words(markdown: str) -> int:
    """Words a reader reads: link targets, HTML tags and folded hints/solutions left out."""
    text = FOLDED_HELP.sub(" ", markdown)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return len(re.findall(r"[\w'’]+", re.sub(r"<[^>]+>", " ", text)))


def _typed(solution: str, skeleton: Counter) -> int:
    """Lines of our solution that the student's skeleton did not hold: what they type."""
    lines = [line for line in _lines(solution) if line != SOLUTION_FIRST_LINE]
    return sum((Counter(line.strip() for line in lines) - skeleton).values())


def measure(state: dict[str, str], number: int, path: Path) -> Lesson:
    """Measure one lesson, updating `state` (the workspace files) as its cells would."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    lesson = Lesson(number, path.stem)
    cells = nb["cells"]
    behind = None  # the files as they were when the latest "Your turn" began
    skeleton: Counter = Counter()  # lines given since the latest "Your turn"
    optional = False  # in the "Going further" part
    for index, cell in enumerate(cells):
        source = _source(cell)
        optional = optional or (cell["cell_type"] == "markdown"
                                and GOING_FURTHER.search(source) is not None)
        if cell["cell_type"] == "markdown":
            if not optional:
                lesson.words += _words(source)
            if "**Your turn.**" in source:
                lesson.your_turns += not optional  # class time and the course's asks: core only
                behind = dict(state)
                skeleton = Counter()
            if "**Predict.**" in source and not optional and any("<details>" in _source(c) for c in
                                                cells[index + 1:index + 4]
                                                if c["cell_type"] == "markdown"):
                lesson.predictions += 1
            continue
        parsed = parse_file_cell(source)
        body = parsed[1] if parsed else source
        first_appearance = (parsed is not None and parsed[2] == "write"
                            and parsed[0].removeprefix("./").removeprefix(WORKSPACE) not in state)
        solution = "solution" in cell.get("metadata", {}).get("tags", [])
        if solution:
            lesson.typed += 0 if optional else _typed(body, skeleton)
        else:
            lesson.supplied += len(_lines(source))
            lesson.hardening += len(_lines(source)) if optional else 0
            skeleton += Counter(line.strip() for line in _lines(body))
            if not optional:
                lesson.code_cells += 1
                lesson.printing_cells += bool(_outputs_text(cell).strip()
                                              or stored_outputs(cell))
        if len(_lines(body)) > MAX_CELL_LINES and not first_appearance:
            lesson.long_cells.append(f"cell {index}: {len(_lines(body))} lines")
        if parsed is None:
            continue
        filename, content, mode = parsed
        rel = filename.removeprefix("./").removeprefix(WORKSPACE)
        before = state.get(rel, "")
        if not solution:
            shown = _lines(content)
            old = Counter(_lines(before)) if mode != "append" else Counter()
            lesson.shown += len(shown)
            lesson.reshown += sum((Counter(shown) & old).values())
        elif behind is not None:
            behind[rel] = apply_cell(behind.get(rel, ""), content, mode)
            lesson.solutions_alone.append((f"{path.stem} cell {index}", rel, behind[rel]))
        state[rel] = apply_cell(before, content, mode)
    lesson.proven_checks = _proven_checks(cells)
    return lesson


def _proven_checks(cells) -> int:
    """Check cells stored both as "not yet" (unsolved) and, later, as "✓" (solved)."""
    outputs: dict[str, list[str]] = {}
    for cell in cells:
        if cell["cell_type"] == "code" and parse_file_cell(_source(cell)) is None:
            outputs.setdefault(_source(cell).strip(), []).append(_outputs_text(cell))
    proven = 0
    for texts in outputs.values():
        first_not_yet = next((i for i, t in enumerate(texts) if "not yet" in t), None)
        if first_not_yet is not None and any("✓" in t for t in texts[first_not_yet + 1:]):
            proven += 1
    return proven


def course(lessons_dir: Path = ROOT / "notebooks") -> tuple[list[Lesson], dict[str, str]]:
    """Every lesson measured in order, and the workspace state at the end of the course."""
    state: dict[str, str] = {}
    lessons = []
    for number, path in lesson_notebooks(lessons_dir):
        if number == SUPPLIED_FROM:
            state.update(supplied_files())
        lessons.append(measure(state, number, path))
    return lessons, state


def block_differences(state: dict[str, str], demo: Path = ROOT / "demo_code") -> list[str]:
    """Where the course's final files differ from demo_code, block by block."""
    rows = []
    for file in sorted(demo.rglob("*.py")):
        rel = file.relative_to(demo).as_posix()
        if "__pycache__" in rel:
            continue
        want = file.read_text(encoding="utf-8")
        have = state.get(rel)
        if have is None:
            rows.append(f"{rel}: not written by any lesson")
        elif have != want:
            try:
                mine = {b.key: b.text for b in parse(have).blocks}
                theirs = [(b.key, b.text) for b in parse(want).blocks]
            except SyntaxError as error:
                rows.append(f"{rel}: {error}")
                continue
            for key, text in theirs:
                if key not in mine:
                    rows.append(f"{rel}: {key}: missing in the course")
                elif mine[key] != text:
                    rows.append(f"{rel}: {key}: differs")
            for key in mine.keys() - {k for k, _ in theirs}:
                rows.append(f"{rel}: {key}: only in the course")
            if not rows or not rows[-1].startswith(rel):
                rows.append(f"{rel}: same blocks, different order or spacing")
    for rel in sorted(set(state) - {f.relative_to(demo).as_posix() for f in demo.rglob("*")}):
        rows.append(f"{rel}: written by the course, not in demo_code")
    return rows


def last_writers(lessons_dir: Path = ROOT / "notebooks") -> dict[tuple[str, str], str]:
    """(file, block key) -> the lesson whose cell wrote that block last."""
    writers: dict[tuple[str, str], str] = {}
    for _, path in lesson_notebooks(lessons_dir):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            parsed = parse_file_cell(_source(cell)) if cell["cell_type"] == "code" else None
            if parsed and parsed[0].endswith(".py"):
                rel = parsed[0].removeprefix("./").removeprefix(WORKSPACE)
                try:
                    keys = [b.key for b in parse(parsed[1]).blocks]
                except SyntaxError:
                    continue
                for key in keys:
                    writers[(rel, key)] = path.stem
    return writers


def main() -> int:
    lessons, state = course()
    print(f"{'lesson':<28} {'shown':>5} {'new':>5} {'re-shown':>9} {'long':>4} "
          f"{'your turn':>9} {'proven':>6} {'predict':>7}")
    for lesson in lessons:
        print(f"{lesson.name:<28} {lesson.shown:>5} {lesson.new:>5} "
              f"{lesson.reshown:>4} ({lesson.reshown_share:>3.0%}) {len(lesson.long_cells):>4} "
              f"{lesson.your_turns:>9} {lesson.proven_checks:>6} {lesson.predictions:>7}")
        for long_cell in lesson.long_cells:
            print(f"    long {long_cell}")
    total_shown = sum(lesson.shown for lesson in lessons)
    total_reshown = sum(lesson.reshown for lesson in lessons)
    print(f"{'all lessons':<28} {total_shown:>5} {total_shown - total_reshown:>5} "
          f"{total_reshown:>4} ({total_reshown / max(total_shown, 1):>3.0%})")

    print(f"\nMinutes: {READ_WPM} words/min + {RUN_MIN} per cell + {OUTPUT_MIN} per output + "
          f"{PREDICT_MIN} per prediction + {TURN_MIN} per your turn + {TYPE_MIN} per typed line")
    print(f"{'lesson':<28} {'words':>5} {'cells':>5} {'minutes':>7} {'slot':>4} "
          f"{'typed':>5} {'supplied':>8} {'going further':>13}")
    for lesson in lessons:
        print(f"{lesson.name:<28} {lesson.words:>5} {lesson.code_cells:>5} "
              f"{lesson.minutes:>7.1f} {lesson.scheduled:>4} {lesson.typed:>5} "
              f"{lesson.supplied:>8} {lesson.hardening:>5} ({lesson.hardening_share:>4.0%})")
    core = [lesson for lesson in lessons if lesson.number <= LAST_CLASS_LESSON]
    supplied = sum(lesson.supplied for lesson in lessons)
    hardening = sum(lesson.hardening for lesson in lessons)
    print(f"{f'lessons 00–{LAST_CLASS_LESSON:02}':<28} {'':>5} {'':>5} "
          f"{sum(lesson.minutes for lesson in core):>7.1f} "
          f"{sum(lesson.scheduled for lesson in core):>4} "
          f"{sum(lesson.typed for lesson in lessons):>5} {supplied:>8} "
          f"{hardening:>5} ({hardening / max(supplied, 1):>4.0%})")
    by_number = {lesson.number: lesson.scheduled for lesson in lessons}
    halves = [(first, last, budget, sum(by_number.get(n, 0) for n in range(first, last + 1)))
              for (first, last), budget in BUDGETS.items()]
    print("Budgets: " + "; ".join(f"{first:02}–{last:02}: {minutes} of {budget} min"
                                  for first, last, budget, minutes in halves)
          + f"; the 3-hour day keeps {CLASS_MINUTES - sum(m for *_, m in halves)} of "
            f"{CLASS_MINUTES} minutes (break left out) as slack")
    rows = block_differences(state)
    writers = last_writers()
    print("\nFinal state vs demo_code:", "identical" if not rows else f"{len(rows)} differences")
    for row in rows:
        rel, _, rest = row.partition(": ")
        key = rest.rsplit(": ", 1)[0]
        print(f"  {row}" + (f"  (last written in {writers[(rel, key)]})"
                            if (rel, key) in writers else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
