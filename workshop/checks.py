"""Self-checks for the exercises: each prints ✓ and what it verified, or "not yet" and a hint.

    from workshop import checks
    checks.hello_route(app)

A check never raises and never shows a traceback: whatever the student's code does (returns
None, raises, hangs up), the check turns it into one line that says what to look at first.
Outputs are deterministic (no ports, times or addresses), because the exercise notebooks are
committed with them and compared by strict nbval.
"""

from __future__ import annotations

import functools
import inspect
import math
import sqlite3
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from flask import Flask

OK, NOT_YET = "✓", "not yet:"
EVIL_ORIGIN = "http://evil.example"
XSS_PAYLOAD = "<img src=x onerror=window.pwned=1>"


class NotYet(Exception):
    """The first thing a check found wrong; the message is the hint shown to the student."""


def check(fn):
    """Turn a function that returns what it verified (or raises) into a printing self-check."""

    @functools.wraps(fn)
    def run(*args, **kwargs) -> None:
        try:
            verified = fn(*args, **kwargs)
        except NotYet as hint:
            print(NOT_YET, hint)
        except Exception as error:  # noqa: BLE001 (a check must survive any student code)
            print(NOT_YET, explain(error))
        else:
            print(OK, verified)

    run.raw = fn  # tests call the unwrapped check to see the exception
    return run


def explain(error: BaseException) -> str:
    """A one-line hint for an exception raised by the student's code."""
    text = (str(error).strip().splitlines() or [""])[0]
    if isinstance(error, TypeError) and "did not return a valid response" in text:
        return ("a view (or error handler) returned None: replace the `...` with a `return` "
                "of a dict, a string or a Response")
    if isinstance(error, requests.RequestException):
        return f"an upstream request failed ({type(error).__name__}); did you add a timeout?"
    return f"your code raised {type(error).__name__}: {text[:160]}"


def client(app: Flask):
    """A test client whose requests let the view's exceptions reach the check."""
    app.testing = True  # exceptions propagate instead of becoming a bare 500
    return app.test_client()


def json_of(response, what: str):
    """The JSON body of a test-client or requests response, or NotYet naming `what`."""
    data = response.get_json(silent=True) if hasattr(response, "get_json") else _json(response)
    if data is None:
        kind = response.headers.get("Content-Type", "no Content-Type")
        raise NotYet(f"{what} did not answer JSON (it sent {kind})")
    return data


def _json(response: requests.Response):
    try:
        return response.json()
    except ValueError:
        return None


def expect_status(response, status: int, what: str) -> None:
    """NotYet unless `response` has `status`."""
    code = getattr(response, "status_code", None)
    if code != status:
        raise NotYet(f"{what} answered {code}, expected {status}")


def upstream_url() -> str:
    """The GitHub API the exercises use (the kit's double unless GITHUB_API_URL says otherwise)."""
    from workshop.upstream import github_api_url

    return github_api_url()


def fresh_upstream() -> str:
    """The GitHub API URL, with the in-process double reset (full rate budget, no fault).

    Students re-run checks many times; without this the double's 60-an-hour budget would run
    out in class and every check would fail for a reason that is not theirs.
    """
    from workshop.upstream import double

    url = upstream_url()
    control = double()
    if control is not None:
        control.reset()
    return url


@contextmanager
def counting_requests():
    """Count the HTTP requests `requests` sends inside the block (works live or offline)."""
    sent: list[str] = []
    original = requests.Session.send

    def send(session, prepared, **kwargs):
        sent.append(prepared.url)
        return original(session, prepared, **kwargs)

    requests.Session.send = send
    try:
        yield sent
    finally:
        requests.Session.send = original


# --- Lesson 01: a first server -------------------------------------------------------------


@check
def hello_route(app: Flask) -> str:
    """Exercise 01: GET /hello/<name> greets in JSON, over a real background server."""
    from workshop import serve

    server = serve(app, name="exercise")
    for name in ("Ada", "Grace"):
        response = server.get(f"hello/{name}")
        expect_status(response, 200, f"GET /hello/{name}")
        data = json_of(response, f"GET /hello/{name}")
        if data != {"greeting": f"Hello, {name}!"}:
            want = {"greeting": f"Hello, {name}!"}
            raise NotYet(f"GET /hello/{name} sent {data}, expected {want}")
    return "GET /hello/Ada and /hello/Grace answered 200 with the right greeting over real HTTP"


