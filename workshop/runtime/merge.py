"""`%%add_to FILE`: add or replace top-level definitions in a Python file.

A lesson shows only what changes: the cell holds the new or changed definitions, and each one
replaces the definition with the same name in the file, or is added to it. Running the cell twice
changes nothing, so "Run all" and re-running a cell are safe.

What "the same name" means, for each kind of top-level statement:

- `def f` / `class C`: the name (decorators and the comment lines right above belong to it);
- `x = ...`, `app.config["X"] = ...`: the target as written;
- the module docstring; `if __name__ == "__main__":` (its test); a call such as `CORS(app, ...)`
  (the function called); anything else: its first line.

Imports merge by the name they import: a cell's `from flask import request` added to a file's
`from flask import abort, jsonify` gives `from flask import abort, jsonify, request`, in ruff's
(isort's) order. Nothing the file imported is ever dropped; `import x as y` imports `y`.
If a cell defines one name twice, the last definition counts, as it would in Python.

A new import joins the file's leading import block in ruff's (isort's) order. Any other new
statement goes right after the cell's previous statement, or else at the end of the file but
before a `__main__` block or the imports that close a file (`from app import routes  # noqa`).
A replaced statement keeps its place, unless the cell puts it after a statement that comes later
in the file: then it moves there, so code never runs before the definitions it uses.
A cell that opens with the file's docstring adds the statements after it (and its imports) at the
top of the file, right below the leading imports.

Time grows linearly with the file and the cell: both are parsed once, and a statement is found
by its name in a dictionary, not by a walk through the file.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from collections import Counter
from dataclasses import dataclass

FIRST_PARTY = {"app", "server"}  # the workspace's own modules


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


LINE_LENGTH = 100  # the kit's ruff line length: a longer merged import is wrapped, as ruff does


class BrokenFile(ValueError):
    """The file (not the cell) is not valid Python; `error` is Python's SyntaxError."""

    def __init__(self, error: SyntaxError):
        super().__init__(str(error))
        self.error = error


@dataclass(eq=False)  # blocks are found by identity: two equal statements are still two blocks
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


class Module:
    """A file as blocks: `blocks[i].gap + blocks[i].text` for each block, then `tail`.

    Statements are found by key in a dictionary; where a block stands is looked up next to the
    last one looked up (a cell's statements mostly follow each other), so adding n statements
    takes time in proportion to n, not n².
    """

    def __init__(self, blocks: list[Block], tail: str):
        self.blocks = blocks
        self.tail = tail
        self.scans = 0  # lookups that had to walk the list (a test keeps them rare)
        self._hint = 0
        self._by_key: dict[str, Block] = {}
        self._keys_twice: set[str] = set()
        self.from_imports: dict[str, list[Block]] = {}  # module -> its `from … import` blocks
        self.from_bound: dict[str, set[tuple[str, str | None]]] = {}  # module -> what they bind
        self.imported: set[tuple[str, str | None]] = set()  # what `import x [as y]` binds
        self.pending: dict[Block, list[ast.alias]] = {}  # names to merge into a line, at the end
        self._plain: dict[str, Block | None] = {}
        for block in blocks:
            self._index(block)

    def text(self) -> str:
        return "".join(block.gap + block.text for block in self.blocks) + self.tail

    def get(self, key: str) -> Block | None:
        return self._by_key.get(key)

    def index(self, block: Block) -> int:
        """Where `block` stands now."""
        for at in range(max(self._hint - 2, 0), min(self._hint + 3, len(self.blocks))):
            if self.blocks[at] is block:
                self._hint = at
                return at
        self.scans += 1
        self._hint = self.blocks.index(block)
        return self._hint

    def insert(self, at: int, block: Block) -> None:
        self.blocks.insert(at, block)
        self._hint = at
        self._index(block)

    def pop(self, at: int) -> Block:
        block = self.blocks.pop(at)
        if self._by_key.get(block.key) is block:
            del self._by_key[block.key]
            if block.key in self._keys_twice:  # rare: a file that defines one name twice
                other = next((b for b in self.blocks if b.key == block.key), None)
                if other is not None:
                    self._by_key[block.key] = other
        return block

    def plain_from_import(self, name: str) -> Block | None:
        """The file's first `from name import …` without an `as`: where new names go."""
        if self._plain.get(name) is None:
            self._plain[name] = next((block for block in self.from_imports.get(name, ())
                                      if not any(map(_own_line, block.node.names))), None)
        return self._plain[name]

    def _index(self, block: Block) -> None:
        if block.key in self._by_key:
            self._keys_twice.add(block.key)
        else:
            self._by_key[block.key] = block
        if isinstance(block.node, ast.ImportFrom):
            name = _module_name(block.node)
            self.from_imports.setdefault(name, []).append(block)
            self.from_bound.setdefault(name, set()).update(
                (alias.name, alias.asname) for alias in block.node.names)
        elif isinstance(block.node, ast.Import):
            self.imported.update((alias.name, alias.asname) for alias in block.node.names)


