"""A student's jupyter-server-proxy reaches only ports their own processes listen on."""

from __future__ import annotations

import os
import signal
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
from workshop.classroom.hub.proxy_guard import guard_proxy, listening_ports, own_ports_only


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


def test_listening_ports_are_this_process_tree_only(ours, theirs):
    ports = listening_ports(os.getpid())
    assert ours in ports and theirs not in ports


def test_own_port_passes_and_another_users_port_is_refused(ours, theirs):
    assert own_ports_only(handler(LocalProxyHandler, str(ours), "/"), "localhost")
    assert not own_ports_only(handler(LocalProxyHandler, str(theirs), "/"), "localhost")
    # /proxy/HOST:PORT/ carries the host first.
    assert own_ports_only(handler(RemoteProxyHandler, "127.0.0.1", str(ours), "/"), "127.0.0.1")
    assert not own_ports_only(handler(RemoteProxyHandler, "localhost", str(theirs), "/"),
                              "localhost")


def test_other_hosts_and_odd_paths_are_refused(ours):
    assert not own_ports_only(handler(RemoteProxyHandler, "example.com", str(ours), "/"),
                              "example.com")
    assert not own_ports_only(handler(LocalProxyHandler), "localhost")
    assert not own_ports_only(handler(LocalProxyHandler, "not-a-port", "/"), "localhost")


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
