"""Favourite repositories, kept in SQLite so they survive a server restart."""

import os
import sqlite3

from flask import abort, g, jsonify
from werkzeug.exceptions import ServiceUnavailable

from app import app
from app.errors import handle_http_error, handle_unexpected_error
from app.github import ask_github, github_url, read_json
from app.validation import check_repo_name, check_user_id, read_json_body

# GitHub names are not case sensitive, so neither is our duplicate check (COLLATE NOCASE).
SCHEMA = """
CREATE TABLE IF NOT EXISTS favourite (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL COLLATE NOCASE,
    repo_name TEXT NOT NULL COLLATE NOCASE,
    UNIQUE (user_id, repo_name)
)
"""


def get_db():
    """This request's database connection, opened (and the table created) on first use."""
    if "db" not in g:
        os.makedirs(os.path.dirname(app.config["DATABASE"]) or ".", exist_ok=True)
        # While another request writes, SQLite makes us wait: at most 1 s (the default is 5 s).
        g.db = sqlite3.connect(app.config["DATABASE"], timeout=1)
        g.db.row_factory = sqlite3.Row  # rows behave like dicts: row["repo_name"]
        g.db.execute(SCHEMA)
    return g.db


@app.teardown_appcontext
def close_db(error=None):
    """Close the connection when the request ends, even after an error."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.route("/favourites", methods=["GET"])
def list_favourites():
    """All favourites, oldest first."""
    rows = get_db().execute("SELECT id, user_id, repo_name FROM favourite ORDER BY id")
    return jsonify(favourites=[dict(row) for row in rows])


@app.route("/favourites", methods=["POST"])
def add_favourite():
    """Remember a repository that exists on GitHub; adding it twice keeps one copy."""
    body = read_json_body()
    user_id, repo_name = body.get("user_id"), body.get("repo_name")
    check_user_id(user_id)
    check_repo_name(repo_name)
    # Only repositories that exist: a missing one stops here with 404.
    read_json(ask_github(github_url("repos", user_id, repo_name)))
    db = get_db()
    # INSERT OR IGNORE skips a duplicate instead of failing, even when two requests race.
    added = db.execute("INSERT OR IGNORE INTO favourite (user_id, repo_name) VALUES (?, ?)",
                       (user_id, repo_name)).rowcount == 1
    db.commit()
    row = db.execute("SELECT id, user_id, repo_name FROM favourite"
                     " WHERE user_id = ? AND repo_name = ?", (user_id, repo_name)).fetchone()
    status = 201 if added else 200  # 201 Created only when a new row was written
    return jsonify(dict(row)), status


@app.route("/favourites/<int:favourite_id>", methods=["DELETE"])
def delete_favourite(favourite_id):
    """Forget one favourite: 204 No Content, or 404 when there is no such id."""
    db = get_db()
    if db.execute("DELETE FROM favourite WHERE id = ?", (favourite_id,)).rowcount == 0:
        abort(404, "There is no favourite with this id.")
    db.commit()
    return "", 204


@app.errorhandler(sqlite3.OperationalError)
def handle_database_error(error):
    """A database still locked by another writer is busy (503), not broken; other errors are 500."""
    if "database is locked" not in str(error):
        return handle_unexpected_error(error)
    busy = ServiceUnavailable("The favourites database is busy. Please try again in a second.",
                              retry_after=1)
    return handle_http_error(busy)


@app.url_value_preprocessor
def check_favourite_id(endpoint, values):
    """SQLite's integers end at 2**63 - 1: a larger id cannot exist, and sqlite3 would refuse it."""
    if values and values.get("favourite_id", 0) > 2**63 - 1:
        abort(404, "There is no favourite with this id.")
