"""One GitHub double for a whole hub, with a private namespace per student.

Every kernel normally starts its own double (its own copy of the recorded data and a server
thread). On a hub, one service can answer for everyone: JupyterHub starts it
(`python -m workshop shared-double --port 8765`, see `classroom/hub/jupyterhub_config.py`)
and sets `WORKSHOP_SHARED_DOUBLE=http://127.0.0.1:8765` for every single-user server.
`workshop.runtime.github_api` then asks the service for the student's own double
(`POST /namespaces/<user>`): a port of its own in the shared process, with its own settings,
calls, rate-limit budget and faults, all reading one copy of the data. A fault one student
injects never reaches another; `double()` returns a `RemoteDouble` that steers it over HTTP.

Only the student can steer or read their namespace: the hub gives the service a secret
(`WORKSHOP_SHARED_DOUBLE_SECRET`) and each student's server a key made from it and their name
(`WORKSHOP_SHARED_DOUBLE_KEY`, see `configure_hub`); every control request carries the key as
`Authorization: Bearer KEY`, and a request for someone else's namespace gets 403.

Control API (127.0.0.1 only): `POST /namespaces/<name>` → `{"url": ...}`;
`GET|PATCH /namespaces/<name>/settings`; `GET /namespaces/<name>/calls`;
`POST /namespaces/<name>/reset`. Errors are JSON `{"message": ...}`.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import hmac
import os
import re
import secrets
import sys
import threading

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from workshop.github_double import Settings, control, create_app
from workshop.github_double.data import default_store
from workshop.github_double.remote import KEY_VARIABLE
from workshop.github_double.settings import check_setting
from workshop.runtime.server import Server, serve

VARIABLE = "WORKSHOP_SHARED_DOUBLE"
SECRET_VARIABLE = "WORKSHOP_SHARED_DOUBLE_SECRET"  # the service's, never a student's
NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_NAMESPACES = 500  # a hub for a large class; beyond that something is calling in a loop
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


def student_key(secret: str, name: str) -> str:
    """The key that opens `name`'s namespace: an HMAC of the name under the service's secret.

    Derived rather than stored, so the hub can hand it to a server without telling the service,
    and a restarted service (same secret) still knows every student's key.
    """
    return hmac.new(secret.encode(), name.encode(), hashlib.sha256).hexdigest()


def create_control_app(namespaces: Namespaces | None = None, *, secret: str) -> Flask:
    """The service's control API (the doubles themselves listen on their own ports)."""
    if not secret:
        raise ValueError("the shared double needs a secret to tell students apart")
    app = Flask(__name__)
    spaces = namespaces or Namespaces()
    app.extensions["namespaces"] = spaces

    @app.before_request
    def only_the_owner():
        """Every namespace answers only to its student's key: 403 for anyone else."""
        name = (request.view_args or {}).get("name")
        if name is None:
            return None  # unknown paths get their 404 below
        if not NAME.match(name):
            return error(400, "a namespace is 1 to 64 letters, digits, '.', '_' or '-'")
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), student_key(secret, name).encode()):
            # The same answer whether the namespace exists or not: nothing to learn by probing.
            return error(403, f"only {name}'s own server can use this namespace "
                              f"(send its {KEY_VARIABLE} as 'Authorization: Bearer KEY')")
        return None

    def double_of(name: str):
        server = spaces.get(name)
        if server is None:
            return None, error(404, f"no double for {name!r} yet: POST /namespaces/{name}")
        return control(server.app), None

    @app.post("/namespaces/<name>")
    def open_namespace(name):
        """The student's own double (started on first use) and its URL."""
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
                # Check every value before changing any: a refused PATCH changes nothing.
                checked = {key: check_setting(key, value) for key, value in changes.items()}
            except ValueError as problem:
                return error(400, str(problem))
            for key, value in checked.items():
                setattr(double.settings, key, value)
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


# -- on the hub ----------------------------------------------------------------------------

def configure_hub(c, port: int = 8765, python: str = sys.executable) -> None:
    """Add the shared double to a JupyterHub config `c`: the service, each server's URL and key.

    The secret is new at each start: the kit's hub stops its servers with it. A hub whose
    servers outlive it keeps the secret in a file instead (classroom/hub/tljh/flask-live.py).
    """
    secret = secrets.token_hex(32)
    c.JupyterHub.services.append({
        "name": "github-double",
        "command": [python, "-m", "workshop", "shared-double", "--port", str(port)],
        "environment": {SECRET_VARIABLE: secret},
    })
    c.Spawner.environment.update({
        VARIABLE: f"http://127.0.0.1:{port}",
        # Called by JupyterHub for each server it starts: the key of that student only.
        KEY_VARIABLE: lambda spawner: student_key(secret, spawner.user.name),
    })


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    secret = os.environ.get(SECRET_VARIABLE, "")
    if not secret:
        sys.exit(f"{SECRET_VARIABLE} is not set: start the shared double through the hub "
                 "(workshop.classroom.hub.shared_double.configure_hub), which makes one")
    namespaces = Namespaces()
    server = serve(create_control_app(namespaces, secret=secret), name="shared-github-double",
                   port=args.port)
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
