"""workshop.runtime.catchup: lesson start states from notebooks; nothing a student wrote is lost."""

from __future__ import annotations

import errno
import os
import re
import shutil
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from IPython.core.inputtransformer2 import TransformerManager

from workshop.runtime import catchup
from workshop.runtime import files as file_io
from workshop.runtime.catchup import catch_up, newest_backup, restore
from workshop.runtime.files import BACKUPS
from workshop.runtime.lessons import parse_writefile, state_at
from workshop.runtime.server import running_servers, serve

from .conftest import INIT_V1, ROUTES_V1, ROUTES_V2


def files(folder="workspace") -> dict[str, str]:
    root = Path(folder)
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*"))
            if p.is_file() and ".backups" not in p.parts}


@pytest.mark.parametrize("source", [
    "%%writefile workspace/a.py\nx = 1",
    "%%writefile workspace/a.py\nx = 1\n",
    "%%writefile workspace/a.py\nx = 1\n\n\n",
    "\n%%writefile 'workspace/a b.py'\n  indented\n",
    "%%writefile -a workspace/a.py\ny = 2",
    "%%writefile workspace/a.py",
])
def test_content_is_exactly_what_ipython_writes(source):
    # IPython turns the cell into run_cell_magic('writefile', line, body): compare bodies.
    python = TransformerManager().transform_cell(source)
    line, body = eval(re.match(r"get_ipython\(\)\.run_cell_magic\('writefile', (.*)\)\n$",
                               python).group(1))
    filename, content, append = parse_writefile(source)
    assert content == body
    assert append == ("-a" in line)
    assert filename in line


def test_not_a_writefile_cell():
    assert parse_writefile("print(1)") is None
    assert parse_writefile("%%writefile a.py b.py\n") is None


def test_state_grows_lesson_by_lesson(lessons):
    assert state_at(0, lessons) == {}
    assert state_at(1, lessons) == {}
    assert state_at(2, lessons) == {"server.py": "from app import app\n\napp.run()\n",
                                    "app/__init__.py": INIT_V1, "app/routes.py": ROUTES_V1}
    assert state_at(3, lessons)["app/routes.py"] == ROUTES_V2
    assert state_at(99, lessons) == state_at(3, lessons)


def test_lesson_zero_creates_the_folders(isolated, lessons, capsys):
    catch_up(0, lessons_dir=lessons)
    assert capsys.readouterr().out == "Workspace ready for lesson 0: no files yet\n"
    for folder in ("app", "frontend/javascript", "frontend/styles"):
        assert Path("workspace", folder).is_dir()


def test_running_a_lesson_twice_prints_the_same(isolated, lessons, capsys):
    expected = "Workspace ready for lesson 3: server.py, app/__init__.py, app/routes.py\n"
    for lesson in (2, 3, 3, 1, 3):
        catch_up(lesson, lessons_dir=lessons)
        out = capsys.readouterr().out
        if lesson == 3:
            assert out == expected  # kit versions are replaced silently, never backed up
    assert files()["app/routes.py"] == ROUTES_V2
    assert not Path("workspace/.backups").exists()


def test_student_changes_are_backed_up_and_restored_exactly(isolated, lessons, capsys):
    catch_up(2, lessons_dir=lessons)
    mine = ROUTES_V1 + "\n\n@app.get('/mine')\ndef mine():\n    return 'mine'\n"
    Path("workspace/app/routes.py").write_text(mine)
    Path("workspace/app/helpers.py").write_text("def helper():\n    pass\n")
    Path("workspace/instance").mkdir()
    Path("workspace/instance/app.sqlite3").write_bytes(b"\x00data")
    before = files()
    capsys.readouterr()

    catch_up(3, lessons_dir=lessons)
    out = capsys.readouterr().out.splitlines()
    stamp = next(Path("workspace/.backups").iterdir()).name
    assert out == [
        "Backed up 2 files you changed:",
        f"  app/helpers.py -> .backups/{stamp}/app/helpers.py",
        f"  app/routes.py -> .backups/{stamp}/app/routes.py",
        f"  (get them back with workshop.restore('.backups/{stamp}'))",
        "Workspace ready for lesson 3: server.py, app/__init__.py, app/routes.py",
    ]
    assert files()["app/routes.py"] == ROUTES_V2
    assert "app/helpers.py" not in files()
    assert Path("workspace/instance/app.sqlite3").read_bytes() == b"\x00data"  # left alone

    restored = restore(f".backups/{stamp}", lessons_dir=lessons)
    assert restored == ["app/helpers.py", "app/routes.py"]
    assert files() == before
    # The kit version that restore replaced is known, so nothing new was backed up.
    assert len(list(Path("workspace/.backups").iterdir())) == 1


