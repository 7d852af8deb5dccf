"""workshop.authoring.execute stores outputs sanitized, with nbval's own sanitize file."""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from workshop.authoring.execute import compared_text, sanitize_outputs, sanitizers


def test_ports_are_stored_as_port():
    cell = new_code_cell("server")
    cell.outputs = [
        new_output("stream", name="stdout", text="listening on http://127.0.0.1:40111/\n"),
        new_output("execute_result", data={"text/plain": "<Server at http://127.0.0.1:54321/>"},
                   execution_count=1),
        new_output("stream", name="stdout", text="CORS origin: http://127.0.0.1:5001\n"),
    ]
    nb = new_notebook(cells=[cell])
    sanitize_outputs(nb, sanitizers())
    assert nb.cells[0].outputs[0]["text"] == "listening on http://127.0.0.1:PORT/\n"
    assert nb.cells[0].outputs[1]["data"]["text/plain"] == "<Server at http://127.0.0.1:PORT/>"
    # A port the kit chose on purpose (the demo's 5001) is content, not noise.
    assert nb.cells[0].outputs[2]["text"] == "CORS origin: http://127.0.0.1:5001\n"
    nbformat.validate(nb)


def test_every_sanitize_entry_has_a_reason(root):
    """Each entry of sanitize.cfg is preceded by a comment that says why it is needed."""
    lines = (root / "sanitize.cfg").read_text(encoding="utf-8").splitlines()
    sections = [i for i, line in enumerate(lines) if line.startswith("[")]
    assert sections
    for i in sections:
        assert lines[i + 1].startswith("#"), f"{lines[i]} has no reason"


def test_compared_text_joins_a_split_print_as_nbval_does():
    whole, split = new_code_cell("x"), new_code_cell("x")
    whole.outputs = [new_output("stream", name="stdout", text="a\nb\n")]
    split.outputs = [new_output("stream", name="stdout", text="a\n"),
                     new_output("stream", name="stdout", text="b\n")]
    assert compared_text(whole) == compared_text(split) == "stdout: a\nb\n"
