"""Asking GitHub: safe URLs, bounded waits, and a clear error for every upstream failure."""

import time
from urllib.parse import quote

import requests
import urllib3
from flask import abort, current_app

from app.rate_limit import is_rate_limited, rate_limit_error

# Our largest question (a page of 100 repositories) gets well under 1 MB: 10 MB is plenty.
MAX_ANSWER_BYTES = 10 * 1024 * 1024
NOT_FOUND_MESSAGE = ("The requested URL could not be found. "
                     "Please make sure the repository or user exists.")


def github_url(*names):
    """The API URL for path parts like ("users", user_id); each part is encoded on its own."""
    # safe="" also encodes "/", "?" and "#", so a name can never change the path or the query.
    path = "/".join(quote(name, safe="") for name in names)
    return current_app.config["GITHUB_API_URL"] + "/" + path


def github_headers():
    """GitHub's recommended headers, and our token when we have one."""
    # Its JSON format, the API version our code was written for, and a User-Agent naming our app.
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
               "User-Agent": "flask-live-demo"}
    if current_app.config["GITHUB_TOKEN"]:
        headers["Authorization"] = "Bearer " + current_app.config["GITHUB_TOKEN"]
    return headers


def ask_github(url, params=None):
    """GET one GitHub URL and return the response, or stop with a JSON error for the client."""
    upstream = download(url, params)
    check_status(upstream)
    return upstream


def download(url, params=None):
    """GitHub's whole answer to GET `url`, read before a deadline: no wait is longer."""
    timeout = current_app.config["GITHUB_TIMEOUT"]  # `timeout=` bounds each wait for bytes
    deadline = time.monotonic() + timeout  # and the deadline all of them together
    with requests.get(url, params=params, headers=github_headers(), stream=True,
                      timeout=timeout) as upstream:
        upstream._content = read_body(upstream, deadline)  # where upstream.json() reads it
        return upstream


def check_status(upstream):
    """Map GitHub's error statuses to ours: 404 stays 404, a used-up rate limit becomes 503."""
    if upstream.status_code == 404:
        abort(404, NOT_FOUND_MESSAGE)
    if upstream.status_code in (403, 429) and is_rate_limited(upstream):
        raise rate_limit_error(upstream)
    if upstream.status_code == 401:
        abort(502, "GitHub did not accept our credentials: check GITHUB_TOKEN.")
    if not upstream.ok:
        abort(502, f"GitHub answered with an error (status {upstream.status_code}).")


def read_json(upstream, expected_type=dict):
    """The upstream body as JSON of the expected type, or stop with 502."""
    data = parse_json(upstream)
    if not isinstance(data, expected_type):
        abort(502, "GitHub sent JSON of an unexpected shape.")
    return data


def parse_json(upstream):
    """The upstream body as JSON, or 502; NaN and Infinity are not JSON, so we refuse them."""
    try:
        return upstream.json(parse_constant=refuse_constant)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python can read
        abort(502, "GitHub sent a response that is not valid JSON.")


def list_repo_names(user_id):
    """The names of all public repositories of `user_id`, page by page."""
    url = github_url("users", user_id, "repos") + "?per_page=100"  # 100: GitHub's maximum
    repo_names = []
    for upstream in pages(url):
        repo_names += names_on_page(upstream)
    return repo_names


def names_on_page(upstream):
    """The repository names on one page of GitHub's list."""
    names = []
    for repo in read_json(upstream, list):
        if not isinstance(repo, dict) or not isinstance(repo.get("name"), str):
            abort(502, "GitHub sent JSON of an unexpected shape.")
        names.append(repo["name"])
    return names


def pages(url):
    """GitHub's answers page by page, at most GITHUB_MAX_PAGES (a huge account can't keep us)."""
    for _ in range(current_app.config["GITHUB_MAX_PAGES"]):
        upstream = ask_github(url)
        yield upstream
        if (url := next_page_url(upstream)) is None:  # the link carries per_page and page
            return
    abort(502, "GitHub has more pages than this app reads (at most GITHUB_MAX_PAGES).")


def next_page_url(upstream):
    """The next page's URL from GitHub's Link header; None on the last page."""
    next_page = upstream.links.get("next")  # requests parses the Link header for us
    if next_page is None:
        return None
    if not next_page["url"].startswith(current_app.config["GITHUB_API_URL"] + "/"):
        abort(502, "GitHub sent a next-page link to another site.")  # it would get our token
    return next_page["url"]


def read_body(upstream, deadline):
    """The whole body of GitHub's answer; 502 when it is larger than MAX_ANSWER_BYTES."""
    body = bytearray()
    for piece in pieces(upstream, deadline):
        body += piece
        if len(body) > MAX_ANSWER_BYTES:
            abort(502, "GitHub's answer is too large.")
    return bytes(body)


def pieces(upstream, deadline):
    """The body's pieces as they arrive; requests.Timeout once the deadline has passed."""
    # We look at the clock after every piece, however slowly the pieces come.
    while piece := read_piece(upstream):
        yield piece
        if time.monotonic() > deadline:
            raise requests.Timeout("GitHub's answer took longer than GITHUB_TIMEOUT")


def read_piece(upstream):
    """Up to 64 KB (unzipped) as soon as some bytes are in; urllib3's errors become requests'."""
    try:  # read1 returns what has arrived; read(64 KB) would wait for all of it
        return upstream.raw.read1(64 * 1024, decode_content=True)
    except urllib3.exceptions.TimeoutError as error:  # as requests does for its own reads
        raise requests.Timeout(error) from error
    except urllib3.exceptions.HTTPError as error:
        raise requests.ConnectionError(error) from error


def refuse_constant(name):
    """Python's json reads NaN and Infinity, but they are not JSON: we could not pass them on."""
    raise ValueError(f"{name} is not valid JSON")
