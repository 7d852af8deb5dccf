"""Asking GitHub: safe URLs, bounded waits, and a clear error for every upstream failure."""

import time
from urllib.parse import quote

import requests
import urllib3
from flask import abort, current_app

from app.rate_limit import is_rate_limited, rate_limit_error

NOT_FOUND_MESSAGE = ("The requested URL could not be found. "
                     "Please make sure the repository or user exists.")
# Our largest question (a page of 100 repositories) gets well under 1 MB: 10 MB is plenty.
MAX_ANSWER_BYTES = 10 * 1024 * 1024


def github_url(*names):
    """The API URL for path parts like ("users", user_id); each part is encoded on its own."""
    # safe="" also encodes "/", "?" and "#", so a name can never change the path or the query.
    path = "/".join(quote(name, safe="") for name in names)
    return current_app.config["GITHUB_API_URL"] + "/" + path


def ask_github(url, params=None):
    """GET one GitHub URL and return the response, or stop with a JSON error for the client."""
    config = current_app.config
    # GitHub's recommended headers: its JSON format, the API version our code was written for,
    # and a User-Agent naming our app, so GitHub knows who sends the requests.
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
               "User-Agent": "flask-live-demo"}
    if config["GITHUB_TOKEN"]:
        headers["Authorization"] = "Bearer " + config["GITHUB_TOKEN"]
    # The timeout bounds each wait for the next bytes; the deadline bounds the whole answer,
    # so a GitHub that sends one byte at a time cannot keep this request busy forever.
    deadline = time.monotonic() + config["GITHUB_TIMEOUT"]
    try:
        # stream=True: requests returns once the headers are in, and read_body reads the rest.
        with requests.get(url, params=params, headers=headers, stream=True,
                          timeout=config["GITHUB_TIMEOUT"]) as upstream:
            body = read_body(upstream, deadline)
    except (requests.Timeout, urllib3.exceptions.TimeoutError):
        abort(504, f"GitHub did not answer within {config['GITHUB_TIMEOUT']:g} seconds.")
    except (requests.RequestException, urllib3.exceptions.HTTPError):
        abort(502, "Could not connect to GitHub. Please try again later.")
    upstream._content = body  # where requests keeps a body: upstream.json() reads it there
    check_status(upstream)
    return upstream


def read_body(upstream, deadline):
    """The whole body of GitHub's answer; a Timeout after the deadline, 502 when too large."""
    body = bytearray()
    while True:
        # read1 returns as soon as some bytes have arrived (up to 64 KB, unzipped if GitHub
        # zipped them), so we look at the clock after every piece, however slowly they come.
        piece = upstream.raw.read1(64 * 1024, decode_content=True)
        if not piece:
            return bytes(body)
        body += piece
        if len(body) > MAX_ANSWER_BYTES:
            abort(502, "GitHub's answer is too large.")
        if time.monotonic() > deadline:
            raise requests.Timeout("GitHub's answer took longer than GITHUB_TIMEOUT")


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
    try:
        data = upstream.json(parse_constant=refuse_constant)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python can read
        abort(502, "GitHub sent a response that is not valid JSON.")
    if not isinstance(data, expected_type):
        abort(502, "GitHub sent JSON of an unexpected shape.")
    return data


def refuse_constant(name):
    """Python's json reads NaN and Infinity, but they are not JSON: we could not pass them on."""
    raise ValueError(f"{name} is not valid JSON")


def list_repo_names(user_id):
    """The names of all public repositories of `user_id`, page by page."""
    url = github_url("users", user_id, "repos") + "?per_page=100"  # 100: GitHub's maximum
    repo_names = []
    for upstream in pages(url):
        repo_names += names_on_page(upstream)
    return repo_names


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


def names_on_page(upstream):
    """The repository names on one page of GitHub's list."""
    names = []
    for repo in read_json(upstream, list):
        if not isinstance(repo, dict) or not isinstance(repo.get("name"), str):
            abort(502, "GitHub sent JSON of an unexpected shape.")
        names.append(repo["name"])
    return names
