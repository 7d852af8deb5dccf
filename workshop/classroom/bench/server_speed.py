"""Background server speed: start-to-first-response and stop, beside Werkzeug's default.

    python -m workshop bench server_speed

`serve()` polls for shutdown every 20 ms; Werkzeug's `serve_forever()` polls every 0.5 s, so
stopping it waits 0.25 s on average. Both are measured the same way, as medians of many runs.
KIT_BENCH_SERVER_RUNS (default 50) sets how many.
"""

from __future__ import annotations

import os
import statistics
import threading
import time

import requests
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from workshop.runtime.server import serve

RUNS = int(os.environ.get("KIT_BENCH_SERVER_RUNS", "50"))


class _SilentHandler(WSGIRequestHandler):
    """Werkzeug's handler minus its request log, so the benchmark prints only its table."""

    def log(self, *args) -> None:
        pass


def make_app() -> Flask:
    app = Flask("bench_server")
    app.get("/")(lambda: {"ok": True})
    return app


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def measure_kit(app: Flask, runs: int) -> tuple[list[float], list[float]]:
    """`serve(app)` until the first answer arrives, and `stop()`, in milliseconds."""
    start_ms, stop_ms = [], []
    for _ in range(runs):
        started = time.perf_counter()
        server = serve(app, name="bench")
        server.get("/").raise_for_status()
        start_ms.append(ms_since(started))
        stopping = time.perf_counter()
        server.stop()
        stop_ms.append(ms_since(stopping))
    return start_ms, stop_ms


def measure_werkzeug_default(app: Flask, runs: int) -> tuple[list[float], list[float]]:
    """The same with plain `make_server` + `serve_forever()` (default 0.5 s poll)."""
    start_ms, stop_ms = [], []
    for _ in range(runs):
        started = time.perf_counter()
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_SilentHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        requests.get(f"http://127.0.0.1:{server.server_port}/", timeout=10).raise_for_status()
        start_ms.append(ms_since(started))
        stopping = time.perf_counter()
        server.shutdown()
        thread.join()
        server.server_close()
        stop_ms.append(ms_since(stopping))
    return start_ms, stop_ms


def run(runs: int = RUNS) -> list[dict]:
    """Median start-to-first-response and stop times, ours and Werkzeug's default."""
    app = make_app()
    kit_start, kit_stop = measure_kit(app, runs)
    wz_start, wz_stop = measure_werkzeug_default(app, runs)
    med = statistics.median

    def row(measure, ours, werkzeug):
        return {"measure": measure, "serve() ms": round(med(ours), 2),
                "werkzeug default ms": round(med(werkzeug), 2),
                "werkzeug ÷ serve()": f"{med(werkzeug) / med(ours):.1f}×", "runs": runs}

    return [
        row("start until first response", kit_start, wz_start),
        row("stop", kit_stop, wz_stop),
    ]


if __name__ == "__main__":
    from workshop.classroom.bench.report import format_table, machine

    print(f"machine: {machine()}")
    print(format_table(run()))
