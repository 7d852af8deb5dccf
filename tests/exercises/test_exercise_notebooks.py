"""exercises/ comes from solutions/; each check fails on the exercise, passes on the answer."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT

from workshop.authoring import exercises
from workshop.authoring.student_view import stored_outputs

LEVELS = {"warm-up", "core", "stretch"}
SOLUTIONS = exercises.solution_paths()


def check_output(path) -> str:
    """The text the notebook's last code cell (the self-check) printed when it was committed."""
    nb = nbformat.read(path, as_version=4)
    last = [cell for cell in nb.cells if cell.cell_type == "code"][-1]
    assert "checks." in last.source, f"{path.name}: the last code cell should run a check"
    return "".join(out.get("text", "") for out in stored_outputs(last)  # kept away, too
                   if out.output_type == "stream")


def test_at_least_fourteen_exercises_across_the_lessons():
    lessons = {nbformat.read(p, as_version=4).metadata["exercise"]["lesson"] for p in SOLUTIONS}
    assert len(SOLUTIONS) >= 14
    assert len(lessons) >= 10


def test_exercises_folder_is_what_the_generator_writes():
    assert exercises.out_of_date() == [], "run: python -m workshop exercises"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_check_says_not_yet_on_the_exercise_and_tick_on_the_solution(solution):
    exercise = ROOT / "exercises" / solution.name
    said_by_exercise, said_by_solution = check_output(exercise), check_output(solution)
    assert said_by_exercise.startswith("not yet:") and "✓" not in said_by_exercise
    assert said_by_solution.startswith("✓") and "not yet" not in said_by_solution


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_notebooks_store_no_errors_and_every_code_cell_ran(solution):
    for path in (solution, ROOT / "exercises" / solution.name):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                assert cell.execution_count is not None, f"{path.name}: a cell never ran"
                assert all(out["output_type"] != "error" for out in stored_outputs(cell)), path.name


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_each_exercise_states_lesson_level_minutes_and_is_indexed(solution):
    meta = nbformat.read(solution, as_version=4).metadata["exercise"]
    assert (ROOT / "notebooks").is_dir()
    assert meta["level"] in LEVELS and isinstance(meta["minutes"], int)
    assert meta["lesson"][:2].isdigit() and 0 <= int(meta["lesson"][:2]) <= 11
    title = nbformat.read(solution, as_version=4).cells[0].source
    assert meta["level"] in title and f"{meta['minutes']} minutes" in title
    readme = (ROOT / "exercises" / "README.md").read_text()
    assert f"[{meta['title']}]({solution.name})" in readme


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_solutions_hide_nothing_the_exercise_needs(solution):
    """Only marked code differs: the exercise keeps every cell but the tagged solution notes."""
    sol = nbformat.read(solution, as_version=4)
    ex = nbformat.read(ROOT / "exercises" / solution.name, as_version=4)
    untagged = [c for c in sol.cells if "solution" not in c.metadata.get("tags", [])]
    assert len(untagged) == len(ex.cells)
    assert any("SOLUTION" in c.source for c in sol.cells if c.cell_type == "code")
    assert not any("SOLUTION" in c.source or "PROMPT" in c.source for c in ex.cells)


def answer_and_given_lines(nb) -> tuple[set[str], set[str]]:
    """Lines of our answer in a solution notebook (marked blocks, marked lines, cells tagged
    `solution`) and lines it gives anyway (starter code, prompts), stripped of indentation and
    markers; lines too short to mean anything are left out."""
    answer, given, inside = set(), set(), False
    for cell in nb.cells:
        tagged = "solution" in cell.metadata.get("tags", [])
        for line in cell.source.splitlines():
            bare = line.strip()
            if bare.startswith("# BEGIN SOLUTION"):
                inside = True
                continue
            if bare.startswith("# END SOLUTION"):
                inside = False
                continue
            code = bare.split("# SOLUTION")[0].split('""" # ')[0].strip()
            if len(code) <= 12:
                continue
            ours = tagged or inside or bare.endswith(("# SOLUTION", "# SOLUTION NO PROMPT"))
            (answer if ours else given).add(code)
    return answer, given


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_no_line_of_our_answer_reaches_the_students_copy(solution):
    """What students get holds none of our answer's lines, in code, text or outputs.

    (otter assign would not give this guarantee on these notebooks: it rewrites only inside
    its own question blocks, so exercises/README.md says to publish what our generator writes.)
    """
    notebook = nbformat.read(solution, as_version=4)
    answer, given = answer_and_given_lines(notebook)
    # The task's own text may name a call the answer makes: that is given too.
    task = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    given |= {line for line in answer if line in task}
    exercise = nbformat.read(exercises.EXERCISES / solution.name, as_version=4)
    shown = "\n".join(cell.source for cell in exercise.cells)
    shown += "\n".join(str(out) for cell in exercise.cells for out in cell.get("outputs", []))
    assert answer, f"{solution.name}: no answer lines found: are the markers there?"
    assert sorted(line for line in answer - given if line in shown) == []
