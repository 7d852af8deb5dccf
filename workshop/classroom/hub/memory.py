"""Memory per student on a hub: resident memory summed over each single-user server's tree.

A student's tree is their single-user server, its kernels and whatever those started (the
demo app runs in the kernel; lesson 01 also runs `server.py` as a child process). RSS counts
shared library pages once per process, so sums over-state what a machine needs a little; PSS
(`proportional=True`, slower to read) shares those pages out fairly between processes.
"""

from __future__ import annotations

import dataclasses

import psutil

MB = 1024 * 1024
SERVER_MODULE = "jupyterhub.singleuser"
KERNEL_MODULE = "ipykernel_launcher"


@dataclasses.dataclass
class TreeMemory:
    """Megabytes of one user's tree, split by role."""

    server: float = 0.0
    kernels: float = 0.0
    children: float = 0.0  # anything a kernel started (a subprocess server, a shell)
    kernel_count: int = 0

    @property
    def total(self) -> float:
        return self.server + self.kernels + self.children


def single_user_servers() -> dict[str, psutil.Process]:
    """The running single-user servers on this machine, by JupyterHub user name."""
    found = {}
    for process in psutil.process_iter(["cmdline"]):
        try:
            if SERVER_MODULE in " ".join(process.info["cmdline"] or []):
                user = process.environ().get("JUPYTERHUB_USER")
                if user:
                    found[user] = process
        except psutil.Error:
            continue  # ended meanwhile, or another user's process we may not read
    return found


def tree_memory(root: psutil.Process, proportional: bool = False) -> TreeMemory:
    """RSS (or PSS) of `root` and every descendant, in MB."""
    memory = TreeMemory()
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return memory
    for process in processes:
        try:
            info = process.memory_full_info() if proportional else process.memory_info()
            size = (getattr(info, "pss", info.rss) if proportional else info.rss) / MB
            cmdline = " ".join(process.cmdline())
        except psutil.Error:
            continue
        if process.pid == root.pid:
            memory.server += size
        elif KERNEL_MODULE in cmdline:
            memory.kernels += size
            memory.kernel_count += 1
        else:
            memory.children += size
    return memory


def hub_memory(hub_pid: int) -> dict[str, float]:
    """RSS in MB of the hub's own processes: JupyterHub, its proxy, its services.

    Single-user servers are the hub's children too; they are counted per student instead.
    """
    found: dict[str, float] = {}
    try:
        hub = psutil.Process(hub_pid)
        found["JupyterHub"] = hub.memory_info().rss / MB
        for child in hub.children():
            cmdline = " ".join(child.cmdline())
            if SERVER_MODULE in cmdline:
                continue
            role = ("configurable-http-proxy" if "configurable-http-proxy" in cmdline
                    else "shared GitHub double" if "shared_double" in cmdline
                    else "class view" if "class_view" in cmdline else "other")
            found[role] = found.get(role, 0.0) + tree_memory(child).total
    except psutil.Error:
        pass
    return found
