"""Seconds per lesson notebook under strict nbval, the way CI runs them (a benchmark, not a test).

    python -m workshop bench            # every benchmark module, as a table
    python -m workshop bench lesson_times    # this one alone

Each lesson runs as its own `pytest <notebook>` subprocess from the kit's root, so the time
includes what a student's "Run All" and CI pay: Python start-up, a fresh kernel, every cell.
The target is at most 10 s per lesson.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from workshop.paths import KIT_ROOT, NOTEBOOKS
from workshop.runtime.lessons import lesson_notebooks

TARGET_SECONDS = 10.0
# Three runs give a median that one slow start-up cannot move; KIT_BENCH_REPEATS=1 is quicker.
REPEATS = int(os.environ.get("KIT_BENCH_REPEATS", "3"))


def time_lesson(notebook: Path) -> tuple[float, bool]:
    """Wall-clock seconds of one `pytest <notebook>` run, and whether it passed."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               str(notebook.relative_to(KIT_ROOT))]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=KIT_ROOT, capture_output=True, text=True)
    return time.perf_counter() - start, result.returncode == 0


def run(repeats: int = REPEATS) -> list[dict]:
    """One row per lesson: median seconds under nbval over `repeats` runs, against the target."""
    rows = []
    for _, notebook in lesson_notebooks(NOTEBOOKS):
        runs = [time_lesson(notebook) for _ in range(repeats)]
        median = statistics.median(seconds for seconds, _ in runs)
        rows.append({
            "benchmark": "lesson under nbval",
            "lesson": notebook.name,
            "median_s": round(median, 2),
            "runs": repeats,
            "passed": all(passed for _, passed in runs),
            "target_s": TARGET_SECONDS,
            "within_target": median <= TARGET_SECONDS,
        })
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
