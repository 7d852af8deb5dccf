"""Real Python tracebacks as deterministic text, so a notebook can show them under strict nbval.

A traceback printed as-is names absolute paths (they differ per machine), memory addresses
(they differ per run) and, from Python 3.11, `^^^^` markers (they differ per Python version).
Here paths are shown relative to the current folder (`workspace/app/routes.py`), installed
packages as `<site-packages>/flask/app.py` and the standard library as `<stdlib>/socket.py`;
`at 0x7f…` addresses and marker lines are left out. Every frame and message line is kept.
"""

from __future__ import annotations

import os
import re
import sysconfig
import traceback
from collections.abc import Callable
from pathlib import Path

_FILE = re.compile(r'File "([^"]+)"')
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_MARKERS = re.compile(r"^\s*[~^]+[~^\s]*$")  # Python 3.11+ position markers under a frame line
_CAUSE = "The above exception was the direct cause of the following exception:"
_CONTEXT = "During handling of the above exception, another exception occurred:"


def shown_path(filename: str, folder: Path | None = None, shown: str = "") -> str:
    """`filename` as it reads the same on every machine (see the module docstring).

    A file inside `folder` is shown as `shown/<path inside folder>`.
    """
    if filename.startswith("<"):  # <frozen importlib._bootstrap>, <string>, <stdin>
        return filename
    path = os.path.realpath(filename)
    if folder is not None:
        try:
            return "/".join((shown, Path(path).relative_to(os.path.realpath(folder)).as_posix()))
        except ValueError:
            pass
    parts = Path(path).parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            rest = parts[len(parts) - parts[::-1].index(marker):]
            return "/".join(("<site-packages>", *rest))
    for base in (os.getcwd(), sysconfig.get_paths()["stdlib"]):
        base = os.path.realpath(base)
        if path.startswith(base + os.sep):
            rel = Path(path).relative_to(base).as_posix()
            return rel if base == os.path.realpath(os.getcwd()) else f"<stdlib>/{rel}"
    return Path(filename).as_posix()


def clean(text: str) -> str:
    """Traceback text from elsewhere (Werkzeug, a log) with paths, addresses, markers fixed."""
    lines = []
    for line in text.splitlines():
        if _MARKERS.match(line):
            continue
        lines.append(_tidy(line))
    return "\n".join(lines)


def _tidy(line: str, folder: Path | None = None, shown: str = "") -> str:
    """One line with file paths shown relative and memory addresses left out."""
    line = _FILE.sub(lambda m: f'File "{shown_path(m.group(1), folder, shown)}"', line)
    # Messages such as "partially initialized module 'app' (/home/me/…/app/__init__.py)".
    if folder is not None:
        line = line.replace(os.path.realpath(folder) + os.sep, shown + "/")
    line = line.replace(os.path.realpath(os.getcwd()) + os.sep, "")
    return _ADDRESS.sub("", line)


def format_exception(error: BaseException, folder: Path | None = None, shown: str = "",
                     start: Callable[[str], bool] | None = None) -> str:
    """The traceback Python would print for `error`, made deterministic.

    Files inside `folder` are shown as `shown/...`. `start(filename)`, if given, drops the
    frames before the first one it accepts (e.g. the kit's and importlib's frames before the
    student's first file).
    """
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = error
    header = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, header))
        if current.__cause__ is not None:
            current, header = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, header = current.__context__, _CONTEXT
        else:
            current = None
    lines: list[str] = []
    for exc, header in reversed(chain):  # Python prints the first cause first
        frames = traceback.extract_tb(exc.__traceback__)
        if start is not None:
            first = next((i for i, f in enumerate(frames) if start(f.filename)), len(frames))
            frames = frames[first:]
        if frames:
            lines.append("Traceback (most recent call last):")
        for frame in frames:
            where = shown_path(frame.filename, folder, shown)
            lines.append(f'  File "{where}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
        only = "".join(traceback.format_exception_only(type(exc), exc))
        # A SyntaxError's own `^` line points at the column: keep it.
        lines.extend(_tidy(line, folder, shown) for line in only.splitlines())
        if header:
            lines.extend(["", header, ""])
    return "\n".join(lines)
