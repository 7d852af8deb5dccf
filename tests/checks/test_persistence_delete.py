"""checks.favourite_deleted: lesson 08's delete_favourite, "not yet" for typical wrong bodies and
wrong routes (the student writes the whole view: its route, its signature and its body)."""

from __future__ import annotations

import pytest

from checks.workspace_copy import said, unsolve
from workshop import checks

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


ROUTE = '@app.route("/favourites/<int:favourite_id>", methods=["DELETE"])\n'
SIGNATURE = ('def delete_favourite(favourite_id):\n'
             '    """Forget one favourite: 204 No Content, or 404 when there is no such id."""\n')
SOLVED_VIEW = ROUTE + SIGNATURE + SOLVED_DELETE


@pytest.mark.parametrize("view, nudge", [
    # The lesson's skeleton, run as it is: only a comment.
    ("# delete_favourite(favourite_id): its route, its docstring, then its body\n",
     "no route matches DELETE /favourites/1"),
    # The function without its decorator: Flask never calls it.
    (SIGNATURE + SOLVED_DELETE, "no route matches DELETE /favourites/1"),
    # A route without methods=: GET only.
    ('@app.route("/favourites/<int:favourite_id>")\n' + SIGNATURE + SOLVED_DELETE,
     "a route matches /favourites/1, but not for DELETE"),
    # A typo in the URL.
    (ROUTE.replace("/favourites/", "/favourite/") + SIGNATURE + SOLVED_DELETE,
     "no route matches DELETE /favourites/1"),
    # The URL's variable is not a parameter of the view.
    (ROUTE + SIGNATURE.replace("(favourite_id)", "()") + SOLVED_DELETE,
     "unexpected keyword argument 'favourite_id'"),
])
def test_wrong_routes_are_not_yet(workspace, capsys, view, nudge):
    unsolve(workspace, "app/favourites.py", SOLVED_VIEW, view)
    checks.favourite_deleted(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and nudge in out, out