def test_restore_defaults_to_the_newest_backup(isolated, lessons, capsys):
    assert restore(lessons_dir=lessons) == []
    assert "nothing to restore" in capsys.readouterr().out
    catch_up(2, lessons_dir=lessons)
    Path("workspace/app/routes.py").write_text("# mine\n")
    catch_up(2, lessons_dir=lessons)
    Path("workspace/app/routes.py").write_text("# mine, later\n")
    catch_up(2, lessons_dir=lessons)
    assert len(list(Path("workspace/.backups").iterdir())) == 2  # same second: two folders
    restore(lessons_dir=lessons)
    assert Path("workspace/app/routes.py").read_text() == "# mine, later\n"


def test_an_empty_backup_folder_never_shadows_the_real_last_one(isolated, lessons, capsys):
    catch_up(2, lessons_dir=lessons)
    Path("workspace/app/routes.py").write_text("# mine\n")
    catch_up(2, lessons_dir=lessons)
    newest = newest_backup()
    (newest.parent / newest.name.replace("-001", "-002")).mkdir()  # as older kits left them
    restore(lessons_dir=lessons)
    assert Path("workspace/app/routes.py").read_text() == "# mine\n"


def test_restore_backs_up_changes_made_since(isolated, lessons, capsys):
    catch_up(2, lessons_dir=lessons)
    Path("workspace/app/routes.py").write_text("# first\n")
    catch_up(2, lessons_dir=lessons)
    Path("workspace/app/routes.py").write_text("# second\n")
    backups = sorted(Path("workspace/.backups").iterdir())
    restore(backups[0])
    assert Path("workspace/app/routes.py").read_text() == "# first\n"
    newest = sorted(Path("workspace/.backups").iterdir())[-1]
    assert (newest / "app/routes.py").read_text() == "# second\n"


def test_catch_up_stops_the_app_server(isolated, lessons, capsys):
    from flask import Flask

    server = serve(Flask("catchup_test_app"), name="app")
    catch_up(1, lessons_dir=lessons)
    assert not server.running and "app" not in running_servers()


def test_files_from_the_kit_lessons_folder_by_default(isolated, capsys):
    # The real notebooks/ may still be empty; catch_up must work either way.
    catch_up(0)
    assert capsys.readouterr().out.startswith("Workspace ready for lesson 0")


MINE = ROUTES_V1 + "\n\n@app.get('/mine')\ndef mine():\n    return 'mine'\n"


def test_a_linked_folder_is_replaced_never_written_through(isolated, lessons, capsys):
    outside = isolated / "my-own-app"
    outside.mkdir()
    (outside / "__init__.py").write_text(INIT_V1)
    (outside / "routes.py").write_text(MINE)
    catch_up(2, lessons_dir=lessons)
    shutil.rmtree("workspace/app")
    os.symlink(outside, "workspace/app")
    capsys.readouterr()

    catch_up(3, lessons_dir=lessons)
    out = capsys.readouterr().out
    assert (outside / "routes.py").read_text() == MINE  # untouched
    assert sorted(p.name for p in outside.iterdir()) == ["__init__.py", "routes.py"]
    assert not Path("workspace/app").is_symlink()
    assert files()["app/routes.py"] == ROUTES_V2
    backup = next(Path("workspace/.backups").iterdir())
    assert (backup / "app").is_symlink() and (backup / "app").resolve() == outside
    assert f"Backed up 1 file you changed: app -> .backups/{backup.name}/app" in out

    restore(lessons_dir=lessons)  # brings the link back, as a link
    assert Path("workspace/app").is_symlink() and Path("workspace/app").resolve() == outside
    assert (outside / "routes.py").read_text() == MINE


