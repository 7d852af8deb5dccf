"""workshop.runtime.workspace.load_app: fresh imports, friendly messages."""

from __future__ import annotations

from pathlib import Path

from workshop.runtime.workspace import load_app

INIT = "from flask import Flask\n\napp = Flask(__name__)\n\nfrom app import routes\n"
ROUTES = "from app import app\n\n\n@app.get('/')\ndef index():\n    return {'version': VERSION}\n"


def write_app(version: int, workspace: str = "workspace") -> None:
    folder = Path(workspace, "app")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_text(INIT)
    (folder / "routes.py").write_text(f"VERSION = {version}\n" + ROUTES)


def test_missing_app_gives_one_friendly_line(isolated, capsys, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert load_app() is None
    assert capsys.readouterr().out == (
        "No app yet in workspace/app/__init__.py — run workshop.catch_up(N) to get the files "
        "from the start of lesson N.\n"
    )


def test_missing_app_names_the_lesson_from_the_notebook(isolated, capsys, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/me/flask-live/notebooks/03-routes.ipynb")
    assert load_app() is None
    assert "run workshop.catch_up(3) to get the files from the start of lesson 3." in (
        capsys.readouterr().out)


def test_edits_take_effect_on_the_next_load(isolated):
    # Same size, same second: a stale bytecode cache would hide the edit.
    for version in (1, 2, 3):
        write_app(version)
        app = load_app()
        assert app.test_client().get("/").json == {"version": version}


def test_the_workspace_goes_first_on_sys_path_and_others_are_dropped(isolated):
    import sys

    write_app(1, "one")
    write_app(2, "two")
    assert load_app("one").test_client().get("/").json == {"version": 1}
    assert load_app("two").test_client().get("/").json == {"version": 2}
    assert sys.path[0] == str(isolated / "two")
    assert str(isolated / "one") not in sys.path


def test_syntax_error_is_one_short_message(isolated, capsys):
    write_app(1)
    Path("workspace/app/routes.py").write_text("from app import app\n\ndef broken(:\n    pass\n")
    assert load_app() is None
    out = capsys.readouterr().out
    assert out.startswith("SyntaxError in workspace/app/routes.py, line 3: ")
    assert "    def broken(:\n" in out
    assert "Traceback" not in out and len(out.splitlines()) <= 3


def test_import_error_names_the_student_file_and_line(isolated, capsys):
    write_app(1)
    Path("workspace/app/routes.py").write_text("from app import app\nimport requestz\n")
    assert load_app() is None
    assert capsys.readouterr().out == (
        "ModuleNotFoundError in workspace/app/routes.py, line 2: No module named 'requestz'\n"
        "    import requestz\n"
    )


def test_package_without_app(isolated, capsys):
    Path("workspace/app").mkdir(parents=True)
    Path("workspace/app/__init__.py").write_text("from flask import Flask\n")
    assert load_app() is None
    assert "has no `app` yet" in capsys.readouterr().out


def test_app_factory_is_used_when_there_is_no_app_object(isolated):
    Path("workspace/app").mkdir(parents=True)
    Path("workspace/app/__init__.py").write_text(
        "from flask import Flask\n\ndef create_app():\n    return Flask('made')\n")
    assert load_app().name == "made"


def test_messages_name_no_absolute_paths(isolated, capsys):
    Path("workspace/app").mkdir(parents=True)
    Path("workspace/app/__init__.py").write_text("from app import routes\n")
    Path("workspace/app/routes.py").write_text("from app import app\n")
    assert load_app() is None
    out = capsys.readouterr().out
    assert out.startswith("ImportError in workspace/app/routes.py, line 1: cannot import name")
    assert "(workspace/app/__init__.py)" in out and str(isolated) not in out


def test_traceback_true_prints_the_real_traceback_the_same_everywhere(isolated, capsys):
    write_app(1)
    Path("workspace/app/helpers.py").write_text("def share(total, people):\n"
                                                "    return total / people\n")
    Path("workspace/app/routes.py").write_text(
        "from app import app\nfrom app.helpers import share\n\nEACH = share(10, 0)\n")
    assert load_app(traceback=True) is None
    assert capsys.readouterr().out == (
        "Traceback (most recent call last):\n"
        '  File "workspace/app/__init__.py", line 5, in <module>\n'
        "    from app import routes\n"
        '  File "workspace/app/routes.py", line 4, in <module>\n'
        "    EACH = share(10, 0)\n"
        '  File "workspace/app/helpers.py", line 2, in share\n'
        "    return total / people\n"
        "ZeroDivisionError: division by zero\n"
    )
    assert load_app() is None  # the default stays one short line
    short = capsys.readouterr().out
    assert short.startswith("ZeroDivisionError in workspace/app/helpers.py, line 2")


def test_traceback_true_keeps_the_syntax_error_pointer(isolated, capsys):
    write_app(1)
    Path("workspace/app/routes.py").write_text("from app import app\n\ndef broken(:\n    pass\n")
    assert load_app(traceback=True) is None
    out = capsys.readouterr().out
    assert out.startswith("Traceback (most recent call last):\n"
                          '  File "workspace/app/__init__.py", line 5, in <module>\n')
    assert '  File "workspace/app/routes.py", line 3\n    def broken(:\n' in out
    assert "^" in out and out.rstrip().splitlines()[-1].startswith("SyntaxError: ")
    assert str(isolated) not in out


def test_app_run_at_import_is_an_error_not_a_hang(isolated, capsys):
    write_app(1)
    init = Path("workspace/app/__init__.py")
    init.write_text(INIT + "\napp.run(port=5000)\n")
    assert load_app() is None
    assert capsys.readouterr().out == (
        "RuntimeError in workspace/app/__init__.py, line 7: app.run() starts a server that never "
        "returns, so the kernel would wait forever: remove it (the lessons serve the app with "
        "workshop.serve)\n    app.run(port=5000)\n")
