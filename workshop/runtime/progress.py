"""Tell the hub's class view how a self-check went, in the background, and only on a hub.

A report holds the lesson, the your-turn (the check's name), the verdict, the time and the
attempt number: never code, output or environment. It is queued and sent by one daemon
thread, so a check never waits for the service and never fails because of it; when the
queue is full (the service is slow or down) reports are dropped, not piled up.

Nothing is sent unless the hub set `WORKSHOP_CLASS_VIEW` (the service's URL) and the server
has its `JUPYTERHUB_API_TOKEN`: on a laptop this module does nothing. A student opts out for
good with `workshop.share_progress(False)`.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections import Counter
from pathlib import Path

import requests

# What a report may say (the class view's store reads the same names).
OK, NOT_YET, STUCK, DONE = "✓", "not yet", "stuck", "done"


VARIABLE = "WORKSHOP_CLASS_VIEW"
QUEUE_SIZE = 200  # a whole lesson's checks, many times over
TIMEOUT = (1.0, 5.0)  # seconds to connect, to answer: on the hub's machine, maybe busy
OPT_OUT = Path.home() / ".config" / "flask-live" / "class-view-off"

_attempts: Counter = Counter()
_last_turn: dict[str, str] = {}  # lesson -> the your-turn checked last (for a sticky note)
_reporter: Reporter | None = None
_lock = threading.Lock()


class Reporter:
    """A bounded queue of reports and the one thread that posts them with the server's token."""

    def __init__(self, service: str, token: str, size: int = QUEUE_SIZE):
        self.service = service.rstrip("/") + "/"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"
        self.session.trust_env = False  # a company proxy must not see the hub's own traffic
        self.queue: queue.Queue = queue.Queue(size)
        self.sent = self.dropped = self.failed = 0
        self._thread: threading.Thread | None = None

    def send(self, report: dict) -> None:
        """Queue `report`; drop it when the queue is full. Never blocks, never raises."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="class-view-reporter",
                                            daemon=True)
            self._thread.start()
        try:
            self.queue.put_nowait(report)
        except queue.Full:
            self.dropped += 1

    def wait(self, timeout: float = 10.0) -> bool:
        """True once every queued report has been tried (for tests and the load script)."""
        deadline = time.monotonic() + timeout
        while self.queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self.queue.unfinished_tasks

    def _work(self) -> None:
        while True:
            report = self.queue.get()
            try:
                response = self.session.post(self.service + "api/report", json=report,
                                             timeout=TIMEOUT)
                if response.status_code == 200:
                    self.sent += 1
                else:
                    self.failed += 1
            except Exception:  # noqa: BLE001 (the service being down must never reach a check)
                self.failed += 1
            finally:
                self.queue.task_done()


def reporter() -> Reporter | None:
    """The kernel's reporter, or None: no hub, no class view, or the student opted out."""
    global _reporter
    service = os.environ.get(VARIABLE, "").strip()
    token = os.environ.get("JUPYTERHUB_API_TOKEN", "")
    if not service or service == "off" or not token or OPT_OUT.exists():
        return None
    with _lock:
        if _reporter is None or _reporter.service != service.rstrip("/") + "/":
            _reporter = Reporter(service, token)
        return _reporter


def current_lesson() -> str:
    """The lesson this kernel runs, e.g. 01-first-server (JupyterLab sets JPY_SESSION_NAME)."""
    path = os.environ.get("JPY_SESSION_NAME", "")
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.removesuffix(".ipynb") or "unknown"


def report_check(your_turn: str, passed: bool) -> None:
    """Queue one check's verdict for the class view; a no-op off a hub. Never raises."""
    try:
        sender = reporter()
        if sender is None:
            return
        lesson = current_lesson()
        _attempts[(lesson, your_turn)] += 1
        _last_turn[lesson] = your_turn
        sender.send({"lesson": lesson, "your_turn": your_turn,
                     "verdict": OK if passed else NOT_YET, "time": time.time(),
                     "attempt": _attempts[(lesson, your_turn)]})
    except Exception:  # noqa: BLE001, S110 (a check's output must not change because of us)
        pass


def _note(verdict: str, said: str) -> None:
    sender = reporter()
    if sender is None:
        print("No class view here (not on the class's hub, or you opted out): "
              "raise your hand or put up a sticky note.")
        return
    lesson = current_lesson()
    sender.send({"lesson": lesson, "your_turn": _last_turn.get(lesson, ""),
                 "verdict": verdict, "time": time.time(), "attempt": 0})
    print(said)


def stuck() -> None:
    """Tell the instructor you are stuck (the red sticky note); `done()` takes it down."""
    _note(STUCK, "Your note is up: the instructor sees that you are stuck. "
                 "Run workshop.done() when you are going again.")


def done() -> None:
    """Tell the instructor you are done (the green sticky note)."""
    _note(DONE, "Your note is up: the instructor sees that you are done.")


def share_progress(share: bool = True) -> None:
    """Turn reporting to the class view on or off for all your notebooks (off deletes your data)."""
    global _reporter
    if share:
        OPT_OUT.unlink(missing_ok=True)
        print("Your checks' verdicts are shown to the instructor's class view (on a hub).")
        return
    OPT_OUT.parent.mkdir(parents=True, exist_ok=True)
    OPT_OUT.write_text("The class view gets no reports from this account.\n", encoding="utf-8")
    service = os.environ.get(VARIABLE, "").strip()
    token = os.environ.get("JUPYTERHUB_API_TOKEN", "")
    deleted = None
    if service and service != "off" and token:
        try:  # ask the service to forget what it holds about you
            answer = requests.delete(service.rstrip("/") + "/api/me", timeout=TIMEOUT,
                                     headers={"Authorization": f"token {token}"})
            deleted = answer.json().get("deleted") if answer.status_code == 200 else None
        except (OSError, ValueError):
            deleted = None
    with _lock:
        _reporter = None
    print("Nothing more is sent to the class view from this account."
          + (f" It deleted your {deleted} earlier reports." if deleted is not None else ""))
