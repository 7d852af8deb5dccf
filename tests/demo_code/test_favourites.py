"""Favourite repositories in SQLite: add, list, delete, duplicates, and surviving a restart."""

import sqlite3

import pytest

OCTOCAT = {"user_id": "octocat", "repo_name": "Hello-World"}


@pytest.fixture
def fresh(start_demo, tmp_path):
    """The app with an empty favourites database of its own."""
    return start_demo(DATABASE=str(tmp_path / "instance" / "favourites.sqlite3"))


def test_the_database_is_created_on_first_use(fresh, tmp_path):
    assert not (tmp_path / "instance").exists()
    assert fresh.get("favourites").json() == {"favourites": []}
    assert (tmp_path / "instance" / "favourites.sqlite3").is_file()


def test_add_list_delete(fresh):
    added = fresh.post("favourites", json=OCTOCAT)
    assert added.status_code == 201
    assert added.json() == {"id": 1, **OCTOCAT}
    second = fresh.post("favourites", json={"user_id": "mona-lisa-dev", "repo_name": "my_repo"})
    assert second.json()["id"] == 2
    listed = fresh.get("favourites").json()["favourites"]
    assert [item["id"] for item in listed] == [1, 2]
    assert listed[0] == {"id": 1, **OCTOCAT}  # exactly these fields: no timestamps
    deleted = fresh.request("DELETE", "favourites/1")
    assert deleted.status_code == 204 and deleted.content == b""
    assert [item["id"] for item in fresh.get("favourites").json()["favourites"]] == [2]
    again = fresh.request("DELETE", "favourites/1")
    assert again.status_code == 404
    assert again.json() == {"message": "There is no favourite with this id."}


def test_a_duplicate_returns_the_existing_item(fresh):
    first = fresh.post("favourites", json=OCTOCAT).json()
    duplicate = fresh.post("favourites", json={"user_id": "OctoCat", "repo_name": "hello-world"})
    assert duplicate.status_code == 200
    assert duplicate.json() == first
    assert len(fresh.get("favourites").json()["favourites"]) == 1


def test_only_existing_repositories_are_added(fresh, github):
    response = fresh.post("favourites", json={"user_id": "octocat", "repo_name": "nope"})
    assert response.status_code == 404
    assert github.calls == ["/repos/octocat/nope"]
    assert fresh.get("favourites").json() == {"favourites": []}


def test_favourites_survive_a_restart(start_demo, tmp_path):
    database = str(tmp_path / "favourites.sqlite3")
    before = start_demo(name="before-restart", DATABASE=database)
    before.post("favourites", json=OCTOCAT)
    before.stop()
    after = start_demo(name="after-restart", DATABASE=database)
    assert after.get("favourites").json() == {"favourites": [{"id": 1, **OCTOCAT}]}


def test_listing_and_deleting_never_ask_github(fresh, github):
    fresh.post("favourites", json=OCTOCAT)
    github.reset()
    fresh.get("favourites")
    fresh.request("DELETE", "favourites/1")
    assert github.calls == []


@pytest.fixture
def locked(tmp_path):
    """The database file, held under an exclusive lock by another connection (another writer)."""
    database = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("CREATE TABLE IF NOT EXISTS favourite (id INTEGER PRIMARY KEY)")
    holder.execute("BEGIN EXCLUSIVE")
    yield str(database)
    holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.parametrize("method, path, body", [("GET", "favourites", None),
                                                ("POST", "favourites", OCTOCAT),
                                                ("DELETE", "favourites/1", None)])
def test_a_locked_database_is_503_with_retry_after(start_demo, locked, method, path, body):
    app = start_demo(name="locked", DATABASE=locked)
    response = app.request(method, path, json=body)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert "busy" in response.json()["message"]


def test_other_database_errors_stay_500(start_demo, tmp_path):
    app = start_demo(name="no-database", DATABASE=str(tmp_path))  # a folder, not a file
    response = app.get("favourites")
    assert response.status_code == 500
    assert response.json() == {"message": response.json()["message"]}
