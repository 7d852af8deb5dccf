"""Run a check in a child process that is killed when a step of student code takes too long.

Why a forked child and not a worker thread? Python cannot stop a thread: a view stuck in
`while True` or `time.sleep(3600)` would keep running (and holding the CPU) until the kernel
restarts. A process can be killed whatever it is doing, even inside C code. Why fork and not a
fresh `python` subprocess? The check's arguments are live objects of the kernel (an app built in
a notebook, a function, a Response) that a new interpreter could not receive; a forked child
starts with all of them. Windows has no fork: there the check runs in a thread, and a stuck
thread is left behind (the message says so).

The child tells the parent what it is about to do (`step`) so that a timeout names the real
cause ("your view did not answer GET /x"), and steers the kernel's GitHub double through the
parent, because the double's server thread stays in the parent (see `_ParentDouble`).
"""

from __future__ import annotations

import io
import os
import sys
import threading
import time
import warnings
from multiprocessing import Pipe

DEADLINE = 5.0  # seconds one step of student code may take before the check gives up on it
LOOP_ADVICE = "look for a loop that never ends or a sleep"

_channel = None  # in the child: the pipe end to the parent; None in the parent (step is a no-op)
_talking = threading.Lock()  # a check's threads may step at once; one message at a time


class TimedOut(Exception):
    """A step did not finish within its seconds; the message names the step and the advice."""


class Ended(Exception):
    """The child ended without a verdict (os._exit, a crash); the message says so."""


def step(doing: str, seconds: float | None = None, advice: str = LOOP_ADVICE) -> None:
    """Tell the parent what comes next ("your view did not answer GET /x"); its clock restarts."""
    if _channel is not None:
        with _talking:
            _channel.send(("step", doing, DEADLINE if seconds is None else seconds, advice))


def run(target, *args, scrub=None):
    """`target(*args)` in a killable child; returns (its result, what it printed).

    `scrub(text)` cleans what was printed inside the child, where the student's code may have
    changed the environment (a secret loaded from a file exists only there).

    Raises TimedOut when a step overran, Ended when the child died without an answer.
    `target` must return something picklable and must not raise (the check wraps it).
    """
    if not hasattr(os, "fork"):
        return _run_in_thread(target, args)
    parent, child = Pipe()
    double = _local_double()
    if sys.platform == "darwin":
        # macOS's proxy lookup (used by requests) initialises Objective-C classes, which
        # aborts in a forked child unless the parent did it first.
        import urllib.request
        urllib.request.getproxies()
    with warnings.catch_warnings():
        # Python 3.12+ warns that fork() in a threaded process may deadlock: the child only
        # runs the check (its own threads, none of the parent's locks) and is killed if stuck.
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            pid = os.fork()
        except OSError:  # no process left to spare (ulimit): a thread still keeps the deadline
            parent.close()
            child.close()
            return _run_in_thread(target, args)
    if pid == 0:  # the child: never returns into the kernel's code
        try:
            parent.close()
            _child_main(child, target, args, double, scrub)
        finally:
            os._exit(0)
    child.close()
    finished = False
    try:
        outcome = _await(parent)
        finished = True
        return outcome
    finally:
        parent.close()
        _end(pid)
        if double is not None and not finished:
            # A child killed halfway may have left a fault (a hang!) switched on in the
            # kernel's double; the student's next cell must not meet it.
            _steer("reset")


def _child_main(channel, target, args, double, scrub) -> None:
    """Run the target with output captured, and send its result to the parent."""
    global _channel
    _channel = channel
    # Nothing the child writes may reach the notebook unredacted: Python-level output is
    # captured and sent back; anything written straight to the file descriptors is dropped.
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    # What the student's code prints is shown (redacted); stderr (log lines, tracebacks) is not:
    # a check says what is wrong in one line.
    printed = sys.stdout = io.StringIO()
    sys.stderr = io.StringIO()
    from workshop.runtime import github_api as upstream
    from workshop.runtime import server

    server.forget_inherited()  # the parent's servers are the parent's to stop
    if double is not None:
        upstream.steer_through(_ParentDouble(double))
    result = target(*args)
    text = printed.getvalue()
    channel.send(("done", result, scrub(text) if scrub else text))


