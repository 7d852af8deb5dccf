"""workshop.runtime.links: local links, and proxied ones under JupyterHub/Binder."""

from __future__ import annotations

import pytest
from flask import Flask

from workshop.runtime.links import link, proxied_url
from workshop.runtime.server import serve


@pytest.fixture
def server():
    with serve(Flask("links_test_app"), name="links-test") as server:
        yield server


@pytest.fixture(autouse=True)
def local(monkeypatch):
    for name in ("JUPYTERHUB_SERVICE_PREFIX", "BINDER_LAUNCH_HOST", "BINDER_REQUEST"):
        monkeypatch.delenv(name, raising=False)


def test_local_link(server):
    url = f"http://127.0.0.1:{server.port}/users/octocat"
    result = link(server, "/users/octocat")
    assert repr(result) == str(result) == url
    assert result._repr_html_() == f'<a href="{url}" target="_blank">{url}</a>'


def test_jupyterhub_link_goes_through_the_proxy(server, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/alice/")
    assert repr(link(server)) == f"/user/alice/proxy/{server.port}/"
    assert repr(link(server, "users/x")) == f"/user/alice/proxy/{server.port}/users/x"


def test_binder_without_prefix_and_prefix_without_slash(monkeypatch):
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    assert repr(link(8123, "/a")) == "/proxy/8123/a"
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/bob")
    assert proxied_url(8123) == "/user/bob/proxy/8123/"


def test_link_text_is_escaped():
    html = link(5000, "/?a=1&b=<2>", text="<app>")._repr_html_()
    assert html == ('<a href="http://127.0.0.1:5000/?a=1&amp;b=&lt;2&gt;" target="_blank">'
                    "&lt;app&gt;</a>")
