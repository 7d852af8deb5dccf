"""`link(server)`: a clickable link to a background server that works where the notebook runs.

Locally the browser reaches `http://127.0.0.1:PORT/` directly. On JupyterHub or Binder the
browser is on another machine, so that address points at the student's own laptop; there the
link goes through jupyter-server-proxy instead: `{JUPYTERHUB_SERVICE_PREFIX}proxy/PORT/path`.
"""

from __future__ import annotations

import html
import os

HUB_PREFIX = "JUPYTERHUB_SERVICE_PREFIX"
# Binder runs a single-user JupyterHub server; these also mark it when the prefix is missing.
BINDER_MARKERS = ("BINDER_LAUNCH_HOST", "BINDER_REQUEST")


class Link:
    """A URL shown as a link in JupyterLab (HTML) and as the plain URL in text."""

    def __init__(self, url: str, text: str | None = None):
        self.url, self.text = url, text or url

    def _repr_html_(self) -> str:
        url = html.escape(self.url, quote=True)
        return f'<a href="{url}" target="_blank">{html.escape(self.text)}</a>'

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return self.url


def link(server, path: str = "/", text: str | None = None) -> Link:
    """A link to `path` on `server` (a Server or a port), proxied under JupyterHub/Binder."""
    port = server if isinstance(server, int) else server.port
    prefix = hub_prefix()
    if prefix is not None:
        return Link(proxied_url(port, path, prefix), text)
    host = "127.0.0.1" if isinstance(server, int) else server.host
    return Link(f"http://{host}:{port}/{path.lstrip('/')}", text)


def hub_prefix() -> str | None:
    """The JupyterHub/Binder URL prefix (ending in `/`), or None when running locally."""
    prefix = os.environ.get(HUB_PREFIX)
    if prefix:
        return prefix if prefix.endswith("/") else prefix + "/"
    if any(os.environ.get(name) for name in BINDER_MARKERS):
        return "/"
    return None


def proxied_url(port: int, path: str = "/", prefix: str | None = None) -> str:
    """`{prefix}proxy/{port}/{path}`: the server as jupyter-server-proxy exposes it."""
    prefix = prefix if prefix is not None else (hub_prefix() or "/")
    if not prefix.endswith("/"):
        prefix += "/"
    return f"{prefix}proxy/{port}/{path.lstrip('/')}"
