"""Fixtures for the check tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.workspace_copy import CANARIES, demo_workspace, heard


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace with every lesson's task solved (demo_code's app and page)."""
    return demo_workspace(tmp_path)


@pytest.fixture(autouse=True)
def canary_secrets(monkeypatch, capsys):
    """Every check test runs with secrets set; whatever the test did not read is grepped too."""
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    yield
    heard(capsys)
