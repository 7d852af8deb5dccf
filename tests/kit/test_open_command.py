"""`python kit.py lab` really opens JupyterLab on the first lesson.

The command is built by kit.py itself (`lab_command`, what `kit.py lab` runs) and started in its
own process group with the current Python, so the test never installs anything.
"""

from __future__ import annotations

import re
import sys

import pytest
import requests
from conftest import ROOT
from kit_module import load_kit
from lab_process import Lab, free_port

FIRST_LESSON = "notebooks/00-start-here.ipynb"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab started exactly as `python kit.py lab` starts it, without a browser or token."""
    port = free_port()
    extra = ["--no-browser", f"--port={port}", "--ServerApp.port_retries=0",
             "--IdentityProvider.token=", "--ServerApp.password="]
    cmd = load_kit().lab_command(sys.executable, extra)
    lab = Lab(cmd, cwd=ROOT, home=tmp_path_factory.mktemp("kit-lab"), port=port)
    try:
        yield lab.wait_ready()
    finally:
        lab.stop()


@pytest.mark.slow
def test_lab_answers_without_a_token(lab):
    response = requests.get(lab.url + "lab", timeout=10)
    assert response.status_code == 200
    assert "JupyterLab" in response.text


@pytest.mark.slow
def test_first_lesson_is_in_the_file_listing(lab):
    # The file browser must show the whole kit (root = repository), with the lesson inside.
    listing = requests.get(lab.url + "api/contents/notebooks", timeout=10)
    assert listing.status_code == 200, listing.text
    names = {item["name"] for item in listing.json()["content"]}
    assert "00-start-here.ipynb" in names
    top = {item["name"] for item in requests.get(lab.url + "api/contents", timeout=10)
           .json()["content"]}
    assert {"notebooks", "demo_code", "workshop"} <= top


@pytest.mark.slow
def test_the_browser_would_open_the_first_lesson(lab):
    # With --no-browser, Jupyter still writes the page it would open: check it is the lesson.
    [opener] = lab.runtime_dir.glob("jpserver-file-to-run-*-open.html")
    urls = re.findall(r"http://[^\"'\s<>]+", opener.read_text(encoding="utf-8"))
    assert f"{lab.url}lab/tree/{FIRST_LESSON}" in urls
