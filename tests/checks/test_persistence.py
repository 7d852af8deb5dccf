"""workshop.checks.persistence.delete_favourite: fails on lesson 08's skeleton, passes solved."""

from __future__ import annotations

from demo_app import import_demo_app
from flask import abort

from workshop import checks
from workshop.upstream import github_api_url


def test_the_skeleton_is_not_yet(capsys):
    app = import_demo_app(GITHUB_API_URL=github_api_url())

    def skeleton(favourite_id):
        """The lesson's skeleton: the student's DELETE is still `...`."""
        deleted = 0
        ...
        if deleted == 0:
            abort(404, "There is no favourite with this id.")
        return "", 204

    app.view_functions["delete_favourite"] = skeleton
    checks.delete_favourite(app)
    assert capsys.readouterr().out.startswith("not yet: DELETE /favourites/1 answered 404 "
                                              "although row 1 exists")


def test_the_reference_app_passes_and_keeps_its_database(capsys):
    app = import_demo_app(GITHUB_API_URL=github_api_url())
    before = app.config["DATABASE"]
    checks.delete_favourite(app)
    assert capsys.readouterr().out.startswith("✓ DELETE /favourites/1 → 204")
    assert app.config["DATABASE"] == before
