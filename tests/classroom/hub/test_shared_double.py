"""One GitHub double for a hub: a namespace per student, steered over HTTP like the local one."""

from __future__ import annotations

import pytest
import requests
from traitlets.config import Config

from workshop import serve
from workshop.classroom.hub import shared_double
from workshop.classroom.hub.shared_double import (
    MAX_NAMESPACES,
    Namespaces,
    create_control_app,
    student_key,
)
from workshop.github_double import remote
from workshop.runtime import github_api as upstream

SECRET = "the hub's secret for these tests"


def RemoteDouble(service: str, name: str, key: str | None = None):  # noqa: N802
    """A student's namespace, opened with that student's own key (as their server has it)."""
    return remote.RemoteDouble(service, name, key or student_key(SECRET, name))


@pytest.fixture
def service():
    """The shared double's control API on a free 127.0.0.1 port."""
    namespaces = Namespaces()
    server = serve(create_control_app(namespaces, secret=SECRET), name="shared-double-test")
    yield server.url.rstrip("/")
    server.stop()
    namespaces.stop()


def test_each_student_gets_their_own_double(service):
    alice, bob = RemoteDouble(service, "alice"), RemoteDouble(service, "bob")
    assert alice.url != bob.url
    assert RemoteDouble(service, "alice").url == alice.url  # asked again: the same one
    for double in (alice, bob):
        answer = requests.get(double.url + "/users/octocat", timeout=10)
        assert answer.status_code == 200 and answer.json()["login"] == "octocat"


def test_a_fault_reaches_only_the_student_who_set_it(service):
    alice, bob = RemoteDouble(service, "alice"), RemoteDouble(service, "bob")
    alice.settings.fault = "500"
    assert alice.settings.fault == "500" and bob.settings.fault is None
    assert requests.get(alice.url + "/users/octocat", timeout=10).status_code == 500
    assert requests.get(bob.url + "/users/octocat", timeout=10).status_code == 200
    alice.reset()
    assert requests.get(alice.url + "/users/octocat", timeout=10).status_code == 200


def test_budget_and_calls_are_per_student(service):
    alice, bob = RemoteDouble(service, "alice"), RemoteDouble(service, "bob")
    alice.settings.rate_limit = 0
    assert requests.get(alice.url + "/users/octocat", timeout=10).status_code in (403, 429)
    assert requests.get(bob.url + "/users/octocat", timeout=10).status_code == 200
    assert alice.calls == ["/users/octocat"] and bob.calls == ["/users/octocat"]
    alice.reset()
    assert alice.calls == [] and alice.settings.rate_limit == 60
    assert "alice's own" in repr(alice) and "rate_limit=60" in repr(alice.settings)


def test_a_bad_setting_is_a_value_error_as_locally(service):
    alice = RemoteDouble(service, "alice")
    with pytest.raises(ValueError, match="unknown fault"):
        alice.settings.fault = "501x"
    with pytest.raises(ValueError, match="send a JSON object"):
        alice.settings.clock = 0  # stays in the service
    with pytest.raises(AttributeError):
        alice.settings.no_such_setting  # noqa: B018


def as_(name: str) -> dict:
    return {"Authorization": f"Bearer {student_key(SECRET, name)}"}


@pytest.mark.parametrize(("method", "path", "status"), [
    ("POST", "/namespaces/bad%20name", 400),
    ("GET", "/namespaces/nobody-yet/calls", 404),
    ("PATCH", "/namespaces/nobody-yet/settings", 404),
    ("GET", "/no-such-endpoint", 404),
    ("DELETE", "/namespaces/alice", 405),
])
def test_bad_requests_get_a_clear_json_error(service, method, path, status):
    name = path.split("/")[2] if path.startswith("/namespaces/") else "alice"
    answer = requests.request(method, service + path, headers=as_(name), timeout=10)
    assert answer.status_code == status
    assert answer.json()["message"]


def test_bad_json_is_refused(service):
    RemoteDouble(service, "alice")
    answer = requests.patch(service + "/namespaces/alice/settings", data="{not json",
                            headers={"Content-Type": "application/json", **as_("alice")},
                            timeout=10)
    assert answer.status_code == 400 and "JSON object" in answer.json()["message"]


def test_a_bad_value_changes_nothing_and_says_why_in_json(service):
    alice = RemoteDouble(service, "alice")
    for changes, says in (({"rate_limit": 5, "latency_ms": "200"}, "not the text '200'"),
                          ({"fault": "500", "fault_count": -1}, "fault_count must be"),
                          ({"rate_limit": "10"}, "rate_limit must be a whole number")):
        answer = requests.patch(service + "/namespaces/alice/settings", json=changes,
                                headers=as_("alice"), timeout=10)
        assert answer.status_code == 400 and says in answer.json()["message"]
    assert (alice.settings.rate_limit, alice.settings.fault) == (60, None)  # nothing half-done
    assert requests.get(alice.url + "/users/octocat", timeout=10).status_code == 200
    alice.settings.fault = 500  # an int status, as locally
    assert alice.settings.fault == "500"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer "}, as_("bob"),
                                     {"Authorization": "Bearer " + "0" * 64}])
