"""Where kit code sends GitHub requests: the offline double by default, or api.github.com.

One setting decides: `GITHUB_API_URL`. Unset, `github_api_url()` starts the double in this
process and points the variable at it (subprocesses inherit it). Set it to
`https://api.github.com` to go live; `GITHUB_TOKEN`, if set, is sent as a Bearer token and
never shown: `repr()` of the headers hides it.
"""

from __future__ import annotations

import os
import threading

from workshop.github_double import Double, control, create_app
from workshop.server import Server, serve

DOUBLE_NAME = "github-double"
API_VERSION = "2022-11-28"
LIVE_URL = "https://api.github.com"

_lock = threading.Lock()
_server: Server | None = None  # the in-process double, once started


def github_api_url() -> str:
    """GITHUB_API_URL without a trailing slash; starts the double if the variable is unset."""
    global _server
    with _lock:
        configured = os.environ.get("GITHUB_API_URL", "").strip().rstrip("/")
        ours = _server.url.rstrip("/") if _server is not None else None
        if configured and (configured != ours or _server.running):
            return configured
        # Unset, or it points at our double and that was stopped (e.g. by stop_all()): (re)start.
        app = create_app()
        _server = serve(app, name=DOUBLE_NAME)
        url = _server.url.rstrip("/")
        control(app).url = url
        os.environ["GITHUB_API_URL"] = url
        return url


def double() -> Double | None:
    """The in-process double's control object (.settings, .calls, .reset()), or None."""
    with _lock:
        return control(_server.app) if _server is not None else None


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
