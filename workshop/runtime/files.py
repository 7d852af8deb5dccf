"""Safe file handling in the student's workspace: locks, backups, atomic writes, no links.

Every write that could replace a student's own code goes through here, and is backed up first.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

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


class CatchUpError(RuntimeError):
    """catch_up or restore could not do its work; the message says why and what to do."""


def workspace_files(folder: Path) -> list[str]:
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


def back_up(files: list[str], folder: Path) -> tuple[Path, list[str]] | None:
    """Copy `files` (links as links) to a new `.backups/<UTC time>Z-<n>/`; return it and them.

    Never leaves an empty or partial folder behind: it would pass for the newest backup.
    """
    files = [rel for rel in files if file_kind(folder / rel) in ("file", "link")]  # not a pipe
    if not files:
        return None
    root = folder / BACKUPS
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise CatchUpError(f"{shown_path(root, folder.parent)} is not a folder of the workspace: "
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
            copy_file(folder / rel, target, rel)
    except (OSError, CatchUpError) as error:
        shutil.rmtree(target, ignore_errors=True)
        raise CatchUpError(f"Could not back up your files to {shown_path(target, folder)}/: "
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
             if parent != folder and folder in parent.parents and file_kind(parent) == "link"]
    if links or not inside(absolute.parent, folder):
        raise CatchUpError(f"{shown} is reached through a linked folder: %%add_to never writes "
                           "through a link. Nothing was written.")
    if rel.split("/")[0] == BACKUPS:
        raise CatchUpError(f"{shown} is a backup: restore it with workshop.restore(), "
                           "then change the lesson's file. Nothing was written.")
    return folder, rel


def report_backups(backed_up: tuple[Path, list[str]] | None) -> None:
    if backed_up is None:
        return
    target, files = backed_up
    folder = target.parents[1]
    moves = [f"{rel} -> {shown_path(target / rel, folder)}" for rel in files]
    if len(moves) == 1:
        print(f"Backed up 1 file you changed: {moves[0]}")
    else:
        print(f"Backed up {count_files(len(files))} you changed:", *moves, sep="\n  ")
    print(f"  (get them back with workshop.restore('{shown_path(target, folder)}'))")


def remove_empty_folders(folder: Path) -> None:
    if not folder.is_dir():
        return
    for top, _dirs, _names in os.walk(folder, topdown=False):
        path = Path(top)
        rel = path.relative_to(folder)
        if rel.parts and rel.parts[0] not in LEFT_ALONE and not any(path.iterdir()):
            path.rmdir()


def read_file(path: Path) -> str | None:
    """Text as Python reads it back (universal newlines); None for binary files, links, folders."""
    if not is_plain(path):
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


def file_kind(path: Path) -> str:
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


def is_plain(path: Path) -> bool:
    return file_kind(path) == "file"


def same_file(a: Path, b: Path) -> bool:
    """Same bytes (binary files included), or links to the same place."""
    kind = file_kind(a)
    if kind != file_kind(b):
        return False
    if kind == "link":
        return os.readlink(a) == os.readlink(b)
    return kind == "file" and a.read_bytes() == b.read_bytes()


def overlaps(a: str, b: str) -> bool:
    """One relative path is the other, or a folder on the other's way."""
    return a == b or b.startswith(a + "/") or a.startswith(b + "/")


def remove_files(files: list[str], folder: Path) -> None:
    """Remove workspace entries; a link goes, never what it points to."""
    for rel in files:
        path = folder / rel
        if file_kind(path) != "missing":
            path.unlink()


def make_room(folder: Path, rel: str) -> Path:
    """Folders up to `folder/rel`, checked to be real folders inside the workspace."""
    target = folder / rel
    if file_kind(target) == "folder":  # a folder where a file goes: only caches are left in it
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not inside(target.parent, folder) or any(
            file_kind(parent) == "link" for parent in target.parents if inside(parent, folder)
            and parent != folder):
        raise CatchUpError(f"{shown_path(target, folder)} would be written outside the workspace.")
    return target


def write_file(folder: Path, rel: str, content: str | bytes) -> None:
    """Write a file completely or not at all (a temporary file renamed into place)."""
    target = make_room(folder, rel)
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


def copy_file(source: Path, folder: Path, rel: str) -> None:
    """Copy one entry into `folder/rel`: a link as a link, a file with its times."""
    if file_kind(source) == "link":
        target = make_room(folder, rel)
        if file_kind(target) != "missing":
            target.unlink()
        os.symlink(os.readlink(source), target)
    else:
        write_file(folder, rel, source.read_bytes())
        shutil.copystat(source, folder / rel)


@contextmanager
def locked(folder: Path):
    """Hold the workspace's lock file: catch-ups and restores of one workspace take turns."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / LOCK
    # Threads of one kernel take turns on the same file (see stale).
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if stale(lock):
                lock.unlink(missing_ok=True)
                continue
            if time.monotonic() > deadline:
                raise CatchUpError(
                    f"Another catch_up or restore is changing {folder.as_posix()} (it holds "
                    f"{LOCK}). If none is running, delete {folder.as_posix()}/{LOCK} and run "
                    "this again.") from None
            wait()
    with os.fdopen(handle, "w") as file:
        file.write(str(os.getpid()))
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def wait() -> None:
    time.sleep(0.05)


def stale(lock: Path) -> bool:
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
def explained(action: str, backed_up: tuple[Path, list[str]] | None):
    """If the disk fails half-way, say what happened and where the backups are."""
    try:
        yield
    except (OSError, CatchUpError) as error:
        if backed_up is None:
            safe = "No file of yours needed a backup."
        else:
            target, _files = backed_up
            safe = (f"Nothing you wrote is lost: your changed files are in "
                    f"{shown_path(target, target.parents[1])}/ (listed above).")
        reason = str(error).rstrip(".")
        raise CatchUpError(f"{action} stopped half-way: {reason}. {safe} Fix the cause, then "
                           f"run {action} again.") from error


def shown_path(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.as_posix()


def count_files(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n} files"


def inside(path: str | os.PathLike, folder: str | os.PathLike) -> bool:
    """True when `path`, with symlinks and `..` resolved, is `folder` or lies under it."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)
