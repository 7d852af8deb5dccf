"""How every benchmark reports: rows as an aligned table, and one line naming the machine."""

from __future__ import annotations

import os
import platform


def machine() -> str:
    """Where the numbers came from: CPU model, core count, operating system and Python."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            names = [line.split(":", 1)[1] for line in info if line.startswith("model name")]
        cpu = names[0].strip() if names else cpu
    except OSError:  # not Linux: platform's answer is the best there is
        pass
    return (f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()} ({platform.python_implementation()})")


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
