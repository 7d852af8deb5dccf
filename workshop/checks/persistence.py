"""Checks for lesson 08: data kept in SQLite."""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound

from workshop.checks._core import (
    NotYet,
    check,
    client,
    config_set,
    expect_status,
    json_of,
    quiet_logger,
    workspace_app,
)


@check
def sqlite_notes(make_app) -> str:
    """Exercise 13: notes survive a restart because they live in SQLite."""
    with tempfile.TemporaryDirectory() as folder:
        db_path = str(Path(folder) / "notes.sqlite3")
        texts = ["first", "'); DROP TABLE notes; --"]
        web = client(make_app(db_path))
        for number, text in enumerate(texts, start=1):
            added = web.post("/notes", json={"text": text})
            expect_status(added, 201, "POST /notes")
            data = json_of(added, "POST /notes")
            if data != {"id": number, "text": text}:
                raise NotYet(f"POST /notes sent {data}, expected {{'id': {number}, ...}}: "
                             "add_note should return the new row's id")
        restarted = client(make_app(db_path))  # a new app: only the file remembers the notes
        listed = json_of(restarted.get("/notes"), "GET /notes after a restart")
        want = {"notes": [{"id": i, "text": t} for i, t in enumerate(texts, start=1)]}
        if listed != want:
            raise NotYet(f"after a restart GET /notes sent {listed}, expected {want}")
        with sqlite3.connect(db_path) as db:  # the file really holds them
            stored = db.execute("SELECT count(*) FROM notes").fetchone()[0]
        db.close()
        if stored != len(texts):
            raise NotYet(f"the notes table holds {stored} rows, expected {len(texts)}")
    return "2 notes stored, listed in order after a restart, SQL in a note kept as text"



@check
def favourites_query(sql, database) -> str:
    """Lesson 08: a SELECT with one ? placeholder lists the repo_name of one user's favourites."""
    if not isinstance(sql, str):
        shown = "still `...`" if sql is Ellipsis else repr(sql)
        raise NotYet(f"sql is {shown}: write the SELECT as a string")
    with closing(sqlite3.connect(database)) as db:
        wanted = {user: [(name,) for name, in db.execute(
            "SELECT repo_name FROM favourite WHERE user_id = ? ORDER BY id", (user,))]
            for user, in db.execute("SELECT DISTINCT user_id FROM favourite")}
        if not wanted:
            raise NotYet("the database has no favourites yet: run the cells above first")
        for user, rows in sorted(wanted.items()):
            try:
                got = db.execute(sql, (user,)).fetchall()
            except sqlite3.ProgrammingError:
                raise NotYet("the query must have exactly one ? where the user goes") from None
            except sqlite3.Error as error:
                raise NotYet(f"SQLite says: {error}") from None
            if sorted(got) != sorted(rows):
                raise NotYet(f"for {user!r} the query gave {got}, expected {rows}: "
                             "select only repo_name, and only that user's rows")
    return f"one ? placeholder, the right repositories for each of {len(wanted)} users"


@check
def favourite_deleted(workspace: str = "workspace") -> str:
    """Lesson 08: DELETE /favourites/<id> removes that row (committed): 204, then 404 as JSON."""
    app = workspace_app(workspace)
    with tempfile.TemporaryDirectory() as folder:
        database = str(Path(folder) / "favourites.sqlite3")
        with config_set(app, DATABASE=database), quiet_logger(app):
            web = client(app)
            web.get("/favourites")  # creates the table
            with closing(sqlite3.connect(database)) as db:
                db.executemany("INSERT INTO favourite (user_id, repo_name) VALUES (?, ?)",
                               [("octocat", "Hello-World"), ("mona-lisa-dev", "Zebra")])
                db.commit()
            _expect_delete_route(app)
            deleted = web.delete("/favourites/1")
            expect_status(deleted, 204, "DELETE /favourites/1")
            with closing(sqlite3.connect(database)) as db:
                left = [row for row, in db.execute("SELECT id FROM favourite ORDER BY id")]
            if 1 in left:
                raise NotYet("after DELETE /favourites/1 the row is still in the file: did "
                             "the view call db.commit()?")
            if left != [2]:
                raise NotYet(f"after DELETE /favourites/1 the ids left are {left}, expected [2]: "
                             "delete only the row WHERE id = ?")
            again = web.delete("/favourites/1")
            expect_status(again, 404, "DELETE /favourites/1 a second time")
            json_of(again, "DELETE /favourites/1 a second time")
    return "DELETE /favourites/1 → 204 and the row is gone (the other stays); again → 404 as JSON"


def _expect_delete_route(app: Flask) -> None:
    """NotYet unless some route takes DELETE /favourites/1: the student writes the route too."""
    try:
        app.url_map.bind("localhost").match("/favourites/1", method="DELETE")
    except MethodNotAllowed:
        raise NotYet("a route matches /favourites/1, but not for DELETE: which methods does "
                     "delete_favourite's @app.route allow?") from None
    except NotFound:
        raise NotYet("no route matches DELETE /favourites/1: is there an @app.route for "
                     "/favourites/<int:favourite_id> right above def delete_favourite?") from None