# --- Lesson 02: the app package, CORS -------------------------------------------------------


@check
def cors_one_origin(app: Flask, origin: str) -> str:
    """Exercise 02: CORS allows the page's own origin and nobody else."""
    web = client(app)
    allowed = web.get("/data", headers={"Origin": origin})
    if allowed.headers.get("Access-Control-Allow-Origin") != origin:
        raise NotYet(f"a request from {origin} did not get Access-Control-Allow-Origin: {origin}")
    evil = web.get("/data", headers={"Origin": EVIL_ORIGIN})
    if "Access-Control-Allow-Origin" in evil.headers:
        value = evil.headers["Access-Control-Allow-Origin"]
        raise NotYet(f"{EVIL_ORIGIN} got Access-Control-Allow-Origin: {value}; "
                     "pass origins=[...] to CORS")
    preflight = web.options("/data", headers={"Origin": EVIL_ORIGIN,
                                              "Access-Control-Request-Method": "GET"})
    if "Access-Control-Allow-Origin" in preflight.headers:
        raise NotYet(f"a preflight OPTIONS from {EVIL_ORIGIN} was allowed")
    return f"only {origin} may read /data from a browser (checked GET and a preflight OPTIONS)"


# --- Lesson 03: routes and methods ----------------------------------------------------------


@check
def notes_methods(app: Flask) -> str:
    """Exercise 03: one route, GET lists and POST adds; other methods get 405."""
    web = client(app)
    added = web.post("/notes", json={"text": "buy milk"})
    if added.status_code == 405:
        raise NotYet('POST /notes answered 405 Method Not Allowed: add "POST" to the methods')
    expect_status(added, 201, "POST /notes")
    notes = json_of(web.get("/notes"), "GET /notes").get("notes")
    if not isinstance(notes, list) or "buy milk" not in notes:
        raise NotYet(f"after POST, GET /notes listed {notes!r}; the new note is missing")
    deleted = web.delete("/notes")
    expect_status(deleted, 405, "DELETE /notes")
    allow = sorted(m.strip() for m in deleted.headers.get("Allow", "").split(","))
    return f"POST /notes → 201, GET lists the note, DELETE → 405 (Allow: {', '.join(allow)})"


# --- Lesson 04: proxying GitHub -------------------------------------------------------------


@check
def followers(app: Flask) -> str:
    """Exercise 04: GET /users/<user_id>/followers reports GitHub's follower count."""
    web = client(app)
    fresh_upstream()
    for user_id in ("octocat", "mona-lisa-dev"):
        expected = requests.get(f"{upstream_url()}/users/{user_id}", timeout=10).json()
        response = web.get(f"/users/{user_id}/followers")
        expect_status(response, 200, f"GET /users/{user_id}/followers")
        data = json_of(response, f"GET /users/{user_id}/followers")
        want = {"user_id": user_id, "followers": expected["followers"]}
        if data != want:
            raise NotYet(f"GET /users/{user_id}/followers sent {data}, expected {want}")
    missing = web.get("/users/no-such-user-0/followers")
    expect_status(missing, 404, "GET /users/no-such-user-0/followers")
    if "message" not in json_of(missing, "the unknown user"):
        raise NotYet("the 404 for an unknown user has no JSON message")
    return "follower counts for octocat and mona-lisa-dev match GitHub; an unknown user → 404 JSON"


def fake_upstream(status: int, body, headers: dict | None = None) -> requests.Response:
    """A requests.Response as GitHub might send it, without any network."""
    import json

    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers.update({"Content-Type": "application/json; charset=utf-8", **(headers or {})})
    response.url = "https://api.github.com/users/octocat"
    return response