def _await(channel):
    """The parent's side: follow the child's steps, answer its double requests, time it out."""
    doing, seconds, advice = "your code did not finish", DEADLINE, LOOP_ADVICE
    deadline = time.monotonic() + seconds
    while True:
        if not channel.poll(max(deadline - time.monotonic(), 0)):
            raise TimedOut(f"{doing} within {seconds:g} s: {advice}")
        try:
            message = channel.recv()
        except EOFError:
            raise Ended("your code ended the check's process (os._exit() or a crash?)") from None
        if message[0] == "done":
            return message[1], message[2]
        if message[0] == "step":
            doing, seconds, advice = message[1:]
            deadline = time.monotonic() + seconds
        elif message[0] == "double":
            channel.send(_steer(*message[1:]))


def _end(pid: int) -> None:
    """Kill the child (finished or stuck) and reap it, so no zombie is left."""
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


# -- the GitHub double, steered from the child ---------------------------------------------

def _local_double() -> str | None:
    """The URL of the kernel's in-process double, or None (none yet, or a hub's shared one)."""
    from workshop.github_double import Double
    from workshop.runtime.github_api import double

    control = double()
    return control.url if isinstance(control, Double) else None


def _steer(operation: str, name: str | None = None, value=None):
    """Do what the child asked to the kernel's double; ("ok", result) or ("error", exception)."""
    from workshop.runtime.github_api import double

    control = double()
    try:
        if operation == "reset":
            return "ok", control.reset()
        if operation == "calls":
            return "ok", list(control.calls)
        if operation == "get":
            return "ok", getattr(control.settings, name)
        setattr(control.settings, name, value)
        return "ok", None
    except Exception as error:  # noqa: BLE001 (sent back to be raised in the child)
        return "error", error


def _ask(*request):
    with _talking:
        _channel.send(("double", *request))
        outcome, value = _channel.recv()
    if outcome == "error":
        raise value
    return value


class _ParentSettings:
    """`double().settings` in the child: reading and assigning go to the parent's double."""

    def __getattr__(self, name: str):
        return _ask("get", name)

    def __setattr__(self, name: str, value) -> None:
        _ask("set", name, value)


class _ParentDouble:
    """`double()` in the child: the kernel's double, whose server thread stayed in the parent.

    Requests from the child reach that thread over TCP as before; only the steering (faults,
    reset, calls) must cross the pipe, or the child would change a copy nobody serves from.
    """

    def __init__(self, url: str):
        self.url = url
        self.settings = _ParentSettings()

    @property
    def calls(self) -> list[str]:
        return _ask("calls")

    def reset(self) -> None:
        _ask("reset")


# -- Windows: a thread instead of a child ----------------------------------------------------

def _run_in_thread(target, args):
    """The same protocol with a daemon thread; a stuck thread cannot be stopped, only left."""
    parent, child = Pipe()
    saved = sys.stdout, sys.stderr

    def work():
        global _channel
        printed = io.StringIO()
        sys.stdout, sys.stderr = printed, io.StringIO()  # as in the child (see _child_main)
        _channel = child
        try:
            result = target(*args)
        finally:
            _channel = None
            if sys.stdout is printed:  # not yet given back by the parent (see below)
                sys.stdout, sys.stderr = saved
        try:
            child.send(("done", result, printed.getvalue()))
        except OSError:  # the parent gave up on this thread long ago and closed its end
            pass

    threading.Thread(target=work, daemon=True, name="workshop-check").start()
    try:
        return _await(parent)
    except TimedOut as stuck:
        sys.stdout, sys.stderr = saved  # the stuck thread must not keep the kernel's output
        raise TimedOut(f"{stuck} (it keeps running in the background until you restart the "
                       "kernel)") from None
