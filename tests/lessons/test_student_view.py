"""Nothing answered before the student acts: every Predict, solution and check cell of the lessons
and exercises is stored with its outputs kept away in its metadata, a solution's code folded
(authoring/student_view.py), and the rules find every one of them.

What a student sees in real JupyterLab: tests/lessons/test_student_view_in_lab.py.
"""

from __future__ import annotations

import json
import re
import types

import nbformat
import pytest
from conftest import ROOT
from course_report import course
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from workshop.authoring import student_view
from workshop.authoring.exercises import exercise_notebook

LESSONS = [p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
           if int(p.name[:2]) <= 10]
EXERCISES = sorted((ROOT / "exercises").glob("[0-9][0-9]-*.ipynb"))


def raw_cells(path):
    """Cells as plain JSON, read without the module under test."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        cell["text"] = "".join(cell["source"])
    return cells


def hidden(cell, key="source_hidden"):
    return cell["metadata"].get("jupyter", {}).get(key) is True


def kept_away(cell):
    """No output where JupyterLab shows (or previews) it."""
    return not cell.get("outputs") and "outputs_hidden" not in cell["metadata"].get("jupyter", {})


def tagged(cell, tag):
    return tag in cell["metadata"].get("tags", [])


@pytest.mark.parametrize("path", LESSONS + EXERCISES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_stored_marks_are_what_the_rules_say(path):
    """Run `python -m workshop student-view` (or `execute`) after editing a lesson."""
    assert not student_view.mark_file(path, write=False), (
        f"{path.name} is not marked: run python -m workshop student-view {path}")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_predict_question_has_its_answer_folded(path):
    cells = raw_cells(path)
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "markdown" and "**Predict.**" in cell["text"]:
            answer = cells[index + 1]
            assert answer["cell_type"] == "code", f"cell {index}: a Predict needs a cell to run"
            assert tagged(answer, "predict") and kept_away(answer), f"cell {index + 1}"


@pytest.mark.parametrize("path", LESSONS + EXERCISES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_solution_and_check_is_folded(path):
    for index, cell in enumerate(raw_cells(path)):
        if cell["cell_type"] != "code":
            continue
        if tagged(cell, "solution"):
            assert hidden(cell) and kept_away(cell), f"solution cell {index}"
            # JupyterLab previews a folded cell's first line: never the answer.
            first = cell["text"].splitlines()[0]
            assert first.startswith("%%") or first == student_view.SOLUTION_FIRST_LINE, (
                f"solution cell {index} starts with {first!r}")
        if re.match(r"checks\.\w+\(", cell["text"].strip()):  # how lessons run a check
            assert tagged(cell, "check"), f"check cell {index}"
            if path.parent.name == "notebooks":
                assert kept_away(cell), f"check cell {index}"
            else:  # an exercise keeps only its skeleton's "not yet", folded: no answer in it
                assert hidden(cell, "outputs_hidden"), f"check cell {index}"
                text = "".join("".join(o.get("text", "")) for o in cell["outputs"])
                assert text.startswith("not yet:") and "✓" not in text, f"check cell {index}"
        if path.parent.name == "notebooks" and (tagged(cell, "predict") or tagged(cell, "check")):
            kept = cell["metadata"].get("flask_live", {}).get("outputs")
            assert kept or cell["execution_count"] is None, (
                f"cell {index}: its outputs stay, kept away, for strict nbval")


def test_nbval_compares_with_the_kept_away_outputs():
    """The pytest plugin hands a kept-away output back to the collected cell, not to the file."""
    from workshop.pytest_plugin import pytest_collection_modifyitems

    path = ROOT / "notebooks" / "01-first-server.ipynb"
    nb = nbformat.read(path, as_version=4)
    index = student_view.check_cells(nb)[0]
    item = types.SimpleNamespace(cell=nb.cells[index], path=path)
    pytest_collection_modifyitems([item])
    assert item.cell.outputs[0]["text"].startswith("not yet:")
    assert not nbformat.read(path, as_version=4).cells[index].outputs


def test_the_rules_find_every_predict_solution_and_check():
    """Counted without the rules: course_report's predictions (two or more in each lesson 01–10,
    as README promises), the cells tagged `solution`, and the cells that are one `checks.…(…)`
    call."""
    lessons = [lesson for lesson in course()[0] if lesson.number <= 10]
    predictions = sum(lesson.predictions for lesson in lessons)
    solutions = checks = found_predicts = found_solutions = found_checks = 0
    for path in LESSONS:
        nb = nbformat.read(path, as_version=4)
        cells = raw_cells(path)
        solutions += sum(tagged(c, "solution") for c in cells)
        checks += sum(c["cell_type"] == "code" and bool(re.match(r"checks\.\w+\(", c["text"]))
                      for c in cells)
        # One answering cell per question in today's lessons.
        found_predicts += len(student_view.predict_cells(nb))
        found_solutions += len(student_view.solution_cells(nb))
        found_checks += len(student_view.check_cells(nb))
    assert all(lesson.predictions >= 2 for lesson in lessons if lesson.number >= 1)
    # course_report counts the core part's questions; the rules also fold Going further's.
    assert found_predicts >= predictions
    assert (found_solutions, found_checks) == (solutions, checks)


def marked(nb):
    return [(sorted(c.metadata.get("tags", [])), dict(c.metadata.get("jupyter", {})),
             len(c.get("outputs", [])), len(c.metadata.get("flask_live", {}).get("outputs", [])))
            for c in nb.cells]


def test_rules_on_a_small_notebook_and_idempotent():
    shown = [nbformat.v4.new_output("stream", text="200\n")]
    nb = new_notebook(cells=[
        new_code_cell("from workshop import checks", outputs=shown),
        new_markdown_cell("**Predict.** Which status?"),
        new_code_cell("server.get('/')", outputs=shown),
        new_code_cell("server.get('/x')"),
        new_markdown_cell("<details>answer</details>"),
        new_code_cell("%%add_to app.py\ndef f():\n    return checks.x()", outputs=shown),
        new_code_cell("checks.home_page()", metadata={"tags": ["nbval-ignore-output"]},
                      outputs=shown),
        new_code_cell("done = 1", metadata={"tags": ["solution"]}),
        new_markdown_cell("Answer", metadata={"tags": ["solution"]}),
        new_code_cell("print(1)", metadata={"tags": ["predict", "check"],  # stale marks
                                            "jupyter": {"outputs_hidden": True},
                                            "flask_live": {"outputs": shown}}),
    ])
    assert student_view.mark(nb)
    assert marked(nb) == [
        ([], {}, 1, 0), ([], {}, 0, 0), (["predict"], {}, 0, 1), (["predict"], {}, 0, 0),
        ([], {}, 0, 0), ([], {}, 1, 0), (["check", "nbval-ignore-output"], {}, 0, 1),
        (["solution"], {"source_hidden": True}, 0, 0), (["solution"], {}, 0, 0),
        ([], {}, 1, 0),  # no rule picks it now: its outputs are back
    ]
    assert not student_view.mark(nb)
    nbformat.validate(nb)
    student_view.restore_outputs(nb.cells[2])
    assert nb.cells[2].outputs == shown


def test_the_exercise_generator_folds_its_checks():
    solution = nbformat.read(ROOT / "solutions" / "03-methods-and-405.ipynb", as_version=4)
    exercise = exercise_notebook(solution)
    checks = [c for c in exercise.cells if c.source.startswith("checks.")]
    assert checks and all(c.metadata["jupyter"]["outputs_hidden"] for c in checks)


def test_only_what_students_open_is_folded():
    assert student_view.applies_to(ROOT / "notebooks" / "01-first-server.ipynb")
    assert student_view.applies_to(ROOT / "exercises" / "01-hello-route.ipynb")
    assert not student_view.applies_to(ROOT / "solutions" / "01-hello-route.ipynb")
    assert not student_view.applies_to(ROOT / "slides" / "1-flask-in-one-hour.ipynb")


def test_an_exercise_keeps_its_outputs_folded_in_place():
    shown = [nbformat.v4.new_output("stream", text="not yet: …\n")]
    nb = new_notebook(cells=[new_code_cell("checks.x()", outputs=shown)])
    assert student_view.mark(nb, keep_away=False)
    assert marked(nb) == [(["check"], {"outputs_hidden": True}, 1, 0)]
    assert student_view.keeps_away(ROOT / "notebooks" / "01-first-server.ipynb")
    assert not student_view.keeps_away(ROOT / "exercises" / "01-hello-route.ipynb")
