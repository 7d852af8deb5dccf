"""Where kit code sends GitHub requests: the offline double by default, or api.github.com.

One setting decides: `GITHUB_API_URL`. Unset, `github_api_url()` starts the double in this
process and points the variable at it (subprocesses inherit it). Set it to
`https://api.github.com` to go live; `GITHUB_TOKEN`, if set, is sent as a Bearer token and
never shown: `repr()` of the headers hides it.

On a hub that runs one shared double (`WORKSHOP_SHARED_DOUBLE`, see classroom/hub/shared_double.py),
the student gets their own namespace in it (opened with the key the hub gives their server,
`WORKSHOP_SHARED_DOUBLE_KEY`) instead of a double in every kernel; `double()` then
steers that namespace over HTTP, with the same `.settings`, `.calls` and `.reset()`.
"""

from __future__ import annotations

import os
import threading

from workshop.github_double import Double, control, create_app
from workshop.runtime.server import Server, serve

DOUBLE_NAME = "github-double"
API_VERSION = "2022-11-28"
LIVE_URL = "https://api.github.com"
SHARED_DOUBLE = "WORKSHOP_SHARED_DOUBLE"  # set by a hub that runs one double for everyone

_lock = threading.Lock()
_server: Server | None = None  # the in-process double, once started
_remote = None  # the student's namespace in a hub's shared double, once asked for


def github_api_url() -> str:
    """GITHUB_API_URL without a trailing slash; starts the double if the variable is unset."""
    global _server
    with _lock:
        configured = os.environ.get("GITHUB_API_URL", "").strip().rstrip("/")
        ours = _server.url.rstrip("/") if _server is not None else None
        if configured and (configured != ours or _server.running):
            return configured
        if not configured and _shared_double() is not None:
            os.environ["GITHUB_API_URL"] = _remote.url
            return _remote.url
        # Unset, or it points at our double and that was stopped (e.g. by stop_all()): (re)start.
        app = create_app()
        _server = serve(app, name=DOUBLE_NAME)
        url = _server.url.rstrip("/")
        control(app).url = url
        os.environ["GITHUB_API_URL"] = url
        return url


def double() -> Double | None:
    """The in-process double's control object (.settings, .calls, .reset()), or None.

    On a hub with a shared double: the student's namespace in it, steered over HTTP.
    """
    with _lock:
        if _server is not None:
            return control(_server.app)
        configured = os.environ.get("GITHUB_API_URL", "").strip().rstrip("/")
        return _remote if _remote is not None and _remote.url == configured else None


def fresh_double() -> None:
    """Point GITHUB_API_URL at the double and give the double a fresh start (catch_up does).

    The double counts GitHub's 60 requests an hour like the real API; a lesson (and its
    experiments) starts with the full budget and no fault left over from earlier cells.
    """
    github_api_url()
    if double() is not None:  # None when GITHUB_API_URL points elsewhere (live GitHub)
        double().reset()


def _shared_double():
    """The student's namespace in the hub's shared double, or None (no hub, or no answer)."""
    global _remote
    service = os.environ.get(SHARED_DOUBLE, "").strip()
    if _remote is None and service:
        from workshop.github_double.remote import RemoteDouble

        name = os.environ.get("JUPYTERHUB_USER") or "default"
        try:
            _remote = RemoteDouble(service, name)
        except (OSError, ValueError) as problem:  # requests' errors are OSErrors
            # A class must go on: fall back to a double in this kernel, and say why once.
            print(f"The hub's shared GitHub double did not answer ({type(problem).__name__}); "
                  "using a GitHub double in this kernel instead.")
            os.environ.pop(SHARED_DOUBLE, None)
    return _remote


def github_headers(token: str | None = None) -> GitHubHeaders:
    """Headers GitHub recommends; Authorization only when a token is given or in GITHUB_TOKEN."""
    headers = GitHubHeaders({"Accept": "application/vnd.github+json",
                             "X-GitHub-Api-Version": API_VERSION})
    token = token if token is not None else os.environ.get("GITHUB_TOKEN", "").strip()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


class GitHubHeaders(dict):
    """A plain dict of headers whose repr hides the token, so printing it is safe."""

    def __repr__(self) -> str:
        shown = {name: ("Bearer ***" if name.lower() == "authorization" else value)
                 for name, value in self.items()}
        return repr(shown)

    __str__ = __repr__

    def _repr_pretty_(self, printer, cycle) -> None:
        # IPython's pretty printer would otherwise list the dict's items itself.
        printer.text(repr(self))


def steer_through(control) -> None:
    """In a forked child (a self-check's process): `double()` is `control` from now on.

    The in-process double's server thread stayed in the parent; requests still reach it at
    GITHUB_API_URL, and `control` steers it there (see workshop/checks/_deadline.py).
    """
    global _server, _remote, _lock
    _lock = threading.Lock()  # a parent thread may have held it at the fork
    _server, _remote = None, control