def test_linked_and_dangling_files_never_reach_outside(isolated, lessons, capsys):
    catch_up(2, lessons_dir=lessons)
    outside = isolated / "outside.py"
    outside.write_text("# mine, kept elsewhere\n")
    Path("workspace/app/routes.py").unlink()
    os.symlink(outside, "workspace/app/routes.py")
    Path("workspace/server.py").unlink()
    os.symlink(isolated / "ghost.py", "workspace/server.py")  # dangling

    catch_up(3, lessons_dir=lessons)
    assert outside.read_text() == "# mine, kept elsewhere\n"
    assert not (isolated / "ghost.py").exists()
    for rel in ("app/routes.py", "server.py"):
        assert not Path("workspace", rel).is_symlink()
    assert files()["app/routes.py"] == ROUTES_V2
    backup = next(Path("workspace/.backups").iterdir())
    assert os.readlink(backup / "server.py") == str(isolated / "ghost.py")


def test_restore_never_writes_through_a_link(isolated, lessons, capsys):
    catch_up(2, lessons_dir=lessons)
    Path("workspace/app/routes.py").write_text(MINE)
    catch_up(2, lessons_dir=lessons)
    outside = isolated / "elsewhere"
    shutil.copytree("workspace/app", outside)
    shutil.rmtree("workspace/app")
    os.symlink(outside, "workspace/app")
    before = (outside / "routes.py").read_text()

    restore(sorted(Path("workspace/.backups").iterdir())[0], lessons_dir=lessons)
    assert (outside / "routes.py").read_text() == before
    assert not Path("workspace/app").is_symlink()
    assert Path("workspace/app/routes.py").read_text() == MINE


def test_restore_backs_up_a_newer_binary_file(isolated, lessons, capsys):
    catch_up(2, lessons_dir=lessons)
    Path("workspace/logo.png").write_bytes(b"\x89PNG first\xff")
    catch_up(2, lessons_dir=lessons)
    assert not Path("workspace/logo.png").exists()
    Path("workspace/logo.png").write_bytes(b"\x89PNG second\xff")

    restore(lessons_dir=lessons)
    assert Path("workspace/logo.png").read_bytes() == b"\x89PNG first\xff"
    newest = newest_backup()
    assert (newest / "logo.png").read_bytes() == b"\x89PNG second\xff"


def test_the_newest_backup_is_found_when_the_clock_goes_back(isolated, lessons, capsys,
                                                              monkeypatch):
    times = iter(datetime(2030, 10, 27, 3, 0, 0) - timedelta(minutes=n) for n in range(20))

    class GoingBack(datetime):
        @classmethod
        def now(cls, tz=None):  # the clock moves back at every call (DST ends, NTP corrects)
            return next(times).replace(tzinfo=tz)

    monkeypatch.setattr(file_io, "datetime", GoingBack)
    catch_up(2, lessons_dir=lessons)
    for n in range(12):  # ≥ 10 backups: numbers must sort as numbers
        Path("workspace/app/routes.py").write_text(f"# mine {n}\n")
        catch_up(2, lessons_dir=lessons)
    restore(lessons_dir=lessons)
    assert Path("workspace/app/routes.py").read_text() == "# mine 11\n"


def test_backups_of_older_kits_are_ordered_too(isolated):
    for name in ("20250101-120000", "20250101-120000-2", "20250101-120000-10", "notes",
                 "20250101T000000Z-001"):
        Path("workspace/.backups", name).mkdir(parents=True)
        Path("workspace/.backups", name, "server.py").write_text("# kept\n")
        if name == "20250101-120000-10":
            assert newest_backup().name == name
    assert newest_backup().name == "20250101T000000Z-001"  # newer kit: always newer


