"""Fixtures for the check tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.workspace_copy import demo_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace with every lesson's task solved (demo_code's app and page)."""
    return demo_workspace(tmp_path)