@check
def rate_limit_429(app: Flask, create_response) -> str:
    """Exercise 05: create_response maps GitHub's answers to honest statuses."""

    def answer(upstream):
        with app.test_request_context():
            return app.make_response(create_response(upstream))

    ok = answer(fake_upstream(200, {"login": "octocat"}))
    if ok.status_code != 200 or ok.get_json() != {"login": "octocat"}:
        raise NotYet("a 200 from GitHub should pass through as 200 with the same JSON")
    expect_status(answer(fake_upstream(404, {"message": "Not Found"})), 404, "a GitHub 404")
    reset = int(time.time()) + 120
    limited = answer(fake_upstream(403, {"message": "API rate limit exceeded"},
                                   {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}))
    if limited.status_code != 429:
        raise NotYet(f"GitHub's rate limit (403, X-RateLimit-Remaining: 0) became "
                     f"{limited.status_code}; answer 429 Too Many Requests")
    retry = limited.headers.get("Retry-After", "")
    if not retry.isdigit() or not 1 <= int(retry) <= 130:
        raise NotYet(f"Retry-After should be the seconds until X-RateLimit-Reset, got {retry!r}")
    if "message" not in (limited.get_json(silent=True) or {}):
        raise NotYet("the 429 needs a JSON message saying when to retry")
    broken = answer(fake_upstream(500, {"message": "Server Error"}))
    expect_status(broken, 502, "a GitHub 500 (our upstream failed: 502 Bad Gateway)")
    return "200 passes, 404 stays 404, rate limit → 429 with Retry-After, GitHub 500 → 502"


@check
def etag_304(app: Flask) -> str:
    """Exercise 06: answers carry an ETag, and If-None-Match with it gets 304 Not Modified."""
    web = client(app)
    first = web.get("/users/octocat/summary")
    expect_status(first, 200, "GET /users/octocat/summary")
    etag = first.headers.get("ETag")
    if not etag:
        raise NotYet("the answer has no ETag header; try response.add_etag()")
    again = web.get("/users/octocat/summary", headers={"If-None-Match": etag})
    if again.status_code != 304:
        raise NotYet(f"If-None-Match with the ETag answered {again.status_code}, expected 304; "
                     "try response.make_conditional(request)")
    if again.data:
        raise NotYet("a 304 must have an empty body")
    other = web.get("/users/mona-lisa-dev/summary", headers={"If-None-Match": etag})
    expect_status(other, 200, "another user's summary with octocat's ETag")
    return "ETag sent; If-None-Match → 304 with no body; another resource's ETag → 200"


# --- Lesson 05: the page --------------------------------------------------------------------

UNSAFE_SINKS = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write")


@check
def xss_safe(javascript: str) -> str:
    """Exercise 07: the page shows user input as text, never as HTML."""
    for sink in UNSAFE_SINKS:
        if sink in javascript:
            raise NotYet(f"the code writes to {sink}, so a name like {XSS_PAYLOAD} becomes "
                         "a real <img> that runs script; use textContent")
    if "textContent" not in javascript:
        raise NotYet("set the message with element.textContent")
    result = run_in_chromium(javascript)  # None without a browser: the source check stands
    if result is not None and (result["img"] or result["pwned"]):
        raise NotYet("in Chromium the payload became an <img> element; use textContent")
    if result is not None and XSS_PAYLOAD not in result["text"]:
        raise NotYet(f"in Chromium the message did not show the name as typed: {result['text']!r}")
    # The same line with or without Chromium, so the committed output holds on any machine.
    return f"textContent only: a name like {XSS_PAYLOAD} stays plain text and runs no script"


def run_in_chromium(javascript: str) -> dict | None:
    """Run showError(payload) in headless system Chromium; None when no browser is available."""
    import shutil

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        return None
    outcome: dict = {}

    def drive():
        # Playwright's sync API refuses to run in a thread with an asyncio loop (the kernel's).
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=path, headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = browser.new_page()
            page.set_content(f'<p id="error"></p><script>{javascript}</script>')
            page.evaluate("name => showError(name)", XSS_PAYLOAD)
            page.wait_for_timeout(200)  # give a would-be onerror handler the chance to run
            outcome.update(img=page.evaluate("!!document.querySelector('#error img')"),
                           pwned=page.evaluate("window.pwned === 1"),
                           text=page.evaluate("document.getElementById('error').textContent"))
            browser.close()

    worker = threading.Thread(target=drive, daemon=True)
    worker.start()
    worker.join(60)
    if not outcome:
        raise NotYet("the page did not run in Chromium; is showError(name) defined?")
    return outcome


