"""A class reporting at once to a hub's class view: how long, what is lost, what a refresh costs.

    python -m workshop class-view.load                     # 30 students × 14 × 5
    python -m workshop class-view.load --screenshot slides/class-view.png

Starts the kit's JupyterHub with the class view (no single-user servers: each simulated
student reports with their own hub token through the same `Reporter` a kernel uses), sends
every student's reports from their own thread, counts what the service stored, and times
the page's JSON. With `--screenshot`, it then clears the class (the `forget` command),
plays a lesson in progress and photographs the instructor's page in Chromium. A measurement
to read, not a test: the figures go into slides/INSTRUCTOR.md.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import requests

from workshop.classroom.hub.class_view.course import your_turns
from workshop.classroom.hub.class_view.store import DB_NAME, NOT_YET, OK, STUCK, Store
from workshop.classroom.hub.launch import Hub
from workshop.classroom.hub.memory import hub_memory
from workshop.paths import KIT_ROOT
from workshop.runtime.progress import Reporter

INSTRUCTOR = "teacher"
SCENE_LESSON = "04-proxying-github"


def students(count: int) -> list[str]:
    return [f"student{n:02d}" for n in range(1, count + 1)]


def wait_for_service(hub: Hub, headers: dict, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{hub.url}/services/class-view/api/state", headers=headers,
                            timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError("the class view did not answer")


def service_process(hub: Hub) -> psutil.Process:
    """The class view's process, a child of the hub."""
    for child in psutil.Process(hub.proc.pid).children():
        if "class_view" in " ".join(child.cmdline()):
            return child
    raise RuntimeError("the class view service is not running")


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def report_all(service: str, tokens: dict[str, str], turns: list[tuple[str, str]],
               attempts: int) -> dict:
    """Every student reports every your-turn `attempts` times (wrong, then right at last)."""

    def one_student(name: str) -> Reporter:
        sender = Reporter(service, tokens[name], size=len(turns) * attempts)
        for lesson, turn in turns:
            for attempt in range(1, attempts + 1):
                sender.send({"lesson": lesson, "your_turn": turn, "time": time.time(),
                             "verdict": OK if attempt == attempts else NOT_YET,
                             "attempt": attempt})
        sender.wait(600)
        return sender

    start = time.perf_counter()
    with ThreadPoolExecutor(len(tokens)) as pool:
        senders = list(pool.map(one_student, tokens))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "sent": sum(s.sent for s in senders),
            "failed": sum(s.failed for s in senders),
            "dropped": sum(s.dropped for s in senders)}


def check_overhead(service: str, token: str, times: int = 200) -> dict:
    """Microseconds a check spends on reporting, with the service up and with it down."""
    from workshop.runtime import progress as report

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/services/class-view/"
    saved = {name: os.environ.get(name) for name in (report.VARIABLE, "JUPYTERHUB_API_TOKEN",
                                                     "JPY_SESSION_NAME")}
    os.environ.update({"JUPYTERHUB_API_TOKEN": token, "JPY_SESSION_NAME": "load.ipynb"})
    took = {}
    try:
        for state, url in (("up", service), ("down", dead)):
            os.environ[report.VARIABLE] = url
            start = time.perf_counter()
            for _ in range(times):
                report.report_check("overhead", passed=False)
            took[state] = (time.perf_counter() - start) / times * 1e6
            report.reporter().wait(120)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return took


def refresh_cost(hub: Hub, headers: dict, lesson: str, times: int = 50) -> dict:
    """Milliseconds and bytes of the page's JSON, as the page asks for it every second."""
    url = f"{hub.url}/services/class-view/api/state"
    took, size = [], 0
    with requests.Session() as session:
        for _ in range(times):
            start = time.perf_counter()
            answer = session.get(url, params={"lesson": lesson}, headers=headers, timeout=30)
            took.append((time.perf_counter() - start) * 1000)
            size = len(answer.content)
    return {"median_ms": statistics.median(took), "max_ms": max(took), "bytes": size}


