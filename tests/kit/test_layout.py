"""workshop/ imports run downhill: no circle, and no part reaches up into a part that uses it.

The parts, from the bottom: paths (the kit's folders), github_double (the offline GitHub),
runtime (what a lesson cell runs), checks (the lessons' self-checks), authoring (authors'
commands), classroom (pre-flight, the hub, benchmarks). A module may import its own part or
any part below it. Imports inside functions count too: they still tie the modules together.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "workshop"
LAYERS = ["paths", "github_double", "runtime", "checks", "authoring", "classroom"]
# The package's front door and its command line sit on top and may import any part.
TOP = {"workshop", "workshop.__main__", "workshop.pytest_plugin"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every workshop module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("workshop")}


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py") if p.stem.isidentifier()}
    return {name: {m for m in imports(path) if m in modules and m != name}
            for name, path in modules.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_no_part_imports_a_part_above_it():
    upward = []
    for module, targets in graph().items():
        if module in TOP or layer(module) is None:
            continue
        upward += [f"{module} -> {t}" for t in sorted(targets)
                   if layer(t) is not None and layer(t) > layer(module)]
    assert upward == []


def test_no_import_circle():
    edges = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph().items()}
    circles, state = [], {}

    def visit(module, trail):
        state[module] = "open"
        for target in sorted(edges.get(module, ())):
            if state.get(target) == "open":
                circles.append(" -> ".join([*trail[trail.index(target):], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_every_module_says_its_job_in_a_docstring():
    # Config files that tools load by path (e.g. tljh/flask-live.py) are not modules.
    silent = [module_name(p) for p in PACKAGE.rglob("*.py") if p.stem.isidentifier()
              and ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None]
    assert silent == []


def test_readme_gives_each_part_its_size():
    """README's table says how big each part is: within a fifth of what it is now."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"\| `workshop/(\w+)/` \|[^|\n]*\(([\d,]+) lines", readme)
    assert {part for part, _ in rows} == {"runtime", "checks", "github_double", "authoring",
                                         "classroom"}
    for part, said in rows:
        lines = sum(len(p.read_text(encoding="utf-8").splitlines())
                    for p in (PACKAGE / part).rglob("*.py"))
        assert abs(lines - int(said.replace(",", ""))) <= lines / 5, (part, said, lines)
