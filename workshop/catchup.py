"""`catch_up(N)`: put `workspace/` in the state it has at the start of lesson N.

The lesson notebooks are the only source of truth: the state at the start of lesson N is what
every `%%writefile workspace/...` cell of lessons 0 … N-1 writes, in order. Nothing a student
wrote is lost: a file whose content is not a version the kit ships is copied to
`workspace/.backups/<time>/` before it is overwritten or removed (`restore()` brings it back).

Nothing is written outside the workspace: a link (to a file or a folder, even a dangling one)
is backed up as a link and replaced, never written through. Everything is checked before
anything changes; if the disk still fails half-way, the message says where the backups are.
Two catch-ups (or restores) of one workspace at once take turns (a lock file in the workspace).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
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
# Held while catch_up or restore changes the workspace; it holds the owner's process id.
LOCK = ".catch_up.lock"
LOCK_WAIT_S = 120  # then say what to do: a catch-up takes about a second
TEMP_PREFIX = ".catch_up-"  # files being written; renamed into place when complete
# Backup folders: UTC time, then a sequence number that orders them even if the clock moves.
BACKUP_NAME = re.compile(r"^\d{8}T\d{6}Z-(\d+)$")
OLD_BACKUP_NAME = re.compile(r"^(\d{8}-\d{6})(?:-(\d+))?$")  # local time, before the above
LESSON_FILE = re.compile(r"^(\d+)-.*\.ipynb$")
WORKSPACE_PREFIX = "workspace/"
# The page's HTML, JavaScript and CSS come with catch_up from this lesson on: students read them
# in the file browser, and lesson 5 discusses the few lines that matter.
SUPPLIED_FROM = 5
SUPPLIED = ("frontend/demo_page.html", "frontend/javascript/actions.js",
            "frontend/styles/style.css")


class CatchUpError(RuntimeError):
    """catch_up or restore could not do its work; the message says why and what to do."""


def catch_up(lesson: int, workspace: str | os.PathLike = "workspace",
             lessons_dir: str | os.PathLike | None = None) -> None:
    """Write the workspace state at the start of `lesson`, backing up files a student changed."""
    _point_at_upstream()
    _stop_app_server()
    lessons = _lessons(lessons_dir)
    folder = Path(workspace)
    state = state_at(lesson, lessons)
    known = known_versions(lessons)

    with _locked(folder):
        current = _workspace_files(folder)
        changed = [rel for rel in current if rel not in state or _read(folder / rel) != state[rel]]
        backed_up = _back_up([rel for rel in changed if _read(folder / rel) not in
                              known.get(rel, ())], folder)
        _report_backups(backed_up)
        with _explained(f"catch_up({lesson})", backed_up):
            # A link is removed even where a file belongs: writing would go through it.
            _remove([rel for rel in changed if rel not in state or not _is_plain(folder / rel)],
                    folder)
            for rel, content in state.items():
                if _read(folder / rel) != content:
                    _write(folder, rel, content)
            _remove_empty_folders(folder)
            for name in FOLDERS:
                (folder / name).mkdir(parents=True, exist_ok=True)

    files = ", ".join(state) if state else "no files yet"
    print(f"Workspace ready for lesson {lesson}: {files}")


def restore(backup: str | os.PathLike | None = None,
            workspace: str | os.PathLike = "workspace",
            lessons_dir: str | os.PathLike | None = None) -> list[str]:
    """Copy the files of one backup (default: the newest) back into the workspace."""
    folder = Path(workspace)
    root = folder / BACKUPS
    if backup is None:
        source = newest_backup(folder)
        if source is None:
            print(f"No backups in {folder.as_posix()}/{BACKUPS}/ — nothing to restore.")
            return []
    else:
        source = Path(backup)
        if not source.is_absolute() and not source.exists():
            source = folder / backup
            if not source.exists():
                source = root / backup
    if not source.is_dir():
        raise CatchUpError(f"No backup folder {Path(backup).as_posix()}: see the folders in "
                           f"{folder.as_posix()}/{BACKUPS}/.")
    with _locked(folder):
        files = _workspace_files(source)
        # Restoring must not lose work either: what the student changed since is backed up
        # too, and whatever stands in the way (a link, a folder where a file goes) as well.
        known = known_versions(_lessons(lessons_dir))
        in_the_way = [rel for rel in _workspace_files(folder)
                      if any(_overlap(rel, name) for name in files)
                      and not (rel in files and _same(folder / rel, source / rel))]
        backed_up = _back_up([rel for rel in in_the_way if _read(folder / rel) not in
                              known.get(rel, ())], folder)
        _report_backups(backed_up)
        with _explained(f"restore('{_shown(source, folder)}')", backed_up):
            _remove(in_the_way, folder)
            for rel in files:
                if not _same(folder / rel, source / rel):
                    _copy(source / rel, folder, rel)
    shown = _shown(source, folder)
    print(f"Restored {_count(len(files))} from {shown}: {', '.join(files)}")
    return files


def newest_backup(workspace: str | os.PathLike = "workspace") -> Path | None:
    """The backup folder catch_up or restore made last, or None."""
    root = Path(workspace) / BACKUPS
    ordered = []
    for path in root.iterdir() if root.is_dir() else ():
        if path.is_dir() and not any(path.iterdir()):
            continue  # left empty by an older kit's refused %%add_to cell: nothing to restore
        new, old = BACKUP_NAME.match(path.name), OLD_BACKUP_NAME.match(path.name)
        if path.is_dir() and new:
            ordered.append(((1, int(new.group(1)), 0), path))
        elif path.is_dir() and old:  # older kits: local time; all older than the new names
            when = datetime.strptime(old.group(1), "%Y%m%d-%H%M%S").timestamp()
            ordered.append(((0, when, int(old.group(2) or 1)), path))
    return max(ordered)[1] if ordered else None


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
    """Every file of the student's in `folder`: files, and links as links (never followed)."""
    if not folder.is_dir():
        return []
    found = []
    for top, dirs, names in os.walk(folder):  # does not descend into linked folders
        rel_top = Path(top).relative_to(folder)
        if rel_top == Path("."):
            dirs[:] = [d for d in dirs if d not in LEFT_ALONE]
            names = [n for n in names if n not in (*LEFT_ALONE, LOCK)]
        dirs[:] = [d for d in dirs if d not in IGNORED_PARTS]
        # A linked folder is one entry, like a file: what it points to is not ours to write.
        linked = [d for d in dirs if (Path(top) / d).is_symlink()]
        dirs[:] = [d for d in dirs if d not in linked]
        for name in [*names, *linked]:
            if name.endswith(".pyc") or name.startswith(TEMP_PREFIX):
                continue
            found.append((rel_top / name).as_posix())
    return sorted(found, key=lambda rel: rel.split("/"))


