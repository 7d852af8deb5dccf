"""The runtime tour notebook passes when run twice in one kernel (Run All, then Run All again).

nbval runs it once per fresh kernel; here the second run in the same kernel must give the stored
outputs again: servers replaced, modules re-imported, workspace reset, nothing printed twice.
"""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

from workshop.authoring.execute import compared_text

TOUR = ROOT / "tests" / "notebooks" / "runtime_tour.ipynb"


@pytest.mark.slow
def test_tour_runs_twice_in_one_kernel_with_the_stored_outputs():
    stored = nbformat.read(TOUR, as_version=4)
    expected = [compared_text(cell) for cell in stored.cells if cell.cell_type == "code"]
    nb = nbformat.read(TOUR, as_version=4)
    client = NotebookClient(nb, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(TOUR.parent)}})
    with client.setup_kernel():
        for run in (1, 2):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
            got = [compared_text(cell) for cell in nb.cells if cell.cell_type == "code"]
            assert got == expected, f"run {run} differs from the stored outputs"
