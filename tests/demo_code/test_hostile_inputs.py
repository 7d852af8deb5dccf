"""A corpus of hostile requests: never a 500, always a JSON message, never a call to GitHub.

Requests go out through `http.client` with the path exactly as written here: `requests`
would tidy paths up (e.g. remove `..`) before they reach the server.
"""

import http.client
import json
from urllib.parse import urlsplit

import pytest

LONG = "a" * 10_000
NESTED = "[" * 1000 + "]" * 1000  # deeper than Python's default recursion limit
GET_N = "/users/octocat/get-n-repos-alphabetically"
JSON = {"Content-Type": "application/json"}

# (method, raw path, headers, raw body, expected status)
CASES = [
    # user names that break GitHub's rules
    ("GET", "/users/-octocat", {}, None, 400),
    ("GET", "/users/octocat-", {}, None, 400),
    ("GET", "/users/octo--cat", {}, None, 400),
    ("GET", "/users/" + "a" * 40, {}, None, 400),
    ("GET", "/users/" + LONG, {}, None, 400),
    ("GET", "/users/octo_cat", {}, None, 400),
    ("GET", "/users/octo.cat", {}, None, 400),
    ("GET", "/users/%20", {}, None, 400),
    ("GET", "/users/octocat%20", {}, None, 400),
    # encoded dots, slashes, query and fragment characters
    ("GET", "/users/%2e%2e", {}, None, 400),
    ("GET", "/users/..", {}, None, 400),
    ("GET", "/users/.", {}, None, 400),
    ("GET", "/users/..%2F..%2Frate_limit", {}, None, 404),
    ("GET", "/users/octocat%2Frepos", {}, None, 404),
    ("GET", "/users/octocat%3Fper_page=1", {}, None, 400),
    ("GET", "/users/octocat%23frag", {}, None, 400),
    ("GET", "/users/octocat%26page=2", {}, None, 400),
    ("GET", "/users/octocat%5C..", {}, None, 400),
    ("GET", "/users/%252e%252e", {}, None, 400),
    ("GET", "/users/../users/octocat", {}, None, 404),
    # unicode and control characters
    ("GET", "/users/%C3%A9l%C3%A8ve", {}, None, 400),
    ("GET", "/users/%D0%BE%D1%81tocat", {}, None, 400),  # Cyrillic look-alikes
    ("GET", "/users/%EF%BC%91%EF%BC%92", {}, None, 400),  # full-width digits
    ("GET", "/users/%F0%9F%90%99", {}, None, 400),  # an emoji
    ("GET", "/users/octocat%00", {}, None, 400),
    ("GET", "/users/octocat%0A", {}, None, 400),
    ("GET", "/users/octocat%0D%0AX-Injected:%201", {}, None, 400),
    ("GET", "/users/octocat%09", {}, None, 400),
    ("GET", "/users/octocat%7F", {}, None, 400),
    ("GET", "/users/%FF%FE", {}, None, 400),
    ("GET", "/users/%3Cscript%3Ealert(1)%3C%2Fscript%3E", {}, None, 404),
    ("GET", "/users/%3Cimg%20src=x%20onerror=alert(1)%3E", {}, None, 400),
    # repository names that break the rules
    ("GET", "/users/octocat/repos/%2e", {}, None, 400),
    ("GET", "/users/octocat/repos/%2E%2E", {}, None, 400),
    ("GET", "/users/octocat/repos/Hello-World.git", {}, None, 400),
    ("GET", "/users/octocat/repos/Hello-World.GIT", {}, None, 400),
    ("GET", "/users/octocat/repos/" + "r" * 101, {}, None, 400),
    ("GET", "/users/octocat/repos/" + LONG, {}, None, 400),
    ("GET", "/users/octocat/repos/Hello%20World", {}, None, 400),
    ("GET", "/users/octocat/repos/Hello-World%3Fref=main", {}, None, 400),
    ("GET", "/users/octocat/repos/Hello-World%23readme", {}, None, 400),
    ("GET", "/users/octocat/repos/..%2F..%2Fusers%2Foctocat", {}, None, 404),
    ("GET", "/users/octocat/repos/caf%C3%A9", {}, None, 400),
    ("GET", "/users/octocat/repos/a%00b", {}, None, 400),
    ("GET", "/users/-/repos/Hello-World", {}, None, 400),
    # num_repos: wrong types, out of range, missing
    ("POST", GET_N, JSON, '{"num_repos": "5"}', 400),
    ("POST", GET_N, JSON, '{"num_repos": -1}', 400),
    ("POST", GET_N, JSON, '{"num_repos": 0}', 400),
    ("POST", GET_N, JSON, '{"num_repos": 101}', 400),
    ("POST", GET_N, JSON, '{"num_repos": 5.0}', 400),
    ("POST", GET_N, JSON, '{"num_repos": 2.5}', 400),
    ("POST", GET_N, JSON, '{"num_repos": 1e309}', 400),
    ("POST", GET_N, JSON, '{"num_repos": NaN}', 400),
    ("POST", GET_N, JSON, '{"num_repos": 1' + "0" * 5000 + "}", 400),
    ("POST", GET_N, JSON, '{"num_repos": true}', 400),
    ("POST", GET_N, JSON, '{"num_repos": false}', 400),
    ("POST", GET_N, JSON, '{"num_repos": null}', 400),
    ("POST", GET_N, JSON, '{"num_repos": [5]}', 400),
    ("POST", GET_N, JSON, '{"num_repos": {"n": 5}}', 400),
    ("POST", GET_N, JSON, '{"num_repo": 5}', 400),
    ("POST", GET_N, JSON, "{}", 400),
    # bodies that are not a JSON object
    ("POST", GET_N, JSON, "", 400),
    ("POST", GET_N, JSON, "not json", 400),
    ("POST", GET_N, JSON, '{"num_repos": 5', 400),
    ("POST", GET_N, JSON, "[5]", 400),
    ("POST", GET_N, JSON, "5", 400),
    ("POST", GET_N, JSON, "null", 400),
    ("POST", GET_N, JSON, '"num_repos"', 400),
    ("POST", GET_N, JSON, NESTED, 400),
    ("POST", GET_N, JSON, '{"num_repos": ' + NESTED + "}", 400),
    ("POST", GET_N, JSON, "[" * 100_000 + "]" * 100_000, 400),
    ("POST", GET_N, JSON, '{"a": ' * 5000 + "1" + "}" * 5000, 400),
    ("POST", GET_N, {"Content-Type": "application/json; charset=latin-9"}, "\udcff", 400),
    ("POST", GET_N, {}, None, 415),
    ("POST", GET_N, {"Content-Type": "text/plain"}, '{"num_repos": 5}', 415),
    ("POST", GET_N, {"Content-Type": "application/x-www-form-urlencoded"}, "num_repos=5", 415),
    ("POST", GET_N, {"Content-Type": "multipart/form-data; boundary=x"}, "--x--", 415),
    # wrong methods and unknown paths
    ("GET", "/users/octocat/count-repos", {}, None, 405),
    ("GET", GET_N, {}, None, 405),
    ("PUT", "/users/octocat", {}, None, 405),
    ("DELETE", "/users/octocat", {}, None, 405),
    ("POST", "/users/octocat", {}, None, 405),
    ("PATCH", "/users/octocat/repos/Hello-World", {}, None, 405),
    ("DELETE", "/favourites", {}, None, 405),
    ("PUT", "/favourites/1", {}, None, 405),
    ("GET", "/users", {}, None, 404),
    ("GET", "/users/", {}, None, 404),
    ("GET", "/users/octocat/repos", {}, None, 404),
    ("GET", "/" + LONG, {}, None, 404),
    ("DELETE", "/favourites/abc", {}, None, 404),
    ("DELETE", "/favourites/-1", {}, None, 404),
    ("DELETE", "/favourites/1.5", {}, None, 404),
    ("DELETE", "/favourites/999999", {}, None, 404),
    ("DELETE", "/favourites/" + "9" * 30, {}, None, 404),
    ("DELETE", "/favourites/" + "9" * 5000, {}, None, 404),
    # favourites bodies
    ("POST", "/favourites", {}, None, 415),
    ("POST", "/favourites", JSON, "[]", 400),
    ("POST", "/favourites", JSON, "{}", 400),
    ("POST", "/favourites", JSON, '{"user_id": "octocat"}', 400),
    ("POST", "/favourites", JSON, '{"repo_name": "Hello-World"}', 400),
    ("POST", "/favourites", JSON, '{"user_id": 1, "repo_name": "Hello-World"}', 400),
    ("POST", "/favourites", JSON, '{"user_id": ["octocat"], "repo_name": "Hello-World"}', 400),
    ("POST", "/favourites", JSON, '{"user_id": "octocat", "repo_name": ".."}', 400),
    ("POST", "/favourites", JSON, '{"user_id": "../users", "repo_name": "x"}', 400),
    ("POST", "/favourites", JSON, '{"user_id": "octocat", "repo_name": "a/b"}', 400),
    ("POST", "/favourites", JSON, '{"user_id": "octocat", "repo_name": "x?y=1"}', 400),
    ("POST", "/favourites", JSON, json.dumps({"user_id": LONG, "repo_name": LONG}), 400),
    ("POST", "/favourites", JSON, '{"user_id": "octocat", "repo_name": "x.git"}', 400),
    ("POST", "/favourites", JSON, '{"user_id": "octocat\\u0000", "repo_name": "x"}', 400),
    ("POST", "/favourites", JSON, '{"user_id": ' + NESTED + ', "repo_name": "x"}', 400),
]


