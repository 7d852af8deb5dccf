"""Re-execute notebooks in place so their stored outputs are fresh (authors' tool, not a lesson).

    python -m workshop execute notebooks/03-routes.ipynb [more.ipynb ...]

Each notebook runs in a fresh kernel of the current environment, in its own folder (as nbval
and JupyterLab do). Widget state and timing metadata are not stored, and what `sanitize.cfg`
lists (OS-chosen ports) is stored in its sanitized form (`127.0.0.1:PORT`), so git diffs show
only real changes and readers see what varies. Before it is stored, a notebook students open gets
the marks of `workshop.authoring.student_view` (outputs that would answer a question are folded).
"""

from __future__ import annotations

import configparser
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

from workshop.authoring import student_view
from workshop.paths import SANITIZE

VOLATILE_CELL_METADATA = ("execution",)


def sanitizers(path: Path = SANITIZE) -> list[tuple[re.Pattern, str]]:
    """The (regex, replacement) pairs of nbval's sanitize file."""
    parser = configparser.ConfigParser(comment_prefixes=("#",), strict=False)
    parser.read(path, encoding="utf-8")
    return [(re.compile(section["regex"]), section.get("replace", "").strip() or "")
            for section in map(parser.__getitem__, parser.sections())]


def sanitize_outputs(nb, rules: list[tuple[re.Pattern, str]]) -> None:
    """Apply the rules to every text an output stores (stream text and each text mime type)."""
    def clean(text):
        joined = "".join(text) if isinstance(text, list) else text
        for pattern, replacement in rules:
            joined = pattern.sub(replacement, joined)
        return joined

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = clean(output["text"])
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/") and isinstance(value, (str, list)):
                    output["data"][mime] = clean(value)


def compared_text(cell) -> str:
    """A code cell's outputs as strict nbval compares them: streams (joined when the kernel
    split one print into several messages), text/plain and error names, sanitized."""
    texts, last_stream = [], None
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            if last_stream == output["name"]:
                texts[-1] += output["text"]
            else:
                texts.append(f"{output['name']}: {output['text']}")
            last_stream = output["name"]
            continue
        last_stream = None
        if output["output_type"] == "error":
            texts.append(f"error: {output['ename']}")
        else:
            texts.append(str(output.get("data", {}).get("text/plain", "")))
    joined = "\n".join(texts)
    for pattern, replacement in sanitizers():
        joined = pattern.sub(replacement, joined)
    return joined


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
    # One print can reach the kernel's output as several messages; store it as one output.
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    for cell in nb.cells:
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        cell.metadata.pop(student_view.KEPT, None)  # this run's outputs replace the kept ones
    nb.metadata.pop("widgets", None)
    sanitize_outputs(nb, sanitizers())
    if student_view.applies_to(path):
        student_view.mark(nb, student_view.keeps_away(path))
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