def test_a_folder_where_a_file_goes_and_a_read_only_file(isolated, lessons, capsys):
    catch_up(2, lessons_dir=lessons)
    Path("workspace/app/routes.py").unlink()
    Path("workspace/app/routes.py").mkdir()
    Path("workspace/app/routes.py/notes.txt").write_text("my notes\n")
    Path("workspace/app/__init__.py").write_text(INIT_V1 + "# mine\n")
    Path("workspace/app/__init__.py").chmod(0o444)

    catch_up(3, lessons_dir=lessons)
    assert files()["app/routes.py"] == ROUTES_V2
    assert files()["app/__init__.py"] == INIT_V1
    backup = newest_backup()
    assert (backup / "app/routes.py/notes.txt").read_text() == "my notes\n"
    assert (backup / "app/__init__.py").read_text() == INIT_V1 + "# mine\n"


def test_a_failure_half_way_says_where_the_backups_are(isolated, lessons, capsys,
                                                       monkeypatch):
    catch_up(2, lessons_dir=lessons)
    Path("workspace/app/routes.py").write_text(MINE)
    capsys.readouterr()

    real_write = file_io.write_file

    def disk_full(folder, rel, content):  # the backup fits, the lesson's files do not
        if BACKUPS in Path(folder).parts:
            return real_write(folder, rel, content)
        raise OSError(errno.ENOSPC, "No space left on device")

    for module in (file_io, catchup):  # catch_up writes lessons' files, back_up the backups
        monkeypatch.setattr(module, "write_file", disk_full)
    with pytest.raises(catchup.CatchUpError) as caught:
        catch_up(3, lessons_dir=lessons)
    stamp = newest_backup().name
    assert capsys.readouterr().out.startswith(
        f"Backed up 1 file you changed: app/routes.py -> .backups/{stamp}/app/routes.py\n")
    assert str(caught.value) == (
        "catch_up(3) stopped half-way: [Errno 28] No space left on device. Nothing you wrote "
        f"is lost: your changed files are in .backups/{stamp}/ (listed above). Fix the cause, "
        "then run catch_up(3) again.")
    assert (newest_backup() / "app/routes.py").read_text() == MINE
    assert not Path("workspace", file_io.LOCK).exists()  # the lock is released


def test_two_catch_ups_at_once_take_turns(isolated, lessons, capsys, monkeypatch):
    catch_up(2, lessons_dir=lessons)
    Path("workspace/app/routes.py").write_text(MINE)
    Path("workspace/app/helpers.py").write_text("def helper():\n    pass\n")
    inside, waiting, go = threading.Event(), threading.Event(), threading.Event()
    real_back_up, real_wait = file_io.back_up, file_io.wait

    def slow_back_up(*args):
        if not inside.is_set():  # the first catch-up pauses while it holds the workspace
            inside.set()
            assert go.wait(30)
        return real_back_up(*args)

    def noted_wait():
        waiting.set()
        real_wait()

    monkeypatch.setattr(catchup, "back_up", slow_back_up)
    monkeypatch.setattr(file_io, "wait", noted_wait)
    errors = []

    def run():
        try:
            catch_up(3, lessons_dir=lessons)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    first = threading.Thread(target=run)
    first.start()
    assert inside.wait(30)
    second = threading.Thread(target=run)
    second.start()
    assert waiting.wait(30)  # the second one waits for the lock
    go.set()
    first.join(60)
    second.join(60)
    assert errors == []
    assert files()["app/routes.py"] == ROUTES_V2
    backups = list(Path("workspace/.backups").iterdir())
    assert len(backups) == 1 and (backups[0] / "app/helpers.py").exists()


def test_a_lock_left_by_a_dead_process_is_taken_over(isolated, lessons, capsys):
    import subprocess

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path("workspace").mkdir()
    Path("workspace", file_io.LOCK).write_text(dead)
    catch_up(2, lessons_dir=lessons)
    assert "Workspace ready for lesson 2" in capsys.readouterr().out
    assert not Path("workspace", file_io.LOCK).exists()
