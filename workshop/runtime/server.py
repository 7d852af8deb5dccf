"""A re-runnable background server for notebooks: Werkzeug's `make_server` in a daemon thread.

Why not `app.run()`? It blocks the kernel, and re-running its cell fails with "Address already
in use". Here `serve(app)` returns at once with the server ready, re-running the cell replaces the
old server of the same name, and request logs go to `server.log` instead of whatever cell runs.
"""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import socket
import threading
import time
import types
import weakref
from collections import deque
from dataclasses import dataclass

import requests
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from workshop.runtime.tracebacks import clean, format_exception

# `serve_forever` checks for shutdown every poll interval; Werkzeug's default (0.5 s) makes
# stop() slow. 20 ms keeps stop() fast at the cost of ~50 cheap wake-ups a second while idle.
POLL_INTERVAL = 0.02
LOG_LINES = 1000

# One server per name, so re-running a cell replaces the old server instead of clashing with it.
# This module is never purged by `load_app`, so the registry survives re-imports of student code.
_servers: dict[str, Server] = {}
# Every server not yet stopped, named or not: an interrupt (Ctrl-C, "Interrupt kernel") between
# two steps of serve() must never leave a server that stop_all() cannot reach.
_alive: set[Server] = set()
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
        for line in clean(text).splitlines():
            if line.strip():
                self._log.append(line)
        return len(text)


class _LogFormatter(logging.Formatter):
    """`LEVEL in module: message` and a deterministic traceback (workshop.runtime.tracebacks).

    No time stamp: the log is read in a notebook, whose outputs must not change between runs.
    """

    def __init__(self):
        super().__init__("%(levelname)s in %(module)s: %(message)s")

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return format_exception(ei[1])

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return clean(stack_info)


class _AppLogFilter(logging.Filter):
    """Sends the app's log records from this server's request threads to `server.log`.

    Flask logs a view's exception through `app.logger`; where that ends up depends on logging
    config (pytest, `basicConfig`, ...) and often is stderr, i.e. whichever cell runs. A logger
    filter sees each record first, so records from our request threads are kept and stopped.
    """

    _format = _LogFormatter()

    def __init__(self, server: Server):
        super().__init__()
        self.server = server

    def filter(self, record: logging.LogRecord) -> bool:
        if record.thread not in self.server._request_threads:
            return True
        self.server.log.extend(self._format.format(record).splitlines())
        return False


class _QuietHandler(WSGIRequestHandler):
    """Request handler that records into the kit's Server instead of printing to stderr."""

    def make_environ(self):
        environ = super().make_environ()
        # Flask's default log handler writes to wsgi.errors: keep tracebacks in server.log too.
        environ["wsgi.errors"] = _LogStream(self.server.kit_server.log)
        return environ

    def setup(self):
        super().setup()
        # Browsers keep connections open; stop() closes them so no handler thread lingers.
        self.server.kit_server._connections.add(self.connection)
        self.server.kit_server._request_threads.add(threading.get_ident())

    def finish(self):
        self.server.kit_server._connections.discard(self.connection)
        self.server.kit_server._request_threads.discard(threading.get_ident())
        super().finish()

    def run_wsgi(self):
        self._kit_start = time.perf_counter()
        self._kit_recorded = False
        try:
            super().run_wsgi()
        finally:
            if not self._kit_recorded:  # the client left before an answer was started
                self._kit_record(0)
            self.server.kit_server._answer_done()

    def log_request(self, code="-", size="-"):
        # Called as the status line is sent, before the client can see the answer: so once a
        # request returns, its record is in `server.requests` (no race for tests or widgets).
        try:
            status = int(code)  # an int or HTTPStatus; Werkzeug passes "-" when unknown
        except (TypeError, ValueError):
            status = 0
        self.server.kit_server.log.append(f"{self.command} {self.path} -> {status}")
        self._kit_record(status)

    def _kit_record(self, status: int) -> None:
        if not self._kit_recorded:
            self.server.kit_server._answer_started()
        self._kit_recorded = True
        ms = (time.perf_counter() - self._kit_start) * 1000
        self.server.kit_server._record(RequestRecord(self.command, self.path, status, ms))

    def log(self, type, message, *args):  # noqa: A002 (Werkzeug's parameter name)
        # Every other message (log_error, log_message) ends here: keep it, never print it.
        self.server.kit_server.log.append(message % args if args else message)


