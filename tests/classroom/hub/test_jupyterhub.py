"""A class on a real JupyterHub: three students, their own servers, lessons, pages and doubles.

JupyterHub runs on 127.0.0.1 with configurable-http-proxy, the dummy login, local processes
and one shared GitHub double (`classroom/hub/jupyterhub_config.py`; every other notebook test
uses the default, a double per kernel). Each student runs lessons 00–05 through their own
single-user server (REST and websocket, as JupyterLab does) in their own copy of `notebooks/`,
opens the demo app at `/user/<name>/proxy/<port>/` in Chromium and looks up a user. Then every
way across is tried: another student's cookie, another student's token, one's own proxy pointed
at another's port, and a fault injected in one student's GitHub double. The same hub runs the
class view (`workshop/classroom/hub/class_view/`): the lessons' checks report to it, an instructor
watches it in Chromium, and a student can neither open it nor report as someone else.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest
import requests
from conftest import ROOT, need
from demo_app import look_up_octocat

from workshop.classroom.hub.class_view.course import your_turns
from workshop.classroom.hub.kernels import run_notebook
from workshop.classroom.hub.launch import Hub, proxy_command
from workshop.runtime.lessons import lesson_notebooks

STUDENTS = ("alice", "bob", "carol")
INSTRUCTOR = "teacher"  # in the hub's `instructors` group: the class view is theirs
LESSONS = [nb.name for n, nb in lesson_notebooks(ROOT / "notebooks") if n <= 5]
# Asked of the kernel after lesson 05: where its demo app and its GitHub double listen.
WHERE = ("print(server.port, workshop.runtime.github_api.double().url, "
         "type(workshop.runtime.github_api.double()).__name__)")

# Generous: a loaded CI machine starts a hub, three servers and 18 kernels slowly, not wrongly.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    need(proxy_command() is not None,
         "configurable-http-proxy not found (npm install -g configurable-http-proxy)")
    hub = Hub.start(tmp_path_factory.mktemp("jupyterhub"), shared_double=True, class_view=True)
    try:
        hub.add_students(list(STUDENTS))
        hub.add_instructors([INSTRUCTOR])
        hub.spawn(*STUDENTS)
        yield hub
    finally:
        hub.stop()


class Student:
    """What one student ran: results per lesson, the live kernel, the demo's and double's ports."""

    def __init__(self, hub: Hub, name: str):
        self.name, self.url, self.token = name, hub.server_url(name), hub.user_token(name)
        self.results, self.kernel = {}, None
        for lesson in LESSONS:
            last = lesson == LESSONS[-1]
            self.results[lesson], kernel = run_notebook(
                self.url, self.token, f"notebooks/{lesson}", keep_kernel=last,
                after=WHERE if last else None)
            self.kernel = kernel or self.kernel
        where = self.results[LESSONS[-1]][-1].text().split()
        self.demo_port = int(where[0]) if where and where[0].isdigit() else None
        self.double_port = int(where[1].rsplit(":", 1)[1]) if len(where) > 1 else None
        self.double_kind = where[-1] if where else None


@pytest.fixture(scope="module")
def students(hub):
    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        done = dict(zip(STUDENTS, pool.map(lambda name: Student(hub, name), STUDENTS),
                        strict=True))
    yield done
    for student in done.values():
        if student.kernel is not None:
            student.kernel.shutdown()


def test_every_student_runs_lessons_00_to_05_through_the_hub(students):
    assert LESSONS[0].startswith("00-") and LESSONS[-1].startswith("05-")
    for name, student in students.items():
        for lesson, results in student.results.items():
            errors = [f"cell {r.index}: {r.error['ename']}: {r.error['evalue']}"
                      for r in results if r.error]
            assert not errors, f"{name}, {lesson}: {errors}"
        assert student.demo_port and student.double_port, student.results[LESSONS[-1]][-1].text()


def test_links_in_a_notebook_point_under_the_students_own_prefix(students):
    for name, student in students.items():
        outputs = [o for results in student.results.values() for r in results
                   for o in r.outputs]
        links = re.findall(r'<a href="([^"]+)"', "\n".join(
            o.get("data", {}).get("text/html", "") for o in outputs))
        # workshop.link(server): the student's own prefix and a port of theirs, proxied
        assert any(re.fullmatch(rf"/user/{name}/proxy/\d+/", link) for link in links), links
        assert all(link.startswith(f"/user/{name}/") for link in links), links
        shown = "\n".join(r.text() for results in student.results.values() for r in results)
        for other in students.values():
            if other is not student:
                assert f"/proxy/{other.demo_port}/" not in shown
                assert not re.search(rf":{other.double_port}\b", shown)


def test_each_student_has_their_own_servers_and_double(students):
    ports = [p for s in students.values() for p in (s.demo_port, s.double_port)]
    assert len(set(ports)) == len(ports)
    # Their doubles are namespaces of the hub's one shared double, steered over HTTP.
    assert {s.double_kind for s in students.values()} == {"RemoteDouble"}


@pytest.mark.browser
def test_demo_page_and_lookup_through_the_hub_in_chromium(hub, students, browser):
    for name, student in students.items():
        context = browser.new_context()
        page = context.new_page()
        try:
            # Log in on the hub's form; `next` leads straight on to the demo page.
            demo = f"/user/{name}/proxy/{student.demo_port}/"
            page.goto(f"{hub.url}/hub/login?next={quote(demo)}")
            page.fill("#username_input", name)
            page.fill("#password_input", "class")
            page.click("#login_submit")
            look_up_octocat(page)
        finally:
            context.close()


def test_a_students_cookie_opens_nothing_of_another_student(hub, students):
    bob = hub.login("bob")
    alice = students["alice"]
    own = bob.get(f"{students['bob'].url}proxy/{students['bob'].demo_port}/users/octocat",
                  timeout=60)
    assert own.status_code == 200 and own.json()["login"] == "octocat"
    for path in (f"proxy/{alice.demo_port}/", f"proxy/{alice.demo_port}/users/octocat",
                 f"proxy/{alice.double_port}/users/octocat", "lab", "api/contents/notebooks"):
        response = bob.get(alice.url + path, timeout=60)
        assert response.status_code == 403, (path, response.status_code)
        assert "octocat" not in response.text and "Flask Demo" not in response.text


def test_a_students_token_works_only_on_their_own_server(students):
    alice, bob = students["alice"], students["bob"]
    headers = {"Authorization": f"token {bob.token}"}
    assert requests.get(bob.url + "api/contents/notebooks", headers=headers,
                        timeout=60).status_code == 200
    for path in ("api/contents/notebooks/workspace", "api/kernels", "api/sessions"):
        response = requests.get(alice.url + path, headers=headers, timeout=60)
        assert response.status_code == 403, (path, response.status_code)


def test_a_students_proxy_reaches_only_their_own_ports(hub, students):
    bob = hub.login("bob")
    alice = students["alice"]
    proxy = f"{students['bob'].url}proxy/"
    for target in (alice.demo_port, alice.double_port, f"localhost:{alice.demo_port}",
                   f"127.0.0.1:{alice.double_port}", f"absolute/{alice.demo_port}"):
        response = bob.get(f"{proxy}{target}/users/octocat", timeout=60)
        assert response.status_code == 403, (target, response.status_code)
        assert "octocat" not in response.text


def test_a_students_workspace_is_theirs_alone(hub, students):
    for name, student in students.items():
        headers = {"Authorization": f"token {student.token}"}
        listing = requests.get(student.url + "api/contents/notebooks/workspace/app",
                               headers=headers, timeout=60)
        assert listing.status_code == 200
        assert {item["name"] for item in listing.json()["content"]} >= {"__init__.py",
                                                                       "routes.py"}
        assert (hub.home(name) / "notebooks/workspace/app/routes.py").is_file()
        root = requests.get(student.url + "api/contents/", headers=headers, timeout=60).json()
        assert not {item["name"] for item in root["content"]} & (set(STUDENTS) - {name})


def test_a_fault_in_one_students_double_hits_no_one_else(hub, students):
    carol = students["carol"]
    carol.kernel.execute('workshop.runtime.github_api.double().settings.fault = "500"')
    try:
        for name, student in students.items():
            response = requests.get(f"{student.url}proxy/{student.demo_port}/users/octocat",
                                    headers={"Authorization": f"token {student.token}"},
                                    timeout=60)
            assert response.status_code == (502 if name == "carol" else 200), name
    finally:
        carol.kernel.execute("workshop.double().reset()")


# -- the class view -------------------------------------------------------------------------

def class_view(hub: Hub) -> str:
    return f"{hub.url}/services/class-view/"


def text_of(outputs: list[dict]) -> str:
    return "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")


def test_every_lesson_check_reached_the_class_view(hub, students):
    """Lessons 01-05 run each your-turn's check wrong, then right: both were reported."""
    teacher = {"Authorization": f"token {hub.user_token(INSTRUCTOR)}"}
    course = your_turns(ROOT / "notebooks")
    for lesson in LESSONS[1:]:
        state = requests.get(class_view(hub) + "api/state", params={"lesson": lesson.removesuffix(
            ".ipynb")}, headers=teacher, timeout=60).json()
        assert state["your_turns"] == course[state["lesson"]], lesson
        rows = {row["name"]: row for row in state["students"]}
        assert set(STUDENTS) <= set(rows), lesson
        for name in STUDENTS:
            for turn in state["your_turns"]:
                cell = rows[name]["cells"][turn]
                assert cell["state"] == "✓" and cell["attempts"] >= 2, (lesson, name, turn)
        assert all(count == {"done": 3, "trying": 0} for count in state["counts"].values())


