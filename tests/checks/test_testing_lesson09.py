"""checks.favourites_test against lesson 09's skeleton as it is now (the whole test body is the
student's) and three wrong tests."""

from __future__ import annotations

from workshop import checks

SKELETON = '''
def test_favourites_start_empty_and_keep_one_copy(client):
    ...  # empty at first; one favourite POSTed twice: 201 Created, then 200 OK; one listed
'''
SOLVED = '''
def test_favourites_start_empty_and_keep_one_copy(client):
    hello = {"user_id": "octocat", "repo_name": "Hello-World"}
    assert client.get("/favourites").json == {"favourites": []}
    assert client.post("/favourites", json=hello).status_code == 201
    assert client.post("/favourites", json=hello).status_code == 200
    assert len(client.get("/favourites").json["favourites"]) == 1
'''
WITHOUT_SECOND_STATUS = SOLVED.replace("status_code == 200", "status_code in (200, 201)")
WITHOUT_STATUSES = (SOLVED.replace("assert client.post", "client.post")
                    .replace(".status_code == 201", "").replace(".status_code == 200", ""))
TWICE_201 = SOLVED.replace("status_code == 200", "status_code == 201")


def run_check(tmp_path, source, capsys) -> str:
    (tmp_path / "test_app.py").write_text(source, encoding="utf-8")
    checks.favourites_test(str(tmp_path / "test_app.py"))
    return capsys.readouterr().out


def test_the_empty_skeleton_is_not_yet(tmp_path, capsys):
    out = run_check(tmp_path, SKELETON, capsys)
    assert out.startswith("not yet: your test also passes on an app that has no /favourites at all")


def test_the_lesson_solution_passes(tmp_path, capsys):
    assert run_check(tmp_path, SOLVED, capsys).startswith("✓ passes on a correct app")


def test_a_test_without_the_second_status_is_not_yet(tmp_path, capsys):
    out = run_check(tmp_path, WITHOUT_SECOND_STATUS, capsys)
    assert out.startswith("not yet: your test also passes on an app that answers 201 Created")


def test_a_test_without_the_statuses_is_not_yet(tmp_path, capsys):
    out = run_check(tmp_path, WITHOUT_STATUSES, capsys)
    assert out.startswith("not yet: your test also passes on an app that answers 201 Created")


def test_a_test_expecting_201_twice_fails_on_a_correct_app(tmp_path, capsys):
    out = run_check(tmp_path, TWICE_201, capsys)
    assert out.startswith("not yet: your test fails on a correct app")
