"""checks.favourite_deleted: lesson 08's delete_favourite, "not yet" for typical wrong bodies."""

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
