"""On a shared machine, `/user/<name>/proxy/PORT/` must reach only that student's servers.

jupyter-server-proxy forwards to any port on localhost, and on one machine (The Littlest
JupyterHub, local spawners) every student's servers listen on the same 127.0.0.1: without a
guard, bob could open alice's demo app or GitHub double through his own proxy.
`guard_proxy()` (called from `singleuser/jupyter_server_config.py` beside this file) makes every
proxy request pass `own_ports_only`: through only when a process of this single-user server's
own tree (the server, its kernels, their children) listens on that port.
"""

from __future__ import annotations

import os

import psutil

LOCAL_HOSTS = ("localhost", "127.0.0.1")


def guard_proxy() -> None:
    """Check every jupyter-server-proxy request with `own_ports_only`.

    `c.ServerProxy.host_allowlist` alone is not enough: jupyter-server-proxy 4 gives it to the
    `/proxy/HOST:PORT/` handlers only, while `/proxy/PORT/` always allows localhost. So the
    check is set on each proxy handler as it is created.
    """
    from jupyter_server_proxy.handlers import ProxyHandler

    if getattr(ProxyHandler, "_own_ports_only", False):
        return
    original = ProxyHandler.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.host_allowlist = own_ports_only

    ProxyHandler.__init__ = __init__
    ProxyHandler._own_ports_only = True


def own_ports_only(handler, host: str) -> bool:
    """jupyter-server-proxy's host check, extended with the port: is it one of ours?"""
    from jupyter_server_proxy.handlers import NamedLocalProxyHandler, RemoteProxyHandler

    if host not in LOCAL_HOSTS:
        return False
    if isinstance(handler, NamedLocalProxyHandler):
        return True  # a server named in the config, on the port the config gives it
    # `/proxy/PORT/path` or `/proxy/HOST:PORT/path` (tornado keeps the URL's groups in order).
    args = list(getattr(handler, "path_args", None) or [])
    port = args[1] if isinstance(handler, RemoteProxyHandler) and len(args) > 1 else (
        args[0] if args else "")
    return str(port).isdigit() and int(port) in listening_ports(os.getpid())


def listening_ports(root_pid: int) -> set[int]:
    """TCP ports on which `root_pid` or any of its descendants listens."""
    try:
        root = psutil.Process(root_pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return set()
    ports = set()
    for process in processes:
        try:
            connections = process.net_connections(kind="inet")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue  # ended meanwhile, or not ours to look at
        ports.update(c.laddr.port for c in connections if c.status == psutil.CONN_LISTEN)
    return ports
