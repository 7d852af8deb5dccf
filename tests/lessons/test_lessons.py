"""The lessons as a course: run in order they build demo_code, and each ends where the next begins.

One module-scoped run executes every lesson 00–10 in order, each in a fresh kernel, in a temporary
copy of `notebooks/` (so the real `notebooks/workspace/` is never touched). The other tests read
its snapshots. Strict nbval (the stored outputs) is checked separately by `pytest notebooks/`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

from workshop.authoring.execute import compared_text
from workshop.runtime.lessons import SUPPLIED_FROM, lesson_notebooks, supplied_files

NOTEBOOKS = ROOT / "notebooks"
DEMO = ROOT / "demo_code"
LESSONS = [(n, path) for n, path in lesson_notebooks(NOTEBOOKS) if n <= 10]
# demo_code files that are documentation, not the app.
NOT_APP = {"README.md", "ruff.toml"}
# Caches, data and backups; any hidden folder (.ruff_cache, .pytest_cache, .backups, ...) too.
SKIPPED_PARTS = {"__pycache__", "instance"}
# Every lesson runs twice in one kernel (students re-run cells): state in the kernel (servers,
# faults injected into the double) and on disk (workspace files, SQLite) must not leak.
RUN_TWICE = [n for n, _ in LESSONS]
TIMEOUT = 120


def kernel_env() -> dict[str, str]:
    """The test process's environment minus settings a lesson must choose for itself."""
    # A GITHUB_API_URL set by an earlier test would point every lesson at a double in *this*
    # process, where `workshop.runtime.github_api.double()` in the kernel cannot reach it.
    return {k: v for k, v in os.environ.items() if k not in {"GITHUB_API_URL", "GITHUB_TOKEN"}}


def make_course_folder(tmp: Path) -> Path:
    """`tmp/notebooks` with copies of the lessons, beside links to the rest of the kit."""
    for entry in ROOT.iterdir():
        if entry.name not in {"notebooks", ".git", ".venv"}:
            (tmp / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    folder = tmp / "notebooks"
    folder.mkdir()
    for _, path in LESSONS:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def client_for(nb, folder: Path) -> NotebookClient:
    return NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", store_widget_state=False,
                          resources={"metadata": {"path": str(folder)}})


def snapshot(workspace: Path) -> dict[str, str]:
    """Every workspace file (relative path -> text), without caches, data and backups."""
    files = {}
    for path in sorted(workspace.rglob("*")):
        rel = path.relative_to(workspace)
        hidden = any(part.startswith(".") for part in rel.parts)
        if path.is_file() and not hidden and not SKIPPED_PARTS & set(rel.parts) \
                and path.suffix != ".pyc":
            files[rel.as_posix()] = path.read_text(encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """Run lessons 00–10 in order, fresh kernel each; return {lesson: workspace at its end}."""
    if not LESSONS:
        pytest.fail("no lesson notebooks in notebooks/")
    folder = make_course_folder(tmp_path_factory.mktemp("course"))
    ends = {}
    for number, path in LESSONS:
        nb = nbformat.read(folder / path.name, as_version=4)
        client_for(nb, folder).execute(env=kernel_env())
        ends[number] = snapshot(folder / "workspace")
    return ends


@pytest.fixture(scope="module")
def catch_up_states(tmp_path_factory):
    """{N: the files `workshop.catch_up(N)` writes into an empty workspace}, in a subprocess."""
    tmp = tmp_path_factory.mktemp("catchup")
    numbers = [n for n, _ in LESSONS]
    script = (
        "import sys, workshop\n"
        "for n in map(int, sys.argv[1:]):\n"
        f"    workshop.catch_up(n, workspace={str(tmp)!r} + f'/ws{{n}}')\n"
    )
    subprocess.run([sys.executable, "-c", script, *map(str, numbers)], check=True,
                   capture_output=True, env=kernel_env(), cwd=tmp)
    return {n: snapshot(tmp / f"ws{n}") for n in numbers}


def test_every_lesson_is_there():
    assert [n for n, _ in LESSONS] == list(range(11)), [p.name for _, p in LESSONS]


def test_course_builds_demo_code(course):
    """After lesson 10 the workspace is demo_code: same files, byte for byte."""
    final = course[max(course)]
    demo = snapshot(DEMO)
    different = [rel for rel in final if rel in demo and final[rel] != demo[rel]]
    unknown = [rel for rel in final if rel not in demo]
    missing = [rel for rel in demo if rel not in final and rel not in NOT_APP]
    assert different == [], f"lessons write these files differently from demo_code: {different}"
    assert unknown == [], f"lessons write files demo_code does not have: {unknown}"
    assert missing == [], f"no lesson writes these demo_code files: {missing}"


@pytest.mark.parametrize("number", [n for n, _ in LESSONS][:-1])
def test_lesson_ends_where_the_next_begins(course, catch_up_states, number):
    """A student who did lesson N has exactly the files `catch_up(N + 1)` would give them
    (plus the page's files, which catch_up hands over at the start of lesson 5)."""
    if number + 1 not in catch_up_states:
        pytest.skip(f"no lesson {number + 1}")
    end, start = dict(course[number]), catch_up_states[number + 1]
    if number + 1 == SUPPLIED_FROM:
        end.update(supplied_files())
    assert sorted(end) == sorted(start)
    assert [rel for rel in end if end[rel] != start[rel]] == []


def outputs_text(nb) -> list[str]:
    """Each code cell's outputs as nbval compares them (text, sanitized)."""
    return [compared_text(cell) for cell in nb.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("number", RUN_TWICE)
def test_lesson_runs_twice_in_one_kernel(tmp_path, number):
    """Run All, then Run All again in the same kernel: no error, the very same outputs."""
    paths = dict(LESSONS)
    if number not in paths:
        pytest.skip(f"no lesson {number}")
    folder = make_course_folder(tmp_path)
    nb = nbformat.read(folder / paths[number].name, as_version=4)
    client = client_for(nb, folder)
    runs = []
    with client.setup_kernel(env=kernel_env()):
        for _ in range(2):
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            runs.append(outputs_text(nb))
    assert runs[0] == runs[1]
