"""What a student sees in real JupyterLab: lessons 00–10 open with nothing answered on screen.

One JupyterLab serves a copy of notebooks/; one Chromium page opens every lesson in turn, as a
student would, and counts what is visible before anything runs: outputs under Predict, check
and solution cells, solution code, and JupyterLab's one-line previews of folded cells
(student_view.py keeps those outputs away and folds the code). The same count over the
other cells with stored outputs must find them all visible, so the measure itself is proven.
Then one Predict cell is run after the cells above it, and its output shows.

The app is reached through `window.jupyterapp` (`--LabApp.expose_app_in_browser`, what
JupyterLab's own UI tests use) to open lessons without reloading Lab for each.
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT
from lab_process import start_lab

WAIT_MS = 90_000  # generous: Lab and a cold kernel on a busy CI machine
LESSONS = [p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
           if int(p.name[:2]) <= 10]
FOLDED_TAGS = ("predict", "check", "solution")
RUN_IN = "00-start-here.ipynb"  # its first Predict cell needs only the GitHub double

# Per cell of the open lesson, from the DOM: visible outputs and whether the code is visible.
MEASURE = """() => {
    const visible = el => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
    return window.jupyterapp.shell.currentWidget.content.widgets.map(cell => ({
        outputs: [...cell.node.querySelectorAll('.jp-OutputArea-output')].filter(visible).length,
        source: [...cell.node.querySelectorAll('.jp-InputArea-editor')].some(visible),
        // JupyterLab 4 previews a folded cell's first line (code or output) beside its "…".
        previews: [...cell.node.querySelectorAll('.jp-Placeholder-content')].filter(visible)
            .map(el => el.textContent.trim()).filter(text => text !== ''),
    }));
}"""


def stored_cells(path):
    """Per cell of the file: its kind, whether it has outputs to show, and its folding tag."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [{"code": c["cell_type"] == "code", "outputs": bool(c.get("outputs")),
             "fold": next((t for t in FOLDED_TAGS if t in c["metadata"].get("tags", [])), None)}
            for c in cells]


@pytest.fixture
def lab(tmp_path, monkeypatch):
    """JupyterLab over a copy of the lessons; closing a lesson shuts its kernel down, and every
    cell is rendered at once (windowing off), so none escapes the count by being off screen.
    Folding is each cell's own state, the same in every windowing mode."""
    root = tmp_path / "root"
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns("workspace", ".ipynb_checkpoints"))
    home = tmp_path / "home"
    settings = home / "config/lab/user-settings/@jupyterlab/notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(
        json.dumps({"kernelShutdown": True, "windowingMode": "none"}))
    monkeypatch.delenv("GITHUB_API_URL", raising=False)  # kernels use their own GitHub double
    process = start_lab(root, home, "--LabApp.expose_app_in_browser=True")
    try:
        yield process
    finally:
        process.stop()


def open_lesson(page, path, cells):
    """Open one lesson the way the file browser does and wait until every cell has rendered."""
    name = f"notebooks/{path.name}"
    page.evaluate("name => { window.jupyterapp.commands.execute('docmanager:open', "
                  "{path: name}); }", name)
    # Rendered: the cells are there and every unfolded stored output is on screen.
    page.wait_for_function(
        """([name, count, shown]) => {
            const panel = window.jupyterapp.shell.currentWidget;
            if (!panel || !panel.context || panel.context.path !== name) return false;
            const cells = panel.content.widgets;
            return cells.length === count && cells.filter(cell =>
                cell.node.querySelector('.jp-OutputArea-output')).length >= shown;
        }""",
        arg=[name, len(cells), sum(c["outputs"] and not c["fold"] for c in cells)])


def close_lesson(page):
    """Close the open lesson; one that ran cells is saved first (in the copy), or Lab would ask."""
    page.evaluate("""async () => {
        const panel = window.jupyterapp.shell.currentWidget;
        if (panel.context.model.dirty) await panel.context.save();
        panel.close();
    }""")


def run_first_predict(page, cells):
    """Select the first Predict cell, run all cells above it, then run it; return its output."""
    from playwright.sync_api import expect

    index = next(i for i, c in enumerate(cells) if c["fold"] == "predict")
    kernel = page.get_by_role("button", name="Python 3 (ipykernel) | Idle")
    expect(kernel).to_be_visible(timeout=WAIT_MS)
    page.evaluate("i => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = i; }",
                  index)
    for item in ("Run All Above Selected Cell", "Run Selected Cell and Do not Advance"):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name=item).click()  # not exact: the name ends in its shortcut
    output = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(index).locator(
        ".jp-OutputArea-output")
    expect(output).to_be_visible(timeout=WAIT_MS)
    return output.inner_text()


@pytest.mark.slow
@pytest.mark.browser
def test_no_lesson_answers_before_the_student_acts(lab, page):
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{lab.url}lab?reset")
    page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-DirListing')"
                           " && window.jupyterapp.commands.hasCommand('docmanager:open')")

    folded, answers_shown, solutions_shown, plain, plain_hidden = 0, [], [], 0, []
    predict_output = None
    for path in LESSONS:
        cells = stored_cells(path)
        open_lesson(page, path, cells)
        for index, (cell, screen) in enumerate(zip(cells, page.evaluate(MEASURE), strict=True)):
            where = f"{path.stem} cell {index} ({cell['fold']})"
            if cell["fold"]:
                folded += 1
                if screen["outputs"]:
                    answers_shown.append(where)
                if cell["fold"] == "solution" and screen["source"]:
                    solutions_shown.append(where)
                # The one preview allowed: a folded solution's first line, a magic or our comment.
                if [text for text in screen["previews"] if not text.startswith(("%%", "#"))]:
                    answers_shown.append(f"{where}: {screen['previews']}")
            elif cell["code"] and cell["outputs"]:
                plain += 1
                if not screen["outputs"]:
                    plain_hidden.append(where)
        if path.name == RUN_IN:
            predict_output = run_first_predict(page, cells)
        close_lesson(page)

    assert folded > 0 and plain > 0
    assert answers_shown == [], "outputs on screen before the cell ran"
    assert solutions_shown == [], "solution code on screen before it was unfolded"
    assert plain_hidden == [], "the measure must see every other stored output"
    assert predict_output.strip() == "'59'"  # the double's budget after one request
