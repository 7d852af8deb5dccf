"""Exercise 17's self-check: one probe per defect of the original demo, every result listed.

    from workshop import checks
    checks.fix_the_original(app)

Unlike the other checks it does not stop at the first problem: a student fixes the defects in
any order, so each probe prints its own line (✓ or "not yet") and a summary line ends the list.
The probes switch the kit's GitHub double's faults on and reset it after each one, so they need
the in-process double (GITHUB_API_URL unset). Output is deterministic: paths and statuses only.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from urllib.parse import urlsplit

import requests
from flask import Flask

from workshop.checks import _deadline
from workshop.checks._core import (
    EVIL_ORIGIN,
    NOT_YET,
    OK,
    NotYet,
    attempt,
    client,
    counting_requests,
    fresh_upstream,
    json_of,
    redact,
    say,
    verdict,
)
from workshop.checks.post import all_repo_names

TEST_TIMEOUT = 0.5  # seconds: a stuck GitHub is detected this fast, whatever the app's timeout
RICH_USER, MIXED_USER = "prolific-dev", "mona-lisa-dev"
GET_N = "/users/{}/get-n-repos-alphabetically"
# A request for each route, the way the demo page sends them (the timeout probe uses these).
ORDINARY_REQUESTS = [("GET", "/users/octocat", None),
                     ("GET", "/users/octocat/repos/Hello-World", None),
                     ("POST", "/users/octocat/count-repos", None),
                     ("POST", GET_N.format("octocat"), {"num_repos": 1})]
BAD_BODIES = [("without a body", {}),
              ("with the body five (not JSON)",
               {"data": "five", "content_type": "application/json"}),
              ("with the body {}", {"json": {}})] + [
              (f"with the body {json.dumps({'num_repos': value})}", {"json": {"num_repos": value}})
              for value in ("5", True, 2.5, 0, -3, 101)]
# Names a browser can send (encoded) that mean something else once pasted into GitHub's URL.
SNEAKY_PATHS = ["/users/octocat%3Fpage=2", "/users/octocat/repos/Hello-World%23readme"]


def fix_the_original(app: Flask) -> None:
    """Exercise 17: probe each defect of the original demo and print one line per defect."""
    from workshop.runtime.github_api import double

    if not isinstance(app, Flask):
        say(NOT_YET, f"pass the Flask app, checks.fix_the_original(app), not "
            f"{type(app).__name__}")
        return
    url = fresh_upstream()
    if double() is None or double().url != url:  # the app would talk to another GitHub
        say(NOT_YET, "the probes switch the kit's GitHub double's faults on: unset "
            "GITHUB_API_URL, restart the kernel and run the cells again")
        return
    fixed = 0
    for number, probe in enumerate(PROBES, start=1):
        # Each probe in a child of its own (see _deadline): one that hangs costs its own line.
        try:
            (kind, text), printed = _deadline.run(attempt, probe, (app,), {}, scrub=redact)
        except (_deadline.TimedOut, _deadline.Ended) as stuck:
            (kind, text), printed = (NOT_YET, str(stuck)), ""
        finally:
            double().reset()  # ends a hang, clears the fault, refills the budget
        if printed:
            say(printed.rstrip("\n"))
        if kind == OK:
            fixed += 1
            say(f"{OK} defect {number} fixed: {text}")
        else:
            say(f"{NOT_YET} defect {number} — {text}")
    if fixed == len(PROBES):
        verdict(OK, f"all {fixed} defects fixed: the original demo is mended")
    else:
        verdict(NOT_YET, f"{fixed} of {len(PROBES)} defects fixed; fix the rest in any order "
                "and run this cell again")


# --- helpers -------------------------------------------------------------------------------


def _fault(name: str, **settings) -> None:
    """Switch the double's fault (and any other setting) on; the loop resets it afterwards."""
    from workshop.runtime.github_api import double

    control = double()
    control.settings.fault = name
    for key, value in settings.items():
        setattr(control.settings, key, value)


def _error_answer(response, status, what: str, advice: str) -> int:
    """NotYet unless `response` has one of `status` (an int or a tuple) and a JSON message."""
    wanted = status if isinstance(status, tuple) else (status,)
    if response.status_code not in wanted:
        raise NotYet(f"{what} answered {response.status_code}; {advice}")
    data = json_of(response, what)
    if not isinstance(data, dict) or not data.get("message"):
        raise NotYet(f"{what} answered {response.status_code} with {data!r}; add a 'message'")
    return response.status_code


