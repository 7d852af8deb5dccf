"""Lesson 05's in-lesson check: "not yet" on the lesson's skeleton, ✓ on the solution."""

from __future__ import annotations

import pytest

from checks.workspace_copy import said, unsolve
from workshop import checks

SOLVED = '    return render_template("demo_page.html")\n'


def test_page_rendered(workspace, capsys):
    checks.page_rendered(str(workspace))
    assert said(capsys) == ('✓ GET / → 200 text/html: the demo page, rendered, with '
                            '<base href="/">, and behind the hub\'s proxy '
                            '<base href="/user/alice/proxy/5001/">')
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


PROXIED = "app.wsgi_app = ignore_unsafe_prefix(ProxyFix(app.wsgi_app, x_prefix=1))\n"


@pytest.mark.parametrize(("attempt", "hint"), [
    ("", "wrap `app.wsgi_app` in Werkzeug's ProxyFix and tell it to read that header"),
    ("app.wsgi_app = ProxyFix(app.wsgi_app)\n", "reads X-Forwarded-Prefix only when its x_prefix"),
    ("app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)\n", "only when its x_prefix argument"),
    ("app.wsgi_app = ProxyFix(app.wsgi_app, x_prefix=2)\n", "x_prefix=2 trusts that many"),
    ("app.wsgi_app = ProxyFix(app, x_prefix=1)\n", "ProxyFix wraps `app` itself"),
    ("app = ProxyFix(app.wsgi_app, x_prefix=1)\n", "`app` must stay the Flask app"),
])
def test_page_rendered_wants_proxyfix_reading_the_prefix(workspace, capsys, attempt, hint):
    unsolve(workspace, "app/__init__.py", PROXIED, attempt)
    checks.page_rendered(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and hint in out, out
