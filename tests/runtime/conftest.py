"""Fixtures for the runtime tests: an isolated cwd, sys.path and module cache per test."""

from __future__ import annotations

import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Run in an empty folder; undo what load_app does to sys.path and sys.modules."""
    monkeypatch.chdir(tmp_path)
    # Never start the GitHub double from these tests: the app only needs the variable set.
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    saved_path = list(sys.path)
    yield tmp_path
    sys.path[:] = saved_path
    for name in [n for n in sys.modules if n.partition(".")[0] in ("app", "server")]:
        del sys.modules[name]


def write_lesson(folder, name: str, *cells: str) -> None:
    """A tiny lesson notebook: strings starting with '#' are markdown, others code."""
    nb = new_notebook(cells=[new_markdown_cell(c) if c.startswith("# ") else new_code_cell(c)
                             for c in cells])
    nbformat.write(nb, folder / name)


INIT_V1 = "from flask import Flask\n\napp = Flask(__name__)\n\nfrom app import routes\n"
ROUTES_V1 = ("from app import app\n\n\n@app.get('/')\ndef index():\n"
             "    \"\"\"Say hello.\"\"\"\n    return {'hello': 'world'}\n")
ROUTES_V2 = ROUTES_V1.replace("'world'", "'lesson 2'")


@pytest.fixture
def lessons(tmp_path):
    """Three lessons: 00 writes nothing, 01 writes server/app, 02 changes routes.py."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    write_lesson(folder, "00-start.ipynb", "# Start", "print('no files yet')")
    write_lesson(
        folder, "01-first-app.ipynb", "# First app",
        "%%writefile workspace/server.py\nfrom app import app\n\napp.run()",
        "%%writefile workspace/app/__init__.py\n" + INIT_V1,
        "%%writefile workspace/app/routes.py\n" + ROUTES_V1,
        "%%writefile notes.txt\nnot part of the workspace\n",
    )
    write_lesson(folder, "02-more.ipynb", "%%writefile workspace/app/routes.py\n" + ROUTES_V2)
    write_lesson(folder, "not-a-lesson.ipynb", "%%writefile workspace/stray.py\nx = 1\n")
    return folder
