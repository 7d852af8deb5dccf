"""The test suite's wall time per area (a benchmark, not a test): where a maintainer's wait goes.

    python -m workshop bench suite

Each area (a folder of tests, or a folder of notebooks under strict nbval) runs on its own
with the suite's settings (`-n auto`: both CPUs), one after the other; the last row is the sum.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from workshop.paths import KIT_ROOT

ON_DEMAND = True  # minutes, not seconds: `python -m workshop bench` runs it only when named
AREAS = ["tests/kit", "tests/runtime", "tests/checks", "tests/github_double", "tests/demo_code",
         "tests/authoring", "tests/exercises", "tests/lessons", "tests/slides",
         "tests/classroom", "notebooks", "exercises", "solutions", "slides"]


def time_area(area: str) -> tuple[float, bool]:
    """Seconds for one area's tests, and whether they passed."""
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_API_URL", "GITHUB_TOKEN")}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", area],
                            cwd=KIT_ROOT, env=env, capture_output=True, text=True)
    return time.perf_counter() - started, result.returncode == 0


def run() -> list[dict]:
    rows = []
    for area in AREAS:
        seconds, passed = time_area(area)
        rows.append({"area": area, "wall s": round(seconds, 1), "passed": passed})
    rows.append({"area": "all areas, one after the other",
                 "wall s": round(sum(r["wall s"] for r in rows), 1),
                 "passed": all(r["passed"] for r in rows)})
    return rows
