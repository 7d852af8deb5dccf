"""workshop.catchup: lesson start states from notebooks; nothing a student wrote is lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from IPython.core.inputtransformer2 import TransformerManager

from workshop.catchup import catch_up, parse_writefile, restore, state_at
from workshop.server import running_servers, serve

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
        f"  (get them back with workshop.catchup.restore('.backups/{stamp}'))",
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
