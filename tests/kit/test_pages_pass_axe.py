"""axe-core in Chromium: no page the kit serves breaks a WCAG 2.1 A/AA rule, of any impact.

The pages: the four offline decks (`python -m workshop slides`), every slide as the audience
sees it, and the demo page (demo_code/frontend, served by the reference app) before and after
it shows answers and error lines. The GitHub double answers JSON only: it has no page.
axe-core is the copy bundled by the PyPI package axe-playwright-python; one browser, pages in
sequence.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from demo_app import HANG_GUARD_MS, import_demo_app

from workshop import serve

# The rules axe-core tags as WCAG 2.0 and 2.1, levels A and AA (axe's own tag names).
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations in what the page shows now, one line per element."""
    # Injected once per page load and run many times: the wrapper's own Axe.run re-injects
    # its 570 kB script on every call.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("options => axe.run(document, options)", WCAG_21_AA)
    return [f"{rule['id']} ({rule['impact']}) {', '.join(node['target'])}: "
            f"{node['failureSummary'].splitlines()[-1].strip()}"
            for rule in results["violations"] for node in rule["nodes"]]


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(HANG_GUARD_MS)  # a guard against hangs, not a speed test
    yield context
    context.close()


@pytest.fixture
def demo_page_url(tmp_path):
    """The reference app served with the GitHub double behind it; both stopped afterwards."""
    from workshop.github_double import Settings, create_app

    double = serve(create_app(Settings(rate_limit=10**9)), name="axe-github-double")
    app = import_demo_app(GITHUB_API_URL=double.url.rstrip("/"),
                          DATABASE=str(tmp_path / "favourites.sqlite3"))
    server = serve(app, name="axe-demo-app")
    yield server.url
    server.stop()
    double.stop()


def test_the_demo_page_is_the_only_html_the_apps_serve(tmp_path):
    """Every other answer of the reference app and of the GitHub double is JSON: no page."""
    from workshop.github_double import create_app

    double = create_app().test_client()
    app = import_demo_app(DATABASE=str(tmp_path / "favourites.sqlite3")).test_client()
    answers = [double.get("/"), double.get("/no/such/page"), double.get("/users/octocat"),
               app.get("/no/such/page"), app.delete("/"), app.get("/frontend/no-such.css")]
    assert [answer.mimetype for answer in answers] == ["application/json"] * len(answers)
    assert app.get("/").mimetype == "text/html"


@pytest.mark.browser
def test_the_check_finds_a_violation(context):
    """The slide number's old colours (white on #999999, 2.8:1) fail: the check is not empty."""
    page = context.new_page()
    page.set_content('<html lang="en"><title>t</title><main>'
                     '<p style="color:#fff;background:#999">9 / 13</p></main></html>')
    assert [line.split(" ", 2)[:2] for line in violations(page)] == [
        ["color-contrast", "(serious)"]]


@pytest.mark.browser
def test_every_deck_presented_and_in_scroll_view(context, exported):
    """Each deck twice: as presented (slide 1 with the slide number and the arrows), and in
    reveal's scroll view, which lays out every slide at once at its own size (what a phone
    shows): one axe run sees every slide's content, where one run per slide costs 13 times more.
    """
    page = context.new_page()
    found = []
    for name, path in exported.items():
        for view, query in [("presented", ""), ("scroll view", "?view=scroll")]:
            page.goto(path.as_uri() + query)
            page.wait_for_function("window.Reveal && Reveal.isReady()")
            assert page.evaluate("Reveal.isScrollView()") == bool(query)
            found += [f"{name}, {view}: {line}" for line in violations(page)]
    assert found == []


@pytest.mark.browser
def test_demo_page_empty_with_answers_and_with_errors(context, demo_page_url):
    """The page as it opens, with all four answers shown, and with two error lines."""
    page = context.new_page()
    page.goto(demo_page_url)
    found = [f"empty page: {line}" for line in violations(page)]

    def submit(form, value=None):
        if value is not None:
            page.fill(f"#{form}-form input", str(value))
        page.click(f"#{form}-form button")
        page.wait_for_function(f"!document.querySelector('#{form}-form button').disabled")

    submit("user", "octocat")
    submit("repo", "Hello-World")
    submit("count")
    submit("names", 3)
    assert page.locator("#names-output li").count() == 1  # every section shows its answer
    found += [f"with answers: {line}" for line in violations(page)]
    submit("user", "no-such-user")
    submit("repo", "no-such-repo")
    assert page.locator(".message.error").count() == 2
    found += [f"with errors: {line}" for line in violations(page)]
    assert found == []
