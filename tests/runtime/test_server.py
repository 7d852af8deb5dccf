"""workshop.runtime.server: re-runnable background servers that leak nothing and never print."""

from __future__ import annotations

import os
import re
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from flask import Flask

from workshop.runtime.server import running_servers, serve


def make_app() -> Flask:
    app = Flask("runtime_test_app")

    @app.get("/")
    def index():
        """A tiny JSON answer."""
        return {"hello": "world"}

    @app.get("/boom")
    def boom():
        """A view that raises, as student code will."""
        raise RuntimeError("kaboom from the view")

    return app


def settle(count, expected: int, timeout: float = 60.0) -> int:
    """Wait (bounded) until `count()` drops to `expected`; handler threads end asynchronously."""
    deadline = time.monotonic() + timeout
    while count() > expected and time.monotonic() < deadline:
        time.sleep(0.02)
    return count()


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_200_cycles_leak_no_thread_and_no_socket():
    app = make_app()
    # Warm up once: imports and requests' first-use caches allocate for good.
    with serve(app, name="leak") as server:
        server.get("/")
    threads_before = settle(threading.active_count, 0, timeout=0) and threading.active_count()
    fds_before = open_fds() if sys.platform == "linux" else 0
    for _ in range(200):
        server = serve(app, name="leak")
        assert server.get("/").status_code == 200
        server.stop()
    assert settle(threading.active_count, threads_before) <= threads_before
    if sys.platform == "linux":
        assert settle(open_fds, fds_before) <= fds_before
    assert "leak" not in running_servers()


def test_fixed_port_is_reusable_right_after_stop():
    app = make_app()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for _ in range(3):
        server = serve(app, name="fixed", port=port)
        assert server.port == port
        assert server.get("/").json() == {"hello": "world"}
        server.stop()


def test_ready_when_serve_returns_and_repr_is_readable():
    server = serve(make_app(), name="ready")
    try:
        assert server.get("/").status_code == 200
        assert repr(server) == f"<Server 'ready' at http://127.0.0.1:{server.port}/ (running)>"
    finally:
        server.stop()
    assert repr(server).endswith("(stopped)>")
    server.stop()  # twice is fine


def test_fifty_concurrent_requests_are_all_answered():
    with serve(make_app(), name="busy") as server:
        with ThreadPoolExecutor(max_workers=50) as pool:
            statuses = list(pool.map(lambda _: server.get("/").status_code, range(50)))
    assert statuses == [200] * 50
    assert len(server.requests) == 50


def test_logs_never_reach_stdout_or_stderr(capfd):
    with serve(make_app(), name="quiet") as server:
        server.get("/")
        server.get("/missing")
        server.post("/")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert [(r.method, r.path, r.status) for r in server.requests] == [
        ("GET", "/", 200), ("GET", "/missing", 404), ("POST", "/", 405),
    ]
    assert "GET /missing -> 404" in server.log


@pytest.mark.parametrize("propagate", [False, True], ids=["default", "testing-mode"])
def test_a_view_that_raises_gives_500_and_the_traceback_goes_to_the_log(capfd, propagate):
    app = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = propagate  # testing/debug mode logs another way
    with serve(app, name="raises") as server:
        response = server.get("/boom")
    out, err = capfd.readouterr()
    assert response.status_code == 500
    assert (out, err) == ("", "")
    log = "\n".join(server.log)
    assert "Traceback" in log and "kaboom from the view" in log


def test_serving_the_same_name_again_replaces_the_old_server():
    first = serve(make_app(), name="again")
    second = serve(make_app(), name="again")
    try:
        assert not first.running
        assert running_servers()["again"] is second
        with pytest.raises(requests.ConnectionError):
            requests.get(first.url, timeout=2)
        assert second.get("/").status_code == 200
    finally:
        second.stop()


def test_stop_closes_kept_alive_connections():
    server = serve(make_app(), name="keepalive")
    session = requests.Session()  # keeps its connection open, like a browser
    assert session.get(server.url, timeout=5).status_code == 200
    threads = threading.active_count()
    server.stop()
    # The handler thread waiting on the idle connection ends instead of lingering.
    assert settle(threading.active_count, threads - 1) <= threads - 1
    session.close()


