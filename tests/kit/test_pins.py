"""pyproject.toml and environment.yml must declare the same packages with the same bounds."""

import re

try:
    import tomllib
except ImportError:  # Python 3.10: pip vendors the same parser
    from pip._vendor import tomli as tomllib

from conftest import ROOT

NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def normalise(spec: str) -> tuple[str, str]:
    name, bounds = NAME.match(spec).groups()
    return name.lower().replace("_", "-"), bounds.replace(" ", "")


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [s for group in project["optional-dependencies"].values()
                                       for s in group]
    return dict(normalise(s) for s in specs)


def environment_pins() -> dict[str, str]:
    pins = {}
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        item = re.match(r"^\s+-\s+([^#\s][^#]*?)\s*$", line)
        if not item or item.group(1).endswith(":") or item.group(1).startswith("-e"):
            continue
        name, bounds = normalise(item.group(1))
        if name not in {"python", "pip"}:
            pins[name] = bounds
    return pins


def test_environment_yml_matches_pyproject():
    assert environment_pins() == pyproject_pins()


def test_python_floor_matches():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.10"
    assert "python>=3.10," in (ROOT / "environment.yml").read_text()
