"""workshop.checks.deploying.database_setting: fails on lesson 10's skeleton, passes solved."""

from __future__ import annotations

import ast
import shutil

import pytest
from conftest import ROOT

from checks.workspace_copy import heard
from workshop import checks


def workspace_copy(tmp_path, database_line: str | None = None):
    """demo_code's app in a workspace; `database_line` replaces the DATABASE statement."""
    folder = tmp_path / "workspace"
    shutil.copytree(ROOT / "demo_code" / "app", folder / "app")
    init = folder / "app" / "__init__.py"
    if database_line is not None:
        text = init.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        for node in ast.parse(text).body:
            if isinstance(node, ast.Assign) and "DATABASE" in ast.unparse(node.targets[0]):
                lines[node.lineno - 1:node.end_lineno] = [database_line + "\n"]
        init.write_text("".join(lines), encoding="utf-8")
    return folder


def test_the_skeleton_is_not_yet(tmp_path, capsys):
    checks.database_setting(str(workspace_copy(tmp_path, 'app.config["DATABASE"] = ...')))
    assert heard(capsys).startswith("not yet: with the DATABASE environment variable")


def test_a_fixed_path_is_not_yet(tmp_path, capsys):
    line = 'app.config["DATABASE"] = os.path.join(app.instance_path, "favourites.sqlite3")'
    checks.database_setting(str(workspace_copy(tmp_path, line)))
    assert heard(capsys).startswith("not yet: with the DATABASE environment variable")


def test_the_reference_app_passes(tmp_path, capsys):
    checks.database_setting(str(workspace_copy(tmp_path)))
    assert heard(capsys).startswith("✓ DATABASE from the environment")


@pytest.mark.parametrize(("line", "hint"), [
    # The variable required: without it the app does not even load.
    ('app.config["DATABASE"] = os.environ["DATABASE"]', "the app did not load: KeyError"),
    # No default: unset, the setting is None.
    ('app.config["DATABASE"] = os.environ.get("DATABASE")',
     "without DATABASE set, app.config['DATABASE'] should still be favourites.sqlite3"),
    # The key mistyped.
    ('app.config["DATABASE"] = None\napp.config["DATABSE"] = os.environ.get("DATABASE")',
     'app.config has "DATABSE", but the setting is named "DATABASE"'),
])
def test_wrong_settings_are_named(tmp_path, capsys, line, hint):
    checks.database_setting(str(workspace_copy(tmp_path, line)))
    out = heard(capsys)
    assert out.startswith("not yet: ") and hint in out, out