def add_to(file_text: str, cell_text: str) -> tuple[str, list[tuple[str, str]]]:
    """The file with the cell's statements added or replaced, and `(what, key)` per change.

    `what` is "added", "replaced" or "unchanged" (key: the statement's name), "imported" (key:
    what the import added, e.g. "request to `from flask import …`") or "twice" (a name the cell
    defines more than once). Raises SyntaxError if the cell is not Python, BrokenFile if the file
    is not.
    """
    cell = parse(cell_text)
    try:
        module = parse(file_text)
    except SyntaxError as error:
        raise BrokenFile(error) from error
    done: list[tuple[str, str]] = []
    blocks, twice = _last_of_each(cell.blocks)
    anchor: Block | None = None  # the cell's previous statement, where it now stands in the file
    for block in blocks:
        if block.is_import:
            done.extend(("imported", change) for change in _merge_import(module, block))
            continue
        cell_gap = block.gap if block is not cell.blocks[0] else ""
        found = module.get(block.key)
        if found is not None and anchor is not None \
                and module.index(anchor) > module.index(found):
            # The cell's order wins: a statement the cell puts after another one moves there
            # (e.g. `app.wsgi_app = wrap(...)` after the new `def wrap` it calls).
            module.pop(module.index(found))
            anchor = _insert_statement(module, block, anchor, cell_gap)
            done.append(("replaced", block.key))
        elif found is not None:
            done.append(("unchanged" if found.text == block.text else "replaced", block.key))
            found.text, found.node = block.text, block.node  # its place and the gap above stay
            anchor = _below_what_it_uses(module, found)
        else:
            anchor = _insert_statement(module, block, anchor, cell_gap)
            done.append(("added", block.key))
    _merge_pending(module)
    done.extend(("twice", key) for key in twice)
    return module.text(), done


