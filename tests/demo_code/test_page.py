"""The page in Chromium: the lookup flows, error lines, inert XSS, and a path prefix."""

import json

import pytest

from workshop import serve

pytestmark = pytest.mark.browser

PREFIX = "/user/alice/proxy/5001"
XSS = "<img src=/x onerror=window.pwned=1>"  # the "/" makes the server answer 404


def behind_proxy(app, prefix=PREFIX):
    """Mount `app` under `prefix` like jupyter-server-proxy: strip it, send X-Forwarded-Prefix."""

    def proxy(environ, start_response):
        path = environ["PATH_INFO"]
        if not path.startswith(prefix):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not under the proxy prefix"]
        environ["PATH_INFO"] = path[len(prefix):] or "/"
        environ["HTTP_X_FORWARDED_PREFIX"] = prefix
        return app(environ, start_response)

    return proxy


def submit(page, form, value=None):
    """Fill a form's input (if any), press Enter or click, and wait for the answer."""
    form_locator = page.locator(f"#{form}-form")
    if value is not None:
        form_locator.locator("input").fill(str(value))
        form_locator.locator("input").press("Enter")
    else:
        form_locator.locator("button").click()
    page.wait_for_function(f"!document.querySelector('#{form}-form button').disabled")


def message(page, form):
    line = page.locator(f"#{form}-message")
    return line.text_content() if line.is_visible() else ""


def look_up_user(page, url, user_id):
    page.goto(url)
    submit(page, "user", user_id)


def test_user_repo_count_and_names(page, api):
    look_up_user(page, api.url, "mona-lisa-dev")
    assert '"login": "mona-lisa-dev"' in page.locator("#user-output").text_content()
    assert page.locator("#current-user").text_content() == "mona-lisa-dev"
    submit(page, "repo", "my_repo")
    assert '"name": "my_repo"' in page.locator("#repo-output").text_content()
    submit(page, "count")
    assert page.locator("#count-output").text_content() == (
        "mona-lisa-dev has 8 public repositories.")
    submit(page, "names", 4)
    assert page.locator("#names-output li").all_text_contents() == [
        ".github", "apple", "dot.files-2", "flask_live-notes"]
    assert all(message(page, form) == "" for form in ("user", "repo", "count", "names"))


def test_one_repository_is_singular(page, api):
    look_up_user(page, api.url, "octocat")
    submit(page, "count")
    assert page.locator("#count-output").text_content() == "octocat has 1 public repository."


def test_unknown_user_and_repository(page, api):
    look_up_user(page, api.url, "no-such-user")
    assert message(page, "user") == "The username no-such-user could not be found!"
    assert not page.locator("#user-output").is_visible()
    submit(page, "user", "octocat")
    submit(page, "repo", "no-such-repo")
    assert message(page, "repo") == "The repository no-such-repo could not be found!"


def test_sections_need_a_user_first(page, api):
    page.goto(api.url)
    for form, value in [("repo", "Hello-World"), ("count", None), ("names", 3)]:
        submit(page, form, value)
        assert message(page, form) == "No user has been specified yet!"


def test_server_messages_for_400_and_5xx(page, api, github):
    look_up_user(page, api.url, "-bad-")
    assert message(page, "user").startswith("Invalid user_id")
    github.settings.fault = "500"
    submit(page, "user", "octocat")
    assert message(page, "user") == (
        "GitHub answered with an error (status 500). (status 502)")
    github.reset()
    github.settings.rate_limit = 0
    submit(page, "user", "octocat")
    assert "rate limit is used up" in message(page, "user")


def test_network_failure_and_loading_state(page, api, github):
    look_up_user(page, api.url, "mona-lisa-dev")
    github.settings.fault = "hang"  # no answer until reset(), however slow the machine is
    page.locator("#count-form button").click()
    assert page.locator("#count-message").text_content() == "Loading…"
    assert page.locator("#count-form button").is_disabled()
    github.reset()  # the upstream answers now
    page.wait_for_function("!document.querySelector('#count-form button').disabled")
    assert page.locator("#count-output").text_content() == (
        "mona-lisa-dev has 8 public repositories.")
    page.route("**/count-repos", lambda route: route.abort())
    submit(page, "count")
    assert message(page, "count") == "Could not reach the server. Is it still running?"


def test_script_in_inputs_stays_text(page, api):
    look_up_user(page, api.url, XSS)
    assert message(page, "user") == f"The username {XSS} could not be found!"
    submit(page, "user", "octocat")
    submit(page, "repo", XSS)
    assert message(page, "repo") == f"The repository {XSS} could not be found!"
    page.wait_for_timeout(200)  # give a (wrongly) inserted image time to fail and fire
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("img").count() == 0


def test_data_from_the_server_stays_text(page, api):
    look_up_user(page, api.url, "octocat")
    page.route("**/get-n-repos-alphabetically", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps({"repo_names": [XSS]})))
    submit(page, "names", 1)
    assert page.locator("#names-output li").all_text_contents() == [XSS]
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("img").count() == 0


@pytest.mark.parametrize("path", [PREFIX + "/", PREFIX])
def test_page_works_under_a_path_prefix(page, demo_app, github, path):
    proxy = serve(behind_proxy(demo_app), name="demo-code-proxy")
    try:
        failed = []
        page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
        look_up_user(page, proxy.url.rstrip("/") + path, "mona-lisa-dev")
        submit(page, "count")
        assert page.locator("#count-output").text_content() == (
            "mona-lisa-dev has 8 public repositories.")
        submit(page, "names", 2)
        assert page.locator("#names-output li").all_text_contents() == [".github", "apple"]
        assert failed == []
        assert github.calls == ["/users/mona-lisa-dev", "/users/mona-lisa-dev",
                                "/users/mona-lisa-dev/repos?per_page=100"]
    finally:
        proxy.stop()
