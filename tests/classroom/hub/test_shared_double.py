"""One GitHub double for a hub: a namespace per student, steered over HTTP like the local one."""

from __future__ import annotations

import pytest
import requests

from workshop import serve
from workshop.classroom.hub.shared_double import (
    MAX_NAMESPACES,
    Namespaces,
    RemoteDouble,
    create_control_app,
)
from workshop.runtime import github_api as upstream


@pytest.fixture
def service():
    """The shared double's control API on a free 127.0.0.1 port."""
    namespaces = Namespaces()
    server = serve(create_control_app(namespaces), name="shared-double-test")
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


@pytest.mark.parametrize(("method", "path", "status"), [
    ("POST", "/namespaces/bad%20name", 400),
    ("GET", "/namespaces/nobody-yet/calls", 404),
    ("PATCH", "/namespaces/nobody-yet/settings", 404),
    ("GET", "/no-such-endpoint", 404),
    ("DELETE", "/namespaces/alice", 405),
])
def test_bad_requests_get_a_clear_json_error(service, method, path, status):
    answer = requests.request(method, service + path, timeout=10)
    assert answer.status_code == status
    assert answer.json()["message"]


def test_bad_json_is_refused(service):
    RemoteDouble(service, "alice")
    answer = requests.patch(service + "/namespaces/alice/settings", data="{not json",
                            headers={"Content-Type": "application/json"}, timeout=10)
    assert answer.status_code == 400 and "JSON object" in answer.json()["message"]


def test_namespaces_are_bounded(monkeypatch):
    monkeypatch.setattr("workshop.classroom.hub.shared_double.MAX_NAMESPACES", 1)
    client = create_control_app(Namespaces()).test_client()
    try:
        assert client.post("/namespaces/a").status_code == 200
        answer = client.post("/namespaces/b")
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
    gone = serve(create_control_app(), name="gone")
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
