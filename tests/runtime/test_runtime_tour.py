"""The runtime tour notebook passes when run twice in one kernel (Run All, then Run All again).

nbval runs it once per fresh kernel; here the second run in the same kernel must give the stored
outputs again: servers replaced, modules re-imported, workspace reset, nothing printed twice.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

TOUR = ROOT / "tests" / "notebooks" / "runtime_tour.ipynb"


def sanitizers() -> list[tuple[re.Pattern, str]]:
    """The regex/replace pairs of sanitize.cfg, as nbval applies them."""
    pairs, regex = [], None
    for line in (ROOT / "sanitize.cfg").read_text().splitlines():
        if line.startswith("regex:"):
            regex = re.compile(line[len("regex:"):].strip())
        elif line.startswith("replace:") and regex is not None:
            pairs.append((regex, line[len("replace:"):].strip()))
            regex = None
    return pairs


def text_outputs(cell) -> list[str]:
    """What strict nbval compares: streams, errors and text/plain, sanitized."""
    texts, last_stream = [], None
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            # The kernel may split one print across messages; nbval joins them too.
            if last_stream == output.name:
                texts[-1] += output.text
            else:
                texts.append(output.name + ":" + output.text)
            last_stream = output.name
            continue
        last_stream = None
        if output.output_type in ("execute_result", "display_data"):
            texts.append(output.data.get("text/plain", ""))
        elif output.output_type == "error":
            texts.append(output.ename)
    joined = "\n".join(texts)
    for regex, replace in sanitizers():
        joined = regex.sub(replace, joined)
    return joined


@pytest.mark.slow
def test_tour_runs_twice_in_one_kernel_with_the_stored_outputs():
    stored = nbformat.read(TOUR, as_version=4)
    expected = [text_outputs(cell) for cell in stored.cells if cell.cell_type == "code"]
    nb = nbformat.read(TOUR, as_version=4)
    client = NotebookClient(nb, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(TOUR.parent)}})
    with client.setup_kernel():
        for run in (1, 2):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
            got = [text_outputs(cell) for cell in nb.cells if cell.cell_type == "code"]
            assert got == expected, f"run {run} differs from the stored outputs"
