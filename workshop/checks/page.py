"""Checks for lesson 05: the page (the home view, XSS)."""

from __future__ import annotations

import threading

from werkzeug.middleware.proxy_fix import ProxyFix

from workshop.checks._core import (
    XSS_PAYLOAD,
    NotYet,
    check,
    client,
    expect_status,
    step,
    workspace_app,
)
from workshop.runtime.chromium import ARGS, chromium_path

HUB_PREFIX = "/user/alice/proxy/5001"  # what jupyter-server-proxy strips, and names in a header

UNSAFE_SINKS = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write")


@check
def page_rendered(workspace: str = "workspace") -> str:
    """Lesson 05: GET / sends the demo page, rendered by Jinja, and ProxyFix reads the prefix."""
    try:
        app = workspace_app(workspace)
    except NotYet as error:
        if "'ProxyFix' object has no attribute" not in str(error):
            raise
        raise NotYet(f"{error}: `app` must stay the Flask app, so give the ProxyFix to "
                     "`app.wsgi_app`") from None
    if getattr(app.wsgi_app, "app", None) is app:
        raise NotYet("ProxyFix wraps `app` itself, and `app` calls `app.wsgi_app`, which is that "
                     "ProxyFix: a loop. Wrap the app's own `app.wsgi_app` instead")
    home = client(app).get("/")
    expect_status(home, 200, "GET /")
    text = home.get_data(as_text=True)
    if "{{" in text:
        raise NotYet("the page still contains {{ ... }}: Flask sent the file as it is, "
                     "without rendering it")
    if "<base href=" not in text:
        raise NotYet(f"GET / did not send the demo page; it sent {text[:40]!r}")
    if not home.content_type.startswith("text/html"):
        raise NotYet(f"GET / sent Content-Type {home.content_type}, expected text/html")
    behind = client(app).get("/", headers={"X-Forwarded-Prefix": HUB_PREFIX})
    if f'<base href="{HUB_PREFIX}/">' not in behind.get_data(as_text=True):
        raise NotYet(_proxy_hint(app.wsgi_app))
    return (f'GET / → 200 text/html: the demo page, rendered, with <base href="/">, and '
            f'behind the hub\'s proxy <base href="{HUB_PREFIX}/">')


def _proxy_hint(wsgi_app) -> str:
    said = (f"behind JupyterHub's proxy (X-Forwarded-Prefix: {HUB_PREFIX}) the page still says "
            '<base href="/">, so the browser would ask Jupyter, not us, for its script')
    if isinstance(wsgi_app, ProxyFix) and wsgi_app.x_prefix == 0:
        return (f"{said}: ProxyFix is there, but reads X-Forwarded-Prefix only when its "
                "x_prefix argument says how many proxies set it")
    if isinstance(wsgi_app, ProxyFix):
        return (f"{said}: x_prefix={wsgi_app.x_prefix} trusts that many proxies, and one proxy "
                "set this header")
    return (f"{said}: in __init__.py, wrap `app.wsgi_app` in Werkzeug's ProxyFix and tell it to "
            "read that header (its x_prefix argument)")


@check
def xss_safe(javascript: str) -> str:
    """Exercise 07: the page shows user input as text, never as HTML."""
    for sink in UNSAFE_SINKS:
        if sink in javascript:
            raise NotYet(f"the code writes to {sink}, so a name like {XSS_PAYLOAD} becomes "
                         "a real <img> that runs script: which property takes plain text?")
    if "textContent" not in javascript:
        raise NotYet("the message is not set as plain text: which property of the element "
                     "takes text, not HTML?")
    result = run_in_chromium(javascript)  # None without a browser: the source check stands
    if result is not None and (result["img"] or result["pwned"]):
        raise NotYet("in Chromium the payload became an <img> element: the name was read as "
                     "HTML")
    if result is not None and XSS_PAYLOAD not in result["text"]:
        raise NotYet(f"in Chromium the message did not show the name as typed: {result['text']!r}")
    # The same line with or without Chromium, so the committed output holds on any machine.
    return f"textContent only: a name like {XSS_PAYLOAD} stays plain text and runs no script"


def run_in_chromium(javascript: str) -> dict | None:
    """Run showError(payload) in headless system Chromium; None when no browser is available."""
    path = chromium_path()
    if path is None:
        return None
    outcome: dict = {}

    def drive():
        # Playwright's sync API refuses to run in a thread with an asyncio loop (the kernel's).
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=path, headless=True, args=ARGS)
            page = browser.new_page()
            page.set_content(f'<p id="error"></p><script>{javascript}</script>')
            page.evaluate("name => showError(name)", XSS_PAYLOAD)
            page.wait_for_timeout(200)  # give a would-be onerror handler the chance to run
            outcome.update(img=page.evaluate("!!document.querySelector('#error img')"),
                           pwned=page.evaluate("window.pwned === 1"),
                           text=page.evaluate("document.getElementById('error').textContent"))
            browser.close()

    worker = threading.Thread(target=drive, daemon=True)
    step("the page with your showError did not finish loading in Chromium", seconds=60,
         advice="look for a loop that never ends in your JavaScript")
    worker.start()
    worker.join(60)
    if not outcome:
        raise NotYet("the page did not run in Chromium; is showError(name) defined?")
    return outcome
