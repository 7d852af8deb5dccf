"""A Flask app that answers like api.github.com for the few endpoints the workshop uses."""

from __future__ import annotations

import hashlib
import json
import socket
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from workshop.github_double import versions
from workshop.github_double.control import Double
from workshop.github_double.data import Store, default_store, read_data, with_permissions
from workshop.github_double.settings import Settings

DOCS = "https://docs.github.com/rest"
DOCS_USER = f"{DOCS}/users/users#get-a-user"
DOCS_REPO = f"{DOCS}/repos/repos#get-a-repository"
DOCS_LIST = f"{DOCS}/repos/repos#list-repositories-for-a-user"
DOCS_RATE = f"{DOCS}/overview/resources-in-the-rest-api#rate-limiting"
DOCS_SECONDARY = (f"{DOCS}/using-the-rest-api/rate-limits-for-the-rest-api"
                  "#about-secondary-rate-limits")
JSON_TYPE = "application/json; charset=utf-8"
ROOT_CATALOGUE = "recorded-root.json"
DEFAULT_PER_PAGE, MAX_PER_PAGE = 30, 100
SORT_KEYS = ("full_name", "created", "updated", "pushed")
# Headers every real answer carries (copied from a recorded api.github.com exchange).
COMMON_HEADERS = {
    "X-GitHub-Media-Type": "github.v3; format=json",
    "Access-Control-Expose-Headers": (
        "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, "
        "X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, "
        "X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, "
        "X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset"),
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
    "Vary": "Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding, X-Requested-With",
}


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """A fresh double; `settings` default to the GITHUB_DOUBLE_* environment variables."""
    app = Flask(__name__)
    double = Double(settings if settings is not None else Settings.from_env())
    app.extensions["github_double"] = double
    app.extensions["github_double_store"] = store or default_store()
    app.before_request(_before)
    app.after_request(_after)
    app.register_error_handler(HTTPException, _http_error)
    app.add_url_rule("/", view_func=root)
    app.add_url_rule("/rate_limit", view_func=rate_limit)
    app.add_url_rule("/users/<username>", view_func=get_user)
    app.add_url_rule("/users/<username>/repos", view_func=list_user_repos)
    app.add_url_rule("/user/<int:user_id>/repos", view_func=list_repos_by_id)
    app.add_url_rule("/repos/<owner>/<repo>", view_func=get_repo)
    return app


def control(app: Flask) -> Double:
    """The control object of a double app (settings, calls, reset)."""
    return app.extensions["github_double"]


def _double() -> Double:
    return current_app.extensions["github_double"]


def _store() -> Store:
    return current_app.extensions["github_double_store"]


# -- responses ------------------------------------------------------------------------------

def github_json(body, status: int = 200) -> Response:
    """JSON the way GitHub sends it: compact, keys in order, charset in the Content-Type,
    shaped by the API version the request selected."""
    body = versions.adapt(body, g.get("api_version", versions.DEFAULT))
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status=status, content_type=JSON_TYPE)


def github_error(status: int, message: str, documentation_url: str = DOCS) -> Response:
    """GitHub's error body: message, documentation_url and the status as a string."""
    body = {"message": message, "documentation_url": documentation_url, "status": str(status)}
    return github_json(body, status)


def _http_error(error: HTTPException) -> Response:
    """Unknown paths, trailing slashes and other methods: GitHub answers 404 in JSON."""
    if error.code in (404, 405):
        return github_error(404, "Not Found")
    return github_error(error.code or 500, error.name)


# -- before and after every request --------------------------------------------------------

def _kind() -> str:
    """Which budget a request spends: GitHub gives token holders their own, larger one."""
    return "token" if request.headers.get("Authorization") else "anonymous"


