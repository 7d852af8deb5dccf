"""Tests for our API with Flask's test client: no server, no network, a fresh database each."""

import pytest
from workshop import github_api_url

from app import app


@pytest.fixture
def client(monkeypatch, tmp_path):
    """A test client for an app that asks the kit's GitHub double and uses an empty database."""
    # monkeypatch undoes these changes after each test, so tests cannot affect each other.
    monkeypatch.setitem(app.config, "GITHUB_API_URL", github_api_url())
    monkeypatch.setitem(app.config, "DATABASE", str(tmp_path / "favourites.sqlite3"))
    return app.test_client()


def test_get_user(client):
    response = client.get("/users/octocat")
    assert response.status_code == 200
    assert response.json["login"] == "octocat"


def test_invalid_user_id_is_refused(client):
    response = client.get("/users/-octocat-")
    assert response.status_code == 400
    assert "Invalid user_id" in response.json["message"]


@pytest.mark.parametrize("num_repos", ["3", 2.5, True, 0, 1000])
def test_num_repos_is_checked(client, num_repos):
    path = "/users/octocat/get-n-repos-alphabetically"
    response = client.post(path, json={"num_repos": num_repos})
    assert response.status_code == 400


def test_wrong_method_gets_json(client):
    response = client.get("/users/octocat/count-repos")
    assert response.status_code == 405
    assert response.json == {"message": "The method is not allowed for the requested URL."}


def test_unreachable_github_is_502(client, monkeypatch):
    monkeypatch.setitem(app.config, "GITHUB_API_URL", "http://127.0.0.1:9")  # nobody listens
    response = client.get("/users/octocat")
    assert response.status_code == 502


def test_favourites_start_empty_and_keep_one_copy(client):
    hello = {"user_id": "octocat", "repo_name": "Hello-World"}
    assert client.get("/favourites").json == {"favourites": []}
    assert client.post("/favourites", json=hello).status_code == 201
    assert client.post("/favourites", json=hello).status_code == 200
    assert len(client.get("/favourites").json["favourites"]) == 1
