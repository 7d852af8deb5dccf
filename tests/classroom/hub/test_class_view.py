"""The class view without a hub: what a report may hold, the grid and its "needs help" rule,
the SQLite store and its `forget` command, and the kernel's background reporter.

The service behind the hub's OAuth and RBAC is proven in test_jupyterhub.py (a real hub).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

import pytest
from conftest import ROOT
from flask import Flask, request

from workshop import serve
from workshop.checks import NotYet, check
from workshop.classroom.hub.class_view.course import your_turns
from workshop.classroom.hub.class_view.store import (
    FIELDS,
    MIN_MEDIAN,
    NOT_YET,
    OK,
    BadReport,
    Store,
    grid,
    validate,
)
from workshop.runtime import progress as report

NOW = 1_800_000_000.0


def a_report(**changes) -> dict:
    return {"lesson": "01-first-server", "your_turn": "home_page", "verdict": OK,
            "time": NOW, "attempt": 1, **changes}


def test_a_good_report_holds_five_fields():
    assert validate(a_report(), now=NOW) == a_report()
    note = a_report(verdict="stuck", your_turn="", attempt=0)
    assert validate(note, now=NOW) == note


@pytest.mark.parametrize(("body", "says"), [
    ([], "JSON object"),
    (a_report(code="import os"), "only lesson"),  # never code, output or environment
    (a_report(output="✓ …"), "only lesson"),
    ({"lesson": "01"}, "missing"),
    (a_report(lesson="../etc"), "lesson:"),
    (a_report(your_turn="<img src=x>"), "your_turn:"),
    (a_report(verdict="maybe"), "verdict:"),
    (a_report(time="noon"), "time:"),
    (a_report(time=NOW + 3 * 86400), "time:"),
    (a_report(attempt=-1), "attempt:"),
    (a_report(attempt=True), "attempt:"),
])
def test_a_bad_report_is_refused_with_what_to_send(body, says):
    with pytest.raises(BadReport, match=says):
        validate(body, now=NOW)


def rows(*reports):
    """(student, your_turn, verdict, at, attempt) rows in time order."""
    return sorted(reports, key=lambda row: row[3])


def test_the_grid_shows_latest_verdicts_tries_and_counts():
    table = grid(rows(("bob", "a", NOT_YET, NOW, 1), ("bob", "a", OK, NOW + 5, 2),
                      ("alice", "a", NOT_YET, NOW + 1, 1)),
                 ["alice", "bob", "carol"], ["a", "b"], NOW + 10)
    assert table["your_turns"] == ["a", "b"]
    assert table["counts"] == {"a": {"done": 1, "trying": 1}, "b": {"done": 0, "trying": 0}}
    by_name = {row["name"]: row for row in table["students"]}
    assert by_name["bob"]["cells"] == {"a": {"state": OK, "attempts": 2}}
    assert by_name["alice"]["cells"] == {"a": {"state": NOT_YET, "attempts": 1}}
    assert by_name["carol"]["cells"] == {} and table["flagged"] == 0


def test_three_not_yets_in_a_row_or_a_stuck_note_come_first():
    table = grid(rows(*[("zoe", "a", NOT_YET, NOW + i, i + 1) for i in range(3)],
                      ("yan", "a", NOT_YET, NOW, 1), ("yan", "a", NOT_YET, NOW + 1, 2),
                      ("amy", "a", OK, NOW, 1), ("xia", "", "stuck", NOW + 2, 0)),
                 ["amy", "xia", "yan", "zoe"], ["a"], NOW + 10)
    assert [row["name"] for row in table["students"]] == ["xia", "zoe", "amy", "yan"]
    assert table["students"][1]["why"] == ["3 × not yet on a"]
    assert table["students"][0]["why"] == ["says: stuck"] and table["flagged"] == 2
    # A later "done" note takes the red one down.
    table = grid(rows(("xia", "", "stuck", NOW, 0), ("xia", "", "done", NOW + 1, 0)),
                 ["xia"], ["a"], NOW + 10)
    assert not table["students"][0]["flagged"] and table["students"][0]["note"] == "done"


def test_twice_the_class_median_on_a_your_turn_comes_first():
    minute = 60.0
    # Everyone arrives at "b" when they finish "a" (at NOW); three finish b in 2-4 minutes.
    reports = [(name, "a", OK, NOW, 1) for name in ("p", "q", "r", "s")]
    reports += [("p", "b", OK, NOW + 2 * minute, 1), ("q", "b", OK, NOW + 3 * minute, 1),
                ("r", "b", OK, NOW + 4 * minute, 1), ("s", "b", NOT_YET, NOW + minute, 1)]
    median = 3 * minute
    early = grid(rows(*reports), ["p", "q", "r", "s"], ["a", "b"], NOW + 2 * median - 1)
    assert early["flagged"] == 0
    late = grid(rows(*reports), ["p", "q", "r", "s"], ["a", "b"], NOW + 2 * median)
    assert late["students"][0]["name"] == "s"
    assert late["students"][0]["why"] == ["6 min on b (class median 3.0 min)"]
    # A student silent since their ✓ on "a" is on "b" too, without a check yet.
    silent = grid(rows(*reports, ("t", "a", OK, NOW, 1)), ["p", "q", "r", "s", "t"], ["a", "b"],
                  NOW + 2 * median)
    assert silent["students"][1]["name"] == "t"
    assert silent["students"][1]["why"] == ["6 min on b, no check yet (class median 3.0 min)"]
    # A ✓ at the first try takes 0 s; the floor keeps the slower half from being flagged.
    quick = grid(rows(("p", "a", OK, NOW, 1), ("s", "a", NOT_YET, NOW, 1)), ["p", "s"], ["a"],
                 NOW + 2 * MIN_MEDIAN - 1)
    assert quick["flagged"] == 0


def test_the_store_keeps_reports_in_its_folder_and_forgets_them(tmp_path):
    store = Store(tmp_path / "class-view")
    store.add("alice", a_report(verdict=NOT_YET))
    store.add("bob", a_report(lesson="03-routes", your_turn="repository_route"))
    course = {"01-first-server": ["home_page"], "03-routes": ["repository_route"]}
    state = store.state(None, course)
    assert state["lesson"] == "03-routes"  # the lesson reported last
    assert state["lessons"] == ["01-first-server", "03-routes"]
    assert [row["name"] for row in store.state("01-first-server", course)["students"]] == [
        "alice", "bob"]
    assert store.forget("alice") == 1 and store.count() == 1
    assert (tmp_path / "class-view" / "class-view.sqlite").is_file()
    deleted = subprocess.run([sys.executable, "-m", "workshop.classroom.hub.class_view", "forget",
                              "--folder", str(tmp_path / "class-view")],
                             capture_output=True, text=True, check=True, cwd=ROOT)
    assert "deleted 1 reports" in deleted.stdout and store.count() == 0


def test_the_view_knows_every_your_turn_of_the_lessons():
    import nbformat

    lessons = your_turns(ROOT / "notebooks")
    assert lessons["01-first-server"] == ["home_page"]
    assert lessons["04-proxying-github"][0] == "settings_from_environment"
    # Counted apart: the lessons' "Your turn" tasks, each ending in a self-check (the view also
    # lists the checks of Going further parts, which some students run in class).
    tasks = sum("**Your turn.**" in cell.source
                for path in (ROOT / "notebooks").glob("[01][0-9]-*.ipynb")
                for cell in nbformat.read(path, as_version=4).cells
                if cell.cell_type == "markdown")
    assert sum(len(turns) for turns in lessons.values()) >= tasks
    assert all(lessons.get(path.stem) for path in (ROOT / "notebooks").glob("[01][0-9]-*.ipynb")
               if 1 <= int(path.name[:2]) <= 10)


# -- the kernel's reporter -------------------------------------------------------------------

@pytest.fixture
def on_a_hub(monkeypatch, tmp_path):
    """A kernel's environment on the class's hub, with a fake class view recording reports."""
    received, release = [], threading.Event()
    release.set()
    app = Flask("fake-class-view")

    @app.post("/services/class-view/api/report")
    def record():
        release.wait(30)  # a test clears it to play a service that does not answer
        received.append((request.headers.get("Authorization"), request.get_json()))
        return {"recorded": True}

    server = serve(app, name="fake-class-view")
    monkeypatch.setenv(report.VARIABLE, server.url + "services/class-view/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "token-of-alices-server")
    monkeypatch.setenv("JPY_SESSION_NAME", "notebooks/01-first-server.ipynb")
    monkeypatch.setattr(report, "OPT_OUT", tmp_path / "class-view-off")
    monkeypatch.setattr(report, "_reporter", None)
    monkeypatch.setattr(report, "_attempts", report.Counter())
    yield received, release
    release.set()
    server.stop()


@check
def home_page(fixed: bool) -> str:
    """A check as the lessons have them (named after one of lesson 01's your-turns)."""
    if not fixed:
        raise NotYet("GET / answered 404")
    return "GET / answered 200"


def test_checks_report_verdict_and_attempt_in_the_background(on_a_hub, capsys):
    received, _ = on_a_hub
    home_page(False)
    home_page(True)
    assert capsys.readouterr().out == "not yet: GET / answered 404\n✓ GET / answered 200\n"
    assert report.reporter().wait()
    assert [auth for auth, _ in received] == ["token token-of-alices-server"] * 2
    bodies = [body for _, body in received]
    assert [set(body) for body in bodies] == [set(FIELDS)] * 2  # nothing else, ever
    assert [(b["lesson"], b["your_turn"], b["verdict"], b["attempt"]) for b in bodies] == [
        ("01-first-server", "home_page", NOT_YET, 1), ("01-first-server", "home_page", OK, 2)]


def test_a_service_that_does_not_answer_never_holds_up_a_check(on_a_hub, capsys):
    received, release = on_a_hub
    release.clear()  # the service accepts the report and sits on it
    home_page(True)
    # The check has printed and returned while its report is still on its way.
    assert capsys.readouterr().out == "✓ GET / answered 200\n"
    assert report.reporter().queue.unfinished_tasks == 1 and received == []
    release.set()
    assert report.reporter().wait() and len(received) == 1


def test_a_service_that_is_down_changes_no_output(on_a_hub, monkeypatch, capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]  # closed again below: nobody listens there
    monkeypatch.setenv(report.VARIABLE, f"http://127.0.0.1:{dead}/services/class-view/")
    home_page(False)
    assert capsys.readouterr().out == "not yet: GET / answered 404\n"
    sender = report.reporter()
    assert sender.wait() and sender.failed == 1 and sender.sent == 0


def test_the_queue_is_bounded(on_a_hub):
    _, release = on_a_hub
    release.clear()
    sender = report.Reporter(report.os.environ[report.VARIABLE], "t", size=2)
    for attempt in range(5):
        sender.send(a_report(attempt=attempt))
    # The worker holds one (its post hangs) or has not taken one yet: 2 or 3 are dropped.
    assert sender.dropped in (2, 3)
    release.set()
    assert sender.wait()


def test_nothing_is_sent_on_a_laptop_or_after_opting_out(on_a_hub, monkeypatch, capsys):
    received, _ = on_a_hub
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN")  # a laptop: no hub, no token
    home_page(True)
    assert report.reporter() is None and report._reporter is None
    report.stuck()
    assert "No class view here" in capsys.readouterr().out
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "token-of-alices-server")
    report.share_progress(False)  # one setting, for every notebook of the account
    assert report.OPT_OUT.exists() and "Nothing more is sent" in capsys.readouterr().out
    home_page(True)
    assert report.reporter() is None and received == []
    report.share_progress(True)
    assert report.reporter() is not None


