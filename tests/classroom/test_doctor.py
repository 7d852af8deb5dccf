"""The pre-flight doctor: the real command, and single checks fed a broken input."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import threading
from functools import partial

import pytest
from conftest import ROOT, need
from flask import Flask, request

from workshop import serve
from workshop.classroom import doctor


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# A busy CI machine can take longer than a student's laptop: no check may fail for that.
PATIENT = 300


def run_doctor(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`python -m workshop doctor` as a student runs it, on a free demo port by default."""
    environ = {k: v for k, v in os.environ.items()
               if k not in {"GITHUB_API_URL", "GITHUB_TOKEN", "PORT"}}
    environ.update({"PYTHONIOENCODING": "utf-8", "PORT": str(free_port()), **env})
    return subprocess.run([sys.executable, "-m", "workshop", "doctor", "--timeout",
                           str(PATIENT), *args], cwd=ROOT, env=environ, capture_output=True,
                          text=True, encoding="utf-8", timeout=PATIENT + 60)


@pytest.fixture
def listening_port():
    """A port some other program listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


# --- the real command ---------------------------------------------------------------------------


def test_doctor_command_shows_ticks():
    result = run_doctor()
    lines = result.stdout.splitlines()
    assert lines[0] == "Flask, live — pre-flight check"
    for name in ("Python", "flask", "jupyterlab", "JupyterLab", "ipywidgets in Lab",
                 "server proxy in Jupyter", "background server", "port"):
        assert any(line.startswith(f"  ✓  {name} ") for line in lines), (name, result.stdout)
    assert "GitHub API (live)" in result.stdout
    assert result.stderr == ""


def test_doctor_command_passes_when_everything_is_there():
    need(importlib.util.find_spec("workshop.runtime.github_api") is not None,
         "workshop.runtime.github_api (the GitHub double) is not built yet")
    result = run_doctor()
    assert "  ✓  GitHub double " in result.stdout, result.stdout
    assert result.stdout.rstrip().endswith("All set: you are ready for class."), result.stdout
    assert result.returncode == 0


def test_doctor_command_reports_a_busy_port(listening_port):
    result = run_doctor(PORT=str(listening_port))
    assert f"  ✗  port {listening_port} free " in result.stdout, result.stdout
    assert (f"fix: another program uses port {listening_port}: stop it or set "
            f"PORT={listening_port + 1}") in result.stdout
    assert "problem" in result.stdout.splitlines()[-1]
    assert result.returncode == 1


def test_doctor_command_port_option_wins_over_env(listening_port):
    result = run_doctor("--port", str(listening_port), PORT=str(free_port()))
    assert f"✗  port {listening_port} free" in result.stdout
    assert result.returncode == 1


# --- single checks with a broken input ----------------------------------------------------------


def test_default_port_is_the_demo_port(monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    assert doctor.check_port().name == "port 5001 free"


def test_busy_port_check(listening_port):
    result = doctor.check_port(listening_port)
    assert result.status == "fail"
    assert result.fix == (f"another program uses port {listening_port}: "
                          f"stop it or set PORT={listening_port + 1}")
    assert doctor.check_port(free_port()).status == "ok"


def test_missing_package_fails_with_an_install_line():
    [result] = doctor.check_packages(["surely-not-a-real-package-xyz>=1.0"])
    assert (result.status, result.name) == ("fail", "surely-not-a-real-package-xyz")
    assert result.detail == "missing (wanted >=1.0)"
    assert '`pip install "surely-not-a-real-package-xyz>=1.0"`' in result.fix


def test_package_outside_its_bounds_fails():
    [result] = doctor.check_packages(["flask>=99,<100"])
    assert result.status == "fail"
    assert "but the kit wants >=99,<100" in result.detail


def test_test_only_package_is_a_warning_unless_for_tests():
    req = 'surely-not-a-real-package-xyz>=1; extra == "test"'
    [student] = doctor.check_packages([req])
    [tester] = doctor.check_packages([req], for_tests=True)
    assert (student.status, student.name) == ("warn", "surely-not-a-real-package-xyz (tests)")
    assert tester.status == "fail"


def test_requirements_for_other_platforms_and_extras_are_skipped():
    assert doctor.check_packages(['nope-xyz; sys_platform == "nonexistent"',
                                  'nope-xyz; extra == "docs"']) == []


def test_declared_requirements_come_from_the_installed_kit():
    names = {r.name for r in doctor.check_packages()}
    assert {"flask", "jupyterlab", "ipywidgets", "jupyter-server-proxy"} <= names


def test_main_with_a_missing_package_prints_cross_and_fix(capsys):
    checks = [doctor.check_python, partial(doctor.check_packages, ["surely-not-a-real-pkg>=2"])]
    assert doctor.main([], checks=checks) == 1
    out = capsys.readouterr().out
    assert "surely-not-a-real-pkg" in out and "fix: run `python kit.py lab` once" in out
    assert out.rstrip().endswith("then run `python kit.py doctor` again.")


def test_old_python_fails():
    result = doctor.check_python(">=3.10", (3, 9, 2))
    assert result.status == "fail" and "3.9.2, the kit needs >=3.10" in result.detail


def test_missing_lab_extension_fails():
    result = doctor.check_labextension("@nobody/no-such-extension", "thing in Lab", "thing")
    assert result.status == "fail" and "pip install thing" in result.fix


def test_github_double_not_built_is_a_clear_failure(monkeypatch):
    monkeypatch.setitem(sys.modules, "workshop.runtime.github_api", None)  # import now fails
    result = doctor.check_github_double()
    assert (result.status, result.detail) == ("fail", "not built yet")


def test_chromium_missing_warns_students_and_fails_tests(monkeypatch):
    monkeypatch.setattr(doctor, "chromium_path", lambda: None)
    assert doctor.check_chromium().status == "warn"
    assert doctor.check_chromium(for_tests=True).status == "fail"


# --- the live GitHub API: never a hang, offline is fine, the token stays secret ------------------


def test_live_check_offline_is_information_not_failure():
    result = doctor.check_live_github("http://nothing.invalid", timeout=2)
    assert result.status == "info"
    assert result.detail.startswith("offline — fine, the kit uses its GitHub double")


@pytest.mark.timeout(15)
def test_live_check_gives_up_on_a_server_that_never_answers(listening_port):
    # The listening socket never accepts or answers: like a firewall that swallows packets.
    result = doctor.check_live_github(f"http://127.0.0.1:{listening_port}", timeout=0.5)
    assert result.status == "info"


def test_within_returns_the_default_for_a_stalled_call():
    release = threading.Event()
    try:  # a call that cannot return before the test says so, however fast the machine
        assert doctor.within(0.05, release.wait, default="gave up") == "gave up"
    finally:
        release.set()
    assert doctor.within(PATIENT, lambda: 42) == 42  # returns as soon as the call does


def fake_github(status=200, remaining=57):
    """A stand-in for api.github.com/rate_limit that remembers the Authorization header."""
    app = Flask("fake-github")
    app.config["seen"] = []

    @app.get("/rate_limit")
    def rate_limit():
        """Answer like GitHub's rate-limit endpoint."""
        app.config["seen"].append(request.headers.get("Authorization"))
        core = {"limit": 5000, "remaining": remaining, "reset": 1_700_000_000, "used": 1}
        return {"resources": {"core": core}, "rate": core}, status

    return app


