"""workshop.checks.persistence.favourites_query: fails on lesson 08's skeleton, passes solved."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from checks.workspace_copy import heard
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
    out = heard(capsys)
    assert out.startswith("not yet:") and nudge in out


def test_the_solution_passes(database, capsys):
    checks.favourites_query(SOLVED, database)
    assert heard(capsys) == (
        "✓ one ? placeholder, the right repositories for each of 2 users\n")
