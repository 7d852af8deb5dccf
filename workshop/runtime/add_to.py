"""`%%add_to FILE`, the cell magic: merge the cell into a workspace file, safely.

The merge itself (what "the same name" means, how imports join) is workshop/runtime/merge.py;
this module reads and writes the file through workshop/runtime/files.py, which backs up a
student's own version first and never writes outside the workspace.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from workshop.runtime.files import (
    CatchUpError,
    back_up,
    is_plain,
    locked,
    read_file,
    report_backups,
    workspace_file,
    write_file,
)
from workshop.runtime.lessons import known_versions, lessons_folder
from workshop.runtime.merge import BrokenFile, add_to, describe


class AddToError(ValueError):
    """A refused cell: one sentence that names the file and says what to do."""


def add_to_file(path: str, cell: str) -> str:
    """Apply a `%%add_to path` cell to the file; back up a student's own version first.

    Returns the line to show. Raises AddToError (nothing written) for a file it must not or
    cannot change, SyntaxError for a cell that is not Python.
    """
    target = Path(path)
    shown = target.as_posix()
    try:
        workspace_file(target)  # refused before anything is read or backed up
    except CatchUpError as error:
        raise AddToError(str(error)) from None
    if target.is_dir():
        raise AddToError(f"{shown} is a folder: name the Python file in it to change. "
                         "Nothing was written.")
    if not target.is_file():
        raise AddToError(f"{shown} does not exist yet: write it first with %%writefile "
                         "(or run the lesson's first cell, workshop.catch_up).")
    try:
        data = target.read_bytes()
    except OSError as error:
        raise AddToError(f"Could not read {shown} ({error.strerror}): fix that, then run this "
                         "cell again. Nothing was written.") from None
    try:
        old = data.decode("utf-8-sig")  # a byte-order mark (some Windows editors) is not code
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise AddToError(f"{shown} is not UTF-8 text (line {line}): save it as UTF-8, then run "
                         "this cell again. Nothing was written.") from None
    old = old.replace("\r\n", "\n").replace("\r", "\n")  # as Python's text mode reads it
    try:
        new, done = add_to(old, cell)  # SyntaxError (the cell's) propagates, with its line
    except BrokenFile as broken:
        error = broken.error
        where = f" on line {error.lineno}" if error.lineno else ""
        raise AddToError(f"{shown} has a syntax error{where} ({error.msg}): fix the file, then "
                         "run this cell again. Nothing was written.") from None
    if new != old:
        try:
            save_cell_result(target, new)
        except CatchUpError as error:
            raise AddToError(str(error)) from None
        except OSError as error:  # the workspace's lock file could not be made
            raise AddToError(f"Could not write {shown} ({error.strerror or error}): fix that, "
                             "then run this cell again. Nothing was written.") from None
    return describe(shown, done)


def register(ipython) -> None:
    """Make `%%add_to FILE` available in this IPython session."""

    def add_to_magic(line: str, cell: str) -> None:
        """%%add_to FILE: add the cell's definitions to FILE, replacing those with the same name.

        Imports merge by name: the file keeps every name it imported. To remove one, edit FILE.
        """
        import shlex
        import traceback

        try:
            names = shlex.split(line)
        except ValueError:
            print(f"The file name in `%%add_to{line}` has an unclosed quote: close it (or leave "
                  "the quotes out), then run the cell again. Nothing was written.")
            return
        if len(names) != 1:
            print("Usage: %%add_to FILE — then the definitions to add, on the next lines.")
            return
        try:
            print(add_to_file(names[0], cell))
        except AddToError as error:
            print(error)
        except SyntaxError as error:
            # Point at the line in the cell (its first line is the %%add_to line itself).
            error.filename, error.lineno = "<cell>", (error.lineno or 0) + 1
            print(*traceback.format_exception_only(type(error), error), sep="", end="")
            print(f"Nothing was written ({names[0]} is unchanged): fix the cell, run it again.")

    ipython.register_magic_function(add_to_magic, magic_kind="cell", magic_name="add_to")


def save_cell_result(path: Path, text: str,
                     lessons_dir: str | os.PathLike | None = None) -> None:
    """Write a workspace file for a %%add_to cell: a student's own version is backed up first,
    a link is replaced rather than written through, and nothing lands outside the workspace."""
    folder, rel = workspace_file(path)  # checked before any backup folder is made
    with locked(folder):
        backed_up = None
        if not is_plain(folder / rel) or read_file(folder / rel) not in known_versions(
                lessons_folder(lessons_dir)).get(rel, ()):
            backed_up = back_up([rel], folder)
        try:
            write_file(folder, rel, text)
        except OSError as error:
            if backed_up is not None:  # the file is unchanged: a copy of it would only shadow
                shutil.rmtree(backed_up[0], ignore_errors=True)  # the real last backup
            reason = error.strerror or error
            raise CatchUpError(f"Could not write {Path(path).as_posix()} ({reason}): fix that, "
                               "then run this cell again. Nothing was written.") from error
        report_backups(backed_up)
