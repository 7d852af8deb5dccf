"""Import the repository's kit.py (a script, not a package) as a fresh module for a test."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from conftest import ROOT


def load_kit() -> ModuleType:
    """A fresh `kit` module each time, so a test's monkeypatching never leaks into another."""
    spec = importlib.util.spec_from_file_location("kit", ROOT / "kit.py")
    kit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(kit)
    return kit

