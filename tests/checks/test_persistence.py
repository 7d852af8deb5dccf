"""checks.favourites_query and checks.favourite_deleted: "not yet" for wrong answers, ✓ solved."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from checks.workspace_copy import said, unsolve
from workshop import checks

SOLVED = "SELECT repo_name FROM favourite WHERE user_id = ? ORDER BY id"


@pytest.fixture
def database(tmp_path):
    """Two users' favourites, as lesson 08 stores them."""
    path = tmp_path / "favourites.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE favourite (id INTEGER PRIMARY KEY, user_id TEXT, repo_name TEXT)")
        db.executemany("INSERT INTO favourite (user_id, repo_name) VALUES (?, ?)",
                       [("octocat", "Hello-World"), ("mona-lisa-dev", "Zebra")])
        db.commit()
    return path


@pytest.mark.parametrize("sql, nudge", [
    (..., "not yet: sql is still `...`: write the SELECT as a string"),
    ("SELECT repo_name FROM favourite WHERE user_id = 'octocat'", "exactly one ?"),
    ("SELECT repo_name FROM favourite", "exactly one ?"),
    ("SELECT * FROM favourite WHERE user_id = ?", "select only repo_name"),
    ("SELECT repo_name FROM favourites WHERE user_id = ?", "SQLite says: no such table"),
])
def test_wrong_queries_are_not_yet(database, capsys, sql, nudge):
    checks.favourites_query(sql, database)
    out = capsys.readouterr().out
    assert out.startswith("not yet:") and nudge in out


def test_the_solution_passes(database, capsys):
    checks.favourites_query(SOLVED, database)
    assert capsys.readouterr().out == (
        "✓ one ? placeholder, the right repositories for each of 2 users\n")


SOLVED_DELETE = '''    db = get_db()
    if db.execute("DELETE FROM favourite WHERE id = ?", (favourite_id,)).rowcount == 0:
        abort(404, "There is no favourite with this id.")
    db.commit()
    return "", 204
'''


@pytest.mark.parametrize("body, nudge", [
    ("    ...\n", "returned None"),
    (SOLVED_DELETE.replace("    db.commit()\n", ""), "did the view call db.commit()?"),
    (SOLVED_DELETE.replace(" WHERE id = ?", "").replace("(favourite_id,)", "()"),
     "expected [2]: delete only the row WHERE id = ?"),
    (SOLVED_DELETE.replace("rowcount == 0", "rowcount < 0"),
     "a second time answered 204, expected 404"),
    (SOLVED_DELETE.replace('return "", 204', 'return ""'), "answered 200, expected 204"),
])
def test_wrong_deletes_are_not_yet(workspace, capsys, body, nudge):
    unsolve(workspace, "app/favourites.py", SOLVED_DELETE, body)
    checks.favourite_deleted(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and nudge in out, out


def test_the_reference_delete_passes(workspace, capsys):
    checks.favourite_deleted(str(workspace))
    assert said(capsys).startswith("✓ DELETE /favourites/1 → 204")