def play_a_lesson(service: str, tokens: dict[str, str], turns: list[str], seed: int = 4) -> None:
    """A lesson 12 minutes in: most are on the last your-turns, a few struggle, one is stuck."""
    rng = random.Random(seed)
    now = time.time()
    for index, name in enumerate(tokens):
        sender = Reporter(service, tokens[name])
        at = now - 12 * 60 + rng.uniform(0, 120)
        reached = rng.choices(range(len(turns)), weights=[1, 2, 5][-len(turns):])[0]
        for position, turn in enumerate(turns[:reached + 1]):
            fails = rng.choice([0, 0, 1, 1, 2]) if index % 7 else 4  # every 7th: 4 "not yet"
            finished = position < reached or rng.random() < 0.4
            for attempt in range(1, max(1, fails + finished) + 1):
                at += rng.uniform(40, 150)
                verdict = OK if finished and attempt == max(1, fails + finished) else NOT_YET
                sender.send({"lesson": SCENE_LESSON, "your_turn": turn, "verdict": verdict,
                             "time": min(at, now), "attempt": attempt})
        if index == 4:
            sender.send({"lesson": SCENE_LESSON, "your_turn": turns[reached], "verdict": STUCK,
                         "time": now, "attempt": 0})
        sender.wait(60)


def screenshot(hub: Hub, path: Path, lesson: str) -> None:
    """The instructor's page in headless Chromium, logged in through the hub."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=args)
        page = browser.new_page(viewport={"width": 1000, "height": 700})
        page.goto(f"{hub.url}/hub/login?next={quote('/services/class-view/')}")
        page.fill("#username_input", INSTRUCTOR)
        page.fill("#password_input", "class")
        page.click("#login_submit")
        page.select_option("#lesson", lesson)
        page.wait_for_function(f"document.getElementById('lesson-name').textContent == "
                               f"'{lesson}'")
        page.wait_for_timeout(300)
        page.screenshot(path=str(path), full_page=True)
        browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--attempts", type=int, default=5)
    parser.add_argument("--screenshot", type=Path, help="also photograph the page here (PNG)")
    args = parser.parse_args(argv)
    course = your_turns(KIT_ROOT / "notebooks")
    turns = [(lesson, turn) for lesson, names in course.items() for turn in names]
    names = students(args.students)
    with tempfile.TemporaryDirectory(prefix="class-view-load-") as folder, \
            Hub.start(Path(folder) / "hub", class_view=True) as hub:
        hub.add_instructors([INSTRUCTOR])
        hub.api("POST", "users", json={"usernames": names}).raise_for_status()
        tokens = {name: hub.user_token(name) for name in names}
        teacher = {"Authorization": f"token {hub.user_token(INSTRUCTOR)}"}
        wait_for_service(hub, teacher)
        service = f"http://127.0.0.1:{hub.class_view_port}/services/class-view/"
        process = service_process(hub)
        before = cpu_seconds(process)
        sent = report_all(service, tokens, turns, args.attempts)
        report_cpu = cpu_seconds(process) - before
        data = Path(folder) / "hub" / "class-view"
        stored = Store(data).count()
        busiest = max(course, key=lambda lesson: len(course[lesson]))
        before = cpu_seconds(process)
        cost = refresh_cost(hub, teacher, busiest)
        refresh_cpu = (cpu_seconds(process) - before) / 50 * 1000
        memory = hub_memory(hub.proc.pid).get("class view", 0.0)
        expected = len(names) * len(turns) * args.attempts
        print(f"{len(names)} students × {len(turns)} your-turns × {args.attempts} attempts = "
              f"{expected} reports in {sent['seconds']:.1f} s "
              f"({expected / sent['seconds']:.0f}/s); stored {stored}, "
              f"failed {sent['failed']}, dropped {sent['dropped']}; the service's CPU time: "
              f"{report_cpu:.1f} s (load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} CPUs)")
        print(f"the page's refresh (api/state, {busiest}, {len(names)} students): "
              f"median {cost['median_ms']:.1f} ms, max {cost['max_ms']:.1f} ms, "
              f"{cost['bytes']} bytes, {refresh_cpu:.1f} ms of the service's CPU")
        print(f"class view service: {memory:.0f} MB RSS after the load "
              f"({(data / DB_NAME).stat().st_size / 1024:.0f} KB of SQLite)")
        overhead = check_overhead(service, tokens[names[0]])
        print(f"a check's time spent on reporting: {overhead['up']:.0f} µs with the service "
              f"up, {overhead['down']:.0f} µs with it down")
        if args.screenshot:
            subprocess.run([sys.executable, "-m", "workshop.classroom.hub.class_view", "forget",
                            "--folder", str(data)], check=True)
            play_a_lesson(service, tokens, course[SCENE_LESSON])
            screenshot(hub, args.screenshot, SCENE_LESSON)
            print(f"screenshot: {args.screenshot}")


if __name__ == "__main__":
    main()
