"""workshop.checks.writing_tests.tests_written: lesson 09's test file, the favourites test first
(its skeleton passes on every app), then the client fixture the student completes."""

from __future__ import annotations

import pytest
from conftest import ROOT

from checks.workspace_copy import heard
from workshop import checks

SOLVED = (ROOT / "demo_code" / "test_app.py").read_text(encoding="utf-8")
FIXTURE = '''@pytest.fixture
def client(monkeypatch, tmp_path):
    """A test client for an app that asks the kit's GitHub double and uses an empty database."""
    # monkeypatch undoes these changes after each test, so tests cannot affect each other.
    monkeypatch.setitem(app.config, "GITHUB_API_URL", github_api_url())
    monkeypatch.setitem(app.config, "DATABASE", str(tmp_path / "favourites.sqlite3"))
    return app.test_client()
'''
FAVOURITES = '''def test_favourites_start_empty_and_keep_one_copy(client):
    hello = {"user_id": "octocat", "repo_name": "Hello-World"}
    assert client.get("/favourites").json == {"favourites": []}
    assert client.post("/favourites", json=hello).status_code == 201
    assert client.post("/favourites", json=hello).status_code == 200
    assert len(client.get("/favourites").json["favourites"]) == 1
'''
SETITEM_URL = '    monkeypatch.setitem(app.config, "GITHUB_API_URL", github_api_url())\n'
SETITEM_DATABASE = ('    monkeypatch.setitem(app.config, "DATABASE", '
                    'str(tmp_path / "favourites.sqlite3"))\n')
# The skeletons, as the test file in 09-testing.ipynb writes them.
FIXTURE_SKELETON = '''# Your turn: mark client as a pytest fixture.
def client(monkeypatch, tmp_path):
    """A test client for an app that asks the kit's GitHub double and uses an empty database."""
    ...  # why monkeypatch (a comment); GITHUB_API_URL: the double; DATABASE: in tmp_path
'''
FAVOURITES_SKELETON = '''def test_favourites_start_empty_and_keep_one_copy(client):
    ...  # empty at first; one favourite POSTed twice: 201 Created, then 200 OK; one listed
'''


def make_test_file(workspace, fixture=FIXTURE, favourites=FAVOURITES) -> str:
    assert SOLVED.count(FIXTURE) == 1 and SOLVED.count(FAVOURITES) == 1
    text = SOLVED.replace(FIXTURE, fixture).replace(FAVOURITES, favourites)
    (workspace / "test_app.py").write_text(text, encoding="utf-8")
    return str(workspace / "test_app.py")




def run_check(path, capsys) -> str:
    checks.tests_written(path)
    return heard(capsys)


def test_the_lesson_skeleton_is_not_yet_for_the_favourites_test(workspace, capsys):
    out = run_check(make_test_file(workspace, FIXTURE_SKELETON, FAVOURITES_SKELETON), capsys)
    assert out.startswith("not yet: your test also passes on an app that has no /favourites")


def test_the_solution_passes(workspace, capsys):
    assert run_check(make_test_file(workspace), capsys).startswith("✓ the favourites test fails on")


@pytest.mark.parametrize(("fixture", "hint"), [
    # The skeleton: no @pytest.fixture, the body still `...`.
    (FIXTURE_SKELETON, "client is a plain function: mark it with @pytest.fixture"),
    # Marked, but the body not written: the tests would get None.
    (FIXTURE_SKELETON.replace("# Your turn: mark client as a pytest fixture.", "@pytest.fixture"),
     "your client fixture returns None: return the app's test client"),
    # The double forgotten: the tests would ask whatever GitHub the app was started with.
    (FIXTURE.replace(SETITEM_URL, ""), "leaves GITHUB_API_URL as it was"),
    # The URL of the real GitHub instead of the double.
    (FIXTURE.replace("github_api_url())", '"https://api.github.com")'),
     "sets GITHUB_API_URL to 'https://api.github.com', not the kit's double"),
    # The database forgotten: every test shares the instance folder's file.
    (FIXTURE.replace(SETITEM_DATABASE, ""), "a file every test would share: put it in tmp_path"),
    # A fixed file name instead of one in tmp_path.
    (FIXTURE.replace('str(tmp_path / "favourites.sqlite3")', '"test.sqlite3"'),
     "'test.sqlite3', a file every test would share"),
    # Plain assignments: the next test inherits them.
    (FIXTURE.replace('monkeypatch.setitem(app.config, "GITHUB_API_URL", github_api_url())',
                     'app.config["GITHUB_API_URL"] = github_api_url()')
            .replace('monkeypatch.setitem(app.config, "DATABASE", str(tmp_path / '
                     '"favourites.sqlite3"))',
                     'app.config["DATABASE"] = str(tmp_path / "favourites.sqlite3")'),
     "still holds the fixture's settings: change them with monkeypatch.setitem"),
    # A fixture that breaks: the error is named.
    (FIXTURE.replace("tmp_path / ", "tmp_path + "), "your code raised TypeError"),
])
def test_wrong_fixtures_are_named(workspace, capsys, fixture, hint):
    out = run_check(make_test_file(workspace, fixture), capsys)
    assert out.startswith("not yet: ") and hint in out, out


def test_a_fixture_that_yields_its_client_passes(workspace, capsys):
    fixture = FIXTURE.replace("    return app.test_client()", "    yield app.test_client()")
    assert run_check(make_test_file(workspace, fixture), capsys).startswith("✓ ")