def _back_up(files: list[str], folder: Path) -> tuple[Path, list[str]] | None:
    """Copy `files` (links as links) to a new `.backups/<UTC time>Z-<n>/`; return it and them.

    Never leaves an empty or partial folder behind: it would pass for the newest backup.
    """
    files = [rel for rel in files if _kind(folder / rel) in ("file", "link")]  # not a pipe
    if not files:
        return None
    root = folder / BACKUPS
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise CatchUpError(f"{_shown(root, folder.parent)} is not a folder of the workspace: "
                           "backups stay inside the workspace. Rename it, then run this again.")
    root.mkdir(parents=True, exist_ok=True)
    numbers = [int(m.group(1)) for m in map(BACKUP_NAME.match, os.listdir(root)) if m]
    number = max(numbers, default=0) + 1
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    while True:
        target = root / f"{stamp}-{number:03d}"
        try:
            target.mkdir()
            break
        except FileExistsError:
            number += 1
    try:
        for rel in files:
            _copy(folder / rel, target, rel)
    except (OSError, CatchUpError) as error:
        shutil.rmtree(target, ignore_errors=True)
        raise CatchUpError(f"Could not back up your files to {_shown(target, folder)}/: "
                           f"{error}. Nothing else was changed. Fix the cause (free some disk "
                           "space?), then run this again.") from error
    return target, files


