"""Measure how servers cope with many clients at once (lesson 11, `bench scale`).

    from workshop.runtime.loadtest import dev_server, waitress_server, asgi_server, hammer

    with dev_server(app, threaded=False) as server:
        load = hammer(server, "/slow", clients=20)
    load.seconds, load.throughput, load.median_ms, load.peak

Public API:
- dev_server(app, threaded)        Werkzeug's development server (what `flask run` uses)
- waitress_server(app, threads)    waitress, a production WSGI server with a fixed thread pool
- asgi_server(app)                 hypercorn serving an ASGI app (Quart) on ONE event loop
- hammer(server, path, clients)    `clients` concurrent clients, each sends `rounds` requests
- Load                             what one hammer run measured (times, statuses, peak in flight)
- plot(loads, ideal)               throughput (each run's ideal outlined) and median latency
"""

from __future__ import annotations

import asyncio
import http.client
import logging
import socket
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import waitress
from hypercorn.asyncio import serve as hypercorn_serve
from hypercorn.config import Config as HypercornConfig
from hypercorn.config import Sockets

from workshop.runtime.server import Server

# Waitress warns "Task queue depth is N" whenever requests wait for a free thread. That is
# exactly the situation we set up on purpose; in a notebook the warning would land in
# whichever cell runs, so we keep only real errors.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)

TIMEOUT = 30  # seconds; generous, because a single-threaded server queues every request


class InFlight:
    """WSGI middleware that counts requests being handled at once and remembers the peak."""

    def __init__(self, app):
        self.app = app
        self.now = 0
        self.peak = 0
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        self._enter()
        try:
            # Flask builds the whole body before returning, so returning = done.
            return self.app(environ, start_response)
        finally:
            self._leave()

    def _enter(self) -> None:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def _leave(self) -> None:
        with self._lock:
            self.now -= 1

    def reset(self) -> None:
        """Forget the peak (between measurements)."""
        with self._lock:
            self.peak = self.now


class AsgiInFlight(InFlight):
    """The same counter as ASGI middleware; it also notes which threads ran requests."""

    def __init__(self, app):
        super().__init__(app)
        self.threads: set[int] = set()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":  # "lifespan" (start-up, shut-down) is not a request
            return await self.app(scope, receive, send)
        self.threads.add(threading.get_ident())
        self._enter()
        try:
            # An ASGI app returns once it has sent the whole response.
            await self.app(scope, receive, send)
        finally:
            self._leave()


