"""workshop.runtime.widgets without a browser: buttons call the server over HTTP, stable reprs."""

from __future__ import annotations

import gc

import pytest
from flask import Flask, request

from workshop.runtime.server import serve
from workshop.runtime.widgets import explorer, inspector


def reference_shaped_app() -> Flask:
    """The reference app's four endpoints, answered locally."""
    app = Flask("widgets_test_app")

    @app.get("/users/<user_id>")
    def user(user_id):
        """A user."""
        return {"login": user_id}

    @app.get("/users/<user_id>/repos/<repo_name>")
    def repo(user_id, repo_name):
        """A repository."""
        return {"full_name": f"{user_id}/{repo_name}"}

    @app.post("/users/<user_id>/count-repos")
    def count(user_id):
        """A count."""
        return {"number_of_repos": 8}

    @app.post("/users/<user_id>/get-n-repos-alphabetically")
    def first_n(user_id):
        """The first n names."""
        n = request.get_json()["num_repos"]
        return {"repo_names": ["a", "b", "c", "d"][:n]}

    return app


@pytest.fixture
def server():
    with serve(reference_shaped_app(), name="widgets-test") as server:
        yield server


def test_explorer_buttons_call_each_endpoint(server):
    widget = explorer(server, user="octo cat", repo="Hello-World", n=2)
    widget.buttons["user"].click()
    assert widget.text.startswith("GET /users/octo%20cat\n\nHTTP 200 OK\n")
    assert '"login": "octo cat"' in widget.text
    widget.buttons["repo"].click()
    assert '"full_name": "octo cat/Hello-World"' in widget.text
    widget.buttons["count"].click()
    assert '"number_of_repos": 8' in widget.text
    widget.buttons["first_n"].click()
    assert widget.text.startswith('POST /users/octo%20cat/get-n-repos-alphabetically\n{\n')
    assert '"repo_names": [\n    "a",\n    "b"\n  ]' in widget.text
    assert [r.path for r in server.requests][0] == "/users/octo%20cat"
    widget.close()


def test_explorer_follows_a_re_served_app_and_reports_a_dead_one(server):
    widget = explorer(server)
    replacement = serve(reference_shaped_app(), name="widgets-test")
    assert widget.call("user").status_code == 200
    assert len(replacement.requests) == 1
    replacement.stop()
    assert widget.call("user") is None
    assert widget.text.endswith("No answer from the server: ConnectionError")
    widget.close()


def test_inspector_updates_live_and_can_pause(server):
    widget = inspector(server)
    server.get("/users/a")
    server.post("/users/a")
    assert widget.text == "GET /users/a -> 200\nPOST /users/a -> 405"
    assert "<td>/users/a</td><td>405</td>" in widget.table.value
    widget.live.value = False
    server.get("/users/b")
    assert "/users/b" not in widget.table.value
    widget.refresh()
    assert "/users/b" in widget.table.value
    widget.close()
    assert server._listeners == []


def test_a_forgotten_inspector_is_not_kept_alive_by_the_server(server):
    widget = inspector(server)
    widget.close()  # ipywidgets keeps open widgets in a registry; closing releases them
    server.subscribe(widget._on_request)
    del widget
    gc.collect()
    assert server.get("/users/a").status_code == 200  # a dead weak reference is harmless
    assert [ref() for ref in server._listeners] in ([], [None])


def test_text_reprs_are_stable(server):
    expected = f"<Server 'widgets-test' at http://127.0.0.1:{server.port}/ (running)>"
    for make, kind in ((explorer, "explorer"), (inspector, "inspector")):
        widget = make(server)
        bundle = widget._repr_mimebundle_()
        assert bundle["text/plain"] == f"<{kind} for {expected}>"
        widget.close()


HOSTILE_METHOD = "<img/src=x/onerror=document.title='pwned'>"
HOSTILE_PATH = "/<script>document.title='pwned'</script>"


def send_raw(server, request_line: str) -> None:
    """Send a request line as is (requests would refuse or quote it), as any local process can."""
    import socket

    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(f"{request_line}\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        while sock.recv(4096):
            pass


def test_inspector_escapes_what_clients_send(server, page):
    widget = inspector(server)
    send_raw(server, f"{HOSTILE_METHOD} {HOSTILE_PATH} HTTP/1.1")
    assert [r.method for r in widget.records()] == [HOSTILE_METHOD]
    # Render the table as JupyterLab would, in a real browser: text, never elements.
    page.set_content(f"<body>{widget.table.value}</body>")
    assert page.locator("img, script").count() == 0
    assert page.title() != "pwned"
    cells = page.locator("td").all_inner_texts()
    assert cells[0] == HOSTILE_METHOD and cells[1] == HOSTILE_PATH
    widget.close()