@pytest.mark.browser
def test_the_instructor_sees_each_state_within_2_s(hub, students, browser, tmp_path):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1100, "height": 500})
    page = context.new_page()
    try:
        page.goto(f"{hub.url}/hub/login?next={quote('/services/class-view/')}")
        page.fill("#username_input", INSTRUCTOR)
        page.fill("#password_input", "class")
        page.click("#login_submit")
        page.select_option("#lesson", "05-serving-the-page")
        expect(page.locator("#lesson-name")).to_have_text("05-serving-the-page")
        rows = page.locator("#grid tbody tr")

        def row(name):
            return rows.filter(has=page.locator("th", has_text=name))

        # Each deadline counts from the moment the kernel has printed the check's verdict.
        for name, student in students.items():
            said = text_of(student.kernel.execute('checks.page_rendered("no-such-folder")'))
            assert said.startswith("not yet:"), said
            expect(row(name)).to_contain_text("✗ not yet", timeout=2000)
        said = text_of(students["carol"].kernel.execute("workshop.stuck()"))
        assert "the instructor sees that you are stuck" in said, said
        expect(rows.first).to_contain_text("⚑ carol", timeout=2000)
        expect(rows.first).to_contain_text("says: stuck")
        page.screenshot(path=tmp_path / "class-view.png")
        for name, student in students.items():
            said = text_of(student.kernel.execute("checks.page_rendered()"))
            assert said.startswith("✓"), said
            expect(row(name)).to_contain_text("✓ done", timeout=2000)
        students["carol"].kernel.execute("workshop.done()")
        expect(row("carol")).not_to_contain_text("⚑", timeout=2000)
        header = page.locator("#grid thead th", has_text="page_rendered")
        expect(header).to_contain_text("✓ 3 done · ✗ 0 not yet")
    finally:
        context.close()


