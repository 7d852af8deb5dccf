"""The hub tests run where the kit's JupyterHub runs: Linux (local spawner, psutil's view of
each student's listening sockets). Elsewhere they are reported as skipped, in CI too."""

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    if sys.platform.startswith("linux"):
        return
    skip = pytest.mark.skip(reason="the kit's JupyterHub is supported and tested on Linux only")
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(skip)
