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


PROXIED = "app.wsgi_app = ignore_unsafe_prefix(ProxyFix(app.wsgi_app, x_prefix=1))\n"
VIEW, INIT = ("app/routes.py", SOLVED), ("app/__init__.py", PROXIED)


@pytest.mark.parametrize(("where", "attempt", "hint"), [
    (VIEW, '    return "Hello from Flask!"\n', "GET / did not send the demo page"),
    (VIEW, '    return app.send_static_file("demo_page.html")\n',
     "the page still contains {{ ... }}"),
    (VIEW, '    return "demo_page.html"\n',
     "GET / did not send the demo page; it sent 'demo_page.html'"),
    (VIEW, '    return render_template("frontend/demo_page.html")\n',
     "GET / answered 500, expected 200: your code raised TemplateNotFound: "
     "frontend/demo_page.html"),
    (VIEW, '    render_template("demo_page.html")\n', "returned None"),
    # ProxyFix, so that the page works behind JupyterHub's proxy.
    (INIT, "", "wrap `app.wsgi_app` in Werkzeug's ProxyFix and tell it to read that header"),
    (INIT, "app.wsgi_app = ProxyFix(app.wsgi_app)\n",
     "reads X-Forwarded-Prefix only when its x_prefix"),
    (INIT, "app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)\n", "only when its x_prefix argument"),
    (INIT, "app.wsgi_app = ProxyFix(app.wsgi_app, x_prefix=2)\n", "x_prefix=2 trusts that many"),
    (INIT, "app.wsgi_app = ProxyFix(app, x_prefix=1)\n", "ProxyFix wraps `app` itself"),
    (INIT, "app = ProxyFix(app.wsgi_app, x_prefix=1)\n", "`app` must stay the Flask app"),
])
def test_page_rendered_names_the_first_mistake(workspace, capsys, where, attempt, hint):
    unsolve(workspace, *where, attempt)
    checks.page_rendered(str(workspace))
    out = said(capsys)
    assert out.startswith("not yet:") and hint in out, out
