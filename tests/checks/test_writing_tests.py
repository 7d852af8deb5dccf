"""workshop.checks.writing_tests.favourites_test: fails on lesson 09's skeleton, passes solved."""

from __future__ import annotations

import pytest

from checks.workspace_copy import heard
from workshop import checks

SKELETON = '''
def test_favourites_start_empty_and_keep_one_copy(client):
    assert client.get("/favourites").json == {"favourites": []}
    hello = {"user_id": "octocat", "repo_name": "Hello-World"}
    first = client.post("/favourites", json=hello)
    second = client.post("/favourites", json=hello)
    ...
    assert len(client.get("/favourites").json["favourites"]) == 1
'''
SOLVED = SKELETON.replace("    ...\n", "    assert first.status_code == 201\n"
                                      "    assert second.status_code == 200\n")


def run_check(tmp_path, source, capsys) -> str:
    (tmp_path / "test_app.py").write_text(source, encoding="utf-8")
    checks.favourites_test(str(tmp_path / "test_app.py"))
    return heard(capsys)


def test_the_skeleton_is_not_yet(tmp_path, capsys):
    out = run_check(tmp_path, SKELETON, capsys)
    assert out.startswith("not yet: your test also passes on an app that answers 201 Created")


def test_a_missing_test_is_named(tmp_path, capsys):
    out = run_check(tmp_path, "", capsys)
    assert "has no test_favourites_start_empty_and_keep_one_copy yet" in out


def test_the_solution_passes(tmp_path, capsys):
    assert run_check(tmp_path, SOLVED, capsys).startswith("✓ passes on a correct app")


@pytest.mark.parametrize(("asserts", "hint"), [
    # Only the first answer checked: an app that says 201 twice still passes.
    ("    assert first.status_code == 201\n", "also passes on an app that answers 201 Created"),
    # Both expected to be 201: the correct app fails.
    ("    assert first.status_code == 201\n    assert second.status_code == 201\n",
     "your test fails on a correct app"),
    # The statuses swapped.
    ("    assert first.status_code == 200\n    assert second.status_code == 201\n",
     "your test fails on a correct app"),
    # A typo that breaks the file.
    ("    assert first.status_code == 201\n    assert second.status_code = 200\n",
     "your code raised SyntaxError"),
])
def test_wrong_tests_are_named(tmp_path, capsys, asserts, hint):
    out = run_check(tmp_path, SKELETON.replace("    ...\n", asserts), capsys)
    assert out.startswith("not yet: ") and hint in out, out


def test_a_test_that_never_ends_is_named(tmp_path, capsys, monkeypatch):
    from workshop.checks import _deadline

    monkeypatch.setattr(_deadline, "DEADLINE", 2.0)
    out = run_check(tmp_path, SKELETON.replace("    ...\n", "    while True:\n        pass\n"),
                    capsys)
    assert out == ("not yet: your test did not finish within 2 s: look for a loop that never ends "
                   "or a sleep\n")
