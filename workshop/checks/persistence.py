"""Checks for lesson 08: data kept in SQLite."""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from workshop.checks._core import (
    NotYet,
    check,
    client,
    config_set,
    expect_status,
    json_of,
    quiet_logger,
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
def delete_favourite(app) -> str:
    """Lesson 08: DELETE /favourites/<id> removes that row only: 204, then 404 for it."""
    with tempfile.TemporaryDirectory() as folder:
        database = str(Path(folder) / "favourites.sqlite3")
        web = app.test_client()
        with quiet_logger(app), config_set(app, DATABASE=database):
            expect_status(web.get("/favourites"), 200, "GET /favourites")  # creates the table
            with closing(sqlite3.connect(database)) as db:  # two rows, without asking GitHub
                db.executemany("INSERT INTO favourite (user_id, repo_name) VALUES (?, ?)",
                               [("octocat", "Hello-World"), ("octocat", "Spoon-Knife")])
                db.commit()
            first = web.delete("/favourites/1")
            if first.status_code == 404:
                raise NotYet("DELETE /favourites/1 answered 404 although row 1 exists: did the "
                             "DELETE run, was it committed, and does `deleted` hold its rowcount?")
            expect_status(first, 204, "DELETE /favourites/1")
            listed = json_of(web.get("/favourites"), "GET /favourites")
            left = [row.get("id") for row in listed.get("favourites", [])]
            if left != [2]:
                raise NotYet(f"after DELETE /favourites/1 the ids left are {left}, expected [2]: "
                             "delete only the row WHERE id = ?")
            again = web.delete("/favourites/1")
            expect_status(again, 404, "DELETE /favourites/1 a second time")
            json_of(again, "DELETE /favourites/1 a second time")
    return "DELETE /favourites/1 → 204 and only row 1 is gone; the same DELETE again → 404 JSON"