def _before():
    """Record the call, then apply latency, an injected fault, the API version check or the
    rate limit."""
    double = _double()
    double.record(request.full_path.rstrip("?"))
    if double.settings.latency_ms:
        double.settings.sleep(double.settings.latency_ms / 1000)
    requested = request.headers.get("X-GitHub-Api-Version")
    g.api_version = versions.select(requested) or versions.DEFAULT
    fault = double.take_fault(request.path)
    if fault == "hang":
        double.wait_hang()  # then answer normally: the client has long given up
    elif fault is not None:
        # Faulty answers do not spend the budget, but carry the rate-limit headers.
        g.counted, g.fault = False, fault
        return _fault_response(fault)
    if versions.select(requested) is None:
        return github_error(400, versions.refusal(requested), versions.DOCS_VERSIONS)
    if request.path != "/rate_limit" and double.rate(_kind())["remaining"] == 0:
        g.counted = False
        return _primary_limit(403)
    return None


def _primary_limit(status: int) -> Response:
    """The exhausted budget: GitHub answers 403 (or 429) and x-ratelimit-remaining is 0."""
    message = (f"API rate limit exceeded for {request.remote_addr}. (But here's the good "
               "news: Authenticated requests get a higher rate limit. Check out the "
               "documentation for more details.)")
    if _kind() == "token":
        message = "API rate limit exceeded for user ID 1."
    return github_error(status, message, DOCS_RATE)


def _fault_response(fault: str) -> Response:
    """A broken upstream (a 5xx, invalid JSON, a connection closed without an answer) or
    GitHub's rate limits imposed on purpose."""
    if fault == "429":
        return _primary_limit(429)
    if fault.startswith("secondary"):
        # Budget left (x-ratelimit-remaining > 0), yet refused: wait Retry-After seconds.
        response = github_error(
            429 if fault == "secondary-429" else 403,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you "
            "try again.", DOCS_SECONDARY)
        response.headers["Retry-After"] = str(_double().settings.retry_after_s)
        return response
    if fault == "drop":
        g.raw = True
        # Close the client's socket under Werkzeug: the client sees the connection end with no
        # response. Werkzeug then fails to write the empty answer and drops it quietly.
        sock = request.environ.get("werkzeug.socket")
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
        return Response(b"", status=500)
    if fault == "malformed":
        # A 200 that promises JSON and breaks off half-way, like a truncated upstream answer.
        return Response('{"login": "octocat", "id": 1, "node_id": "MDQ6VX', status=200,
                        content_type=JSON_TYPE)
    status = int(fault)
    return github_error(status, HTTP_STATUS_CODES.get(status, "Server Error"))


def _after(response: Response) -> Response:
    """Add GitHub's headers, answer 304 to a matching If-None-Match, count the request."""
    if g.get("raw"):
        return response
    double = _double()
    response.headers.update(COMMON_HEADERS)
    response.headers["X-GitHub-Api-Version-Selected"] = g.get("api_version", versions.DEFAULT)
    response.headers["Cache-Control"] = (
        "private, max-age=60, s-maxage=60" if _kind() == "token" else
        "public, max-age=60, s-maxage=60")
    if response.status_code == 200 and not g.get("fault"):
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest())
        # Werkzeug answers 304 with an empty body when If-None-Match matches the ETag.
        response.make_conditional(request)
        # make_conditional adds a Date header, and the HTTP server adds another: keep one.
        del response.headers["Date"]
    # GitHub does not count /rate_limit or requests refused for the exhausted budget, and a
    # 304 is free only with an Authorization header: an anonymous 304 counts.
    free_304 = response.status_code == 304 and _kind() == "token"
    count = not free_304 and request.path != "/rate_limit" and g.get("counted", True)
    rate = double.rate(_kind(), count=count)
    if g.get("fault") == "429":  # the primary limit imposed on purpose: reported as spent
        rate = dict(rate, remaining=0, used=rate["limit"])
    for name in ("limit", "remaining", "reset", "used", "resource"):
        response.headers[f"X-RateLimit-{name.title()}"] = str(rate[name])
    return response


# -- views ---------------------------------------------------------------------------------

def root():
    """GitHub's URL catalogue as recorded, its API URLs pointing at this double."""
    catalogue = {name: url.replace("https://api.github.com/", request.host_url)
                 for name, url in read_data(ROOT_CATALOGUE).items()}
    return github_json(catalogue)


