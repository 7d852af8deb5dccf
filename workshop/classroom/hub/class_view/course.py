"""Which your-turns each lesson has: the self-checks its notebook calls, in order."""

from __future__ import annotations

import re
from pathlib import Path

CHECK_CALL = re.compile(r"\bchecks\.([a-z_][a-z0-9_]*)\(")


def your_turns(*folders: Path) -> dict[str, list[str]]:
    """{lesson: [check names in the order the notebook first calls them]} for each notebook."""
    lessons: dict[str, list[str]] = {}
    for folder in folders:
        for notebook in sorted(Path(folder).glob("[0-9][0-9]-*.ipynb")):
            names = CHECK_CALL.findall(notebook.read_text(encoding="utf-8"))
            if names:
                lessons[notebook.stem] = list(dict.fromkeys(names))
    return lessons
