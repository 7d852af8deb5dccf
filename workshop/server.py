"""A re-runnable background server for notebooks: Werkzeug's `make_server` in a daemon thread.

Why not `app.run()`? It blocks the kernel, and re-running its cell fails with "Address already
in use". Here `serve(app)` returns at once with the server ready, re-running the cell replaces the
old server of the same name, and request logs go to `server.log` instead of whatever cell runs.
"""

from __future__ import annotations

import io
import threading
import time
from collections import deque
from dataclasses import dataclass

import requests
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

# `serve_forever` checks for shutdown every poll interval; Werkzeug's default (0.5 s) makes
# stop() slow. 20 ms keeps stop() fast at the cost of ~50 cheap wake-ups a second while idle.
POLL_INTERVAL = 0.02
LOG_LINES = 1000

# One server per name, so re-running a cell replaces the old server instead of clashing with it.
# This module is never purged by `load_app`, so the registry survives re-imports of student code.
_servers: dict[str, Server] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class RequestRecord:
    """One request the server answered, for the inspector widget and for tests."""

    method: str
    path: str
    status: int
    ms: float


class _LogStream(io.TextIOBase):
    """A file-like object that appends to a server's log (used for `wsgi.errors`)."""

    def __init__(self, log: deque):
        self._log = log

    def write(self, text: str) -> int:
        for line in text.splitlines():
            if line.strip():
                self._log.append(line)
        return len(text)


class _QuietHandler(WSGIRequestHandler):
    """Request handler that records into the kit's Server instead of printing to stderr."""

    def make_environ(self):
        environ = super().make_environ()
        # Flask's default log handler writes to wsgi.errors: keep tracebacks in server.log too.
        environ["wsgi.errors"] = _LogStream(self.server.kit_server.log)
        return environ

    def run_wsgi(self):
        self._kit_start = time.perf_counter()
        self._kit_status = 0
        try:
            super().run_wsgi()
        finally:
            ms = (time.perf_counter() - self._kit_start) * 1000
            record = RequestRecord(self.command, self.path, int(self._kit_status or 0), ms)
            self.server.kit_server.requests.append(record)

    def log_request(self, code="-", size="-"):
        self._kit_status = getattr(code, "value", code)
        self.server.kit_server.log.append(f'{self.command} {self.path} -> {self._kit_status}')

    def log_message(self, format, *args):  # noqa: A002 (the stdlib's parameter name)
        self.server.kit_server.log.append(format % args)


class Server:
    """A WSGI app served from a daemon thread on 127.0.0.1 (see `serve`)."""

    def __init__(self, app, name: str = "app", host: str = "127.0.0.1", port: int = 0):
        self.app, self.name, self.host = app, name, host
        self.log: deque[str] = deque(maxlen=LOG_LINES)
        self.requests: deque[RequestRecord] = deque(maxlen=LOG_LINES)
        self._wsgi: BaseWSGIServer = make_server(
            host, port, app, threaded=True, request_handler=_QuietHandler
        )
        self._wsgi.kit_server = self
        self.port: int = self._wsgi.server_port
        self._thread = threading.Thread(
            target=self._wsgi.serve_forever,
            kwargs={"poll_interval": POLL_INTERVAL},
            name=f"workshop-server-{name}",
            daemon=True,
        )
        # The socket already listens (make_server binds it), so the first request succeeds
        # as soon as the thread runs; nothing needs to wait here.
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Stop serving and free the port (safe to call twice)."""
        if self._thread.is_alive():
            self._wsgi.shutdown()
            self._thread.join()
        self._wsgi.server_close()
        with _lock:
            if _servers.get(self.name) is self:
                del _servers[self.name]

    def request(self, method: str, path: str = "/", **kwargs) -> requests.Response:
        """Send one real HTTP request to this server (a fresh connection, 10 s timeout)."""
        kwargs.setdefault("timeout", 10)
        return requests.request(method, self.url + path.lstrip("/"), **kwargs)

    def get(self, path: str = "/", **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str = "/", **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Server {self.name!r} at {self.url} ({state})>"


def serve(app, name: str = "app", port: int | None = None, host: str = "127.0.0.1") -> Server:
    """Serve `app` in the background and return its Server, ready for requests.

    Serving again under the same name first stops the old server, so a notebook cell can be
    re-run freely. `port=None` lets the OS pick a free port.
    """
    with _lock:
        old = _servers.pop(name, None)
    if old is not None:
        old.stop()
    server = Server(app, name=name, host=host, port=port or 0)
    with _lock:
        _servers[name] = server
    return server


def running_servers() -> dict[str, Server]:
    """The servers started by `serve` that are still registered, by name."""
    with _lock:
        return dict(_servers)


def stop_all() -> None:
    """Stop every server started by `serve`."""
    for server in running_servers().values():
        server.stop()
