"""One GitHub double for a whole hub, with a private namespace per student.

Every kernel normally starts its own double (its own copy of the recorded data and a server
thread). On a hub, one service can answer for everyone: JupyterHub starts it
(`python -m workshop shared-double --port 8765`, see `workshop/classroom/hub/jupyterhub_config.py`)
and sets `WORKSHOP_SHARED_DOUBLE=http://127.0.0.1:8765` for every single-user server.
`workshop.runtime.github_api` then asks the service for the student's own double
(`POST /namespaces/<user>`): a port of its own in the shared process, with its own settings,
calls, rate-limit budget and faults, all reading one copy of the data. A fault one student
injects never reaches another; `double()` returns a `RemoteDouble` that steers it over HTTP.

Control API (127.0.0.1 only): `POST /namespaces/<name>` → `{"url": ...}`;
`GET|PATCH /namespaces/<name>/settings`; `GET /namespaces/<name>/calls`;
`POST /namespaces/<name>/reset`. Errors are JSON `{"message": ...}`.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import threading

import requests
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from workshop.github_double import Settings, control, create_app
from workshop.github_double.data import default_store
from workshop.runtime.server import Server, serve

VARIABLE = "WORKSHOP_SHARED_DOUBLE"
NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_NAMESPACES = 500  # a hub for a large class; beyond that something is calling in a loop
TIMEOUT = 5  # seconds for a control request: the service is on this machine
# Settings steered over HTTP: plain values only (the clock and sleep stay in the service).
REMOTE_SETTINGS = tuple(f.name for f in dataclasses.fields(Settings)
                        if f.name not in ("clock", "sleep"))


# -- the service ----------------------------------------------------------------------------

class Namespaces:
    """Doubles by student name, created on first use, all sharing one copy of the data."""

    def __init__(self):
        self.store = default_store()
        self.servers: dict[str, Server] = {}
        self._lock = threading.Lock()

    def get(self, name: str, create: bool = False) -> Server | None:
        with self._lock:
            server = self.servers.get(name)
            if server is None and create:
                if len(self.servers) >= MAX_NAMESPACES:
                    raise TooMany()
                app = create_app(Settings.from_env(), store=self.store)
                server = self.servers[name] = serve(app, name=f"github-double-{name}")
                control(app).url = server.url.rstrip("/")
            return server

    def stop(self) -> None:
        with self._lock:
            for server in self.servers.values():
                server.stop()
            self.servers.clear()


class TooMany(Exception):
    """More namespaces than any class needs."""


def create_control_app(namespaces: Namespaces | None = None) -> Flask:
    """The service's control API (the doubles themselves listen on their own ports)."""
    app = Flask(__name__)
    spaces = namespaces or Namespaces()
    app.extensions["namespaces"] = spaces

    def double_of(name: str):
        if not NAME.match(name):
            return None, error(400, "a namespace is 1 to 64 letters, digits, '.', '_' or '-'")
        server = spaces.get(name)
        if server is None:
            return None, error(404, f"no double for {name!r} yet: POST /namespaces/{name}")
        return control(server.app), None

    @app.post("/namespaces/<name>")
    def open_namespace(name):
        """The student's own double (started on first use) and its URL."""
        if not NAME.match(name):
            return error(400, "a namespace is 1 to 64 letters, digits, '.', '_' or '-'")
        try:
            server = spaces.get(name, create=True)
        except TooMany:
            return error(429, f"at most {MAX_NAMESPACES} namespaces")
        return jsonify(url=server.url.rstrip("/"))

    @app.route("/namespaces/<name>/settings", methods=["GET", "PATCH"])
    def settings(name):
        """Read the settings, or change some of them (only the fields named)."""
        double, failed = double_of(name)
        if failed:
            return failed
        if request.method == "PATCH":
            changes = request.get_json(silent=True)
            if not isinstance(changes, dict) or set(changes) - set(REMOTE_SETTINGS):
                return error(400, f"send a JSON object with some of: {', '.join(REMOTE_SETTINGS)}")
            try:
                for key, value in changes.items():
                    setattr(double.settings, key, value)
            except ValueError as problem:
                return error(400, str(problem))
        return jsonify({key: getattr(double.settings, key) for key in REMOTE_SETTINGS})

    @app.get("/namespaces/<name>/calls")
    def calls(name):
        """Every path this student's double received since its last reset."""
        double, failed = double_of(name)
        return failed or jsonify(list(double.calls))

    @app.post("/namespaces/<name>/reset")
    def reset(name):
        """Forget calls, refill the budget, clear the fault."""
        double, failed = double_of(name)
        if failed:
            return failed
        double.reset()
        return jsonify(reset=True)

    @app.errorhandler(HTTPException)
    def http_error(problem):
        return error(problem.code or 500, problem.description or problem.name)

    return app


def error(status: int, message: str):
    return jsonify(message=message), status


# -- the client a kernel uses ---------------------------------------------------------------

class RemoteSettings:
    """`double().settings` of a shared double: reading asks the service, assigning tells it."""

    def __init__(self, remote: RemoteDouble):
        object.__setattr__(self, "_remote", remote)

    def __getattr__(self, name: str):
        values = self._remote._call("GET", "settings")
        if name not in values:
            raise AttributeError(name)
        return values[name]

    def __setattr__(self, name: str, value) -> None:
        self._remote._call("PATCH", "settings", json={name: value})

    def __repr__(self) -> str:
        values = self._remote._call("GET", "settings")
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in values.items()) + ")"


class RemoteDouble:
    """The student's namespace in the hub's shared double: `.settings`, `.calls`, `.reset()`."""

    def __init__(self, service: str, name: str):
        self.service, self.name = service.rstrip("/"), name
        self.url = self._call("POST", "")["url"]
        self.settings = RemoteSettings(self)

    @property
    def calls(self) -> list[str]:
        return self._call("GET", "calls")

    def reset(self) -> None:
        self._call("POST", "reset")

    def _call(self, method: str, what: str, **kwargs):
        url = f"{self.service}/namespaces/{self.name}" + (f"/{what}" if what else "")
        response = requests.request(method, url, timeout=TIMEOUT, **kwargs)
        if response.status_code == 400:
            raise ValueError(response.json()["message"])  # as the local Settings would
        response.raise_for_status()
        return response.json()

    def __repr__(self) -> str:
        return f"<GitHub double at {self.url} (shared, {self.name}'s own): {len(self.calls)} calls>"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    namespaces = Namespaces()
    server = serve(create_control_app(namespaces), name="shared-github-double", port=args.port)
    print(f"shared GitHub double: control API at {server.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        namespaces.stop()
        server.stop()


if __name__ == "__main__":
    main()
