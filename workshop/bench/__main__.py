"""Run every benchmark module in `workshop/bench/` and print its rows as a table.

    python -m workshop.bench            # all of them
    python -m workshop.bench server     # only the named ones
    python -m workshop.bench --class 30 [--shared-double]   # a class on one JupyterHub

A benchmark module defines `run() -> list[dict]`; each dict is one row. Benchmarks print
medians and ratios and never fail: speed is reported, not asserted.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from importlib import import_module
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    """Where the numbers came from: platform, CPU count and Python."""
    return (f"{platform.platform()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()} ({platform.python_implementation()})")


def benchmark_modules(names: list[str] | None = None) -> list[str]:
    """Names of the modules beside this file that define `run()`, alphabetically."""
    found = sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))
    chosen = [n for n in found if not names or n in names]
    modules = {n: import_module(f"workshop.bench.{n}") for n in chosen}
    # On-demand benchmarks (the class on a hub) run only when named or asked for.
    return [n for n, m in modules.items() if callable(getattr(m, "run", None))
            and (names or not getattr(m, "ON_DEMAND", False))]


def format_table(rows: list[dict]) -> str:
    """Rows of dicts as an aligned text table; columns in order of first appearance."""
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    cells = [[_cell(row.get(key, "")) for key in columns] for row in rows]
    widths = [max(len(c) for c in [key, *(r[i] for r in cells)]) for i, key in enumerate(columns)]
    lines = ["  ".join(key.ljust(w) for key, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def main(argv: list[str]) -> int:
    if "--class" in argv:
        return class_on_a_hub(argv)
    unknown = [n for n in argv if not (HERE / f"{n}.py").is_file()]
    if unknown:
        print(f"no such benchmark: {', '.join(unknown)}")
        return 2
    print(f"machine: {machine()}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M')}")
    for name in benchmark_modules(argv or None):
        print(f"\n## {name}", flush=True)
        started = time.perf_counter()
        rows = import_module(f"workshop.bench.{name}").run()
        print(format_table(rows) if rows else "(no rows)")
        print(f"({time.perf_counter() - started:.1f} s)")
    return 0


def class_on_a_hub(argv: list[str]) -> int:
    """`--class N [--shared-double]`: N students at once on a real JupyterHub."""
    from workshop.bench import classroom

    after = argv[argv.index("--class") + 1:]
    students = int(after[0]) if after and after[0].isdigit() else 30
    print(f"machine: {machine()}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    print(classroom.report(students, shared_double="--shared-double" in argv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
