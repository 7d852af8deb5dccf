"""On a shared machine, `/user/<name>/proxy/PORT/` must reach only that student's servers.

jupyter-server-proxy forwards to any port on localhost, and on one machine (The Littlest
JupyterHub, local spawners) every student's servers listen on the same 127.0.0.1: without a
guard, bob could open alice's demo app or GitHub double through his own proxy.
`guard_proxy()` (called from `singleuser/jupyter_server_config.py` beside this file) makes every
proxy request pass `own_ports_only`: through only when every loopback address the proxy may
connect to is either free or served by a listening socket of this single-user server's own
process tree (the server, its kernels, their children). The port number alone proves nothing:
bob listening on 127.0.0.2:P must not open alice's 127.0.0.1:P.

What it does not do: it closes the proxy path only. A student's own code (a kernel, a
terminal) can still connect to a classmate's 127.0.0.1 port directly when both run on one
machine; only a network namespace per student (a container or pod each) stops that.
"""

from __future__ import annotations

import ipaddress
import os
import socket

import psutil

# The wildcard addresses whose listeners also take connections to a given loopback address.
# An IPv6 wildcard may take IPv4 too (unless IPV6_V6ONLY, which psutil cannot see): counted.
WILDCARDS = {4: ("0.0.0.0", "::"), 6: ("::",)}


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
    """jupyter-server-proxy's host check, extended with the port: is what it reaches ours?"""
    from jupyter_server_proxy.handlers import NamedLocalProxyHandler, RemoteProxyHandler

    if isinstance(handler, NamedLocalProxyHandler):
        return True  # a server named in the config, on the port the config gives it
    # `/proxy/PORT/path` or `/proxy/HOST:PORT/path` (tornado keeps the URL's groups in order).
    args = list(getattr(handler, "path_args", None) or [])
    port = args[1] if isinstance(handler, RemoteProxyHandler) and len(args) > 1 else (
        args[0] if args else "")
    return str(port).isdigit() and reaches_only_own(host, int(port), os.getpid())


def reaches_only_own(host: str, port: int, root_pid: int) -> bool:
    """Would a connection to `host:port` land only on a socket of `root_pid`'s process tree?

    `host` is "localhost" or a loopback IP literal (a name is never looked up elsewhere: a DNS
    query could stall the server, and nothing the kit serves lives off this machine). Every
    address it resolves to must be free or ours, and at least one must be ours.
    """
    addresses = connect_addresses(host, port)
    if not addresses:
        return False
    try:
        listeners = listening_sockets()
    except psutil.AccessDenied:
        return False  # this system does not show who listens: refuse rather than guess
    ours = own_pids(root_pid)
    owners = [owners_of(address, port, listeners) for address in addresses]
    if any(pid not in ours for found in owners for pid in found):
        return False  # someone else would answer on one of the addresses tried
    return any(owners)


def connect_addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The loopback addresses the proxy may connect to for `host`, as its resolver finds them."""
    if host == "localhost":
        try:
            found = {info[4][0] for info in
                     socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
        except (socket.gaierror, UnicodeError):
            return []
    else:
        found = {host}
    try:
        addresses = [ipaddress.ip_address(address.split("%")[0]) for address in found]
    except ValueError:
        return []  # a host name other than localhost: never looked up, never allowed
    return addresses if all(address.is_loopback for address in addresses) else []


def listening_sockets() -> dict[tuple[str, int], list[int | None]]:
    """Every listening TCP socket on this machine: (address, port) → owner pids.

    Other users' sockets are listed with pid None (their processes are not ours to see), which
    is all the guard needs to know: not ours.
    """
    found: dict[tuple[str, int], list[int | None]] = {}
    for connection in psutil.net_connections(kind="tcp"):
        if connection.status == psutil.CONN_LISTEN:
            found.setdefault((connection.laddr.ip, connection.laddr.port), []).append(
                connection.pid)
    return found


def owners_of(address, port: int, listeners: dict) -> list[int | None]:
    """Who takes a connection to address:port: a socket bound to that very address, else one
    bound to a wildcard (the kernel prefers the exact match); [] when nothing listens."""
    exact = listeners.get((str(address), port))
    if exact:
        return exact
    return [pid for wildcard in WILDCARDS[address.version]
            for pid in listeners.get((wildcard, port), [])]


def own_pids(root_pid: int) -> set[int]:
    """`root_pid` and every process below it."""
    try:
        root = psutil.Process(root_pid)
        return {root_pid, *(child.pid for child in root.children(recursive=True))}
    except psutil.NoSuchProcess:
        return set()

