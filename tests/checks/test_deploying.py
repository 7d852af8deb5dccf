"""workshop.checks.deploying.database_setting: fails on lesson 10's skeleton, passes solved."""

from __future__ import annotations

import ast
import shutil

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