class Server:
    """A WSGI app served from a daemon thread on 127.0.0.1 (see `serve`)."""

    def __init__(self, app, name: str = "app", host: str = "127.0.0.1", port: int = 0,
                 threaded: bool = True):
        self.app, self.name, self.host = app, name, host
        self.log: deque[str] = deque(maxlen=LOG_LINES)
        self.requests: deque[RequestRecord] = deque(maxlen=LOG_LINES)
        self._listeners: list = []
        self._connections: set[socket.socket] = set()
        self._request_threads: set[int] = set()
        # Answers sent whose request has not finished yet: Werkzeug logs some errors (e.g. with
        # PROPAGATE_EXCEPTIONS) only after the answer, so readers of the log wait for these.
        self._finishing = 0
        self._finished = threading.Condition()
        try:
            # Werkzeug prints to stderr and calls sys.exit() when the port is taken.
            with contextlib.redirect_stderr(io.StringIO()):
                self._wsgi: BaseWSGIServer = make_server(
                    host, port, app, threaded=threaded, request_handler=_QuietHandler
                )
        except SystemExit as exit_:
            # Werkzeug printed the OSError and exited inside its `except OSError` block.
            raise bind_error(exit_.__context__, host, port) from None
        with _lock:
            _alive.add(self)
        self._log_filter = _AppLogFilter(self)
        if isinstance(getattr(app, "logger", None), logging.Logger):
            app.logger.addFilter(self._log_filter)
        self._wsgi.kit_server = self
        # Werkzeug logs unhandled errors (e.g. with PROPAGATE_EXCEPTIONS) through its logger,
        # which prints to stderr and so into whichever cell runs: keep them in `log` instead.
        self._wsgi.log = self._log_server_message
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

    def _log_server_message(self, type, message, *args) -> None:  # noqa: A002
        # Werkzeug's "Error on request:" carries a traceback with machine-specific paths.
        self.log.extend(clean(message % args if args else message).splitlines())

    def _answer_started(self) -> None:
        with self._finished:
            self._finishing += 1

    def _answer_done(self) -> None:
        with self._finished:
            self._finishing -= 1
            self._finished.notify_all()

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every request already answered has finished writing to the log."""
        with self._finished:
            self._finished.wait_for(lambda: self._finishing <= 0, timeout=timeout)

    def print_log(self, last: int | None = 20) -> None:
        """Print the last `last` lines of `server.log` (all with `last=None`).

        The log holds one line per request (`GET /users/x -> 200`) and, when a view raises,
        Flask's `ERROR in app: Exception on /x [GET]` with the real traceback. It reads the same
        on every run: no time stamps, paths relative to the current folder (installed packages
        as `<site-packages>/...`), no memory addresses (see workshop.runtime.tracebacks).
        """
        self.settle()
        lines = list(self.log)
        if last is not None:
            lines = lines[-last:] if last > 0 else []
        for line in lines:
            print(line)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Stop serving and free the port (safe to call twice, or again after an interrupt)."""
        # The server stays registered until it is fully stopped: if an interrupt lands in
        # join(), stop_all() or the next serve() of this name still finds it and finishes.
        if self._thread.is_alive():
            self._wsgi.shutdown()
            self._thread.join()
        self._wsgi.server_close()
        self.settle()
        for connection in list(self._connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:  # already closed by the client
                pass
        self._listeners.clear()
        if isinstance(getattr(self.app, "logger", None), logging.Logger):
            self.app.logger.removeFilter(self._log_filter)
        with _lock:
            if _servers.get(self.name) is self:
                del _servers[self.name]
            _alive.discard(self)

    def subscribe(self, callback) -> None:
        """Call `callback(record)` after each request (a bound method is held weakly)."""
        if isinstance(callback, types.MethodType):
            # Weakly, so a forgotten widget can be garbage-collected while the server runs.
            self._listeners.append(weakref.WeakMethod(callback))
        else:
            self._listeners.append(lambda: callback)

    def unsubscribe(self, callback) -> None:
        """Stop calling `callback`."""
        self._listeners[:] = [ref for ref in self._listeners if ref() not in (callback, None)]

    def _record(self, record: RequestRecord) -> None:
        self.requests.append(record)
        for ref in list(self._listeners):
            callback = ref()
            if callback is None:
                continue
            try:
                callback(record)
            except Exception as error:  # a broken listener must not break the server
                self.log.append(f"listener {callback!r} failed: {error!r}")

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
    if not callable(app):
        # Usually `load_app()` printed why it returned None; say so instead of serving 500s.
        raise TypeError(f"serve() needs a Flask app, got {app!r} — fix the error shown above, "
                        "then load the app again.")
    with _lock:
        old = _servers.get(name)
    if old is not None:
        old.stop()  # unregisters itself once stopped, never before (see Server.stop)
    server = Server(app, name=name, host=host, port=port or 0)
    with _lock:
        _servers[name] = server
    return server


def bind_error(error: BaseException | None, host: str, port: int) -> OSError:
    """An OSError saying why `host:port` could not be used, and what to do about it."""
    code = getattr(error, "errno", None)
    if code == errno.EADDRINUSE:
        message = (f"Port {port} on {host} is in use by another program: stop it, or call "
                   "serve(app) without a port to get a free one.")
    elif code == errno.EADDRNOTAVAIL:
        message = (f"{host} is not an address of this machine: serve on 127.0.0.1 (the "
                   "default).")
    elif code == errno.EACCES:
        message = (f"No permission to use port {port} on {host} (ports below 1024 usually "
                   "need administrator rights): call serve(app) without a port to get a free "
                   "one.")
    else:
        reason = getattr(error, "strerror", None) or str(error) or "unknown error"
        message = f"Cannot serve on {host} port {port}: {reason}."
    result = OSError(message)
    result.errno = code
    return result


def running_servers() -> dict[str, Server]:
    """The servers started by `serve` that are still registered, by name."""
    with _lock:
        return dict(_servers)


def stop_all() -> None:
    """Stop every server started by `serve` (also one an interrupt left unregistered)."""
    with _lock:
        servers = list(_alive)
    for server in servers:
        server.stop()


def forget_inherited() -> None:
    """In a forked child (a self-check's process): forget the parent's servers, touch nothing.

    Their threads stayed in the parent, which still serves on their sockets: stopping them here
    would shut down the parent's connections, and waiting for their threads would never end.
    """
    global _lock
    _lock = threading.Lock()  # a parent thread may have held it at the fork
    _servers.clear()
    _alive.clear()
