"""`%%add_to FILE`: add or replace top-level definitions in a Python file.

A lesson shows only what changes: the cell holds the new or changed definitions, and each one
replaces the definition with the same name in the file, or is added to it. Running the cell twice
changes nothing, so "Run all" and re-running a cell are safe.

What "the same name" means, for each kind of top-level statement:

- `def f` / `class C`: the name (decorators and the comment lines right above belong to it);
- `x = ...`, `app.config["X"] = ...`: the target as written;
- `import x` / `from x import a, b`: the module, so a cell's `from flask import abort, jsonify`
  replaces the file's `from flask import jsonify`;
- the module docstring; `if __name__ == "__main__":` (its test); a call such as `CORS(app, ...)`
  (the function called); anything else: its first line.

A new import joins the file's leading import block in ruff's (isort's) order. Any other new
statement goes right after the cell's previous statement, or else at the end of the file but
before a `__main__` block or the imports that close a file (`from app import routes  # noqa`).
A replaced statement keeps its place, unless the cell puts it after a statement that comes later
in the file: then it moves there, so code never runs before the definitions it uses.
A cell that opens with the file's docstring adds the statements after it (and its imports) at the
top of the file, right below the leading imports.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass

FIRST_PARTY = {"app", "server"}  # the workspace's own modules
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass
class Block:
    """One top-level statement: its text (comment lines above it included) and its key."""

    key: str
    text: str  # whole lines, each ending with "\n"
    gap: str  # what stands between the previous block and this one (blank lines, comments)
    node: ast.stmt

    @property
    def is_import(self) -> bool:
        return isinstance(self.node, (ast.Import, ast.ImportFrom))

    @property
    def is_definition(self) -> bool:
        return isinstance(self.node, DEFINITIONS)


@dataclass
class Module:
    """A file as blocks: `blocks[i].gap + blocks[i].text` for each block, then `tail`."""

    blocks: list[Block]
    tail: str

    def text(self) -> str:
        return "".join(block.gap + block.text for block in self.blocks) + self.tail

    def find(self, key: str) -> int | None:
        for index, block in enumerate(self.blocks):
            if block.key == key:
                return index
        return None


def add_to(file_text: str, cell_text: str) -> tuple[str, list[tuple[str, str]]]:
    """The file with the cell's statements added or replaced, and `(what, key)` per statement.

    `what` is "added", "replaced" or "unchanged". Raises SyntaxError if either side is not
    Python.
    """
    module = parse(file_text)
    cell = parse(cell_text)
    done: list[tuple[str, str]] = []
    anchor: str | None = None  # key of the cell's previous statement, once it is in the file
    for index, block in enumerate(cell.blocks):
        found = module.find(block.key)
        cell_gap = block.gap if index > 0 else ""
        after = module.find(anchor) if anchor is not None else None
        if found is not None and not block.is_import and after is not None and after > found:
            # The cell's order wins: a statement the cell puts after another one moves there
            # (e.g. `app.wsgi_app = wrap(...)` after the new `def wrap` it calls).
            module.blocks.pop(found)
            _insert_statement(module, block, anchor, cell_gap)
            done.append(("replaced", block.key))
        elif found is not None:
            old = module.blocks[found]
            done.append(("unchanged" if old.text == block.text else "replaced", block.key))
            module.blocks[found] = Block(block.key, block.text, old.gap, block.node)
        elif block.is_import:
            _insert_import(module, block)
            done.append(("added", block.key))
        else:
            _insert_statement(module, block, anchor, cell_gap)
            done.append(("added", block.key))
        if not block.is_import:
            anchor = block.key  # the docstring stands for the top of the file, below the imports
    return module.text(), done


def describe(path: str, done: list[tuple[str, str]]) -> str:
    """One line for the cell's output: `path: added a, b; replaced c; imports updated`."""
    parts = []
    for what in ("added", "replaced", "unchanged"):
        keys = [_shown(key) for kind, key in done if kind == what and not _is_import_key(key)]
        if keys:
            parts.append(f"{what} {', '.join(keys)}")
    if any(kind != "unchanged" and _is_import_key(key) for kind, key in done):
        parts.append("imports updated")
    return f"{path}: {'; '.join(parts) if parts else 'nothing to add'}"


def parse(text: str) -> Module:
    """Split Python source into top-level blocks (raises SyntaxError for invalid code)."""
    if text and not text.endswith("\n"):
        text += "\n"
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    blocks: list[Block] = []
    position = 0  # index of the first line not yet given to a block
    for number, node in enumerate(tree.body):
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        while first > position and lines[first - 1].lstrip().startswith("#"):
            first -= 1  # comment lines right above a statement belong to it
        last = node.end_lineno
        blocks.append(Block(_key(node, number, text), "".join(lines[first:last]),
                            "".join(lines[position:first]), node))
        position = last
    return Module(blocks, "".join(lines[position:]))


