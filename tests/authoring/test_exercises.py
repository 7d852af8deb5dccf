"""The generator implements otter-grader's solution markers (Python flavour)."""

from __future__ import annotations

import pytest

from workshop.authoring.exercises import MarkerError, readme_with_index, strip_solutions


def test_block_becomes_placeholder_at_its_indentation():
    source = "def f():\n    # BEGIN SOLUTION\n    return 42\n    # END SOLUTION\n"
    assert strip_solutions(source) == "def f():\n    ..."


def test_no_prompt_block_disappears_and_prompt_string_becomes_code():
    source = ('def f():\n    """Doc."""\n    """ # BEGIN PROMPT\n    return "TODO"\n'
              '    """ # END PROMPT\n    # BEGIN SOLUTION NO PROMPT\n    return 42\n'
              "    # END SOLUTION")
    assert strip_solutions(source) == 'def f():\n    """Doc."""\n    return "TODO"'


def test_solution_lines():
    source = 'X = compute()  # SOLUTION\nx.attr = 1 # SOLUTION\n    return 42  # SOLUTION\nkeep()'
    assert strip_solutions(source) == "X = ...\nx.attr = ...\n    ...\nkeep()"


def test_solution_no_prompt_line_is_dropped():
    assert strip_solutions("a = 1\nreturn a  # SOLUTION NO PROMPT") == "a = 1"


def test_code_without_markers_is_unchanged():
    source = 'print("# not a marker")\nx = 1'
    assert strip_solutions(source) == source


@pytest.mark.parametrize("source", ["# BEGIN SOLUTION\nx = 1", "x = 1\n# END SOLUTION"])
def test_unpaired_markers_are_refused(source):
    with pytest.raises(MarkerError):
        strip_solutions(source)


def test_readme_index_is_replaced_between_markers_only():
    text = "intro\n<!-- index:start -->\nold\n<!-- index:end -->\noutro\n"
    new = readme_with_index(text)
    assert new.startswith("intro\n<!-- index:start -->\n| # |")
    assert new.endswith("<!-- index:end -->\noutro\n") and "old" not in new


def test_tuple_and_subscript_targets_keep_their_names():
    source = 'a, b = 1, 2  # SOLUTION\nconfig["KEY"] = "v"  # SOLUTION\nif x == 1:  # SOLUTION'
    assert strip_solutions(source) == 'a, b = ...\nconfig["KEY"] = ...\n...'


def test_long_lines_are_fast():
    line = "x" * 5000 + " + 1"  # otter's nested pattern backtracks for minutes on this
    assert strip_solutions(line + "  # SOLUTION") == "..."
