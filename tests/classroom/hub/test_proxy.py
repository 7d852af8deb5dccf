"""On JupyterHub or Binder the demo app is reached through jupyter-server-proxy.

A real JupyterLab runs under the base URL a hub gives user alice (`/user/alice/`); the demo app
runs in this process with `workshop.serve`, as a notebook cell would start it. The browser then
sees the app only at `/user/alice/proxy/PORT/`, so its page, its relative `fetch` calls and
`url_for` links (ProxyFix) must all work under that prefix.
"""

from __future__ import annotations

import re

import pytest
import requests
import yaml
from conftest import ROOT
from demo_app import import_demo_app, look_up_octocat
from lab_process import Lab, start_lab

from workshop import serve
from workshop.runtime.github_api import github_api_url
from workshop.runtime.links import link

BASE_URL = "/user/alice/"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab as a JupyterHub single-user server would run it (base URL, proxy enabled)."""
    home = tmp_path_factory.mktemp("hub-lab")
    lab = start_lab(home, home, base_url=BASE_URL)
    try:
        yield lab
    finally:
        lab.stop()


@pytest.fixture(scope="module")
def demo():
    """The reference app served in this process, talking to the GitHub double."""
    server = serve(import_demo_app(GITHUB_API_URL=github_api_url()), name="hub-demo")
    yield server
    server.stop()


def proxied(lab: Lab, demo, path: str = "") -> str:
    return f"http://127.0.0.1:{lab.port}{BASE_URL}proxy/{demo.port}/{path}"


@pytest.mark.slow
def test_api_answers_through_the_proxy(lab, demo):
    response = requests.get(proxied(lab, demo, "users/octocat"), timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["login"] == "octocat"


@pytest.mark.slow
def test_errors_stay_json_through_the_proxy(lab, demo):
    response = requests.get(proxied(lab, demo, "users/no-such-user-xyz"), timeout=10)
    assert response.status_code == 404
    assert "message" in response.json()


@pytest.mark.slow
def test_page_links_carry_the_prefix(lab, demo):
    # Flask sees X-Forwarded-Prefix from the proxy; ProxyFix makes url_for() include it.
    prefix = f"{BASE_URL}proxy/{demo.port}/"
    page = requests.get(proxied(lab, demo), timeout=10).text
    assert f'<base href="{prefix}">' in page
    assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', page)
    assert len(assets) == 2
    for asset in assets:  # the stylesheet and the script load through the proxy too
        assert asset.startswith(prefix)
        assert requests.get(f"http://127.0.0.1:{lab.port}{asset}", timeout=10).status_code == 200


@pytest.mark.slow
@pytest.mark.browser
def test_demo_page_works_in_chromium_through_the_proxy(lab, demo, page):
    page.goto(proxied(lab, demo))
    # The form's fetch('users/octocat') is relative, so it stays under the proxy prefix.
    look_up_octocat(page)
    assert page.locator("#current-user").inner_text() == "octocat"


@pytest.mark.slow
def test_link_goes_through_the_proxy_on_a_hub(lab, demo, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", BASE_URL)
    url = str(link(demo))
    assert url == f"{BASE_URL}proxy/{demo.port}/"
    # The link is what a student clicks in JupyterLab: it must really open the demo page.
    response = requests.get(f"http://127.0.0.1:{lab.port}{url}", timeout=10)
    assert response.status_code == 200
    assert "<h1>Flask Demo Using the Github API</h1>" in response.text


def test_link_is_direct_when_local(monkeypatch):
    for name in ("JUPYTERHUB_SERVICE_PREFIX", "BINDER_LAUNCH_HOST", "BINDER_REQUEST"):
        monkeypatch.delenv(name, raising=False)
    assert str(link(8123)) == "http://127.0.0.1:8123/"


def test_binder_builds_from_environment_yml_as_is():
    # repo2docker reads the root environment.yml unless a binder/ folder exists, and installs it
    # after copying the repository because of the local `-e .` (so the kit gets installed).
    # JupyterLab 4 extensions come prebuilt in their packages: no postBuild step is needed.
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    assert not (ROOT / "postBuild").exists()
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    [pip] = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert "-e ." in pip and "pip" in deps
    names = {d.split("=")[0].split("<")[0].split(">")[0] for d in deps if isinstance(d, str)}
    assert {"jupyterlab", "ipywidgets", "jupyter-server-proxy", "flask"} <= names
