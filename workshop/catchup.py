"""`catch_up(N)`: put `workspace/` in the state it has at the start of lesson N.

The lesson notebooks are the only source of truth: the state at the start of lesson N is what
every `%%writefile workspace/...` cell of lessons 0 … N-1 writes, in order. Nothing a student
wrote is lost: a file whose content is not a version the kit ships is copied to
`workspace/.backups/<time>/` before it is overwritten or removed (`restore()` brings it back).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
from datetime import datetime
from pathlib import Path

from workshop.edit import add_to

KIT_ROOT = Path(__file__).resolve().parents[1]
# Folders %%writefile needs but does not create.
FOLDERS = ("app", "frontend/javascript", "frontend/styles")
# Never touched: the student's database and the backups themselves.
LEFT_ALONE = ("instance", ".backups")
# Caches, not student work.
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
BACKUPS = ".backups"
LESSON_FILE = re.compile(r"^(\d+)-.*\.ipynb$")
WORKSPACE_PREFIX = "workspace/"
# The page's HTML, JavaScript and CSS come with catch_up from this lesson on: students read them
# in the file browser, and lesson 5 discusses the few lines that matter.
SUPPLIED_FROM = 5
SUPPLIED = ("frontend/demo_page.html", "frontend/javascript/actions.js",
            "frontend/styles/style.css")


def catch_up(lesson: int, workspace: str | os.PathLike = "workspace",
             lessons_dir: str | os.PathLike | None = None) -> None:
    """Write the workspace state at the start of `lesson`, backing up files a student changed."""
    _point_at_upstream()
    _stop_app_server()
    lessons = _lessons(lessons_dir)
    folder = Path(workspace)
    state = state_at(lesson, lessons)
    known = known_versions(lessons)

    current = _workspace_files(folder)
    changed = [rel for rel in current if rel not in state or _read(folder / rel) != state[rel]]
    backed_up = _back_up([rel for rel in changed if _read(folder / rel) not in known.get(rel, ())],
                         folder)
    for rel in changed:
        if rel not in state:
            (folder / rel).unlink()
    for rel, content in state.items():
        target = folder / rel
        if not target.is_file() or _read(target) != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Same text mode as IPython's %%writefile, so the files are byte-identical.
            with open(target, "w", encoding="utf-8") as file:
                file.write(content)
    _remove_empty_folders(folder)
    for name in FOLDERS:
        (folder / name).mkdir(parents=True, exist_ok=True)

    _report_backups(backed_up)
    files = ", ".join(state) if state else "no files yet"
    print(f"Workspace ready for lesson {lesson}: {files}")


def restore(backup: str | os.PathLike | None = None,
            workspace: str | os.PathLike = "workspace",
            lessons_dir: str | os.PathLike | None = None) -> list[str]:
    """Copy the files of one backup (default: the newest) back into the workspace."""
    folder = Path(workspace)
    root = folder / BACKUPS
    if backup is None:
        stamps = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        if not stamps:
            print(f"No backups in {folder.as_posix()}/{BACKUPS}/ — nothing to restore.")
            return []
        source = stamps[-1]
    else:
        source = Path(backup)
        if not source.is_absolute() and not source.exists():
            source = folder / backup
            if not source.exists():
                source = root / backup
    files = sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
    # Restoring must not lose work either: files the student changed since are backed up too.
    known = known_versions(_lessons(lessons_dir))
    current = [rel for rel in files if (folder / rel).is_file()
               and _read(folder / rel) != _read(source / rel)]
    _report_backups(_back_up([rel for rel in current if _read(folder / rel) not in
                              known.get(rel, ())], folder))
    for rel in files:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / rel, folder / rel)
    shown = _shown(source, folder)
    print(f"Restored {_count(len(files))} from {shown}: {', '.join(files)}")
    return files


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
    demo = KIT_ROOT / "demo_code"
    if demo.is_dir():
        for file in demo.rglob("*"):
            if file.is_file() and not IGNORED_PARTS & set(file.parts):
                text = _read(file)
                if text is not None:
                    known.setdefault(file.relative_to(demo).as_posix(), set()).add(text)
    return known


def supplied_files() -> dict[str, str]:
    """Files the kit hands over instead of writing them in cells (the page, from lesson 5)."""
    demo = KIT_ROOT / "demo_code"
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


def writefile_cells(notebook: str | os.PathLike) -> list[tuple[str, str, bool]]:
    """`(path in workspace, content, append)` for each `%%writefile workspace/...` cell."""
    return [(rel, content, mode == "append") for rel, content, mode in file_cells(notebook)
            if mode != "add_to"]


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


def _lessons(lessons_dir: str | os.PathLike | None) -> Path:
    return Path(lessons_dir) if lessons_dir is not None else KIT_ROOT / "notebooks"


def _point_at_upstream() -> None:
    """Set GITHUB_API_URL before lesson code imports the app, and give the double a fresh start.

    The double counts GitHub's 60 requests an hour like the real API; a lesson (and its
    experiments) starts with the full budget and no fault left over from earlier cells.
    """
    from workshop.upstream import double, github_api_url

    github_api_url()
    if double() is not None:  # None when GITHUB_API_URL points elsewhere (live GitHub)
        double().reset()


def _stop_app_server() -> None:
    """A lesson starts clean: the previous lesson's app server is stopped."""
    from workshop.server import running_servers

    server = running_servers().get("app")
    if server is not None:
        server.stop()


def _workspace_files(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    files = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if (not path.is_file() or rel.parts[0] in LEFT_ALONE
                or IGNORED_PARTS & set(rel.parts) or path.suffix == ".pyc"):
            continue
        files.append(rel.as_posix())
    return files


def _back_up(files: list[str], folder: Path) -> tuple[Path, list[str]] | None:
    """Copy `files` to a new `.backups/<YYYYmmdd-HHMMSS>/` folder; return it and the files."""
    if not files:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target, n = folder / BACKUPS / stamp, 1
    while target.exists():  # two catch-ups in one second must not mix their backups
        n += 1
        target = folder / BACKUPS / f"{stamp}-{n}"
    for rel in files:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / rel, target / rel)
    return target, files


def back_up_if_own(path: Path, lessons_dir: str | os.PathLike | None = None) -> None:
    """Back up a workspace file about to change if its text is not a version the kit ships."""
    parts = path.parts
    if "workspace" not in parts:
        return  # not a lesson workspace file: nothing the kit could recognise
    cut = len(parts) - 1 - parts[::-1].index("workspace")
    folder, rel = Path(*parts[:cut + 1]), Path(*parts[cut + 1:]).as_posix()
    if _read(path) not in known_versions(_lessons(lessons_dir)).get(rel, ()):
        _report_backups(_back_up([rel], folder))


def _report_backups(backed_up: tuple[Path, list[str]] | None) -> None:
    if backed_up is None:
        return
    target, files = backed_up
    folder = target.parents[1]
    moves = [f"{rel} -> {_shown(target / rel, folder)}" for rel in files]
    if len(moves) == 1:
        print(f"Backed up 1 file you changed: {moves[0]}")
    else:
        print(f"Backed up {_count(len(files))} you changed:", *moves, sep="\n  ")
    print(f"  (get them back with workshop.catchup.restore('{_shown(target, folder)}'))")


def _remove_empty_folders(folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        rel = path.relative_to(folder)
        if path.is_dir() and rel.parts[0] not in LEFT_ALONE and not any(path.iterdir()):
            path.rmdir()


def _read(path: Path) -> str | None:
    """Text as Python reads it back (universal newlines); None for binary files."""
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


def _shown(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.as_posix()


def _count(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n} files"