# --- Lesson 06: POST endpoints --------------------------------------------------------------

GOOD_BODIES = [{"num_repos": 1}, {"num_repos": 5}, {"num_repos": 100}]
BAD_BODIES = [None, [], {}, {"num_repos": None}, {"num_repos": "5"}, {"num_repos": 5.0},
              {"num_repos": True}, {"num_repos": 0}, {"num_repos": -3}, {"num_repos": 101},
              {"num_repos": 10**9}]


@check
def num_repos(read_num_repos) -> str:
    """Exercise 08: read_num_repos accepts whole numbers 1..100 and explains everything else."""
    for body in GOOD_BODIES:
        result = read_num_repos(body)
        if result != (body["num_repos"], None):
            raise NotYet(f"read_num_repos({body}) returned {result!r}, "
                         f"expected ({body['num_repos']}, None)")
    for body in BAD_BODIES:
        result = read_num_repos(body)
        if not isinstance(result, tuple) or len(result) != 2:
            raise NotYet(f"read_num_repos({body!r}) returned {result!r}, expected a pair")
        value, message = result
        if value is not None or not isinstance(message, str) or not message:
            raise NotYet(f"read_num_repos({body!r}) returned {result!r}; "
                         "expected (None, a message saying what is wrong)")
    return f"{len(GOOD_BODIES)} good bodies accepted, {len(BAD_BODIES)} bad ones explained"


def all_repo_names(user_id: str) -> list[str]:
    """The reference answer: every repository name, following GitHub's Link headers."""
    names, url = [], f"{upstream_url()}/users/{user_id}/repos?per_page=100"
    while url:
        page = requests.get(url, timeout=10)
        page.raise_for_status()
        names += [repo["name"] for repo in page.json()]
        url = page.links.get("next", {}).get("url")
    return sorted(names, key=str.casefold)


@check
def repo_names_pages(repo_names) -> str:
    """Exercise 09: repo_names follows every page and sorts case-insensitively."""
    fresh_upstream()
    for user_id in ("octocat", "new-user-0", "prolific-dev"):
        expected = all_repo_names(user_id)
        got = repo_names(user_id)
        if not isinstance(got, list):
            raise NotYet(f"repo_names({user_id!r}) returned {type(got).__name__}, expected a list")
        if len(got) != len(expected):
            raise NotYet(f"repo_names({user_id!r}) found {len(got)} names, GitHub has "
                         f"{len(expected)}: follow response.links['next'] to the last page")
        if got != expected:
            first = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
            raise NotYet(f"names out of order at position {first}: {got[first]!r} where "
                         f"{expected[first]!r} belongs; sort with key=str.casefold")
    pages = math.ceil(len(expected) / 100)
    return f"all {len(expected)} of prolific-dev's repositories over {pages} pages, sorted"


@check
def count_one_request(count_repos) -> str:
    """Exercise 10: count_repos gives the right number with one upstream request."""
    user_id = "prolific-dev"
    user = requests.get(f"{fresh_upstream()}/users/{user_id}", timeout=10)
    expected = user.json()["public_repos"]
    with counting_requests() as sent:
        got = count_repos(user_id)
    made = len(sent)
    if got != expected:
        raise NotYet(f"count_repos({user_id!r}) returned {got!r}, expected {expected}")
    if made != 1:
        raise NotYet(f"right answer, but {made} upstream requests; one is enough: "
                     "GET /users/<user_id> reports public_repos")
    return f"count_repos('prolific-dev') == {expected} with exactly 1 upstream request"


# --- Lesson 07: when things go wrong --------------------------------------------------------