def workspace_file(path: Path) -> tuple[Path, str]:
    """`(workspace folder, path in it)` of a file a cell may change; else CatchUpError, why not.

    The workspace is the nearest folder named `workspace` above the file, `..` resolved by name;
    no linked folder may stand on the way (writing would land where the link points).
    """
    shown = Path(path).as_posix()
    absolute = Path(os.path.abspath(path))
    parts = absolute.parts
    cuts = [index for index, part in enumerate(parts[:-1]) if part == "workspace"]
    if not cuts:
        raise CatchUpError(f"{shown} is outside the workspace: %%add_to changes only files in "
                           "workspace/ (such as workspace/app/routes.py). Nothing was written.")
    folder, rel = Path(*parts[:cuts[-1] + 1]), Path(*parts[cuts[-1] + 1:]).as_posix()
    links = [parent for parent in absolute.parents
             if parent != folder and folder in parent.parents and _kind(parent) == "link"]
    if links or not _inside(absolute.parent, folder):
        raise CatchUpError(f"{shown} is reached through a linked folder: %%add_to never writes "
                           "through a link. Nothing was written.")
    if rel.split("/")[0] == BACKUPS:
        raise CatchUpError(f"{shown} is a backup: restore it with workshop.catchup.restore(), "
                           "then change the lesson's file. Nothing was written.")
    return folder, rel


def save_cell_result(path: Path, text: str,
                     lessons_dir: str | os.PathLike | None = None) -> None:
    """Write a workspace file for a %%add_to cell: a student's own version is backed up first,
    a link is replaced rather than written through, and nothing lands outside the workspace."""
    folder, rel = workspace_file(path)  # checked before any backup folder is made
    with _locked(folder):
        backed_up = None
        if not _is_plain(folder / rel) or _read(folder / rel) not in known_versions(
                _lessons(lessons_dir)).get(rel, ()):
            backed_up = _back_up([rel], folder)
        try:
            _write(folder, rel, text)
        except OSError as error:
            if backed_up is not None:  # the file is unchanged: a copy of it would only shadow
                shutil.rmtree(backed_up[0], ignore_errors=True)  # the real last backup
            reason = error.strerror or error
            raise CatchUpError(f"Could not write {Path(path).as_posix()} ({reason}): fix that, "
                               "then run this cell again. Nothing was written.") from error
        _report_backups(backed_up)


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
    for top, _dirs, _names in os.walk(folder, topdown=False):
        path = Path(top)
        rel = path.relative_to(folder)
        if rel.parts and rel.parts[0] not in LEFT_ALONE and not any(path.iterdir()):
            path.rmdir()


def _read(path: Path) -> str | None:
    """Text as Python reads it back (universal newlines); None for binary files, links, folders."""
    if not _is_plain(path):
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


def _kind(path: Path) -> str:
    """"file", "link", "folder", "missing" or "other" (a pipe, a socket), links not followed."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "missing"
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISREG(mode):
        return "file"
    return "folder" if stat.S_ISDIR(mode) else "other"


def _is_plain(path: Path) -> bool:
    return _kind(path) == "file"


def _same(a: Path, b: Path) -> bool:
    """Same bytes (binary files included), or links to the same place."""
    kind = _kind(a)
    if kind != _kind(b):
        return False
    if kind == "link":
        return os.readlink(a) == os.readlink(b)
    return kind == "file" and a.read_bytes() == b.read_bytes()


def _overlap(a: str, b: str) -> bool:
    """One relative path is the other, or a folder on the other's way."""
    return a == b or b.startswith(a + "/") or a.startswith(b + "/")


