"""workshop.runtime.display.show: golden outputs over real HTTP."""

from __future__ import annotations

import pytest
from flask import Flask, redirect

from workshop.runtime.display import format_body, show
from workshop.runtime.server import serve


@pytest.fixture(scope="module")
def server():
    app = Flask("display_test_app")
    app.json.sort_keys = False  # keep the view's key order, so "server order" is visible

    @app.get("/users/<user_id>")
    def user(user_id):
        """JSON with keys in a non-alphabetical order and a long string."""
        return {"login": user_id, "id": 1, "bio": "x" * 150}

    @app.get("/many")
    def many():
        """A long list."""
        return {"items": list(range(40))}

    @app.post("/echo")
    def echo():
        """Rate-limit style headers and the request body back."""
        headers = {"X-RateLimit-Remaining": "59", "Date": "now", "ETag": '"abc"',
                   "Authorization": "Bearer secret"}
        return {"got": "ok"}, 201, headers

    @app.get("/old")
    def old():
        """A redirect."""
        return redirect("/users/octocat")

    @app.get("/page")
    def page():
        """An HTML page with many lines."""
        return "<html>\n" + "".join(f"<p>{n}</p>\n" for n in range(30)) + "</html>"

    with serve(app, name="display-test") as server:
        yield server


def test_json_exchange(server, capsys):
    show(server.get("/users/octocat?verbose=1"))
    assert capsys.readouterr().out == (
        "GET /users/octocat?verbose=1\n"
        "\n"
        "HTTP 200 OK\n"
        "Content-Type: application/json\n"
        "\n"
        "{\n"
        '  "login": "octocat",\n'
        '  "id": 1,\n'
        f'  "bio": "{"x" * 99}…"\n'
        "}\n"
    )


def test_request_body_chosen_headers_and_no_secrets(server, capsys):
    show(server.post("/echo", json={"num_repos": 3}, headers={"Authorization": "Bearer tok"}))
    out = capsys.readouterr().out
    assert out == (
        "POST /echo\n"
        "{\n"
        '  "num_repos": 3\n'
        "}\n"
        "\n"
        "HTTP 201 Created\n"
        "Content-Type: application/json\n"
        "X-RateLimit-Remaining: 59\n"  # in the order the server sent them
        'ETag: "abc"\n'
        "\n"
        "{\n"
        '  "got": "ok"\n'
        "}\n"
    )
    assert "tok" not in out and "secret" not in out


def test_caller_picks_headers(server, capsys):
    show(server.post("/echo"), headers=["content-length", "authorization"])
    assert capsys.readouterr().out.splitlines()[2:4] == ["HTTP 201 Created", "Content-Length: 13"]


def test_long_bodies_are_shortened(server, capsys):
    show(server.get("/many"))
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "… (19 more lines)"
    assert len(lines) == 4 + 1 + 25 + 1
    show(server.get("/page"))
    lines = capsys.readouterr().out.splitlines()
    assert lines[3] == "Content-Type: text/html; charset=utf-8"
    assert lines[5:7] == ["<html>", "<p>0</p>"] and lines[-1] == "… (7 more lines)"


def test_redirects_show_every_hop(server, capsys):
    show(server.get("/old"))
    out = capsys.readouterr().out
    assert out.startswith("GET /old\n\nHTTP 302 Found\nContent-Type: text/html; charset=utf-8\n"
                          "Location: /users/octocat\n")
    assert "GET /users/octocat\n\nHTTP 200 OK" in out


def test_not_found_and_method_not_allowed(server, capsys):
    show(server.post("/users/x"))
    out = capsys.readouterr().out
    assert "HTTP 405 Method Not Allowed\n" in out
    assert "Allow: GET, HEAD, OPTIONS\n" in out  # sorted: Werkzeug's order follows hash seeds


def test_flask_test_client_responses_work_too(capsys):
    app = Flask("display_client_app")
    app.get("/")(lambda: {"ok": True})
    show(app.test_client().get("/"))
    assert capsys.readouterr().out == (
        "GET /\n\nHTTP 200 OK\nContent-Type: application/json\n\n{\n  \"ok\": true\n}\n"
    )


def test_format_body_edge_cases():
    assert format_body(b"") == ""
    assert format_body(b"\x89PNG\x00\xff", "image/png") == "(6 bytes of image/png)"
    assert format_body(b"not json", "application/json") == "not json"
    assert format_body(b'{"a": 1}') == '{\n  "a": 1\n}'


def test_raw_shows_the_exchange_as_received(server, capsys):
    show(server.post("/echo", json={"num_repos": 3}, headers={"Authorization": "Bearer tok"}),
         raw=True)
    out = capsys.readouterr().out
    assert out == (
        "POST /echo HTTP/1.1\n"
        '{"num_repos": 3}\n'
        "\n"
        "HTTP/1.1 201 CREATED\n"  # the reason phrase exactly as Werkzeug sends it
        "Server: Werkzeug/<version> Python/<version>\n"
        "Date: <date>\n"
        "Content-Type: application/json\n"
        "Content-Length: 13\n"
        "X-RateLimit-Remaining: 59\n"
        "Date: <date>\n"  # the view sent a second Date header: shown, never merged
        'ETag: "abc"\n'
        "Authorization: <hidden>\n"
        "Connection: close\n"
        "\n"
        '{"got":"ok"}\n'
    )
    assert "tok" not in out and "secret" not in out


def test_raw_keeps_what_the_default_tidies(server, capsys):
    show(server.post("/users/x"), raw=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "HTTP/1.1 405 METHOD NOT ALLOWED"
    assert "Allow: GET, HEAD, OPTIONS" in lines  # sorted: Werkzeug's order follows hash seeds
    show(server.get("/many"), raw=True, max_lines=0)
    assert capsys.readouterr().out.endswith('{"items":[' + ",".join(map(str, range(40))) + "]}\n")


def test_all_headers_in_the_order_received(server, capsys):
    show(server.post("/echo"), headers="all")
    lines = capsys.readouterr().out.splitlines()
    assert lines[2:12] == [
        "HTTP 201 Created", "Server: Werkzeug/<version> Python/<version>", "Date: <date>",
        "Content-Type: application/json", "Content-Length: 13", "X-RateLimit-Remaining: 59",
        "Date: <date>", 'ETag: "abc"', "Authorization: <hidden>", "Connection: close",
    ]


def test_raw_from_flask_test_client(capsys):
    app = Flask("display_raw_client_app")
    app.get("/")(lambda: {"ok": True})
    show(app.test_client().get("/"), raw=True)
    assert capsys.readouterr().out == (
        "GET / HTTP/1.1\n\nHTTP/1.1 200 OK\nContent-Type: application/json\n"
        "Content-Length: 12\n\n{\"ok\":true}\n"
    )
