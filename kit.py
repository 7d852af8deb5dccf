#!/usr/bin/env python3
"""Flask, live: the one entry point of the kit.

    python kit.py lab       set up on first use, then open JupyterLab on the first lesson
    python kit.py test      set up on first use, then run every test (lint, code, notebooks)
    python kit.py doctor    pre-flight check to run before class
    python kit.py bench     speed report (medians and ratios; not a test)

Standard library only, so it runs on a fresh Python 3.10+ on Linux, macOS and Windows before
anything is installed. It keeps its own virtual environment in `.venv/` and reinstalls when
`pyproject.toml` changes. Inside an activated conda environment made from `environment.yml`
it uses that environment instead.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
FIRST_LESSON = "notebooks/00-start-here.ipynb"


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def active_env_has_kit() -> bool:
    """True inside an activated venv or conda env where the kit is already installed."""
    in_env = sys.prefix != sys.base_prefix or bool(os.environ.get("CONDA_PREFIX"))
    if not in_env or Path(sys.prefix).resolve() == VENV.resolve():
        return False
    try:
        import flask  # noqa: F401

        import workshop  # noqa: F401
    except ImportError:
        return False
    return True


def ensure_environment() -> str:
    """Return the Python to use, creating .venv and installing the kit the first time."""
    if active_env_has_kit():
        return sys.executable
    if os.environ.get("KIT_SKIP_INSTALL") and venv_python().exists():
        return str(venv_python())  # tests: use .venv as it is, never reinstall mid-run
    python = venv_python()
    stamp = VENV / ".kit-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not python.exists():
        print("Creating the kit's environment in .venv/ (first run only) ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not stamp.exists() or stamp.read_text().strip() != wanted:
        print("Installing the kit and its packages (first run, or pyproject.toml changed) ...",
              flush=True)
        run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([python, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"])
        stamp.write_text(wanted)
    return str(python)


def run(cmd, **kwargs) -> int:
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, **kwargs)
    if result.returncode and kwargs.get("check", True):
        sys.exit(result.returncode)
    return result.returncode


def lab_command(python: str, args: list[str]) -> list[str]:
    """The JupyterLab command `kit.py lab` runs (tests call this to start the same thing)."""
    cmd = [python, "-m", "jupyter", "lab", FIRST_LESSON, f"--ServerApp.root_dir={ROOT}",
           "--ServerApp.ip=127.0.0.1",
           # A class is often offline: no news pop-up, no update check reaching the internet.
           "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI run as root; Jupyter refuses otherwise
    return cmd + args


def lab(python: str, args: list[str]) -> int:
    return run(lab_command(python, args), check=False)


def test(python: str, args: list[str]) -> int:
    # Tests never need the internet: drop a live-GitHub switch, a hub's shared double or a
    # token set for class work, so every notebook runs against its own offline double and no
    # token reaches an output.
    dropped = ("GITHUB_API_URL", "GITHUB_TOKEN", "WORKSHOP_SHARED_DOUBLE", "WORKSHOP_CLASS_VIEW")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return run([python, "-m", "pytest", *args], check=False, env=env)


COMMANDS = {
    "lab": lab,
    "test": test,
    "doctor": lambda py, args: run([py, "-m", "workshop", "doctor", *args], check=False),
    "bench": lambda py, args: run([py, "-m", "workshop", "bench", *args], check=False),
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    python = ensure_environment()
    return COMMANDS[argv[0]](python, argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
