"""Lesson navigation: the `[← prev] · [All lessons] · [next →]` line atop and at the end of lessons.

    python -m workshop navigation           rewrite the lines that are wrong
    python -m workshop navigation --check   list them and exit 1, change nothing

The lesson list is `notebooks/NN-*.ipynb`; a link's text is the lesson's first `# NN · Title`
heading, so renaming a lesson is one edit and one run. Only the first line of the first cell and
the last line of the last markdown cell are touched, so `git diff` shows nothing else.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from workshop.paths import NOTEBOOKS

INDEX = "[All lessons](README.md)"
SEPARATOR = " · "
HEADING = re.compile(r"^# (\d\d) · (.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Lesson:
    """One lesson notebook and the label its links show ("03 Routes")."""

    path: Path
    label: str


def lessons(folder: Path = NOTEBOOKS) -> list[Lesson]:
    """Every `NN-*.ipynb` lesson in `folder`, in order, labelled from its `# NN · Title`."""
    found = []
    for path in sorted(folder.glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        headings = [HEADING.search(cell.source) for cell in nb.cells
                    if cell.cell_type == "markdown"]
        match = next((m for m in headings if m), None)
        if match is None:
            raise ValueError(f"{path.name}: no '# NN · Title' heading to name its links after")
        if match[1] != path.name[:2]:
            raise ValueError(f"{path.name}: heading number {match[1]} does not match the file")
        found.append(Lesson(path, f"{match[1]} {match[2]}"))
    return found


def nav_line(all_lessons: list[Lesson], index: int) -> str:
    """The navigation line for lesson `index`: previous, the index page, next."""
    parts = [INDEX]
    if index > 0:
        prev = all_lessons[index - 1]
        parts.insert(0, f"[← {prev.label}]({prev.path.name})")
    if index + 1 < len(all_lessons):
        nxt = all_lessons[index + 1]
        parts.append(f"[{nxt.label} →]({nxt.path.name})")
    return SEPARATOR.join(parts)


def is_nav(line: str) -> bool:
    """A navigation line is recognised by its link to the lesson index."""
    return INDEX in line


def _with_first_line(source: str, line: str) -> str:
    lines = source.split("\n")
    if lines and is_nav(lines[0]):
        return "\n".join([line, *lines[1:]])
    return f"{line}\n\n{source}"  # no line yet: add one above the heading


def _with_last_line(source: str, line: str) -> str:
    lines = source.split("\n")
    if lines and is_nav(lines[-1]):
        return "\n".join([*lines[:-1], line])
    return f"{source}\n\n---\n{line}"  # no line yet: add one below a rule


def fix(path: Path, line: str, write: bool) -> list[str]:
    """Problems with `path`'s two navigation lines; with `write`, also correct them in place."""
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    first = nb.cells[0]
    last = next(cell for cell in reversed(nb.cells) if cell.cell_type == "markdown")
    problems = []
    for where, cell, edit in [("first line of the first cell", first, _with_first_line),
                              ("last line of the last markdown cell", last, _with_last_line)]:
        if cell.cell_type != "markdown":
            problems.append(f"{path.name}: the first cell must be markdown to hold the links")
            continue
        new = edit(cell.source, line)
        if new != cell.source:
            found = cell.source.split("\n")[0 if edit is _with_first_line else -1]
            problems.append(f"{path.name}: {where}\n  expected: {line}\n  found:    {found}")
            cell.source = new
    if write and problems:
        nbformat.write(nb, path)  # nbformat's own layout: the rest of the file stays identical
    return problems


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with --check, only report) every lesson's navigation lines."""
    parser = argparse.ArgumentParser(prog="python -m workshop navigation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report wrong lines, change nothing")
    parser.add_argument("folder", nargs="?", type=Path, default=NOTEBOOKS,
                        help="the lessons folder (default: the kit's notebooks/)")
    args = parser.parse_args(argv)
    try:
        found = lessons(args.folder)
    except ValueError as error:
        print(f"navigation: {error}", file=sys.stderr)
        return 2
    if not found:
        print(f"navigation: no NN-*.ipynb lessons in {args.folder}", file=sys.stderr)
        return 2
    problems = [p for i, lesson in enumerate(found)
                for p in fix(lesson.path, nav_line(found, i), write=not args.check)]
    for problem in problems:
        print(problem)
    if args.check:
        if problems:
            print(f"{len(problems)} wrong navigation line(s): run `python -m workshop navigation`")
            return 1
        print(f"navigation OK in {len(found)} lessons")
        return 0
    print(f"{len(problems)} navigation line(s) rewritten in {len(found)} lessons")
    return 0


if __name__ == "__main__":
    sys.exit(main())