def _below_what_it_uses(module: Module, block: Block) -> Block:
    """A replaced statement that now uses a name first defined below it moves below that name.

    E.g. `app.wsgi_app = wrap(ProxyFix(app.wsgi_app))` after an earlier cell added `def wrap`
    at the end: left in place, the import of the file would stop with a NameError. A def's body
    runs later, so definitions (and imports) keep their place.
    """
    if block.is_definition or block.is_import:
        return block
    used = {node.id for node in ast.walk(block.node)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
    at = module.index(block)
    below = [other for other in module.blocks[at + 1:] if other.key in used]
    if not below:
        return block
    module.pop(at)
    return _insert_statement(module, block, below[-1], block.gap)


def describe(path: str, done: list[tuple[str, str]]) -> str:
    """One line for the cell's output: `path: added a, b; replaced c; added d to `from x …``."""
    parts = []
    for what in ("added", "replaced", "unchanged"):
        keys = [_shown(key) for kind, key in done if kind == what]
        if keys:
            parts.append(f"{what} {', '.join(keys)}")
    parts += [f"added {change}" for kind, change in done if kind == "imported"]
    twice = [_shown(key) for kind, key in done if kind == "twice"]
    if twice:
        parts.append(f"the cell defines {', '.join(twice)} more than once: the last one counts")
    return f"{path}: {'; '.join(parts) if parts else 'nothing to add'}"


def parse(text: str) -> Module:
    """Split Python source into top-level blocks (raises SyntaxError for invalid code)."""
    if text and not text.endswith("\n"):
        text += "\n"
    try:
        tree = ast.parse(text)
    except ValueError as error:  # Python 3.11 raises ValueError for a null byte
        raise SyntaxError(str(error)) from None
    # Split as the parser counts lines (str.splitlines would also split at \f or \u2028).
    lines = text.split("\n")[:-1]
    lines = [line + "\n" for line in lines]
    blocks: list[Block] = []
    position = 0  # index of the first line not yet given to a block
    for number, node in enumerate(tree.body):
        if node.lineno - 1 < position:  # `a = 1; b = 2`: the line belongs to the first block
            blocks[-1].text += "".join(lines[position:node.end_lineno])
            position = max(position, node.end_lineno)
            continue
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        while first > position and lines[first - 1].lstrip().startswith("#"):
            first -= 1  # comment lines right above a statement belong to it
        last = node.end_lineno
        blocks.append(Block(_key(node, number, lines), "".join(lines[first:last]),
                            "".join(lines[position:first]), node))
        position = last
    return Module(blocks, "".join(lines[position:]))


def _segment(lines: list[str], node: ast.AST) -> str:
    """`ast.get_source_segment` from lines split once (it splits the whole text on every call)."""
    first, last = node.lineno - 1, node.end_lineno - 1
    if first == last:
        return lines[first].encode()[node.col_offset:node.end_col_offset].decode()
    return (lines[first].encode()[node.col_offset:].decode() + "".join(lines[first + 1:last])
            + lines[last].encode()[:node.end_col_offset].decode())


def _key(node: ast.stmt, number: int, lines: list[str]) -> str:
    if number == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
            and isinstance(node.value.value, str):
        return "__doc__"
    if isinstance(node, DEFINITIONS):
        return node.name
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return _import_key(node)
    if isinstance(node, ast.Assign):
        return " = ".join(_segment(lines, target) for target in node.targets)
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        return _segment(lines, node.target)
    if isinstance(node, ast.If):
        return "if " + _segment(lines, node.test)
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        return _segment(lines, node.value.func) + "(...)"
    return lines[node.lineno - 1].strip()


def _import_key(node: ast.Import | ast.ImportFrom) -> str:
    if isinstance(node, ast.Import):
        return "import " + ", ".join(alias.name for alias in node.names)
    return "from " + _module_name(node)


def _module_name(node: ast.ImportFrom) -> str:
    return "." * node.level + (node.module or "")


def _shown(key: str) -> str:
    return "the docstring" if key == "__doc__" else key


def _last_of_each(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """The cell's blocks, a name defined twice only at its last definition (as Python does)."""
    counts = Counter(block.key for block in blocks if not block.is_import)
    last = {block.key: index for index, block in enumerate(blocks) if not block.is_import}
    kept = [block for index, block in enumerate(blocks)
            if block.is_import or last[block.key] == index]
    return kept, [key for key, count in counts.items() if count > 1]


def _insert_statement(module: Module, block: Block, anchor: Block | None,
                      cell_gap: str) -> Block:
    blocks = module.blocks
    found = module.index(anchor) if anchor is not None else None
    if found is not None and anchor.key == "__doc__":
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
    new = Block(block.key, block.text, gap if at > 0 else "", block.node)
    module.insert(at, new)
    return new


def _two_blank_lines(gap: str) -> str:
    return gap if gap.startswith("\n\n") else "\n\n" + gap.lstrip("\n")


def _one_blank_line(gap: str) -> str:
    return "\n" + gap.lstrip("\n") if gap.startswith("\n") else gap


def _merge_import(module: Module, block: Block) -> list[str]:
    """Add what the cell's import binds and the file does not; say what was added."""
    node = block.node
    if isinstance(node, ast.Import):
        missing = [alias for alias in _unique(node.names)
                   if (alias.name, alias.asname) not in module.imported]
        if len(missing) == len(node.names) == 1:
            _insert_import(module, block)  # as the cell wrote it, with its comments
        else:  # ruff puts each `import x` on its own line
            for alias in missing:
                _insert_import(module, _new_import(ast.Import(names=[alias])))
        return [f"`import {_alias(alias)}`" for alias in missing]
    name = _module_name(node)
    bound = module.from_bound.setdefault(name, set())
    missing = [alias for alias in _unique(node.names) if (alias.name, alias.asname) not in bound]
    if not missing:
        return []
    if name not in module.from_imports:
        _insert_import(module, block)
        return [f"{', '.join(map(_alias, missing))} to `from {name} import …`"]
    bound.update((alias.name, alias.asname) for alias in missing)
    changes = []
    plain = [alias for alias in missing if not _own_line(alias)]
    target = module.plain_from_import(name)  # ruff keeps `from x import a as b` on its own line
    if plain and target is not None and target not in module.pending \
            and _says_it_all(block, target):
        target.text, target.node = block.text, block.node  # the cell's line, as written
    elif plain and target is not None:
        module.pending.setdefault(target, []).extend(plain)  # rewritten once, at the end
    elif plain:
        _insert_import(module, _new_import(ast.ImportFrom(node.module, plain, node.level)))
    if plain:
        changes.append(f"{', '.join(alias.name for alias in plain)} to `from {name} import …`")
    for alias in missing:
        if _own_line(alias):
            _insert_import(module, _new_import(ast.ImportFrom(node.module, [alias], node.level)))
            changes.append(f"{_alias(alias)} to `from {name} import …`")
    return changes


def _says_it_all(cell: Block, target: Block) -> bool:
    """The cell's `from x import …` holds every name and comment of the file's line."""
    return not any(map(_own_line, cell.node.names)) \
        and {alias.name for alias in target.node.names} <= {a.name for a in cell.node.names} \
        and set(_comments(target.text)) <= set(_comments(cell.text))


def _merge_pending(module: Module) -> None:
    """Write the names a cell added to the file's `from x import …` lines, each line once."""
    for target, names in module.pending.items():
        if not _merge_names(target, names):
            # Comments between the names, or a shared line: the names get a line of their own.
            node = target.node
            _insert_import(module, _new_import(ast.ImportFrom(node.module, names, node.level)))
    module.pending.clear()


def _merge_names(target: Block, new: list[ast.alias]) -> bool:
    """Add `new` names to the file's `from x import …` in place; False if it cannot be redone."""
    old = target.node
    lines = target.text.splitlines(keepends=True)
    count = old.end_lineno - old.lineno + 1
    head, statement = "".join(lines[:-count]), "".join(lines[-count:])
    if old.col_offset:
        return False  # `x = 1; from a import b`: not ours to rewrite
    comments = _comments(statement)
    if len(comments) > 1 or comments and not statement.rstrip().endswith(comments[0]):
        return False  # comments between the names: they would be lost in a rewrite
    names = list(old.names)
    if names == sorted(names, key=_member_order):  # keep a student's own order if they chose one
        names = sorted(names + new, key=_member_order)
    else:
        names += sorted(new, key=_member_order)
    module = _module_name(old)
    comment = "  " + comments[0] if comments else ""
    line = f"from {module} import {', '.join(map(_alias, names))}"
    if count == 1 and len(line + comment) <= LINE_LENGTH:
        statement = line + comment + "\n"
    else:  # ruff's wrapped form: one name a line, with a trailing comma
        statement = (f"from {module} import ({comment}\n"
                     + "".join(f"    {_alias(alias)},\n" for alias in names) + ")\n")
    target.text = head + statement
    # Positions as if parsed alone: the next merge into this line counts its lines from them.
    target.node = ast.ImportFrom(old.module, names, old.level, lineno=1, col_offset=0,
                                 end_lineno=statement.count("\n"), end_col_offset=0)
    return True


def _comments(text: str) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [token.string for token in tokens if token.type == tokenize.COMMENT]


def _unique(names: list[ast.alias]) -> list[ast.alias]:
    return list({(alias.name, alias.asname): alias for alias in names}.values())


def _own_line(alias: ast.alias) -> bool:
    """`from x import a as b` and `from x import *` stand on lines of their own (as in ruff)."""
    return alias.asname is not None or alias.name == "*"


def _alias(alias: ast.alias) -> str:
    return alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"


def _new_import(node: ast.Import | ast.ImportFrom) -> Block:
    if isinstance(node, ast.Import):
        text = f"import {_alias(node.names[0])}\n"
    else:
        text = f"from {_module_name(node)} import {', '.join(map(_alias, node.names))}\n"
    return Block(_import_key(node), text, "", node)


def _member_order(alias: ast.alias) -> tuple:
    """ruff's (isort's) order of imported names: CONSTANTS, Classes, then the rest."""
    name = alias.name
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return kind, _natural(name.lower()), _natural(name), alias.asname or ""


def _natural(text: str) -> list[tuple[int, int | str]]:
    """`a9` before `a10`, as ruff sorts."""
    return [(0, int(part)) if part.isdigit() else (1, part)
            for part in re.findall(r"\d+|\D+", text)]


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
    module.insert(at, Block(block.key, block.text, gap, block.node))


def _import_order(node: ast.stmt) -> tuple:
    """(section, style, module, alias): ruff's default isort order in the leading import block."""
    if isinstance(node, ast.ImportFrom):
        module, style = _module_name(node), 1
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
    first = node.names[0]
    # Two lines from one module: ruff orders them by their first name (`a as b` before `c`).
    return (section, style, module.lower(),
            _member_order(first) if style else (first.asname or "",))
