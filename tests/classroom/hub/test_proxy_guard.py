"""A student's jupyter-server-proxy reaches only sockets their own processes listen on."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from jupyter_server_proxy.handlers import (
    LocalProxyHandler,
    NamedLocalProxyHandler,
    ProxyHandler,
    RemoteProxyHandler,
)
from lab_process import free_port

from workshop import serve
from workshop.classroom.hub import proxy_guard
from workshop.classroom.hub.proxy_guard import guard_proxy, own_pids, own_ports_only


def handler(kind, *args):
    """A proxy handler as tornado has it while checking a request (URL groups in path_args)."""
    made = object.__new__(kind)
    made.path_args = list(args)
    return made


@pytest.fixture(scope="module")
def ours():
    """A server of this process (as a kernel's demo app is the single-user server's)."""
    server = serve(lambda environ, start: [], name="guard-test")
    yield server.port
    server.stop()


@pytest.fixture(scope="module")
def theirs():
    """A port another user's process listens on: not a descendant of this process."""
    port = free_port()
    # The middle process exits at once, so the listener is nobody's child here.
    starter = ("import subprocess, sys; print(subprocess.Popen([sys.executable, '-m', "
               f"'http.server', '--bind', '127.0.0.1', '{port}'], "
               "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid)")
    pid = int(subprocess.run([sys.executable, "-c", starter], capture_output=True, text=True,
                             check=True).stdout)
    try:
        for _ in range(600):  # wait until it listens (seconds on a loaded machine)
            if port in _all_listening():
                break
            time.sleep(0.1)
        yield port
    finally:
        os.kill(pid, signal.SIGTERM)


def _all_listening() -> set[int]:
    import psutil

    return {c.laddr.port for c in psutil.net_connections("tcp") if c.status == "LISTEN"}


def allowed(port: int, host: str | None = None) -> bool:
    """What the guard says to `/proxy/PORT/` (host None) or `/proxy/HOST:PORT/`."""
    if host is None:
        return own_ports_only(handler(LocalProxyHandler, str(port), "/"), "localhost")
    return own_ports_only(handler(RemoteProxyHandler, host, str(port), "/"), host)


def test_own_processes_are_this_process_tree_only(theirs):
    import psutil

    ours = own_pids(os.getpid())
    owner = {c.pid for c in psutil.net_connections("tcp")
             if c.status == "LISTEN" and c.laddr.port == theirs}
    assert os.getpid() in ours and not owner & ours


def test_own_port_passes_and_another_users_port_is_refused(ours, theirs):
    for host in (None, "localhost", "127.0.0.1"):
        assert allowed(ours, host), host
        assert not allowed(theirs, host), host


def test_a_socket_on_another_loopback_address_does_not_open_a_classmates_port(theirs):
    # The classmate listens on 127.0.0.1:P; the student listens on 127.0.0.2:P, same number.
    beside = socket.socket()
    try:
        beside.bind(("127.0.0.2", theirs))
        beside.listen()
        for host in (None, "localhost", "127.0.0.1"):
            assert not allowed(theirs, host), host
        assert allowed(theirs, "127.0.0.2")  # the student's own socket, by its exact address
    finally:
        beside.close()


def test_a_classmates_wildcard_listener_counts_for_every_loopback_address(monkeypatch):
    me, port = os.getpid(), 4321
    monkeypatch.setattr(proxy_guard, "listening_sockets",
                        lambda: {("127.0.0.2", port): [me], ("0.0.0.0", port): [None]})
    assert allowed(port, "127.0.0.2")
    assert not allowed(port) and not allowed(port, "127.0.0.1")


def test_every_address_localhost_resolves_to_must_be_free_or_ours(monkeypatch):
    me, port = os.getpid(), 4321
    both = [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
    monkeypatch.setattr(proxy_guard.socket, "getaddrinfo", lambda *args, **kwargs: both)
    monkeypatch.setattr(proxy_guard, "listening_sockets", lambda: {("127.0.0.1", port): [me]})
    assert allowed(port)  # ::1 is free: the proxy's attempt there is refused, then ours
    monkeypatch.setattr(proxy_guard, "listening_sockets",
                        lambda: {("127.0.0.1", port): [me], ("::1", port): [None]})
    assert not allowed(port)  # a classmate on [::1]:P could be the one that answers
    monkeypatch.setattr(proxy_guard, "listening_sockets",
                        lambda: {("127.0.0.1", port): [me, None]})
    assert not allowed(port)  # two sockets on one address (SO_REUSEPORT): not only ours


def test_other_hosts_and_odd_paths_are_refused(ours, monkeypatch):
    def no_lookups(*args, **kwargs):
        raise AssertionError("the guard looked a name up")

    monkeypatch.setattr(proxy_guard.socket, "getaddrinfo", no_lookups)
    for host in ("example.com", "0.0.0.0", "10.0.0.1", "127.1", "2130706433"):
        assert not allowed(ours, host), host
    assert not own_ports_only(handler(LocalProxyHandler), "localhost")
    assert not own_ports_only(handler(LocalProxyHandler, "not-a-port", "/"), "localhost")


def test_a_free_port_is_refused():
    assert not allowed(free_port())


def test_servers_named_in_the_config_keep_working():
    assert own_ports_only(handler(NamedLocalProxyHandler, "anything"), "localhost")


def test_guard_applies_to_every_proxy_handler(monkeypatch):
    def plain_init(self, *args, **kwargs):
        self.host_allowlist = ["localhost", "127.0.0.1"]  # what /proxy/PORT/ always gets

    monkeypatch.setattr(ProxyHandler, "__init__", plain_init)
    monkeypatch.setattr(ProxyHandler, "_own_ports_only", False, raising=False)
    guard_proxy()
    guard_proxy()  # a second call changes nothing
    made = object.__new__(LocalProxyHandler)
    ProxyHandler.__init__(made)
    assert made.host_allowlist is own_ports_only