@contextmanager
def intercepted(timeout: float | None = None, reverse_lists: bool = False):
    """Watch (and bend) what `requests` sends inside the block: yields [(path, timeout)].

    timeout: shorten every finite timeout to this, so a stuck GitHub shows up in a moment.
    reverse_lists: hand back repository lists Z to A, as a GitHub that sorts otherwise might.
    """
    seen: list[tuple[str, object]] = []
    original = requests.Session.send

    def send(session, prepared, **kwargs):
        seen.append((prepared.path_url, kwargs.get("timeout")))
        if timeout is not None and kwargs.get("timeout") is not None:
            kwargs["timeout"] = timeout
        response = original(session, prepared, **kwargs)
        if reverse_lists and response.ok and urlsplit(response.url).path.endswith("/repos"):
            body = json.loads(response.content)
            if isinstance(body, list):
                # Replace the body requests will parse: the one way to reorder what GitHub sent.
                response._content = json.dumps(body[::-1]).encode()
        return response

    requests.Session.send = send
    try:
        yield seen
    finally:
        requests.Session.send = original


# --- one probe per defect, in the order the exercise lists them ----------------------------


def honest_status(app: Flask) -> str:
    """Defect 1: GitHub's errors (5xx, the rate limit's 403) are not passed on as 200."""
    web = client(app)
    _fault("500")
    answer = web.get("/users/octocat")
    _error_answer(answer, 502, "with GitHub answering 500, GET /users/octocat",
                  "a GitHub error is not a success: answer 502 (Bad Gateway)")
    _fault(None, rate_limit=0)  # the budget is spent: GitHub answers 403
    answer = web.get("/users/octocat")
    limited = _error_answer(answer, (429, 502, 503),
                            "with GitHub's rate limit used up (403), GET /users/octocat",
                            "answer 502 (or 429 with Retry-After, as in exercise 05)")
    return f"GitHub's 500 → 502, its rate-limit 403 → {limited}, each with a JSON message"


def broken_json(app: Flask) -> str:
    """Defect 2: a GitHub answer that is not JSON gives a 502, not a crash."""
    _fault("malformed")
    try:
        answer = client(app).get("/users/octocat")
    except ValueError as error:  # requests' JSONDecodeError is a ValueError
        raise NotYet(f"GitHub sent broken JSON and GET /users/octocat crashed with "
                     f"{type(error).__name__} (a 500 in the browser); answer 502") from None
    _error_answer(answer, 502, "with GitHub sending broken JSON, GET /users/octocat",
                  "answer 502 (Bad Gateway) with a JSON message")
    return "GitHub's broken JSON → 502 with a JSON message"


def timeouts(app: Flask) -> str:
    """Defect 3: every upstream request has a timeout, and running out of it gives a 504."""
    web = client(app)
    with intercepted() as seen:
        for method, path, body in ORDINARY_REQUESTS:
            web.open(path, method=method, json=body)
    waiting = [path for path, timeout in seen if timeout is None]
    if not seen:
        raise NotYet("no request reached GitHub; do the views still call requests.get?")
    if waiting:
        raise NotYet(f"{len(waiting)} of {len(seen)} requests to GitHub have no timeout "
                     f"(first: {waiting[0]}); a stuck GitHub holds each one forever: "
                     "which argument of requests.get (timeout=...) bounds the wait?")
    _fault("hang")
    with intercepted(timeout=TEST_TIMEOUT):
        try:
            answer = web.get("/users/octocat")
        except requests.Timeout as error:
            raise NotYet(f"with GitHub stuck, GET /users/octocat crashed with "
                         f"{type(error).__name__} (a 500); where could that exception "
                         "become a 504 (Gateway Timeout) for every view at once?") from None
    _error_answer(answer, 504, "with GitHub stuck, GET /users/octocat",
                  "answer 504 (Gateway Timeout) when the timeout runs out")
    return f"all {len(seen)} requests to GitHub have a timeout; a stuck GitHub → 504"


