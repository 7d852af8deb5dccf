"""A class on a real JupyterHub: three students, their own servers, lessons, pages and doubles.

JupyterHub runs on 127.0.0.1 with configurable-http-proxy, the dummy login, local processes
and one shared GitHub double (`workshop/hub/jupyterhub_config.py`; every other notebook test
uses the default, a double per kernel). Each student runs lessons 00–05 through their own
single-user server (REST and websocket, as JupyterLab does) in their own copy of `notebooks/`,
opens the demo app at `/user/<name>/proxy/<port>/` in Chromium and looks up a user. Then every
way across is tried: another student's cookie, another student's token, one's own proxy pointed
at another's port, and a fault injected in one student's GitHub double.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest
import requests
from conftest import ROOT, need
from demo_app import look_up_octocat

from workshop.catchup import lesson_notebooks
from workshop.hub.kernels import run_notebook
from workshop.hub.launch import Hub, proxy_command

STUDENTS = ("alice", "bob", "carol")
LESSONS = [nb.name for n, nb in lesson_notebooks(ROOT / "notebooks") if n <= 5]
# Asked of the kernel after lesson 05: where its demo app and its GitHub double listen.
WHERE = ("print(server.port, workshop.upstream.double().url, "
         "type(workshop.upstream.double()).__name__)")

# Generous: a loaded CI machine starts a hub, three servers and 18 kernels slowly, not wrongly.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    need(proxy_command() is not None,
         "configurable-http-proxy not found (npm install -g configurable-http-proxy)")
    hub = Hub.start(tmp_path_factory.mktemp("jupyterhub"), shared_double=True)
    try:
        hub.add_students(list(STUDENTS))
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
        assert f"/user/{name}/proxy/{student.demo_port}/" in links  # workshop.link(server)
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
    carol.kernel.execute('workshop.upstream.double().settings.fault = "500"')
    try:
        for name, student in students.items():
            response = requests.get(f"{student.url}proxy/{student.demo_port}/users/octocat",
                                    headers={"Authorization": f"token {student.token}"},
                                    timeout=60)
            assert response.status_code == (502 if name == "carol" else 200), name
    finally:
        carol.kernel.execute("workshop.upstream.double().reset()")


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
    # Unix sockets, from workshop/hub/singleuser/jupyter_server_config.py (not the command line).
    outputs = students["alice"].kernel.execute(
        "from ipykernel.kernelapp import IPKernelApp\nprint(IPKernelApp.instance().transport)")
    assert "ipc" in "".join(o.get("text", "") for o in outputs), outputs
