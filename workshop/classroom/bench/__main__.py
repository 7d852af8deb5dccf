"""Run every benchmark module in `workshop/classroom/bench/` and print its rows as a table.

    python -m workshop bench            # all of them
    python -m workshop bench server_speed   # only the named ones
    python -m workshop bench --class 30 [--shared-double]   # a class on one JupyterHub

A benchmark module defines `run() -> list[dict]`; each dict is one row. Benchmarks print
medians and ratios and never fail: speed is reported, not asserted.
"""

from __future__ import annotations

import sys
import time
from importlib import import_module
from pathlib import Path

from workshop.classroom.bench.report import format_table, machine

HERE = Path(__file__).resolve().parent


def benchmark_modules(names: list[str] | None = None) -> list[str]:
    """Names of the modules beside this file that define `run()`, alphabetically."""
    found = sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))
    chosen = [n for n in found if not names or n in names]
    modules = {n: import_module(f"workshop.classroom.bench.{n}") for n in chosen}
    # On-demand benchmarks (the class on a hub) run only when named or asked for.
    return [n for n, m in modules.items() if callable(getattr(m, "run", None))
            and (names or not getattr(m, "ON_DEMAND", False))]


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
        rows = import_module(f"workshop.classroom.bench.{name}").run()
        print(format_table(rows) if rows else "(no rows)")
        print(f"({time.perf_counter() - started:.1f} s)")
    return 0


def class_on_a_hub(argv: list[str]) -> int:
    """`--class N [--shared-double]`: N students at once on a real JupyterHub."""
    from workshop.classroom.bench import class_on_hub as classroom

    after = argv[argv.index("--class") + 1:]
    students = int(after[0]) if after and after[0].isdigit() else 30
    print(f"machine: {machine()}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    print(classroom.report(students, shared_double="--shared-double" in argv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
