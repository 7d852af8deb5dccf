"""Re-execute notebooks in place so their stored outputs are fresh (authors' tool, not a lesson).

    python -m workshop.execute notebooks/03-routes.ipynb [more.ipynb ...]

Each notebook runs in a fresh kernel of the current environment, in its own folder (as nbval
and JupyterLab do). Widget state and timing metadata are not stored, so git diffs show only
real changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

VOLATILE_CELL_METADATA = ("execution",)


def execute(path: str | Path, timeout: int = 120) -> None:
    """Run every cell of one notebook and write it back with its outputs."""
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
        allow_errors=False,
    )
    client.execute()
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for name in argv:
        print(f"executing {name}", flush=True)
        execute(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
