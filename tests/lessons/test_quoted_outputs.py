"""What a lesson's prose says a cell answered is what the cell's stored output shows.

The rule, checked mechanically on lessons 00–10: the folded answer to a prediction (a markdown
cell opening with `<details><summary>Answer</summary>`, right under the code cell it answers) that
quotes

- an HTTP status with its reason phrase, as `` `404 Not Found` `` or ``**404 Not Found**``, or a
  status a server "answers"/"gets"/"returns" (e.g. "answers 503"), must find that number in the
  code cell's stored output;
- a header with its value, as `` `Allow: OPTIONS, POST` `` (a name with a hyphen, or one of the
  one-word headers below), must find `name: value` (the name in any case) in the output.

Text in parentheses is an aside ("GitHub may also answer `429 Too Many Requests`") and is not
checked, nor is a status or header quoted anywhere but in an answer: the rule holds an answer to
the output printed right above it.
"""

from __future__ import annotations

import re
from http import HTTPStatus

import nbformat
import pytest
from conftest import ROOT

from workshop.authoring.student_view import stored_outputs

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
LESSONS = [path for path in LESSONS if int(path.name[:2]) <= 10]
PHRASES = "|".join(sorted({re.escape(status.phrase) for status in HTTPStatus}, key=len,
                          reverse=True))
# `404 Not Found` or **404 Not Found**: a status with its own reason phrase.
STATUS = re.compile(rf"(?:`|\*\*)([1-5]\d\d) (?:{PHRASES})(?:`|\*\*)")
# "answers 503", "gets `400`", "returns **201**": a status a cell's request received.
STATUS_VERB = re.compile(r"\b(?:answers|answered|gets|got|returns|returned)\s+[`*]*([1-5]\d\d)\b")
# `Allow: OPTIONS, POST`: a header line, quoted whole.
HEADER = re.compile(r"`([A-Z][A-Za-z0-9]*(?:-[A-Z][A-Za-z0-9]*)*): ([^`]+)`")
ONE_WORD_HEADERS = {"Allow", "Authorization", "Date", "ETag", "Host", "Link", "Location", "Origin",
                    "Server", "Vary"}
ASIDE = re.compile(r"\([^()]*\)")
ANSWER = "<details><summary>Answer</summary>"


def output_text(cell) -> str:
    texts = []
    for output in stored_outputs(cell):  # kept-away outputs too
        if "text" in output:
            texts.append(output["text"])
        texts.extend(value for mime, value in output.get("data", {}).items()
                     if mime.startswith("text/"))
    return "".join(texts)


def quotes_under_outputs(path):
    """(cell index, quoted text, the output above it) for each quote the rule checks."""
    cells = nbformat.read(path, as_version=4).cells
    for index, cell in enumerate(cells[1:], start=1):
        above = cells[index - 1]
        if cell.cell_type != "markdown" or above.cell_type != "code" \
                or not cell.source.startswith(ANSWER):
            continue
        output = output_text(above)
        prose = ASIDE.sub(" ", cell.source)
        for number in STATUS.findall(prose) + STATUS_VERB.findall(prose):
            yield index, number, output, re.search(rf"\b{number}\b", output) is not None
        for name, value in HEADER.findall(prose):
            if "-" in name or name in ONE_WORD_HEADERS:
                shown = re.search(rf"\b{re.escape(name)}: {re.escape(value)}", output,
                                  re.IGNORECASE)
                yield index, f"{name}: {value}", output, shown is not None


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_prose_under_a_cell_quotes_its_output(path):
    wrong = [f"cell {index}: {quote!r} is not in the output above it"
             for index, quote, _, found in quotes_under_outputs(path) if not found]
    assert wrong == []


def test_the_rule_finds_quotes_to_check():
    """The lessons quote outputs often enough that the rule is not checking nothing."""
    assert sum(1 for path in LESSONS for _ in quotes_under_outputs(path)) >= 10
