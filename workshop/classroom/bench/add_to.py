"""`%%add_to` speed: how long a long cell takes, first run and re-run, as the cell grows.

    python -m workshop bench add_to

Each row applies one cell to a small app file the way the magic does (`add_to_file`: read,
merge, back up if needed, write), in a throwaway workspace, then runs the same cell again.
Time should grow in proportion to the cell: twice the lines, about twice the time.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import tempfile
import time
from pathlib import Path

from workshop.runtime.add_to import add_to_file

START = '''"""The app."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def render_home():
    """A first answer."""
    return jsonify(ok=True)
'''

LINES = (1000, 2000, 4000)
RUNS = 3


def cell(lines: int) -> str:
    """A cell of `lines` lines: settings, calls, imports and small views, as lessons mix them."""
    parts = []
    for n in range(lines // 8):
        parts.append(f'app.config["SETTING_{n}"] = {n}\nprint(app.config["SETTING_{n}"])\n'
                     f"from flask import name_{n}\n\n\n"
                     f'@app.get("/n{n}")\ndef view_{n}():\n    return jsonify(n={n})\n')
    return "".join(parts)


def timed(target: Path, text: str) -> float:
    with contextlib.redirect_stdout(io.StringIO()):  # the backup notice: the table only
        start = time.perf_counter()
        add_to_file(target.as_posix(), text)
        return time.perf_counter() - start


def run() -> list[dict]:
    rows = []
    for lines in LINES:
        text = cell(lines)
        first, again = [], []
        for _ in range(RUNS):
            with tempfile.TemporaryDirectory() as folder:
                target = Path(folder) / "workspace" / "app" / "__init__.py"
                target.parent.mkdir(parents=True)
                target.write_text(START, encoding="utf-8")
                first.append(timed(target, text))
                again.append(timed(target, text))
        rows.append({"benchmark": "add_to", "cell lines": len(text.splitlines()),
                     "first run (s)": statistics.median(first),
                     "re-run (s)": statistics.median(again)})
    return rows


if __name__ == "__main__":
    from workshop.classroom.bench.__main__ import format_table

    print(format_table(run()))