def test_subscribers_hear_each_request_and_a_failing_one_is_only_logged():
    heard = []

    def broken(record):
        raise ValueError("listener bug")

    with serve(make_app(), name="hooks") as server:
        server.subscribe(heard.append)
        server.subscribe(broken)
        server.get("/")
        server.unsubscribe(heard.append)
        server.get("/")
    assert [(r.method, r.path, r.status) for r in heard] == [("GET", "/", 200)]
    assert any("listener bug" in line for line in server.log)


def test_serving_nothing_says_what_to_do():
    # load_app() returns None after printing why; serving that must not start a 500 server.
    with pytest.raises(TypeError, match="fix the error shown above"):
        serve(None, name="nothing")
    assert "nothing" not in running_servers()


def test_a_busy_fixed_port_is_a_clear_error_and_leaves_nothing_behind(capfd):
    with serve(make_app(), name="holder") as holder:
        app = make_app()
        with pytest.raises(OSError, match=f"Port {holder.port} on 127.0.0.1 is in use"):
            serve(app, name="intruder", port=holder.port)
        assert capfd.readouterr() == ("", "")
        assert app.logger.filters == [holder._log_filter]  # same name, same logger
        assert "intruder" not in running_servers()


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_an_interrupt_while_replacing_a_server_orphans_nothing(monkeypatch):
    first = serve(make_app(), name="interrupted")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # as if the student pressed "Interrupt kernel" right now

    monkeypatch.setattr(first._thread, "join", interrupted)
    with pytest.raises(KeyboardInterrupt):
        serve(make_app(), name="interrupted")
    monkeypatch.undo()
    # The old server is still reachable: it stays registered until it has really stopped.
    assert running_servers()["interrupted"] is first
    # The next serve() of this name finds it and finishes stopping it (stop_all() would too,
    # but it would also stop the servers of other test files sharing this worker process).
    replacement = serve(make_app(), name="interrupted")
    assert not first.running and port_is_free(first.port)
    replacement.stop()
    assert "interrupted" not in running_servers()


def test_bind_errors_say_the_real_reason(capfd):
    import errno

    from workshop.runtime.server import bind_error

    # 192.0.2.1 is reserved for documentation: never an address of this machine.
    with pytest.raises(OSError, match="192.0.2.1 is not an address of this machine") as caught:
        serve(make_app(), name="elsewhere", host="192.0.2.1")
    assert caught.value.errno == errno.EADDRNOTAVAIL
    assert capfd.readouterr() == ("", "")
    assert "elsewhere" not in running_servers()
    denied = bind_error(PermissionError(errno.EACCES, "Permission denied"), "127.0.0.1", 80)
    assert str(denied).startswith("No permission to use port 80 on 127.0.0.1")
    other = bind_error(OSError(errno.EMFILE, "Too many open files"), "127.0.0.1", 5001)
    assert str(other) == "Cannot serve on 127.0.0.1 port 5001: Too many open files."


@pytest.mark.parametrize("propagate", [False, True], ids=["default", "testing-mode"])
def test_print_log_shows_a_real_traceback_the_same_on_every_run(capsys, propagate):
    app = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = propagate
    with serve(app, name="printed") as server:
        assert server.get("/boom").status_code == 500
        server.print_log(last=4)
        last_four = capsys.readouterr().out
        server.print_log(last=None)
        out = capsys.readouterr().out
    assert out.endswith(last_four) and len(last_four.splitlines()) == 4
    assert "Traceback (most recent call last):" in out
    assert 'File "<site-packages>/flask/app.py", line ' in out  # installed code: no prefix
    if Path(__file__).is_relative_to(Path.cwd()):  # the view's file, relative to the cwd
        assert f'File "{Path(__file__).relative_to(Path.cwd()).as_posix()}", line ' in out
    assert '    raise RuntimeError("kaboom from the view")' in out
    assert "RuntimeError: kaboom from the view" in out
    # Nothing that changes between runs, machines or Python versions.
    assert str(Path.cwd()) not in out and " at 0x" not in out
    assert not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", out)
    assert not [line for line in out.splitlines() if line and set(line.strip()) <= set("^~")]
    server.print_log(last=0)
    assert capsys.readouterr().out == ""
