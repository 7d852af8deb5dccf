"""`python -m workshop.github_double`: a standalone server that prints its URL."""

import re
import subprocess
import sys

import pytest
import requests
from conftest import ROOT


@pytest.mark.parametrize("command", [["-m", "workshop.github_double"],
                                     ["-m", "workshop", "double"]])
def test_standalone_server_answers(command):
    process = subprocess.Popen([sys.executable, *command, "--port", "0", "--quiet"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert match, line + process.stderr.read()
        url = match.group(0)
        assert f"export GITHUB_API_URL={url}" in line
        assert requests.get(url + "/users/octocat", timeout=10).json()["id"] == 1
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_bad_setting_is_one_line_and_exit_status_2(monkeypatch):
    from workshop.github_double.__main__ import main

    monkeypatch.setenv("GITHUB_DOUBLE_HANG_SECONDS", "-1")
    assert main(["--port", "0", "--rate-limit", "5"]) == 2


def test_a_bad_option_names_the_setting(capsys):
    from workshop.github_double.__main__ import main

    assert main(["--port", "0", "--rate-limit", "-5"]) == 2
    assert capsys.readouterr().err.strip() == (
        "python -m workshop.github_double: rate_limit must be a whole number of requests "
        "(0 or more), not -5")