def test_a_classmate_can_neither_change_nor_read_a_namespace(service, headers):
    alice = RemoteDouble(service, "alice")
    alice.settings.rate_limit = 5
    requests.get(alice.url + "/users/octocat", timeout=10)
    base = f"{service}/namespaces/alice"
    for method, path, body in (("PATCH", "/settings", {"fault": "500"}),
                               ("GET", "/settings", None), ("GET", "/calls", None),
                               ("POST", "/reset", None), ("POST", "", None)):
        answer = requests.request(method, base + path, json=body, headers=headers, timeout=10)
        assert answer.status_code == 403, (method, path)
        assert "only alice's own server" in answer.json()["message"]
        assert "octocat" not in answer.text and "rate_limit" not in answer.text
    # The victim's next request is unaffected: no fault, no reset, their call list intact.
    assert requests.get(alice.url + "/users/octocat", timeout=10).status_code == 200
    assert alice.calls == ["/users/octocat"] * 2 and alice.settings.rate_limit == 5
    # A namespace nobody opened yet answers the same 403: probing learns nothing.
    assert requests.get(f"{service}/namespaces/dave/calls", headers=headers,
                        timeout=10).status_code == 403


def test_the_key_is_never_shown(service):
    alice = RemoteDouble(service, "alice")
    key = student_key(SECRET, "alice")
    assert key not in repr(alice) and key not in repr(alice.settings)
    assert student_key(SECRET, "bob") != key and student_key("other", "alice") != key


def test_the_service_refuses_to_start_without_a_secret(monkeypatch):
    with pytest.raises(ValueError, match="needs a secret"):
        create_control_app(secret="")
    monkeypatch.delenv(shared_double.SECRET_VARIABLE, raising=False)
    with pytest.raises(SystemExit, match="WORKSHOP_SHARED_DOUBLE_SECRET is not set"):
        shared_double.main(["--port", "1"])


def test_configure_hub_hands_each_server_its_own_key():
    c = Config()
    c.JupyterHub.services = []
    c.Spawner.environment = {}
    shared_double.configure_hub(c, port=8765)
    [service] = c.JupyterHub.services
    secret = service["environment"][shared_double.SECRET_VARIABLE]
    assert len(secret) == 64 and service["command"][-2:] == ["--port", "8765"]
    environment = c.Spawner.environment
    assert environment[shared_double.VARIABLE] == "http://127.0.0.1:8765"

    class Spawner:  # what JupyterHub passes to a callable environment value
        class user:  # noqa: N801
            name = "alice"

    assert environment[remote.KEY_VARIABLE](Spawner) == student_key(secret, "alice")


def test_namespaces_are_bounded(monkeypatch):
    monkeypatch.setattr("workshop.classroom.hub.shared_double.MAX_NAMESPACES", 1)
    client = create_control_app(Namespaces(), secret=SECRET).test_client()
    try:
        assert client.post("/namespaces/a", headers=as_("a")).status_code == 200
        answer = client.post("/namespaces/b", headers=as_("b"))
        assert answer.status_code == 429 and answer.json["message"]
    finally:
        client.application.extensions["namespaces"].stop()
    assert MAX_NAMESPACES >= 100  # a large class fits


@pytest.fixture
def kernel_state(monkeypatch):
    """workshop.runtime.github_api as a fresh kernel on a hub has it: no double started yet."""
    monkeypatch.setattr(upstream, "_server", None)
    monkeypatch.setattr(upstream, "_remote", None)
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    monkeypatch.setenv(remote.KEY_VARIABLE, student_key(SECRET, "alice"))


def test_upstream_uses_the_students_namespace_on_a_hub(service, kernel_state, monkeypatch):
    monkeypatch.setenv(upstream.SHARED_DOUBLE, service)
    url = upstream.github_api_url()
    assert url == RemoteDouble(service, "alice").url
    control = upstream.double()
    assert control.url == url and control.name == "alice"
    control.settings.rate_limit = 0  # what lesson 04 does
    assert requests.get(url + "/users/octocat", timeout=10).status_code in (403, 429)
    control.reset()
    assert upstream.github_api_url() == url  # asked again: still the same namespace


def test_upstream_falls_back_to_its_own_double_when_the_service_is_gone(kernel_state,
                                                                     monkeypatch, capsys):
    gone = serve(create_control_app(secret=SECRET), name="gone")
    address = gone.url.rstrip("/")
    gone.stop()
    monkeypatch.setenv(upstream.SHARED_DOUBLE, address)
    try:
        url = upstream.github_api_url()
        assert "did not answer" in capsys.readouterr().out
        assert requests.get(url + "/users/octocat", timeout=10).status_code == 200
        assert upstream.double() is not None and upstream.double().url == url
    finally:
        if upstream._server is not None:
            upstream._server.stop()