def test_a_student_can_neither_open_the_class_view_nor_report_as_another(hub, students):
    bob = students["bob"]
    page = hub.login("bob").get(class_view(hub), timeout=60)  # through the hub's OAuth
    assert page.status_code == 403 and "page_rendered" not in page.text
    state = requests.get(class_view(hub) + "api/state", timeout=60,
                         headers={"Authorization": f"token {bob.token}"})
    assert state.status_code == 403 and state.json()["message"]
    # With his server's own token (as his checks report), bob cannot speak for alice.
    as_alice = bob.kernel.execute(
        "import os, requests\n"
        "answer = requests.post(os.environ['WORKSHOP_CLASS_VIEW'] + 'api/report', timeout=10,"
        " headers={'Authorization': 'token ' + os.environ['JUPYTERHUB_API_TOKEN']},"
        " json={'student': 'alice', 'lesson': '05-serving-the-page',"
        " 'your_turn': 'page_rendered', 'verdict': '✓', 'time': 0, 'attempt': 1})\n"
        "print(answer.status_code, answer.json()['message'])")
    assert text_of(as_alice).startswith("403 you can only report about yourself"), as_alice
    report = {"lesson": "05-serving-the-page", "your_turn": "page_rendered", "verdict": "✓",
              "time": 0, "attempt": 1}
    assert requests.post(class_view(hub) + "api/report", json=report,
                         timeout=60).status_code == 403  # no token, no report
    bad = requests.post(class_view(hub) + "api/report", data=json.dumps({**report, "code": "x"}),
                        headers={"Authorization": f"token {bob.token}"}, timeout=60)
    assert bad.status_code == 400 and "only lesson" in bad.json()["message"]


