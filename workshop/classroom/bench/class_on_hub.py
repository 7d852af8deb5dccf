"""A class on one JupyterHub: N students run lessons 00–05 at once (a benchmark, not a test).

    python kit.py bench --class 30                  # every kernel starts its own GitHub double
    python kit.py bench --class 30 --shared-double  # one double for the hub, a namespace each

A real JupyterHub starts on 127.0.0.1 (`workshop.classroom.hub.launch`). First one student runs the
lessons alone: the baseline. Then N students start together, each in their own single-user
server and copy of `notebooks/`, and run lesson after lesson as a class does: a fresh kernel
per lesson, closed when the next lesson starts, lesson 05's left running with its demo app.
Reported: seconds per lesson against the student alone (a ratio), every failure, and memory
per student (RSS summed over their server's process tree: peak while working, and RSS and PSS
at the end). Not part of a plain `python kit.py bench`: it starts N servers.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from workshop.classroom.hub.kernels import run_notebook
from workshop.classroom.hub.launch import Hub
from workshop.classroom.hub.memory import hub_memory, single_user_servers, tree_memory
from workshop.paths import NOTEBOOKS
from workshop.runtime.lessons import lesson_notebooks

ON_DEMAND = True  # `python -m workshop bench` skips it; `--class N` runs it
LESSONS = [path.name for number, path in lesson_notebooks(NOTEBOOKS) if number <= 5]
SAMPLE_EVERY = 1.0  # seconds between memory samples while the class works


class Student:
    """One simulated student: seconds per lesson, failures, and the kernel left running."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.url, self.token = hub.server_url(name), hub.user_token(name)
        self.seconds: dict[str, float] = {}
        self.failures: list[tuple[str, str]] = []  # (lesson, what went wrong)
        self.kernel = None

    def run_lessons(self, start: threading.Barrier | None = None) -> Student:
        if start is not None:
            start.wait()
        for lesson in LESSONS:
            began = time.perf_counter()
            try:
                results, kernel = run_notebook(self.url, self.token, f"notebooks/{lesson}",
                                               keep_kernel=lesson == LESSONS[-1])
            except Exception as problem:  # noqa: BLE001 (a benchmark reports, never stops)
                self.failures.append((lesson, f"{type(problem).__name__}: {problem}"))
                continue
            self.seconds[lesson] = time.perf_counter() - began
            self.kernel = kernel or self.kernel
            self.failures += [(lesson, f"cell {r.index}: {r.error['ename']}: {r.error['evalue']}")
                              for r in results if r.error]
        return self

    def close(self) -> None:
        if self.kernel is not None:
            try:
                self.kernel.shutdown()
            except Exception:  # noqa: BLE001 (the hub stops it anyway)
                pass


class Sampler(threading.Thread):
    """Peak RSS per user's tree, sampled every second while the class works."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peaks: dict[str, float] = {}
        self._done = threading.Event()

    def run(self) -> None:
        roots = {}
        while not self._done.is_set():
            if len(roots) < len(self.peaks) + 1:
                roots = single_user_servers()  # found again until every server is known
            for name, root in roots.items():
                self.peaks[name] = max(self.peaks.get(name, 0.0), tree_memory(root).total)
            self._done.wait(SAMPLE_EVERY)

    def stop(self) -> dict[str, float]:
        self._done.set()
        self.join()
        return self.peaks


def run(students: int = 30, shared_double: bool = False) -> list[dict]:
    """The class benchmark's rows (see `report` for the tables)."""
    return measure(students, shared_double)["rows"]


def measure(students: int = 30, shared_double: bool = False) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="kit-class-"))
    names = [f"student{i:02d}" for i in range(1, students + 1)]
    class_ = []
    try:
        with Hub.start(folder, shared_double=shared_double) as hub:
            hub.add_students(["solo", *names])
            hub.spawn("solo")
            solo = Student(hub, "solo").run_lessons()
            solo.close()
            hub.api("DELETE", "users/solo/server")

            sampler = Sampler()
            sampler.start()
            began = time.perf_counter()
            hub.spawn(*names, timeout=900)
            spawn_seconds = time.perf_counter() - began
            class_ = [Student(hub, name) for name in names]
            start = threading.Barrier(len(class_))
            began = time.perf_counter()
            with ThreadPoolExecutor(len(class_)) as pool:
                list(pool.map(lambda s: s.run_lessons(start), class_))
            class_seconds = time.perf_counter() - began
            peaks = sampler.stop()
            servers = single_user_servers()
            end_rss = {n: tree_memory(servers[n]) for n in names if n in servers}
            end_pss = {n: tree_memory(servers[n], proportional=True).total
                       for n in names if n in servers}
            hub_mb = hub_memory(hub.proc.pid)  # the hub, its proxy, the shared double
            for student in class_:
                student.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"rows": lesson_rows(solo, class_) + memory_rows(peaks, end_rss, end_pss, names),
            "failures": [f"{s.name} {lesson} {what}" for s in [solo, *class_]
                         for lesson, what in s.failures],
            "spawn_seconds": spawn_seconds, "class_seconds": class_seconds,
            "hub_mb": hub_mb, "students": students, "shared_double": shared_double}


def lesson_rows(solo: Student, class_: list[Student]) -> list[dict]:
    rows = []
    for lesson in LESSONS:
        times = [s.seconds[lesson] for s in class_ if lesson in s.seconds]
        alone = solo.seconds.get(lesson)
        median = statistics.median(times) if times else None
        failed = sum(1 for s in class_ if any(where == lesson for where, _ in s.failures))
        rows.append({"lesson": lesson, "alone_s": alone, "class_median_s": median,
                     "class_max_s": max(times) if times else None,
                     "ratio": median / alone if median and alone else None,
                     "students_failed": failed})
    return rows


def memory_rows(peaks: dict, end_rss: dict, end_pss: dict, names: list[str]) -> list[dict]:
    def stats(values: list[float]) -> dict:
        return {"median_MB": statistics.median(values), "max_MB": max(values)} if values else {}

    ended = list(end_rss.values())
    return [
        {"memory per student": "peak RSS while working (server + kernel + children)",
         **stats([peaks[n] for n in names if n in peaks])},
        {"memory per student": "at the end, RSS: single-user server",
         **stats([m.server for m in ended])},
        {"memory per student": "at the end, RSS: lesson 05 kernel (demo app, double)",
         **stats([m.kernels for m in ended])},
        {"memory per student": "at the end, RSS: total", **stats([m.total for m in ended])},
        {"memory per student": "at the end, PSS: total (shared pages shared out)",
         **stats(list(end_pss.values()))},
    ]


def report(students: int = 30, shared_double: bool = False) -> str:
    """Both tables and the totals, as `python kit.py bench --class N` prints them."""
    from workshop.classroom.bench.report import format_table

    result = measure(students, shared_double)
    rows = result["rows"]
    lessons = [r for r in rows if "lesson" in r]
    memory = [r for r in rows if "memory per student" in r]
    double = "one shared double for the hub" if shared_double else "a GitHub double per kernel"
    lines = [f"{students} students at once on one JupyterHub ({double})",
             "", format_table(lessons), "", format_table(memory), "",
             f"starting {students} servers together: {result['spawn_seconds']:.0f} s; "
             f"the class's lessons 00-05: {result['class_seconds']:.0f} s",
             "once per hub (RSS): " + ", ".join(f"{role} {mb:.0f} MB"
                                                for role, mb in result["hub_mb"].items()),
             f"failures: {len(result['failures'])}"]
    lines += [f"  {failure}" for failure in result["failures"][:20]]
    return "\n".join(lines)