def test_live_check_counts_remaining_and_never_prints_the_token(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_doNotPrintMe123")
    app = fake_github()
    with serve(app, name="fake-github") as server:
        result = doctor.check_live_github(server.url.rstrip("/"), timeout=PATIENT)
    assert result.status == "ok"
    assert result.detail == "reachable, 57/5000 requests left (token: set)"
    assert app.config["seen"] == ["Bearer ghp_doNotPrintMe123"]
    assert "ghp_" not in doctor.render([result])


def test_live_check_with_a_rejected_token_fails(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_revoked")
    with serve(fake_github(status=401), name="fake-github") as server:
        result = doctor.check_live_github(server.url.rstrip("/"), timeout=PATIENT)
    assert result.status == "fail" and "unset GITHUB_TOKEN" in result.fix


def test_live_check_with_no_requests_left_is_information(monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    with serve(fake_github(remaining=0), name="fake-github") as server:
        result = doctor.check_live_github(server.url.rstrip("/"), timeout=PATIENT)
    assert result.status == "info" and "0/5000 requests left (token: not set)" in result.detail


# --- running and rendering ----------------------------------------------------------------------


def test_a_crashing_or_stalled_check_becomes_a_cross():
    def check_crash():
        raise RuntimeError("boom")

    release = threading.Event()

    def check_stall():
        release.wait()  # never answers while the test looks

    # Separately: run_checks returns as soon as a check ends, so the crash gets all the time
    # it needs on a busy machine, and the stall is certain to outlast its 0.2 s.
    [crashed] = doctor.run_checks([check_crash], timeout=PATIENT)
    try:
        [stalled] = doctor.run_checks([check_stall], timeout=0.2)
    finally:
        release.set()
    assert (crashed.status, crashed.name) == ("fail", "crash")
    assert "RuntimeError('boom')" in crashed.detail
    assert (stalled.status, stalled.detail) == ("fail", "no answer within 0.2 s")


def test_render_falls_back_to_ascii_on_old_windows_consoles():
    results = [doctor.ok("Python", "3.12.1"), doctor.fail("port 5001 free", "in use", "stop it"),
               doctor.Result("info", "GitHub API (live)", "offline — fine")]
    fancy = doctor.render(results, "utf-8")
    assert "  ✓  Python " in fancy and "  ✗  port 5001 free " in fancy and "○" in fancy
    plain = doctor.render(results, "cp437")
    assert "  OK Python " in plain and "  X  port 5001 free " in plain
    assert "offline - fine" in plain
    plain.encode("cp437")  # nothing left that the console cannot show
    assert "fix: stop it" in plain and "marked X above" in plain