def test_with_the_class_view_down_a_checks_output_is_unchanged(students):
    alice = students["alice"].kernel
    up = text_of(alice.execute("checks.page_rendered()"))
    down = text_of(alice.execute(
        "import os, socket\n"
        "from workshop.runtime import progress as report\n"
        "with socket.socket() as sock:\n"
        "    sock.bind(('127.0.0.1', 0)); dead = sock.getsockname()[1]\n"
        "was = os.environ['WORKSHOP_CLASS_VIEW']\n"
        "os.environ['WORKSHOP_CLASS_VIEW'] = f'http://127.0.0.1:{dead}/services/class-view/'\n"
        "checks.page_rendered()"))
    failed = text_of(alice.execute(
        "sender = report.reporter(); sender.wait(); print(sender.failed, sender.sent)\n"
        "os.environ['WORKSHOP_CLASS_VIEW'] = was"))
    assert up == down and up.startswith("✓ GET / → 200")
    assert failed.split() == ["1", "0"], failed


# Run in bob's kernel: his own key (as his server has it) against alice's namespace.
PROBE_NAMESPACE = """import os, requests
base = os.environ["WORKSHOP_SHARED_DOUBLE"] + "/namespaces/alice"
mine = {"Authorization": "Bearer " + os.environ["WORKSHOP_SHARED_DOUBLE_KEY"]}
print([requests.request(method, base + path, json=body, headers=mine, timeout=30).status_code
       for method, path, body in (("PATCH", "/settings", {"fault": "500"}),
                                  ("GET", "/calls", None), ("POST", "/reset", None))])"""


def test_a_classmate_can_neither_steer_nor_read_anothers_double(students):
    bob, alice = students["bob"], students["alice"]
    outputs = bob.kernel.execute(PROBE_NAMESPACE)
    assert "[403, 403, 403]" in "".join(o.get("text", "") for o in outputs), outputs
    response = requests.get(f"{alice.url}proxy/{alice.demo_port}/users/octocat",
                            headers={"Authorization": f"token {alice.token}"}, timeout=60)
    assert response.status_code == 200 and response.json()["login"] == "octocat"


# Run in bob's kernel: listen on another loopback address, on the port of alice's demo app.
LISTEN_BESIDE = """import socket
beside = socket.socket()
beside.bind(("127.0.0.2", {port}))
beside.listen()"""


def test_a_socket_on_another_loopback_address_opens_no_classmates_port(hub, students):
    bob, alice = students["bob"], students["alice"]
    outputs = bob.kernel.execute(LISTEN_BESIDE.format(port=alice.demo_port))
    assert not [o for o in outputs if o["output_type"] == "error"], outputs
    try:
        session = hub.login("bob")
        for target in (alice.demo_port, f"localhost:{alice.demo_port}",
                       f"127.0.0.1:{alice.demo_port}"):
            response = session.get(f"{bob.url}proxy/{target}/users/octocat", timeout=60)
            assert response.status_code == 403, (target, response.status_code)
            assert "octocat" not in response.text
    finally:
        bob.kernel.execute("beside.close()")


def test_kernels_take_the_kits_server_config(students):
    # Unix sockets, from classroom/hub/singleuser/jupyter_server_config.py (not the command line).
    outputs = students["alice"].kernel.execute(
        "from ipykernel.kernelapp import IPKernelApp\nprint(IPKernelApp.instance().transport)")
    assert "ipc" in "".join(o.get("text", "") for o in outputs), outputs