def send_raw(server, method, path, headers, body):
    """Send one request exactly as written; return (status, headers, body bytes)."""
    url = urlsplit(server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        payload = None if body is None else body.encode("utf-8", "surrogateescape")
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 50


@pytest.mark.parametrize("method, path, headers, body, status", CASES,
                         ids=[f"{i:03d}-{c[0]}-{c[1][:40]}" for i, c in enumerate(CASES)])
def test_hostile_request_gets_a_json_error_and_never_reaches_github(
        api, github, method, path, headers, body, status):
    got_status, got_headers, raw = send_raw(api, method, path, headers, body)
    assert got_status == status
    assert got_headers["Content-Type"] == "application/json"
    message = json.loads(raw)["message"]
    assert isinstance(message, str) and message
    assert len(message) < 300  # the message names the rule; it does not echo the input
    assert github.calls == []


@pytest.mark.parametrize("path", [GET_N, "/favourites"])
def test_a_body_over_the_size_limit_is_413_without_being_read(api, github, path):
    # Only the headers go out: the app must answer from Content-Length alone.
    headers = {**JSON, "Content-Length": str(10 * 2**20)}
    status, got_headers, raw = send_raw(api, "POST", path, headers, None)
    assert status == 413
    assert got_headers["Content-Type"] == "application/json"
    assert json.loads(raw)["message"]
    assert github.calls == []
