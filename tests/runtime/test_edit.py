"""`%%add_to`: definitions added or replaced by name, idempotent, in ruff's import order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workshop.runtime.add_to import AddToError, add_to_file
from workshop.runtime.lessons import apply_cell, parse_file_cell, state_at
from workshop.runtime.merge import add_to, describe

ROUTES = '''"""The API's endpoints."""

from flask import jsonify

from app import app


@app.route("/")
def render_home():
    """A first answer."""
    return "Hello"
'''

INIT = '''"""The app."""

from flask import Flask

app = Flask(__name__)
app.config["A"] = 1

# Imported last: they need `app`.
from app import routes  # noqa: E402, F401
'''


def test_a_new_function_goes_last_and_its_imports_join_the_import_block():
    cell = ('from flask import abort, jsonify\nimport time\nfrom app.github import ask\n\n\n'
            '@app.get("/users/<user_id>")\ndef get_user(user_id):\n'
            '    return jsonify(ask(user_id))\n')
    text, done = add_to(ROUTES, cell)
    assert text == '''"""The API's endpoints."""

import time

from flask import abort, jsonify

from app import app
from app.github import ask


@app.route("/")
def render_home():
    """A first answer."""
    return "Hello"


@app.get("/users/<user_id>")
def get_user(user_id):
    return jsonify(ask(user_id))
