"""`python demo_code/server.py` works out of the box, from any folder, against the double."""

import os
import socket
import subprocess
import sys
import time

import pytest
import requests
from conftest import ROOT

TOKEN = "ghp_not-a-real-token-for-the-script"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def run_server(tmp_path):
    """Start server.py in a subprocess (cwd elsewhere); yield its URL; stop it; keep output."""
    runs = []

    def run(**env):
        port = free_port()
        environ = {k: v for k, v in os.environ.items() if k != "GITHUB_API_URL"}
        environ.update(PORT=str(port), PYTHONUNBUFFERED="1", DATABASE=str(tmp_path / "f.db"),
                       **env)
        process = subprocess.Popen([sys.executable, str(ROOT / "demo_code" / "server.py")],
                                   cwd=tmp_path, env=environ, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        runs.append(process)
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                requests.get(url, timeout=1)
                return process, url
            except requests.ConnectionError:
                time.sleep(0.1)
        process.kill()
        pytest.fail("server.py did not start:\n" + process.communicate()[0])

    yield run
    for process in runs:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)


def output_of(process) -> str:
    """Stop the server and return everything it printed."""
    process.terminate()
    return process.communicate(timeout=10)[0]


def test_server_starts_the_double_and_prints_its_url(run_server):
    process, url = run_server(GITHUB_TOKEN=TOKEN)
    assert requests.get(url + "users/octocat", timeout=10).json()["login"] == "octocat"
    count = requests.post(url + "users/prolific-dev/count-repos", timeout=10)
    assert count.json() == {"number_of_repos": 250}
    printed = output_of(process)
    assert "the kit's GitHub double at http://127.0.0.1:" in printed
    assert f"Running on {url.rstrip('/')}" in printed
    assert TOKEN not in printed


def test_server_uses_the_configured_github(run_server, double):
    process, url = run_server(GITHUB_API_URL=double.url)
    double.reset()
    assert requests.get(url + "users/mona-lisa-dev", timeout=10).status_code == 200
    assert double.calls == ["/users/mona-lisa-dev"]
    assert f"GitHub API: {double.url}" in output_of(process)