def _inside(path: Path, folder: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _remove(files: list[str], folder: Path) -> None:
    """Remove workspace entries; a link goes, never what it points to."""
    for rel in files:
        path = folder / rel
        if _kind(path) != "missing":
            path.unlink()


def _make_room(folder: Path, rel: str) -> Path:
    """Folders up to `folder/rel`, checked to be real folders inside the workspace."""
    target = folder / rel
    if _kind(target) == "folder":  # a folder where a file goes: only caches are left in it
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not _inside(target.parent, folder) or any(
            _kind(parent) == "link" for parent in target.parents if _inside(parent, folder)
            and parent != folder):
        raise CatchUpError(f"{_shown(target, folder)} would be written outside the workspace.")
    return target


def _write(folder: Path, rel: str, content: str | bytes) -> None:
    """Write a file completely or not at all (a temporary file renamed into place)."""
    target = _make_room(folder, rel)
    temp = target.with_name(TEMP_PREFIX + target.name)  # the lock keeps this name ours
    temp.unlink(missing_ok=True)  # left over from an interrupted run
    # Mode 0o666 minus the umask: the permissions a plain open() gives a new file.
    handle = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0),
                     0o666)
    try:
        if isinstance(content, str):
            # Text mode, as IPython's %%writefile writes: the files are byte-identical.
            with open(handle, "w", encoding="utf-8") as file:
                file.write(content)
        else:
            with open(handle, "wb") as file:
                file.write(content)
        os.replace(temp, target)  # replaces a read-only file or a link, never writes through
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _copy(source: Path, folder: Path, rel: str) -> None:
    """Copy one entry into `folder/rel`: a link as a link, a file with its times."""
    if _kind(source) == "link":
        target = _make_room(folder, rel)
        if _kind(target) != "missing":
            target.unlink()
        os.symlink(os.readlink(source), target)
    else:
        _write(folder, rel, source.read_bytes())
        shutil.copystat(source, folder / rel)


@contextmanager
def _locked(folder: Path):
    """Hold the workspace's lock file: catch-ups and restores of one workspace take turns."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / LOCK
    # Threads of one kernel take turns on the same file (see _stale).
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if _stale(lock):
                lock.unlink(missing_ok=True)
                continue
            if time.monotonic() > deadline:
                raise CatchUpError(
                    f"Another catch_up or restore is changing {folder.as_posix()} (it holds "
                    f"{LOCK}). If none is running, delete {folder.as_posix()}/{LOCK} and run "
                    "this again.") from None
            _wait()
    with os.fdopen(handle, "w") as file:
        file.write(str(os.getpid()))
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _wait() -> None:
    time.sleep(0.05)


def _stale(lock: Path) -> bool:
    """Left behind by a process that ended (a kernel restarted mid catch-up)."""
    try:
        pid = int(lock.read_text() or 0)
    except (OSError, ValueError):
        return False
    if pid <= 0 or pid == os.getpid():
        return False  # being written right now, or held by another thread of this process
    if sys.platform == "win32":  # no safe liveness check there: trust the lock's age
        try:
            return time.time() - lock.stat().st_mtime > LOCK_WAIT_S
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, another user's
    return False


@contextmanager
def _explained(action: str, backed_up: tuple[Path, list[str]] | None):
    """If the disk fails half-way, say what happened and where the backups are."""
    try:
        yield
    except (OSError, CatchUpError) as error:
        if backed_up is None:
            safe = "No file of yours needed a backup."
        else:
            target, _files = backed_up
            safe = (f"Nothing you wrote is lost: your changed files are in "
                    f"{_shown(target, target.parents[1])}/ (listed above).")
        reason = str(error).rstrip(".")
        raise CatchUpError(f"{action} stopped half-way: {reason}. {safe} Fix the cause, then "
                           f"run {action} again.") from error


def _shown(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.as_posix()


def _count(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n} files"