'''
    assert describe("routes.py", done) == (
        "routes.py: added get_user; added abort to `from flask import …`; added `import time`; "
        "added ask to `from app.github import …`")


def test_running_a_cell_twice_changes_nothing():
    cell = '@app.route("/")\ndef render_home():\n    """Changed."""\n    return "Hi"\n'
    once, done = add_to(ROUTES, cell)
    twice, again = add_to(once, cell)
    assert twice == once
    assert done == [("replaced", "render_home")] and again == [("unchanged", "render_home")]
    assert once.count("def render_home") == 1 and '"Hi"' in once


def test_a_replaced_function_keeps_its_place_and_takes_the_cells_comments():
    text = ROUTES + '\n\n@app.get("/b")\ndef b():\n    return "b"\n'
    cell = ('# Why: a comment that comes with it.\n@app.route("/")\ndef render_home():\n'
            '    return 1\n')
    new, _ = add_to(text, cell)
    assert new.index("def render_home") < new.index("def b")
    assert "# Why: a comment that comes with it.\n@app.route" in new


def test_settings_go_before_the_imports_that_close_the_module():
    cell = '\n# Why B.\napp.config["B"] = 2\napp.config["C"] = 3\n'
    text, done = add_to(INIT, cell)
    assert text.endswith('app.config["A"] = 1\n\n# Why B.\napp.config["B"] = 2\n'
                         'app.config["C"] = 3\n\n# Imported last: they need `app`.\n'
                         'from app import routes  # noqa: E402, F401\n')
    assert [key for _, key in done] == ['app.config["B"]', 'app.config["C"]']


def test_a_statement_goes_right_after_the_cells_previous_one():
    cell = 'app.config["A"] = 10\napp.config["A2"] = 11\n'
    text, _ = add_to(INIT, cell)
    assert 'app.config["A"] = 10\napp.config["A2"] = 11\n\n# Imported last' in text


def test_an_import_of_a_known_module_replaces_its_line_even_at_the_end():
    text, _ = add_to(INIT, "from app import errors, routes  # noqa: E402, F401\n")
    assert text.endswith("\nfrom app import errors, routes  # noqa: E402, F401\n")
    assert "from app import routes" not in text


def test_new_import_sections_are_separated_like_ruff_does():
    text, _ = add_to(INIT, "import os\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n")
    assert text.startswith('"""The app."""\n\nimport os\n\nfrom flask import Flask\n'
                           'from werkzeug.middleware.proxy_fix import ProxyFix\n\napp = ')


def test_new_definitions_stay_above_a_main_block():
    server = 'from app import app\n\nif __name__ == "__main__":\n    app.run()\n'
    text, _ = add_to(server, "def port():\n    return 5001\n")
    assert text.index("def port") < text.index("if __name__")


def test_invalid_python_raises_and_leaves_the_file_alone(tmp_path):
    target = tmp_path / "workspace" / "app" / "routes.py"
    target.parent.mkdir(parents=True)
    target.write_text(ROUTES, encoding="utf-8")
    with pytest.raises(SyntaxError):
        add_to_file(str(target), "def broken(:\n")
    assert target.read_text(encoding="utf-8") == ROUTES


def test_a_missing_file_is_explained_not_created(tmp_path):
    with pytest.raises(AddToError, match="does not exist yet"):
        add_to_file(str(tmp_path / "workspace" / "nope.py"), "x = 1\n")
    assert not (tmp_path / "workspace" / "nope.py").exists()


def test_a_students_own_version_is_backed_up_before_it_changes(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    target = Path("workspace/app/routes.py")
    target.parent.mkdir(parents=True)
    target.write_text(ROUTES + "\n# my own note\n", encoding="utf-8")
    add_to_file(str(target), "def extra():\n    return 1\n")
    backups = list(Path("workspace/.backups").rglob("routes.py"))
    assert len(backups) == 1 and "# my own note" in backups[0].read_text(encoding="utf-8")
    assert "Backed up 1 file you changed" in capsys.readouterr().out


def test_catch_up_reads_add_to_cells_like_the_magic_writes_them(tmp_path):
    parsed = parse_file_cell("%%add_to workspace/app/routes.py\ndef extra():\n    return 1\n")
    assert parsed == ("workspace/app/routes.py", "def extra():\n    return 1\n", "add_to")
    assert apply_cell(ROUTES, parsed[1], parsed[2]) == add_to(ROUTES, parsed[1])[0]


def test_the_course_state_includes_the_supplied_page_from_lesson_5(root):
    before, after = state_at(5, root / "notebooks"), state_at(4, root / "notebooks")
    page = "frontend/demo_page.html"
    assert page in before and page not in after
    assert before[page] == (root / "demo_code" / page).read_text(encoding="utf-8")


def test_the_magic_works_in_a_real_kernel(tmp_path):
    """`import workshop` registers %%add_to in IPython; a bad cell says where the error is."""
    target = tmp_path / "workspace" / "app" / "routes.py"
    target.parent.mkdir(parents=True)
    target.write_text(ROUTES, encoding="utf-8")
    script = ("import workshop\nip = get_ipython()\n"
              "ip.run_cell_magic('add_to', 'workspace/app/routes.py', 'X = 1\\n')\n"
              "ip.run_cell_magic('add_to', 'workspace/app/routes.py', 'def f(:\\n')\n")
    (tmp_path / "script.ipy").write_text(script, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "IPython", "--quick", "--no-banner",
                             "script.ipy"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert "workspace/app/routes.py: added X" in result.stdout, result.stderr
    assert 'File "<cell>", line 2' in result.stdout and "Nothing was written" in result.stdout
    assert target.read_text(encoding="utf-8").endswith("\nX = 1\n")


def test_a_cell_opening_with_the_docstring_adds_below_the_leading_imports():
    validation = ('"""Checks."""\n\nfrom flask import abort\n\nMAX = 100\n\n\n'
                  'def check():\n    abort(400)\n')
    cell = '"""Checks."""\n\nimport re\n\n# A rule.\nPATTERN = re.compile("a")\n'
    text, done = add_to(validation, cell)
    assert text == ('"""Checks."""\n\nimport re\n\nfrom flask import abort\n\n# A rule.\n'
                    'PATTERN = re.compile("a")\nMAX = 100\n\n\ndef check():\n    abort(400)\n')
    assert done == [("unchanged", "__doc__"), ("imported", "`import re`"), ("added", "PATTERN")]
    assert add_to(text, cell)[0] == text  # idempotent


def test_a_replaced_statement_moves_below_a_new_definition_it_uses():
    text = INIT.replace('app.config["A"] = 1\n', 'app.config["A"] = 1\napp.wsgi_app = Fix(app)\n')
    cell = ('def wrap(wsgi_app):\n    return wsgi_app\n\n\n'
            'app.wsgi_app = wrap(Fix(app))\n')
    once, done = add_to(text, cell)
    assert once.index("def wrap") < once.index("app.wsgi_app = wrap(Fix(app))")
    assert once.count("app.wsgi_app =") == 1 and add_to(once, cell)[0] == once
    assert done == [("added", "wrap"), ("replaced", "app.wsgi_app")]


def test_a_replaced_statement_moves_below_a_definition_an_earlier_cell_added():
    text, _ = add_to(INIT, "app.wsgi_app = Fix(app.wsgi_app)\n")  # lesson 05's core
    text, _ = add_to(text, "PREFIX = 1\n")  # then, going further, two cells, then the line
    text, _ = add_to(text, "def wrap(wsgi_app):\n    return wsgi_app\n")
    once, done = add_to(text, "# Checked first.\napp.wsgi_app = wrap(Fix(app.wsgi_app))\n")
    assert once.index("PREFIX = 1") < once.index("def wrap") < once.index("app.wsgi_app =")
    assert once.count("app.wsgi_app =") == 1 and add_to(once, "PREFIX = 1\n")[0] == once
    assert "return wsgi_app\n\n\n# Checked first.\napp.wsgi_app = wrap(" in once
    assert done == [("replaced", "app.wsgi_app")]


def test_a_statement_after_a_new_def_leaves_one_blank_line_before_the_closing_imports():
    with_def, _ = add_to(INIT, "def wrap(wsgi_app):\n    return wsgi_app\n")
    assert "return wsgi_app\n\n\n# Imported last" in with_def
    wrapped, _ = add_to(with_def, "# Wrapped.\napp.wsgi_app = wrap(app.wsgi_app)\n")
    assert wrapped.endswith('return wsgi_app\n\n\n# Wrapped.\napp.wsgi_app = wrap(app.wsgi_app)\n'
                            '\n# Imported last: they need `app`.\nfrom app import routes  # noqa: '
                            'E402, F401\n')


def test_a_linked_file_is_replaced_not_written_through(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    outside = tmp_path / "outside.py"
    outside.write_text(ROUTES, encoding="utf-8")
    target = Path("workspace/app/routes.py")
    target.parent.mkdir(parents=True)
    target.symlink_to(outside)
    add_to_file(str(target), "def extra():\n    return 1\n")
    assert outside.read_text(encoding="utf-8") == ROUTES  # the file outside is untouched
    assert not target.is_symlink() and "def extra" in target.read_text(encoding="utf-8")
    assert [p.is_symlink() for p in Path("workspace/.backups").rglob("routes.py")] == [True]


# Imports merge by the name they import: nothing a file imported is ever dropped.

VIEWS = '''"""Views."""

