"""Memory per student: RSS (or PSS) summed over a process tree, split by role."""

from __future__ import annotations

import subprocess
import sys

import psutil

from workshop.classroom.hub.memory import hub_memory, single_user_servers, tree_memory


def test_a_tree_counts_its_root_and_every_descendant():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        me = psutil.Process()
        alone = me.memory_info().rss / 2**20
        memory = tree_memory(me)
        assert memory.server >= alone * 0.5  # this process: the tree's root
        assert memory.children > 1  # the child, a whole Python of its own
        assert memory.kernel_count == 0 and memory.total == memory.server + memory.children
        assert tree_memory(me, proportional=True).total > 0
    finally:
        child.kill()
        child.wait()


def test_a_process_that_ended_counts_nothing():
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    process = psutil.Process(ended.pid)
    ended.wait()
    assert tree_memory(process).total == 0


def test_no_single_user_servers_outside_a_hub():
    assert all(isinstance(name, str) for name in single_user_servers())


def test_hub_memory_names_the_hubs_own_processes():
    found = hub_memory(psutil.Process().pid)  # this process stands in for JupyterHub
    assert found["JupyterHub"] > 0