def _key(node: ast.stmt, number: int, text: str) -> str:
    if number == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
            and isinstance(node.value.value, str):
        return "__doc__"
    if isinstance(node, DEFINITIONS):
        return node.name
    if isinstance(node, ast.Import):
        return "import " + ", ".join(alias.name for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return "from " + "." * node.level + (node.module or "")
    if isinstance(node, ast.Assign):
        return " = ".join(ast.get_source_segment(text, target) for target in node.targets)
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        return ast.get_source_segment(text, node.target)
    if isinstance(node, ast.If):
        return "if " + ast.get_source_segment(text, node.test)
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        return ast.get_source_segment(text, node.value.func) + "(...)"
    return text.splitlines()[node.lineno - 1].strip()


def _shown(key: str) -> str:
    return "the docstring" if key == "__doc__" else key


def _is_import_key(key: str) -> bool:
    return key.startswith(("import ", "from "))


def _insert_statement(module: Module, block: Block, anchor: str | None, cell_gap: str) -> None:
    blocks = module.blocks
    found = module.find(anchor) if anchor is not None else None
    if found is not None and anchor == "__doc__":
        # A cell that opens with the docstring adds what follows it right above the file's first
        # statement after the leading imports, which then follows it directly.
        at = found + 1
        while at < len(blocks) and blocks[at].is_import:
            at += 1
        gap = blocks[at].gap if at < len(blocks) else "\n"
        if at < len(blocks):
            blocks[at].gap = ""
    elif found is not None:
        at, gap = found + 1, cell_gap  # right after the cell's previous statement, spaced as there
    else:
        at, gap = len(blocks), "\n"
        # A `__main__` block and the imports that end a module (once `app` exists) stay last.
        while at > 1 and (blocks[at - 1].is_import or blocks[at - 1].key.startswith("if __name__")):
            at -= 1
    if at > 0 and (block.is_definition or blocks[at - 1].is_definition):
        gap = _two_blank_lines(gap)  # PEP 8: two blank lines around a top-level def or class
    if at < len(blocks) and (block.is_definition or blocks[at].is_definition):
        blocks[at].gap = _two_blank_lines(blocks[at].gap)
    elif at < len(blocks) and at > 0 and blocks[at - 1].is_definition:
        # The next statement no longer follows a def: one blank line, as between statements.
        blocks[at].gap = _one_blank_line(blocks[at].gap)
    blocks.insert(at, Block(block.key, block.text, gap if at > 0 else "", block.node))


def _two_blank_lines(gap: str) -> str:
    return gap if gap.startswith("\n\n") else "\n\n" + gap.lstrip("\n")


def _one_blank_line(gap: str) -> str:
    return "\n" + gap.lstrip("\n") if gap.startswith("\n") else gap


def _insert_import(module: Module, block: Block) -> None:
    blocks = module.blocks
    start = 1 if blocks and blocks[0].key == "__doc__" else 0
    end = start
    while end < len(blocks) and blocks[end].is_import:
        end += 1
    order = _import_order(block.node)
    at = start
    while at < end and _import_order(blocks[at].node) < order:
        at += 1
    section_before = at > start and _import_order(blocks[at - 1].node)[0] == order[0]
    section_after = at < end and _import_order(blocks[at].node)[0] == order[0]
    if at == start:
        gap = "\n" if start > 0 else ""  # a blank line below the docstring
    else:
        gap = "" if section_before else "\n"
    if at < len(blocks):
        following = blocks[at]
        if at == start and at < end:
            gap, following.gap = following.gap, "" if section_after else "\n"
        elif section_after:
            following.gap = ""  # we now open this section
        elif at == end and not following.gap:
            following.gap = "\n"  # a blank line after the imports
    blocks.insert(at, Block(block.key, block.text, gap, block.node))


def _import_order(node: ast.stmt) -> tuple[int, int, str]:
    """(section, style, module): ruff's default isort order within the leading import block."""
    if isinstance(node, ast.ImportFrom):
        module, style = "." * node.level + (node.module or ""), 1
    else:
        module, style = node.names[0].name, 0
    top = module.split(".")[0]
    if top == "__future__":
        section = 0
    elif node.__class__ is ast.ImportFrom and node.level:
        section = 4  # relative imports come last
    elif top in sys.stdlib_module_names:
        section = 1
    elif top in FIRST_PARTY:
        section = 3
    else:
        section = 2
    return section, style, module.lower()


def add_to_file(path: str, cell: str) -> str:
    """Apply a `%%add_to path` cell to the file; back up a student's own version first."""
    from pathlib import Path

    from workshop.runtime import catchup

    target = Path(path)
    if not target.is_file():
        return (f"{path} does not exist yet: write it first with %%writefile "
                "(or run the lesson's first cell, workshop.catch_up).")
    with open(target, encoding="utf-8") as file:
        old = file.read()
    new, done = add_to(old, cell)  # SyntaxError propagates: IPython shows it with the line
    if new != old:
        catchup.save_cell_result(target, new)
    return describe(target.as_posix(), done)


def register(ipython) -> None:
    """Make `%%add_to FILE` available in this IPython session."""

    def add_to_magic(line: str, cell: str) -> None:
        """%%add_to FILE: add the cell's definitions to FILE, replacing those with the same name."""
        import shlex
        import traceback

        names = shlex.split(line)
        if len(names) != 1:
            print("Usage: %%add_to FILE — then the definitions to add, on the next lines.")
            return
        try:
            print(add_to_file(names[0], cell))
        except SyntaxError as error:
            # Point at the line in the cell (its first line is the %%add_to line itself).
            error.filename, error.lineno = "<cell>", (error.lineno or 0) + 1
            print(*traceback.format_exception_only(type(error), error), sep="", end="")
            print(f"Nothing was written ({names[0]} is unchanged): fix the cell, run it again.")

    ipython.register_magic_function(add_to_magic, magic_kind="cell", magic_name="add_to")