class Background:
    """A server running in a daemon thread on 127.0.0.1; stop it with `.stop()` or `with`."""

    kind = "server"

    def __init__(self, app, counter=InFlight):
        self.counter = counter(app)
        self.port = 0
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _start(self, target) -> None:
        self._thread = threading.Thread(target=target, name=f"loadtest-{self.kind}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and free the port (safe to call twice)."""

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<{self.kind} at {self.url}>"


class DevServer(Background):
    """Werkzeug's development server, with or without a thread per request.

    It is the kit's own background `Server` (the one `workshop.serve` starts), so lesson 11
    measures exactly the server the other lessons use.
    """

    def __init__(self, app, threaded: bool):
        super().__init__(app)
        self.kind = "threaded dev server" if threaded else "single-threaded dev server"
        self._server = Server(self.counter, name=self.kind, threaded=threaded)
        self.port = self._server.port
        self._thread = self._server._thread  # for `stop()` checks, as the other servers

    def stop(self) -> None:
        self._server.stop()


class WaitressServer(Background):
    """Waitress: one I/O thread accepts connections, `threads` worker threads run the app."""

    def __init__(self, app, threads: int):
        super().__init__(app)
        self.kind = f"waitress ({threads} threads)"
        self.threads = threads
        self._wsgi = waitress.create_server(
            self.counter, host="127.0.0.1", port=0, threads=threads
        )
        self.port = int(self._wsgi.effective_port)  # waitress reports it as a string
        self._start(self._wsgi.run)

    def stop(self) -> None:
        if self._thread and self._thread.is_alive():
            # Waitress has no public stop(): its loop ends once every dispatcher is closed.
            # Closing them from the loop's own thread (a trigger "thunk") avoids a race and
            # wakes the loop at once instead of after its 1 s poll timeout.
            channels = self._wsgi._map
            self._wsgi.trigger.pull_trigger(lambda: [c.close() for c in list(channels.values())])
            self._thread.join(timeout=5)
            self._wsgi.task_dispatcher.shutdown(timeout=5)


# hypercorn logs "Running on http://…" at INFO from the server thread; a logger of our own
# without handlers lets only warnings and errors through (Python's last-resort handler).
_hypercorn_log = logging.getLogger("workshop.runtime.loadtest.hypercorn")


class AsgiServer(Background):
    """hypercorn serving an ASGI app on one asyncio event loop in one daemon thread."""

    kind = "hypercorn (1 event loop)"

    def __init__(self, app):
        super().__init__(app, counter=AsgiInFlight)
        # We bind the socket ourselves, so the OS-chosen port is known before hypercorn runs,
        # and hand it over instead of letting hypercorn bind `config.bind`. It stays ours to
        # close, even if start-up fails before hypercorn uses it.
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.setblocking(False)
        self.port = self._listener.getsockname()[1]
        config = HypercornConfig()
        config.create_sockets = lambda: Sockets([], [self._listener], [])
        config.errorlog = _hypercorn_log
        config.graceful_timeout = 1  # seconds to let open requests finish on stop()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._start(lambda: self._run(config))
        # hypercorn calls the shutdown trigger only once it is accepting connections.
        deadline = time.monotonic() + TIMEOUT
        while not self._ready.wait(0.01):
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("hypercorn did not start") from self._error

    def _run(self, config) -> None:
        """The server thread: a new event loop that runs hypercorn until stop()."""
        try:
            asyncio.run(hypercorn_serve(self.counter, config, shutdown_trigger=self._serving))
        except Exception as error:
            # Before start-up completes, __init__ raises it; later, the log shows it.
            self._error = error
            if self._ready.is_set():
                _hypercorn_log.exception("hypercorn stopped with an error")

    async def _serving(self) -> None:
        """hypercorn's shutdown trigger: note that we are ready, return when stop() asks."""
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        self._ready.set()
        await self._stopping.wait()

    def stop(self) -> None:
        if self._thread and self._thread.is_alive() and self._loop:
            # asyncio objects belong to their loop's thread: ask that thread to set the event.
            self._loop.call_soon_threadsafe(self._stopping.set)
            self._thread.join(timeout=10)
        self._listener.close()  # hypercorn closed it already, unless start-up failed


def dev_server(app, threaded: bool = True) -> DevServer:
    """Serve `app` with Werkzeug's development server; `threaded=False` handles one at a time."""
    return DevServer(app, threaded=threaded)


def waitress_server(app, threads: int = 4) -> WaitressServer:
    """Serve `app` with waitress and a pool of `threads` worker threads."""
    return WaitressServer(app, threads=threads)


def asgi_server(app) -> AsgiServer:
    """Serve the ASGI `app` (a Quart app, say) with hypercorn on a single event loop."""
    return AsgiServer(app)


@dataclass
class Load:
    """What one `hammer` run measured."""

    label: str
    clients: int
    seconds: float  # wall clock, first request sent to last answer received
    latencies: list[float] = field(default_factory=list)  # seconds, one per request
    statuses: list[int] = field(default_factory=list)
    peak: int = 0  # most requests the server handled at the same moment

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def ok(self) -> bool:
        """True when every request was answered 200."""
        return bool(self.statuses) and all(status == 200 for status in self.statuses)

    @property
    def throughput(self) -> float:
        """Requests answered per second."""
        return self.requests / self.seconds

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    def __repr__(self) -> str:
        return (
            f"<Load {self.label}: {self.requests} requests from {self.clients} clients "
            f"in {self.seconds:.2f} s, {self.throughput:.1f} req/s, "
            f"median {self.median_ms:.0f} ms, peak {self.peak} in flight>"
        )


def _get(port: int, target: str) -> int:
    """One GET on a fresh connection (like independent browsers); returns the status code.

    http.client rather than requests: it costs far less CPU per request, and on a 2-core
    machine the clients share the CPU with the server, so a heavy client would make the
    server look slower than it is.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def hammer(server: Background, path: str = "/", clients: int = 20, rounds: int = 1) -> Load:
    """Send `clients` concurrent clients at `server`; each sends `rounds` requests in a row."""
    target = "/" + path.lstrip("/")
    server.counter.reset()
    # The barrier releases all clients together, so thread start-up does not stagger them.
    start = threading.Barrier(clients + 1)

    def client() -> list[tuple[float, int]]:
        start.wait()
        results = []
        for _ in range(rounds):
            began = time.perf_counter()
            status = _get(server.port, target)
            results.append((time.perf_counter() - began, status))
        return results

    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(client) for _ in range(clients)]
        start.wait()
        began = time.perf_counter()
        done = [pair for future in futures for pair in future.result()]
        seconds = time.perf_counter() - began
    return Load(
        label=server.kind,
        clients=clients,
        seconds=seconds,
        latencies=[latency for latency, _ in done],
        statuses=[status for _, status in done],
        peak=server.counter.peak,
    )


def plot(loads: dict[str, Load], ideal: float | dict[str, float] | None = None):
    """Bar charts of throughput and median latency side by side; returns the figure.

    `ideal` is one throughput for every run, or one per run (name → requests per second):
    each run's ideal is drawn as a dashed outline around its bar, with the share reached.
    A notebook shows it with `workshop.runtime.figures.with_alt(figure, "what it shows")`, so a
    screen reader has words for it.
    """
    import matplotlib.pyplot as plt

    names = list(loads)
    ideals = ideal if isinstance(ideal, dict) else dict.fromkeys(names, ideal) if ideal else {}
    height = 1.2 + 0.45 * len(names)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, height), constrained_layout=True)
    measured = [loads[n].throughput for n in names]
    left.barh(names, measured, color="tab:blue", label="measured")
    if ideals:
        # The outline after the bar, so it stays visible where the bar falls short of it.
        left.barh(names, [ideals.get(n, 0) for n in names], fill=False, edgecolor="tab:green",
                  linestyle="--", linewidth=1.8, label="ideal for this run")
        for row, name in enumerate(names):
            if ideals.get(name):
                end = max(measured[row], ideals[name])
                left.text(end, row, f" {measured[row] / ideals[name]:.0%} of {ideals[name]:.0f}",
                          va="center", fontsize=9)
        left.legend(loc="lower right")
        left.set_xlim(0, 1.3 * max([*measured, *ideals.values()]))
    left.set_xlabel("throughput (requests per second, higher is better)")
    left.invert_yaxis()
    right.barh(names, [loads[n].median_ms for n in names], color="tab:orange")
    right.set_xlabel("median latency (ms, lower is better)")
    right.set_yticks([])
    right.invert_yaxis()
    return fig
