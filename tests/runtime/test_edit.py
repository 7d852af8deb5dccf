"""`%%add_to`: definitions added or replaced by name, idempotent, in ruff's import order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workshop.catchup import apply_cell, parse_file_cell, state_at
from workshop.edit import AddToError, add_to, add_to_file, describe

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
        "added `from app.github import ask`")


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
