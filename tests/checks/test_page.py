"""Lesson 05's in-lesson check: "not yet" on the lesson's skeleton, ✓ on the solution."""

from __future__ import annotations

import pytest

from checks.workspace_copy import said, unsolve
from workshop import checks

SOLVED = '    return render_template("demo_page.html")\n'


def test_page_rendered(workspace, capsys):
    checks.page_rendered(str(workspace))
    assert said(capsys) == '✓ GET / → 200 text/html: the demo page, rendered, with <base href="/">'
    unsolve(workspace, "app/routes.py", SOLVED, "    ...\n")
    checks.page_rendered(str(workspace))
    assert said(capsys).startswith("not yet: a view (or error handler) returned None")


@pytest.mark.parametrize(("attempt", "hint"), [
    ('    return "Hello from Flask!"\n', "GET / did not send the demo page"),
    ('    return app.send_static_file("demo_page.html")\n', "the page still contains {{ ... }}"),
    ('    return "demo_page.html"\n', "GET / did not send the demo page; it sent 'demo_page.html'"),
    ('    return render_template("frontend/demo_page.html")\n',
     "GET / answered 500, expected 200: your code raised TemplateNotFound: "
     "frontend/demo_page.html"),
    ('    render_template("demo_page.html")\n', "returned None"),
])
def test_page_rendered_names_the_first_mistake(workspace, capsys, attempt, hint):
    unsolve(workspace, "app/routes.py", SOLVED, attempt)
    checks.page_rendered(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and hint in out, out