def test_a_sticky_note_names_the_lesson_and_the_last_your_turn(on_a_hub, capsys):
    received, _ = on_a_hub
    home_page(False)
    report.stuck()
    report.done()
    assert report.reporter().wait()
    notes = [body for _, body in received][1:]
    assert [(n["verdict"], n["your_turn"], n["attempt"]) for n in notes] == [
        ("stuck", "home_page", 0), ("done", "home_page", 0)]
    assert "the instructor sees that you are stuck" in capsys.readouterr().out


# -- the page, in Chromium, with a made-up class ---------------------------------------------

@pytest.mark.browser
def test_the_page_escapes_names_shows_text_not_colour_and_works_from_the_keyboard(page):
    from importlib.resources import files

    from workshop.checks import XSS_PAYLOAD

    table = grid(rows((XSS_PAYLOAD, "a", NOT_YET, NOW, 1), (XSS_PAYLOAD, "a", NOT_YET, NOW + 1, 2),
                      (XSS_PAYLOAD, "a", NOT_YET, NOW + 2, 3), ("bob", "a", OK, NOW, 1)),
                 [XSS_PAYLOAD, "bob", "carol"], ["a", "b"], NOW + 3)
    state = {"lesson": "01-first-server", "lessons": ["01-first-server", "03-routes"], **table}
    page_file = files("workshop.classroom.hub.class_view").joinpath("page.html")
    html = page_file.read_text(encoding="utf-8")
    seen = []
    # The service's two answers, played by the browser itself: no hub needed here.
    page.route("http://class-view.test/services/class-view/", lambda route: route.fulfill(
        body=html.replace("__XSRF_TOKEN__", "t"), content_type="text/html"))

    def answer(route):
        seen.append(route.request.headers.get("x-xsrftoken"))
        route.fulfill(json=state)

    page.route("http://class-view.test/services/class-view/api/state*", answer)
    page.goto("http://class-view.test/services/class-view/")
    lines = page.locator("#grid tbody tr")
    lines.first.wait_for()
    assert page.evaluate("document.querySelectorAll('#grid img').length") == 0
    assert page.evaluate("window.pwned") is None
    assert lines.first.locator("th").inner_text() == f"⚑ {XSS_PAYLOAD}"  # flagged: first
    texts = [lines.nth(i).inner_text().split("\t") for i in range(3)]
    assert texts[0][1:] == ["⚑ 3 × not yet on a", "✗ not yet (3 tries)", "· not started"]
    assert texts[1][1:] == ["no", "✓ done (1 try)", "· not started"]
    assert "✓ 1 done · ✗ 1 not yet" in page.locator("#grid thead").inner_text()
    assert seen[0] == "t"  # the hub's XSRF token goes with every fetch
    # Keyboard: Tab reaches the lesson menu, then the pause button; Space presses it.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "lesson"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.get_attribute("#pause", "aria-pressed") == "true"