def count_repos(app: Flask) -> str:
    """Defect 4: count-repos says 404 for unknown users and counts with one request."""
    web = client(app)
    answer = web.post("/users/no-such-user/count-repos")
    if answer.status_code != 404:
        said = answer.get_json(silent=True)
        raise NotYet(f"POST /users/no-such-user/count-repos answered {answer.status_code} "
                     f"{said}, but GitHub has no such user (it counted the keys of GitHub's "
                     "404 body?); check GitHub's status first")
    expected = requests.get(f"{fresh_upstream()}/users/{RICH_USER}", timeout=10).json()
    expected = expected["public_repos"]
    with counting_requests() as sent:
        answer = web.post(f"/users/{RICH_USER}/count-repos")
    data = json_of(answer, f"POST /users/{RICH_USER}/count-repos")
    if data != {"number_of_repos": expected}:
        raise NotYet(f"POST /users/{RICH_USER}/count-repos sent {data}, expected "
                     f"{{'number_of_repos': {expected}}}")
    if len(sent) != 1:
        raise NotYet(f"right number, but {len(sent)} requests to GitHub, more the more "
                     "repositories: what does the user's profile already report?")
    return f"unknown user → 404; {RICH_USER}'s {expected} repositories counted with 1 request"


def alphabetical(app: Flask) -> str:
    """Defect 5: the names are sorted here, case-insensitively, whatever GitHub's order."""
    expected = all_repo_names(MIXED_USER)  # sorted with key=str.casefold
    web, path = client(app), GET_N.format(MIXED_USER)
    for count in (len(expected), 3):
        with intercepted(reverse_lists=True):
            answer = web.post(path, json={"num_repos": count})
        data = json_of(answer, f"POST {path}")
        names = data.get("repo_names") if isinstance(data, dict) else None
        if names == expected[:count]:
            continue
        if isinstance(names, list) and sorted(names, key=str) == sorted(expected[:count]):
            if names == sorted(names):
                raise NotYet(f"{names[:3]}...: plain sorting puts 'Zebra' before 'apple'; "
                             "which sort key (str.casefold?) ignores upper and lower case?")
            raise NotYet(f"with GitHub listing the repositories Z to A, POST {path} kept "
                         f"GitHub's order {names[:3]}...; whose order should the answer "
                         "follow, and which sort key (str.casefold?) ignores case?")
        raise NotYet(f"POST {path} with num_repos={count} sent {data}, expected "
                     f"{{'repo_names': {expected[:count]}}}")
    return f"{MIXED_USER}'s names sorted with str.casefold, even when GitHub lists them Z to A"


def num_repos(app: Flask) -> str:
    """Defect 6: num_repos must be a whole number from 1 to 100; anything else is a 400."""
    web, path = client(app), GET_N.format("octocat")
    for label, request in BAD_BODIES:
        try:
            answer = web.post(path, **request)
        except Exception as error:  # noqa: BLE001 (named in the hint)
            raise NotYet(f"POST {path} {label} crashed with {type(error).__name__}; "
                         "answer 400 with a message") from None
        _error_answer(answer, 400, f"POST {path} {label}",
                      "num_repos must be a whole number from 1 to 100: answer 400 with a "
                      "message otherwise")
    return f"{len(BAD_BODIES)} bad bodies (none, not JSON, a string, true, 2.5, 0, -3, 101) → 400"


def escaped_names(app: Flask) -> str:
    """Defect 7: a name cannot change which GitHub URL is asked (no ?, # or / smuggled in)."""
    web = client(app)
    for path in SNEAKY_PATHS:
        with intercepted() as seen:
            answer = web.get(path)
        if answer.status_code not in (400, 404):
            asked = f"; GitHub was asked for {seen[0][0]}" if seen else ""
            raise NotYet(f"GET {path} answered {answer.status_code}{asked}: the name went into "
                         "the URL as is: what may a name contain (exercise 12), and how "
                         "does quote( keep a ? or # from meaning anything in a URL?")
        _error_answer(answer, (400, 404), f"GET {path}", "answer 400 (or 404)")
    return "names with ? or # cannot change GitHub's URL (400 or 404, not another user's data)"


def cors(app: Flask) -> str:
    """Defect 8: a page on another origin may not read our answers."""
    web = client(app)
    for method, headers in (("GET", {}), ("OPTIONS", {"Access-Control-Request-Method": "GET"})):
        answer = web.open("/users/octocat", method=method,
                          headers={"Origin": EVIL_ORIGIN, **headers})
        allowed = answer.headers.get("Access-Control-Allow-Origin")
        if allowed is not None:
            raise NotYet(f"a {method} from {EVIL_ORIGIN} got Access-Control-Allow-Origin: "
                         f"{allowed}; which origins does CORS(...) allow (origins=)? The "
                         "page comes from PAGE_ORIGIN")
    return f"{EVIL_ORIGIN} may not read the answers (checked GET and a preflight OPTIONS)"


PROBES = [honest_status, broken_json, timeouts, count_repos, alphabetical, num_repos,
          escaped_names, cors]