@check
def json_errors(app: Flask) -> str:
    """Exercise 11: unknown URLs and wrong methods answer JSON, not HTML."""
    web = client(app)
    for method, path, status in (("GET", "/no/such/page", 404), ("DELETE", "/", 405)):
        response = web.open(path, method=method)
        what = f"{method} {path}"
        expect_status(response, status, what)
        data = json_of(response, what)
        if not isinstance(data, dict) or not data.get("message"):
            raise NotYet(f"{what} sent {data!r}; include a 'message'")
    return "GET /no/such/page → 404 JSON and DELETE / → 405 JSON, each with a message"


VALID_USERS = ["octocat", "a", "mona-lisa-dev", "A1-b2-C3", "x" * 39]
INVALID_USERS = ["", "-octocat", "octocat-", "mona--lisa", "x" * 40, "under_score", "dot.ted",
                 "../etc", "a/b", "a?b", "a#b", "a b", "ünïcode", "octocat\n"]


@check
def user_names(is_valid_user_id) -> str:
    """Exercise 12: is_valid_user_id follows GitHub's username rules."""
    for name in VALID_USERS + INVALID_USERS:
        verdict = is_valid_user_id(name)
        if not isinstance(verdict, bool):
            raise NotYet(f"is_valid_user_id({name!r}) returned {verdict!r}; return True or False")
        if verdict != (name in VALID_USERS):
            word = "accepted" if verdict else "rejected"
            raise NotYet(f"is_valid_user_id({name!r}) {word} it, but GitHub would not")
    return f"{len(VALID_USERS)} valid and {len(INVALID_USERS)} invalid names classified right"


# --- Lesson 08: persistence -----------------------------------------------------------------


@check
def sqlite_notes(make_app) -> str:
    """Exercise 13: notes survive a restart because they live in SQLite."""
    with tempfile.TemporaryDirectory() as folder:
        db_path = str(Path(folder) / "notes.sqlite3")
        texts = ["first", "'); DROP TABLE notes; --"]
        web = client(make_app(db_path))
        for number, text in enumerate(texts, start=1):
            added = web.post("/notes", json={"text": text})
            expect_status(added, 201, "POST /notes")
            data = json_of(added, "POST /notes")
            if data != {"id": number, "text": text}:
                raise NotYet(f"POST /notes sent {data}, expected {{'id': {number}, ...}}: "
                             "add_note should return the new row's id")
        restarted = client(make_app(db_path))  # a new app: only the file remembers the notes
        listed = json_of(restarted.get("/notes"), "GET /notes after a restart")
        want = {"notes": [{"id": i, "text": t} for i, t in enumerate(texts, start=1)]}
        if listed != want:
            raise NotYet(f"after a restart GET /notes sent {listed}, expected {want}")
        with sqlite3.connect(db_path) as db:  # the file really holds them
            stored = db.execute("SELECT count(*) FROM notes").fetchone()[0]
        db.close()
        if stored != len(texts):
            raise NotYet(f"the notes table holds {stored} rows, expected {len(texts)}")
    return "2 notes stored, listed in order after a restart, SQL in a note kept as text"


# --- Lesson 09: testing ---------------------------------------------------------------------


def _users_app(variant: str) -> Flask:
    """A tiny app whose /users/<user_id> is right ('good') or broken in one way."""
    app = Flask(f"users_{variant}")

    @app.get("/users/<user_id>")
    def user(user_id):
        """octocat exists; everybody else is unknown."""
        if user_id == "octocat" or variant == "always-200":
            return {"login": user_id}
        if variant == "html-404":
            return "<h1>Not Found</h1>", 404
        return {"message": "The requested URL could not be found."}, 404

    return app


@check
def catches_bugs(test_function) -> str:
    """Exercise 14: the student's test passes on a good app and fails on two broken ones."""
    outcomes = {}
    for variant in ("good", "always-200", "html-404"):
        try:
            test_function(client(_users_app(variant)))
            outcomes[variant] = "passed"
        except Exception:  # noqa: BLE001 (pytest counts any exception as a failed test)
            outcomes[variant] = "failed"
    if outcomes["good"] != "passed":
        raise NotYet("your test fails on a correct app; check what it asserts")
    for variant, bug in (("always-200", "answers 200 for unknown users"),
                         ("html-404", "answers 404 with HTML instead of JSON")):
        if outcomes[variant] == "passed":
            raise NotYet(f"your test also passes on an app that {bug}; assert more")
    return "passes on the correct app, fails on both broken apps"