from flask import abort, jsonify, render_template

from app import app
'''


def _isort_clean(text: str) -> bool:
    """ruff's import sorting (the kit's settings) would change nothing."""
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache",
                           "--select", "I", "--line-length", "100", "--config",
                           "lint.isort.known-first-party = ['app', 'server']",
                           "--stdin-filename", "x.py", "-"],
                          input=text, capture_output=True, text=True, timeout=60)
    return ruff.returncode == 0


def test_a_cells_import_adds_its_name_to_the_files_line():
    text, done = add_to(VIEWS, "from flask import request\n")
    assert "from flask import abort, jsonify, render_template, request\n" in text
    assert describe("views.py", done) == "views.py: added request to `from flask import …`"
    assert add_to(text, "from flask import request\n") == (text, [])  # re-run: no change
    assert _isort_clean(text)


def test_from_x_import_a_b_then_from_x_import_c():
    text, _ = add_to("from x import a, b\n", "from x import c\n")
    assert text == "from x import a, b, c\n"
    again, done = add_to(text, "from x import a, b\n")  # an older cell, run again
    assert again == text and done == []


def test_names_sort_as_ruff_sorts_them_and_a_long_line_is_wrapped():
    text, _ = add_to(VIEWS, "from flask import Flask, HTTPStatus, MAX_SIZE, a10, a9\n")
    assert "from flask import MAX_SIZE, Flask, HTTPStatus, a9, a10, abort, jsonify, " in text
    assert _isort_clean(text)
    long = ", ".join(f"name_{n}" for n in range(12))
    wrapped, _ = add_to(VIEWS, f"from flask import {long}\n")
    assert "from flask import (\n    abort,\n    jsonify,\n    name_0,\n" in wrapped
    assert _isort_clean(wrapped)


def test_a_students_own_order_and_comments_are_kept():
    file = ('# Why these.\nfrom flask import render_template, abort  # noqa: F401\n\n'
            'X = 1\n')
    text, _ = add_to(file, "from flask import abort, jsonify\n")
    assert text.startswith("# Why these.\nfrom flask import render_template, abort, jsonify"
                           "  # noqa: F401\n")


def test_import_as_binds_its_own_name():
    file = '"""M."""\n\nimport numpy\nfrom flask import abort\n'
    text, done = add_to(file, "import numpy as np\nfrom flask import abort as stop\n")
    assert text == ('"""M."""\n\nimport numpy\nimport numpy as np\nfrom flask import abort\n'
                    'from flask import abort as stop\n')
    assert [change for _, change in done] == ["`import numpy as np`",
                                              "abort as stop to `from flask import …`"]
    assert add_to(text, "import numpy as np\n") == (text, []) and _isort_clean(text)


def test_an_import_is_never_removed_by_leaving_it_out():
    """Removal is not something a cell does by omission: the student edits the file for that."""
    text, done = add_to(VIEWS, "from flask import jsonify\nimport os\n")
    assert "from flask import abort, jsonify, render_template\n" in text
    assert done == [("imported", "`import os`")]


def test_a_cell_importing_every_name_keeps_its_own_line_and_comments():
    closing = '# Last: they need `app`.\nfrom app import routes  # noqa: E402, F401\n'
    cell = '# Last: they need `app`.\nfrom app import errors, routes  # noqa: E402, F401\n'
    text, done = add_to('app = 1\n\n' + closing, cell)
    assert text == 'app = 1\n\n' + cell
    assert done == [("imported", "errors to `from app import …`")]


# Bad input: one sentence naming the file and what to do; nothing written, no backup made.

def _workspace(tmp_path, monkeypatch, text=ROUTES):
    monkeypatch.chdir(tmp_path)
    target = Path("workspace/app/routes.py")
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    return target


def _run_magic(line, cell, capsys):
    from workshop.runtime.add_to import register

    class Shell:
        def register_magic_function(self, function, magic_kind, magic_name):
            self.magic = function

    shell = Shell()
    register(shell)
    shell.magic(line, cell)
    return capsys.readouterr().out


@pytest.mark.parametrize("line, fragment", [
    ('"workspace/app/routes.py', "has an unclosed quote"),
    ("workspace/../outside.py", "outside.py is outside the workspace"),
    ("{tmp}/outside.py", "{tmp}/outside.py is outside the workspace"),
    ("workspace/.backups/routes.py", "is a backup: restore it"),
    ("workspace/app", "workspace/app is a folder"),
])
def test_a_refused_target_says_why_in_one_sentence(tmp_path, monkeypatch, capsys, line,
                                                   fragment):
    target = _workspace(tmp_path, monkeypatch)
    (tmp_path / "outside.py").write_text("x = 1\n", encoding="utf-8")
    line, fragment = line.format(tmp=tmp_path.as_posix()), fragment.format(tmp=tmp_path.as_posix())
    out = _run_magic(line, "def extra():\n    return 1\n", capsys)
    assert fragment in out and "Traceback" not in out and out.count("\n") == 1, out
    assert target.read_text(encoding="utf-8") == ROUTES
    assert (tmp_path / "outside.py").read_text(encoding="utf-8") == "x = 1\n"
    assert not Path("workspace/.backups").exists()


def test_a_file_that_is_not_utf8_is_named_and_left_alone(tmp_path, monkeypatch, capsys):
    target = _workspace(tmp_path, monkeypatch)
    target.write_bytes(ROUTES.encode() + b"# caf\xe9\n")
    out = _run_magic("workspace/app/routes.py", "X = 1\n", capsys)
    assert out == ("workspace/app/routes.py is not UTF-8 text (line 12): save it as UTF-8, "
                   "then run this cell again. Nothing was written.\n")
    assert target.read_bytes().endswith(b"# caf\xe9\n") and not Path("workspace/.backups").exists()


def test_a_syntax_error_in_the_file_is_not_blamed_on_the_cell(tmp_path, monkeypatch, capsys):
    target = _workspace(tmp_path, monkeypatch, ROUTES + "def broken(:\n")
    out = _run_magic("workspace/app/routes.py", "X = 1\n", capsys)
    assert out.startswith("workspace/app/routes.py has a syntax error on line 12 (")
    assert "fix the file" in out and "<cell>" not in out and not Path("workspace/.backups").exists()
    assert target.read_text(encoding="utf-8").endswith("def broken(:\n")


def test_a_null_byte_in_the_cell_is_a_syntax_error_of_the_cell(tmp_path, monkeypatch, capsys):
    _workspace(tmp_path, monkeypatch)
    out = _run_magic("workspace/app/routes.py", "X = 1\x00\n", capsys)
    assert 'File "<cell>"' in out and "Nothing was written" in out


def test_a_linked_folder_on_the_way_is_refused_before_any_backup(tmp_path, monkeypatch, capsys):
    _workspace(tmp_path, monkeypatch)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "routes.py").write_text(ROUTES, encoding="utf-8")
    Path("workspace/linked").symlink_to(elsewhere)
    out = _run_magic("workspace/linked/routes.py", "X = 1\n", capsys)
    assert "is reached through a linked folder" in out
    assert (elsewhere / "routes.py").read_text(encoding="utf-8") == ROUTES
    assert not Path("workspace/.backups").exists()


def test_a_refused_cell_never_shadows_the_real_last_backup(tmp_path, monkeypatch, capsys):
    from workshop.runtime.catchup import restore

    target = _workspace(tmp_path, monkeypatch, ROUTES + "\n# my own note\n")
    _run_magic("workspace/app/routes.py", "X = 1\n", capsys)  # backs up the student's version
    Path("outside.py").write_text("x = 1\n", encoding="utf-8")
    assert "outside the workspace" in _run_magic("workspace/../outside.py", "Y = 2\n", capsys)
    target.write_text("lost?\n", encoding="utf-8")
    restore(workspace="workspace")
    assert target.read_text(encoding="utf-8") == ROUTES + "\n# my own note\n"


def test_a_name_defined_twice_in_a_cell_is_said_once(tmp_path):
    cell = "def f():\n    return 1\n\n\ndef f():\n    return 2\n"
    once, done = add_to(ROUTES, cell)
    assert once.count("def f") == 1 and "return 2" in once
    assert describe("r.py", done) == ("r.py: added f; the cell defines f more than once: "
                                      "the last one counts")
    again, done = add_to(once, cell)
    assert again == once and describe("r.py", done) == (
        "r.py: unchanged f; the cell defines f more than once: the last one counts")


def test_statements_sharing_a_line_keep_the_line_once():
    text, _ = add_to("a = 1; b = 2\n", "c = 3\n")
    assert text == "a = 1; b = 2\n\nc = 3\n"


def test_a_form_feed_does_not_shift_the_lines():
    file = 'X = "a\\x0cb"\n\x0c\ndef f():\n    return 1\n'
    text, _ = add_to(file, "def f():\n    return 2\n")
    assert text == file.replace("return 1", "return 2")


def test_a_long_cell_is_parsed_once_and_placed_without_walking_the_file(monkeypatch):
    """Linear time: each side is parsed once, statements are found by key, not by a walk."""
    import ast

    from workshop.runtime import merge

    parses, real_parse = [], ast.parse

    def counted_parse(*args, **kwargs):
        parses.append(args[0])
        return real_parse(*args, **kwargs)

    def whole_text_split(*args, **kwargs):
        raise AssertionError("ast.get_source_segment splits the whole text on every call")

    monkeypatch.setattr(ast, "parse", counted_parse)
    monkeypatch.setattr(ast, "get_source_segment", whole_text_split)
    scans = []
    real_init = merge.Module.__init__

    def counted(self, *args):
        real_init(self, *args)
        scans.append(self)

    monkeypatch.setattr(merge.Module, "__init__", counted)
    cell = "".join(f"x{n} = {n}\nprint(x{n})\n\n\ndef f{n}():\n    return {n}\n"
                   for n in range(300))
    text, _ = add_to(INIT, cell)
    again, _ = add_to(text, cell)
    monkeypatch.undo()
    assert again == text and len(parses) == 4
    assert all(module.scans <= 2 for module in scans), [module.scans for module in scans]


def test_two_imports_from_one_module_in_a_cell_merge_into_one_line():
    text, done = add_to(VIEWS, "from flask import request\nfrom flask import Response\n")
    assert "from flask import Response, abort, jsonify, render_template, request\n" in text
    assert [change for _, change in done] == ["request to `from flask import …`",
                                              "Response to `from flask import …`"]


def test_a_name_goes_on_its_own_line_when_the_file_imports_the_module_only_as_another_name():
    text, _ = add_to("from flask import abort as stop\n", "from flask import jsonify\n")
    assert text == "from flask import abort as stop\nfrom flask import jsonify\n"
    assert _isort_clean(text)


def test_a_backup_that_fails_half_way_leaves_no_folder_behind(tmp_path, monkeypatch, capsys):
    from workshop.runtime import files

    target = _workspace(tmp_path, monkeypatch, ROUTES + "\n# my own note\n")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "copy_file", disk_full)
    out = _run_magic("workspace/app/routes.py", "X = 1\n", capsys)
    assert out.startswith("Could not back up your files") and "No space left" in out
    assert list(Path("workspace/.backups").iterdir()) == []
    assert target.read_text(encoding="utf-8") == ROUTES + "\n# my own note\n"


def test_a_file_that_cannot_be_written_keeps_no_backup(tmp_path, monkeypatch, capsys):
    from workshop.runtime import add_to as magic

    target = _workspace(tmp_path, monkeypatch, ROUTES + "\n# my own note\n")

    real_write = magic.write_file

    def read_only(folder, rel, content):  # the backup can be written, the workspace cannot
        if ".backups" in Path(folder).parts:
            return real_write(folder, rel, content)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(magic, "write_file", read_only)
    out = _run_magic("workspace/app/routes.py", "X = 1\n", capsys)
    assert out == ("Could not write workspace/app/routes.py (Permission denied): fix that, then "
                   "run this cell again. Nothing was written.\n")
    assert list(Path("workspace/.backups").iterdir()) == []
    assert target.read_text(encoding="utf-8") == ROUTES + "\n# my own note\n"


def test_a_star_import_is_never_merged_into_a_line():
    text, _ = add_to("from os.path import join\n", "from os.path import *\n")
    assert text == "from os.path import *\nfrom os.path import join\n"
    again, _ = add_to(text, "from os.path import exists\n")
    assert "from os.path import exists, join\n" in again and "from os.path import *\n" in again


def test_a_null_byte_or_a_byte_order_mark_in_the_file(tmp_path, monkeypatch, capsys):
    target = _workspace(tmp_path, monkeypatch)
    target.write_bytes(b"X = 1\x00\n")
    out = _run_magic("workspace/app/routes.py", "Y = 2\n", capsys)
    assert out.startswith("workspace/app/routes.py has a syntax error (") and "None" not in out
    target.write_bytes(b"\xef\xbb\xbf" + ROUTES.encode())
    assert _run_magic("workspace/app/routes.py", "Y = 2\n", capsys).endswith(": added Y\n")
