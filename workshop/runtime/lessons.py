"""The lessons as data: which cells write which workspace files, and each file at each lesson.

`catch_up(N)` and the course report read the lessons through here; nothing here writes a file.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

from workshop.paths import DEMO_CODE, NOTEBOOKS
from workshop.runtime.files import IGNORED_PARTS, read_file
from workshop.runtime.merge import add_to

LESSON_FILE = re.compile(r"^(\d+)-.*\.ipynb$")


WORKSPACE_PREFIX = "workspace/"


# The page's HTML, JavaScript and CSS come with catch_up from this lesson on: students read them
# in the file browser, and lesson 5 discusses the few lines that matter.
SUPPLIED_FROM = 5


SUPPLIED = ("frontend/demo_page.html", "frontend/javascript/actions.js",
            "frontend/styles/style.css")


def state_at(lesson: int, lessons_dir: str | os.PathLike) -> dict[str, str]:
    """The workspace files (relative path -> text) at the start of `lesson`, in writing order."""
    state: dict[str, str] = {}
    supplied = False
    for number, path in lesson_notebooks(lessons_dir):
        if number >= SUPPLIED_FROM and not supplied:
            state.update(supplied_files())
            supplied = True
        if number >= lesson:
            break
        for rel, content, mode in file_cells(path):
            state[rel] = apply_cell(state.get(rel, ""), content, mode)
    return state


def known_versions(lessons_dir: str | os.PathLike) -> dict[str, set[str]]:
    """Every version of each workspace file the kit ships (any lesson cell, or demo_code/)."""
    known: dict[str, set[str]] = {}
    state: dict[str, str] = {}
    for _, path in lesson_notebooks(lessons_dir):
        for rel, content, mode in file_cells(path):
            state[rel] = apply_cell(state.get(rel, ""), content, mode)
            known.setdefault(rel, set()).update({content, state[rel]})
    demo = DEMO_CODE
    if demo.is_dir():
        for file in demo.rglob("*"):
            if file.is_file() and not IGNORED_PARTS & set(file.parts):
                text = read_file(file)
                if text is not None:
                    known.setdefault(file.relative_to(demo).as_posix(), set()).add(text)
    return known


def supplied_files() -> dict[str, str]:
    """Files the kit hands over instead of writing them in cells (the page, from lesson 5)."""
    demo = DEMO_CODE
    return {rel: (demo / rel).read_text(encoding="utf-8") for rel in SUPPLIED}


def apply_cell(old: str, content: str, mode: str) -> str:
    """A file's text after one cell: %%writefile ("write"), %%writefile -a, or %%add_to."""
    if mode == "append":
        return old + content
    if mode == "add_to":
        return add_to(old, content)[0]
    return content


def lesson_notebooks(lessons_dir: str | os.PathLike) -> list[tuple[int, Path]]:
    """`(number, path)` of every `NN-*.ipynb` lesson, in lesson order."""
    folder = Path(lessons_dir)
    found = []
    for path in folder.glob("*.ipynb") if folder.is_dir() else ():
        match = LESSON_FILE.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return sorted(found)


def file_cells(notebook: str | os.PathLike) -> list[tuple[str, str, str]]:
    """`(path in workspace, content, mode)` for each cell that writes a workspace file."""
    # Plain JSON, not nbformat.read: validating every lesson on every catch-up costs seconds.
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = cell["source"]
        parsed = parse_file_cell(source if isinstance(source, str) else "".join(source))
        if parsed is None:
            continue
        filename, content, mode = parsed
        if filename.startswith("./"):
            filename = filename[2:]
        if filename.startswith(WORKSPACE_PREFIX):
            cells.append((filename[len(WORKSPACE_PREFIX):], content, mode))
    return cells


def parse_file_cell(source: str) -> tuple[str, str, str] | None:
    """`(filename, content, mode)` of a %%writefile or %%add_to cell, or None."""
    parsed = parse_writefile(source)
    if parsed is not None:
        filename, content, append = parsed
        return filename, content, "append" if append else "write"
    lines = source.lstrip("\n").splitlines(keepends=True)
    if not lines or not lines[0].startswith("%%add_to"):
        return None
    try:
        names = shlex.split(lines[0][len("%%add_to"):])
    except ValueError:
        return None
    return (names[0], "".join(lines[1:]), "add_to") if len(names) == 1 else None


def parse_writefile(source: str) -> tuple[str, str, bool] | None:
    """`(filename, content, append)` exactly as IPython's %%writefile would write, or None."""
    # IPython drops leading blank lines and adds a final newline before running a cell magic.
    lines = source.lstrip("\n").splitlines(keepends=True)
    if not lines or not lines[0].startswith("%%writefile"):
        return None
    if not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    try:
        args = shlex.split(lines[0][len("%%writefile"):])
    except ValueError:
        return None
    append = any(a in ("-a", "--append") for a in args)
    names = [a for a in args if not a.startswith("-")]
    if len(names) != 1:
        return None
    return names[0], "".join(lines[1:]), append


def lessons_folder(lessons_dir: str | os.PathLike | None) -> Path:
    return Path(lessons_dir) if lessons_dir is not None else NOTEBOOKS