# --- Lesson 10: deploying -------------------------------------------------------------------


@check
def server_settings(settings_from) -> str:
    """Exercise 15: host, port and threads come from the environment, with safe defaults."""
    defaults = settings_from({})
    if not isinstance(defaults, dict):
        raise NotYet(f"server_settings({{}}) returned {defaults!r}, expected a dict")
    if defaults.get("host") != "127.0.0.1":
        raise NotYet(f"default host is {defaults.get('host')!r}: use '127.0.0.1', so the "
                     "server is not reachable from the whole network unless asked")
    if defaults.get("port") != 5001:
        raise NotYet(f"default port is {defaults.get('port')!r}, expected the number 5001")
    custom = settings_from({"HOST": "0.0.0.0", "PORT": "8080", "THREADS": "8"})
    want = {"host": "0.0.0.0", "port": 8080, "threads": 8}
    if {key: custom.get(key) for key in want} != want:
        raise NotYet(f"with HOST/PORT/THREADS set got {custom}, expected {want} (numbers as int)")
    return "defaults 127.0.0.1:5001; HOST, PORT and THREADS honoured, numbers as int"


# --- Lesson 11: threads and async -----------------------------------------------------------


def overlap_upstream(timeout: float = 2.0):
    """A fake GitHub whose two endpoints answer only while both are requested at the same time."""
    barrier = threading.Barrier(2, timeout=timeout)
    seen: dict = {"overlapped": True}
    app = Flask("overlap_upstream")

    def meet():
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            seen["overlapped"] = False

    @app.get("/users/<user_id>")
    def user(user_id):
        """The user, once the repository request has arrived too."""
        meet()
        return {"login": user_id, "public_repos": 2}

    @app.get("/users/<user_id>/repos")
    def repos(user_id):
        """Two repositories, once the user request has arrived too."""
        meet()
        return [{"name": "alpha"}, {"name": "beta"}]

    return app, seen


@check
def concurrent_profile(app: Flask) -> str:
    """Exercise 16: an async view fetches the user and the repositories at the same time."""
    from workshop import serve

    view = app.view_functions.get("profile")
    if view is None or not inspect.iscoroutinefunction(view):
        raise NotYet("define the view as `async def profile(user_id)`")
    fake, seen = overlap_upstream()
    server = serve(fake, name="exercise-upstream")
    real_url = app.config.get("GITHUB_API_URL")
    app.config["GITHUB_API_URL"] = server.url.rstrip("/")
    outcome: dict = {}

    def call():
        # Flask runs an async view with asgiref's async_to_sync, which refuses a thread that
        # already has a running event loop, as the kernel's main thread does: use a worker.
        try:
            outcome["response"] = client(app).get("/users/octocat/profile")
        except Exception as error:  # noqa: BLE001 (reported below as a hint)
            outcome["error"] = error

    worker = threading.Thread(target=call, daemon=True)
    try:
        worker.start()
        worker.join(30)
    finally:
        app.config["GITHUB_API_URL"] = real_url
        server.stop()
    if not seen["overlapped"]:
        raise NotYet("the two upstream requests ran one after the other; start both, then "
                     "await them together with asyncio.gather")
    if "response" not in outcome:
        raise NotYet(explain(outcome.get("error", TimeoutError("no answer within 30 s"))))
    response = outcome["response"]
    data = json_of(response, "GET /users/octocat/profile")
    want = {"login": "octocat", "repos": ["alpha", "beta"]}
    if data != want:
        raise NotYet(f"GET /users/octocat/profile sent {data}, expected {want}")
    return "both upstream requests were in flight at once, and the answer combines them"


# --- Checks kept in modules of their own --------------------------------------------------

# Loaded on first use (PEP 562), so notebooks still call checks.X and no import goes in circles.
ELSEWHERE = {"fix_the_original": "workshop.checks_original"}  # exercise 17


def __getattr__(name: str):
    if name in ELSEWHERE:
        from importlib import import_module

        return getattr(import_module(ELSEWHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
