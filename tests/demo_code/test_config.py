"""Configuration from the environment: token, timeout, CORS origins, path prefix, URL safety."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT
from demo_app import import_demo_app
from flask import Flask, jsonify, request

from workshop import serve

TOKEN = "ghp_not-a-real-token-0123456789"


@pytest.fixture
def recorder():
    """A fake GitHub that records the headers and raw paths it receives."""
    seen = []
    fake = Flask("recorder")

    @fake.get("/<path:path>")
    def record(path):
        seen.append({"path": request.environ["RAW_URI"], "headers": dict(request.headers)})
        return jsonify(login="octocat", public_repos=1)

    server = serve(fake, name="demo-code-recorder")
    server.seen = seen
    yield server
    server.stop()


def test_token_is_sent_as_bearer(start_demo, recorder):
    app = start_demo(GITHUB_API_URL=recorder.url, GITHUB_TOKEN=TOKEN)
    assert app.get("users/octocat").status_code == 200
    headers = recorder.seen[0]["headers"]
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Accept"] == "application/vnd.github+json"
    assert headers["User-Agent"] == "flask-live-demo"  # GitHub asks for the app's name


def test_no_token_no_authorization_header(start_demo, recorder):
    app = start_demo(GITHUB_API_URL=recorder.url + "/", GITHUB_TOKEN="")  # trailing "/" is fine
    app.get("users/octocat")
    assert recorder.seen[0]["path"] == "/users/octocat"
    assert "Authorization" not in recorder.seen[0]["headers"]


def test_token_gets_its_own_rate_limit_and_never_shows(start_demo, github):
    anonymous = start_demo(name="anonymous")
    with_token = start_demo(name="with-token", GITHUB_TOKEN=TOKEN)
    github.settings.rate_limit = 0  # the anonymous budget is used up
    assert anonymous.get("users/octocat").status_code == 503
    assert with_token.get("users/octocat").status_code == 200
    github.settings.fault = "500"
    failed = with_token.post("users/octocat/count-repos")
    assert failed.status_code == 502
    for text in [failed.text, *with_token.log, *anonymous.log]:
        assert TOKEN not in text


def test_names_are_encoded_into_the_upstream_path(start_demo, recorder):
    app = start_demo(GITHUB_API_URL=recorder.url)
    app.get("users/octocat/repos/.github")
    app.get("users/a-b-c/repos/x_y.z")
    assert [seen["path"] for seen in recorder.seen] == ["/repos/octocat/.github",
                                                       "/repos/a-b-c/x_y.z"]


@pytest.mark.parametrize("origin, allowed", [("http://127.0.0.1:5001", True),
                                             ("http://localhost:5001", True),
                                             ("http://evil.example", False),
                                             ("null", False)])
def test_cors_allows_only_the_configured_origins(api, origin, allowed):
    response = api.get("users/octocat", headers={"Origin": origin})
    assert (response.headers.get("Access-Control-Allow-Origin") == origin) is allowed


def test_cors_origins_come_from_the_environment(start_demo):
    app = start_demo(CORS_ORIGINS="https://hub.example.org, https://binder.example")
    allowed = app.get("users/octocat", headers={"Origin": "https://binder.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://binder.example"
    local = app.get("users/octocat", headers={"Origin": "http://127.0.0.1:5001"})
    assert "Access-Control-Allow-Origin" not in local.headers


def test_page_links_include_the_proxy_prefix(api):
    prefix = "/user/alice/proxy/5001"
    page = api.get("/", headers={"X-Forwarded-Prefix": prefix}).text
    assert f'<base href="{prefix}/">' in page
    assert f'href="{prefix}/frontend/styles/style.css"' in page
    assert f'src="{prefix}/frontend/javascript/actions.js"' in page


@pytest.mark.parametrize("prefix", ["//evil.example", "///evil.example", "http://evil.example",
                                    "https:evil.example", "/\\evil.example", "\\\\evil.example",
                                    "evil.example", "javascript:alert(1)", '/x"><script>',
                                    "/a b", "/user/alice, //evil.example", "/a//b", "/"])
def test_a_prefix_that_is_not_a_plain_path_is_ignored(api, prefix):
    page = api.get("/", headers={"X-Forwarded-Prefix": prefix}).text
    assert '<base href="/">' in page
    assert 'href="/frontend/styles/style.css"' in page
    assert 'src="/frontend/javascript/actions.js"' in page


@pytest.mark.parametrize("prefix", ["/user/alice/proxy/5001/", "/user/a.b-c_d~e/proxy/5001",
                                    "/user/alice%40uni.example/proxy/5001"])
def test_a_path_prefix_is_kept(api, prefix):
    page = api.get("/", headers={"X-Forwarded-Prefix": prefix}).text
    assert f'<base href="{prefix.rstrip("/")}/">' in page


def test_every_view_has_a_docstring(demo_app):
    for endpoint, view in demo_app.view_functions.items():
        if endpoint != "static":
            assert view.__doc__, endpoint


BAD_TIMEOUTS = ["0", "-1", "nan", "inf", "ten", ""]


@pytest.mark.parametrize("value", BAD_TIMEOUTS)
def test_a_bad_timeout_stops_the_app_at_start_up(value):
    """Accepted, each would turn every GitHub lookup into a 500: refused in one clear line."""
    with pytest.raises(SystemExit) as stop:
        import_demo_app(GITHUB_TIMEOUT=value)
    assert str(stop.value.code) == (
        f"Error: GITHUB_TIMEOUT must be a number of seconds above 0, not {value!r}")


@pytest.mark.parametrize(("value", "seconds"), [("2.5", 2.5), (" 30 ", 30.0), ("1e3", 1000.0)])
def test_a_good_timeout_is_kept(value, seconds):
    assert import_demo_app(GITHUB_TIMEOUT=value).config["GITHUB_TIMEOUT"] == seconds


def test_server_py_refuses_a_bad_timeout_with_one_line(tmp_path):
    """`python server.py`, as a user starts it: one line on stderr, exit status 1, no traceback."""
    environ = {**os.environ, "GITHUB_TIMEOUT": "nan", "DATABASE": str(tmp_path / "f.db")}
    run = subprocess.run([sys.executable, str(ROOT / "demo_code" / "server.py")], cwd=tmp_path,
                         env=environ, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "Error: GITHUB_TIMEOUT must be a number of seconds above 0, not 'nan'"]