def rate_limit():
    """The caller's budgets (asking does not spend them, as on GitHub)."""
    resources = _double().resources(_kind())
    return github_json({"resources": resources, "rate": resources["core"]})


def get_user(username: str):
    """One user or organisation; the login matches case-insensitively."""
    user = _store().user(username)
    if user is None:
        return github_error(404, "Not Found", DOCS_USER)
    return _with_last_modified(github_json(user), user["updated_at"])


def get_repo(owner: str, repo: str):
    """One repository in its full representation."""
    found = _store().repo(owner, repo)
    if found is None:
        return github_error(404, "Not Found", DOCS_REPO)
    return _with_last_modified(github_json(_for_caller(found)), found["updated_at"])


def list_user_repos(username: str):
    """A user's public repositories, sorted and paginated like GitHub (Link header)."""
    user = _store().user(username)
    if user is None:
        return github_error(404, "Not Found", DOCS_LIST)
    return _repo_page(user)


def list_repos_by_id(user_id: int):
    """The same list by numeric id: the URL GitHub puts into its Link headers."""
    user = _store().user_by_id(user_id)
    if user is None:
        return github_error(404, "Not Found", DOCS_LIST)
    return _repo_page(user)


def _for_caller(repo: dict) -> dict:
    """Signed-in callers also learn their permissions (read-only: they own nothing here)."""
    return with_permissions(repo) if _kind() == "token" else repo


def _with_last_modified(response: Response, updated_at: str) -> Response:
    response.last_modified = datetime.fromisoformat(updated_at.replace("Z", "+00:00"))
    return response


def _int_arg(name: str, default: int) -> int:
    try:
        return int(request.args.get(name, default))
    except ValueError:
        return default


def _sorted_repos(user: dict) -> list[dict]:
    """Repositories in the order `sort` and `direction` ask for (unknown values: defaults)."""
    repos = _store().repos_of(user["login"])
    if request.args.get("type", "owner") == "member":
        return []  # the double's accounts own all their repositories
    sort = request.args.get("sort", "full_name")
    sort = sort if sort in SORT_KEYS else "full_name"
    direction = request.args.get("direction", "asc" if sort == "full_name" else "desc")
    if sort == "full_name":
        # GitHub sorts names case-insensitively: "apple" before "Mango" before "Zebra".
        def key(repo):
            return (repo["full_name"].lower(), repo["id"])
    else:
        def key(repo):
            return (repo[f"{sort}_at"], repo["id"])
    return sorted(repos, key=key, reverse=direction == "desc")


def _repo_page(user: dict) -> Response:
    """One page of a user's repositories plus GitHub's Link header."""
    repos = _sorted_repos(user)
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE)
    per_page = DEFAULT_PER_PAGE if per_page < 1 else min(per_page, MAX_PER_PAGE)
    page = max(_int_arg("page", 1), 1)
    last = max(1, -(-len(repos) // per_page))  # ceiling division
    response = github_json([_for_caller(repo) for repo in
                            repos[(page - 1) * per_page: page * per_page]])
    link = _link_header(user["id"], page, last)
    if link:
        response.headers["Link"] = link
    return response


def _link_header(user_id: int, page: int, last: int) -> str:
    """GitHub's Link header: prev, next, last, first, each only when it makes sense."""
    rels = []
    if page > 1:
        rels.append(("prev", min(page - 1, last)))
    if page < last:
        rels += [("next", page + 1), ("last", last)]
    if page > 1:
        rels.append(("first", 1))
    return ", ".join(f'<{_page_url(user_id, number)}>; rel="{rel}"' for rel, number in rels)


def _page_url(user_id: int, page: int) -> str:
    """The request's own query with `page` replaced (or appended), on this double's host."""
    query, replaced = [], False
    for name, value in parse_qsl(request.query_string.decode(), keep_blank_values=True):
        if name == "page":
            value, replaced = str(page), True
        query.append((name, value))
    if not replaced:
        query.append(("page", str(page)))
    return f"{request.host_url}user/{user_id}/repos?{urlencode(query)}"
