"""`python demo_code/server.py` works from any folder, with the GitHub that GITHUB_API_URL names."""

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
        deadline = time.monotonic() + 120  # a hang guard, generous for a busy machine
        while time.monotonic() < deadline and process.poll() is None:
            try:
                requests.get(url, timeout=5)
                return process, url
            except requests.RequestException:  # not listening yet, or too busy to answer yet
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


def test_without_github_api_url_the_server_uses_the_real_github(run_server):
    process, url = run_server(GITHUB_TOKEN=TOKEN)
    assert requests.get(url, timeout=10).status_code == 200  # the page: no GitHub request
    printed = output_of(process)
    assert "GitHub API: https://api.github.com\n" in printed
    assert f"Running on {url.rstrip('/')}" in printed
    assert TOKEN not in printed


def test_server_uses_the_configured_github(run_server, double):
    process, url = run_server(GITHUB_API_URL=double.url, GITHUB_TOKEN=TOKEN)
    double.reset()
    assert requests.get(url + "users/mona-lisa-dev", timeout=10).status_code == 200
    count = requests.post(url + "users/prolific-dev/count-repos", timeout=10)
    assert count.json() == {"number_of_repos": 250}
    assert double.calls == ["/users/mona-lisa-dev", "/users/prolific-dev"]
    printed = output_of(process)
    assert f"GitHub API: {double.url}" in printed
    assert TOKEN not in printed


def test_the_app_does_not_need_the_kit():
    """Deployed (`waitress-serve server:app`), the reference app imports nothing of `workshop`."""
    check = ("import sys; import server; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'workshop'))")
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_API_URL"}
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT / "demo_code", env=environ,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"


def test_the_shells_host_variable_is_ignored(run_server):
    # tcsh exports HOST as this computer's name; the server must still listen on 127.0.0.1.
    # 192.0.2.1 is an address reserved for documentation: no computer has it.
    process, url = run_server(HOST="192.0.2.1")
    assert requests.get(url, timeout=10).status_code == 200


def test_demo_host_chooses_the_address(tmp_path):
    environ = {**os.environ, "DEMO_HOST": "192.0.2.1", "PORT": str(free_port()),
               "DATABASE": str(tmp_path / "f.db"), "GITHUB_API_URL": "http://127.0.0.1:9"}
    result = subprocess.run([sys.executable, str(ROOT / "demo_code" / "server.py")],
                            cwd=tmp_path, env=environ, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0  # it tried to listen on the address DEMO_HOST names
    assert "Running on" not in result.stdout + result.stderr

