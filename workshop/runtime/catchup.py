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

import os
from datetime import datetime
from pathlib import Path

from workshop.runtime.files import (
    BACKUP_NAME,
    BACKUPS,
    OLD_BACKUP_NAME,
    CatchUpError,
    back_up,
    copy_file,
    count_files,
    explained,
    is_plain,
    locked,
    overlaps,
    read_file,
    remove_empty_folders,
    remove_files,
    report_backups,
    same_file,
    shown_path,
    workspace_files,
    write_file,
)
from workshop.runtime.github_api import fresh_double
from workshop.runtime.lessons import known_versions, lessons_folder, state_at

# Folders %%writefile needs but does not create.
FOLDERS = ("app", "frontend/javascript", "frontend/styles")




def catch_up(lesson: int, workspace: str | os.PathLike = "workspace",
             lessons_dir: str | os.PathLike | None = None) -> None:
    """Write the workspace state at the start of `lesson`, backing up files a student changed."""
    fresh_double()
    _stop_app_server()
    lessons = lessons_folder(lessons_dir)
    folder = Path(workspace)
    state = state_at(lesson, lessons)
    known = known_versions(lessons)

    with locked(folder):
        current = workspace_files(folder)
        changed = [rel for rel in current
                   if rel not in state or read_file(folder / rel) != state[rel]]
        backed_up = back_up([rel for rel in changed if read_file(folder / rel) not in
                              known.get(rel, ())], folder)
        report_backups(backed_up)
        with explained(f"catch_up({lesson})", backed_up):
            # A link is removed even where a file belongs: writing would go through it.
            remove_files([rel for rel in changed if rel not in state or not is_plain(folder / rel)],
                    folder)
            for rel, content in state.items():
                if read_file(folder / rel) != content:
                    write_file(folder, rel, content)
            remove_empty_folders(folder)
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
    with locked(folder):
        files = workspace_files(source)
        # Restoring must not lose work either: what the student changed since is backed up
        # too, and whatever stands in the way (a link, a folder where a file goes) as well.
        known = known_versions(lessons_folder(lessons_dir))
        in_the_way = [rel for rel in workspace_files(folder)
                      if any(overlaps(rel, name) for name in files)
                      and not (rel in files and same_file(folder / rel, source / rel))]
        backed_up = back_up([rel for rel in in_the_way if read_file(folder / rel) not in
                              known.get(rel, ())], folder)
        report_backups(backed_up)
        with explained(f"restore('{shown_path(source, folder)}')", backed_up):
            remove_files(in_the_way, folder)
            for rel in files:
                if not same_file(folder / rel, source / rel):
                    copy_file(source / rel, folder, rel)
    shown = shown_path(source, folder)
    print(f"Restored {count_files(len(files))} from {shown}: {', '.join(files)}")
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


def _stop_app_server() -> None:
    """A lesson starts clean: the previous lesson's app server is stopped."""
    from workshop.runtime.server import running_servers

    server = running_servers().get("app")
    if server is not None:
        server.stop()
