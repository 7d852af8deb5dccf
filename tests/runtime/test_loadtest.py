"""workshop.runtime.loadtest: servers start, answer, stop, count requests in flight (untimed)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading

import pytest
from flask import Flask
from quart import Quart

from workshop.runtime.loadtest import (
    Load,
    asgi_server,
    dev_server,
    hammer,
    plot,
    waitress_server,
)


def barrier_app(parties: int) -> Flask:
    """An app whose view returns only once `parties` requests are inside it at the same time.

    It proves concurrency without a clock: a server that cannot run `parties` requests at once
    makes the barrier time out, and the view answers 500.
    """
    app = Flask("barrier")
    barrier = threading.Barrier(parties, timeout=60)  # only a failing run waits this long

    @app.get("/meet")
    def meet():
        """Wait for the other requests of this group."""
        barrier.wait()
        return {"met": parties}

    @app.get("/fail")
    def fail():
        """Always an error, to see it in Load.statuses."""
        raise RuntimeError("on purpose")

    @app.get("/")
    def index():
        """A quick answer."""
        return {"ok": True}

    return app

LINUX = os.path.isdir("/proc/self/fd")


def async_barrier_app(parties: int) -> Quart:
    """The barrier app in Quart: its view returns once `parties` requests await together."""
    app = Quart("async_barrier")
    groups = {}

    @app.before_serving
    async def make_meeting_point():
        """asyncio objects belong to one loop: make the event on the server's loop.

        (An event and a count, not asyncio.Barrier, which needs Python 3.11.)
        """
        groups["arrived"], groups["all_here"] = 0, asyncio.Event()

    @app.get("/meet")
    async def meet():
        """Wait until `parties` requests have arrived."""
        groups["arrived"] += 1
        if groups["arrived"] >= parties:
            groups["all_here"].set()
        await asyncio.wait_for(groups["all_here"].wait(), timeout=60)
        return {"met": parties}

    @app.get("/")
    async def index():
        """A quick answer."""
        return {"ok": True}

    return app


def refuses_connections(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_single_threaded_server_handles_one_request_at_a_time():
    with dev_server(barrier_app(2), threaded=False) as server:
        load = hammer(server, "/", clients=5, rounds=2)
    assert load.ok and load.requests == 10 and load.clients == 5
    assert load.peak == 1


def test_threaded_server_runs_every_client_at_once():
    with dev_server(barrier_app(6), threaded=True) as server:
        load = hammer(server, "/meet", clients=6)
    assert load.ok, load.statuses
    assert load.peak == 6


def test_waitress_pool_caps_requests_in_flight():
    # Pairs meet at the barrier, so 2 threads are both busy; a third never runs alongside.
    with waitress_server(barrier_app(2), threads=2) as server:
        load = hammer(server, "/meet", clients=6)
    assert load.ok, load.statuses
    assert load.peak == 2


def test_one_event_loop_runs_every_client_at_once_on_one_thread():
    with asgi_server(async_barrier_app(6)) as server:
        load = hammer(server, "/meet", clients=6)
    assert load.ok, load.statuses
    assert load.peak == 6
    assert len(server.counter.threads) == 1  # all six awaited together on the loop's thread
    assert server.counter.threads != {threading.get_ident()}


def test_asgi_server_can_serve_the_same_app_again():
    # The benchmark starts a fresh server per repeat; Quart's start-up hooks run each time.
    app = async_barrier_app(2)
    for _ in range(2):
        with asgi_server(app) as server:
            assert hammer(server, "/meet", clients=2).ok


def test_asgi_server_start_up_error_is_raised_and_leaves_no_thread():
    app = Quart("broken")

    @app.before_serving
    async def fail():
        """A start-up hook that fails, like a missing setting would."""
        raise RuntimeError("on purpose")

    app.logger.disabled = True  # Quart logs the traceback; expected here
    before = set(threading.enumerate())
    open_files = len(os.listdir("/proc/self/fd")) if LINUX else 0
    with pytest.raises(RuntimeError, match="hypercorn did not start") as failed:
        asgi_server(app)
    assert "on purpose" in str(failed.value.__cause__)
    assert set(threading.enumerate()) <= before
    if LINUX:  # the listening socket is closed too
        assert len(os.listdir("/proc/self/fd")) <= open_files


def test_asgi_server_prints_nothing(capfd):
    with asgi_server(async_barrier_app(1)) as server:
        assert hammer(server, "/", clients=2).ok
    out, err = capfd.readouterr()
    assert out + err == ""  # no "Running on http://…" from the server thread


@pytest.mark.parametrize("start", [lambda app: dev_server(app, threaded=False),
                                   lambda app: dev_server(app, threaded=True),
                                   lambda app: waitress_server(app, threads=2),
                                   lambda app: asgi_server(async_barrier_app(1))])
def test_stop_frees_the_port_and_is_safe_twice(start):
    server = start(barrier_app(1))
    assert hammer(server, "/", clients=2).ok
    server.stop()
    server.stop()
    assert refuses_connections(server.port)
    assert not server._thread.is_alive()


def test_errors_show_in_statuses_not_on_the_console(capfd):
    app = barrier_app(1)
    app.logger.disabled = True  # the traceback is expected; keep the test output clean
    with dev_server(app, threaded=True) as server:
        load = hammer(server, "/fail", clients=3)
    assert load.statuses == [500, 500, 500] and not load.ok
    out, err = capfd.readouterr()
    assert "GET /fail" not in out + err  # no request log lines from the server thread


def test_waitress_queue_warnings_are_silenced():
    # Queued requests are the point of the lesson; the warning would land in a random cell.
    assert not logging.getLogger("waitress.queue").isEnabledFor(logging.WARNING)


def test_load_arithmetic():
    load = Load("x", clients=2, seconds=0.5, latencies=[0.1, 0.2, 0.3, 0.4],
                statuses=[200] * 4, peak=2)
    assert load.requests == 4
    assert load.throughput == pytest.approx(8.0)
    assert load.median_ms == pytest.approx(250.0)
    assert load.ok
    assert "4 requests from 2 clients" in repr(load)


def test_plot_has_throughput_and_latency_axes():
    import matplotlib

    matplotlib.use("Agg")
    load = Load("x", clients=1, seconds=1, latencies=[0.2], statuses=[200], peak=1)
    figure = plot({"a": load, "b": load}, ideal=5)
    assert len(figure.axes) == 2
    assert "throughput" in figure.axes[0].get_xlabel()


def test_plot_outlines_each_runs_own_ideal():
    import matplotlib

    matplotlib.use("Agg")
    load = Load("x", clients=1, seconds=1, latencies=[0.2], statuses=[200], peak=1)  # 1 req/s
    figure = plot({"a": load, "b": load}, ideal={"a": 5, "b": 10})
    left = figure.axes[0]
    outlines = [bar for bar in left.patches if bar.get_fill() is False]
    assert [bar.get_width() for bar in outlines] == [5, 10]
    assert [text.get_text().strip() for text in left.texts] == ["20% of 5", "10% of 10"]
