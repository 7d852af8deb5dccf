"""Odd answers the double does not give on its own, from a tiny programmable fake GitHub."""

import time

import pytest
from flask import Flask, Response, request

from workshop import serve


@pytest.fixture
def fake(start_demo):
    """A fake GitHub answering whatever `fake.answer` holds; yields (fake, app server)."""
    fake_app = Flask("fake-github")
    fake_app.answer = ("{}", 200, {})

    @fake_app.get("/<path:path>")
    def answer(path):
        body, status, headers = fake_app.answer
        if callable(body):
            body = body(request)
        return Response(body, status, headers, content_type="application/json")

    server = serve(fake_app, name="demo-code-fake-github")
    yield fake_app, start_demo(GITHUB_API_URL=server.url.rstrip("/"))
    server.stop()


@pytest.mark.parametrize("status, headers, expected_status, words", [
    (401, {}, 502, "GITHUB_TOKEN"),
    (403, {"X-RateLimit-Remaining": "12"}, 502, "status 403"),  # forbidden, not a rate limit
    (451, {}, 502, "status 451"),
    (429, {"Retry-After": "30"}, 503, "in 30 s"),  # a secondary rate limit
    (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "junk"}, 503, "in 60 s"),
    (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"}, 503, "in 1 s"),  # past
    (429, {}, 503, "in 60 s"),  # a 429 is always a rate limit; no time given: a minute
    (403, {"Retry-After": "9" * 40}, 503, "in 3600 s"),  # clamped, no OverflowError
    (429, {"Retry-After": "-5"}, 503, "in 1 s"),
    (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9" * 40}, 503, "in 3600 s"),
    (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1" + "0" * 5000}, 503, "in 60 s"),
])
def test_upstream_statuses(fake, status, headers, expected_status, words):
    fake_app, app = fake
    fake_app.answer = ('{"message": "no"}', status, headers)
    response = app.get("users/octocat")
    assert response.status_code == expected_status
    assert words in response.json()["message"]
    if expected_status == 503:
        assert response.headers["Retry-After"] == words.split()[1]


SECONDARY = ('{"message": "You have exceeded a secondary rate limit. Please wait a few minutes '
             'before you try again.", "documentation_url": "https://docs.github.com/rest"}')


@pytest.mark.parametrize("status", [403, 429])
def test_a_secondary_rate_limit_message_is_a_rate_limit(fake, status):
    fake_app, app = fake
    # Budget left, and a reset time that is not the secondary limit's: wait at least a minute.
    reset = str(int(time.time()) + 1800)
    fake_app.answer = (SECONDARY, status, {"X-RateLimit-Remaining": "42",
                                           "X-RateLimit-Reset": reset})
    response = app.get("users/octocat")
    assert response.status_code == 503
    assert "in 60 s" in response.json()["message"]
    assert response.headers["Retry-After"] == "60"


def drip(text, pause_s=0.5):
    """A body that arrives one byte every `pause_s` seconds: each wait is short, the whole long."""

    def body(request):
        for byte in text.encode():
            yield bytes([byte])
            time.sleep(pause_s)

    return body


@pytest.mark.parametrize("with_length", [False, True], ids=["chunked", "content-length"])
def test_a_dripping_answer_is_cut_off_at_the_timeout(fake, short_timeout, with_length):
    fake_app, app = fake
    short_timeout(app.app)
    text = '{"login": "octocat"}' + " " * 40  # 30 s at one byte per 0.5 s
    headers = {"Content-Length": str(len(text))} if with_length else {}
    fake_app.answer = (drip(text), 200, headers)
    response = app.get("users/octocat", timeout=60)
    assert response.status_code == 504
    assert "GitHub did not answer within 1 second" in response.json()["message"]


def test_a_huge_answer_is_refused_without_reading_it_all(fake):
    fake_app, app = fake
    sent = []  # megabytes the fake managed to send before our app hung up

    def huge(request):
        megabyte = b"[" + b" " * (2**20 - 2) + b"]"
        for _ in range(200):
            yield megabyte
            sent.append(1)

    fake_app.answer = (huge, 200, {"Content-Length": str(200 * 2**20)})
    response = app.post("users/octocat/get-n-repos-alphabetically", json={"num_repos": 5})
    assert response.status_code == 502
    assert "too large" in response.json()["message"]
    assert len(sent) < 100


NESTED = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize("body", [NESTED, '{"login": ' + NESTED + "}",
                                  '{"public_repos": ' + NESTED + "}"])
@pytest.mark.parametrize("method, path", [("GET", "users/octocat"),
                                          ("POST", "users/octocat/count-repos")])
def test_deeply_nested_json_is_never_a_500(fake, body, method, path):
    fake_app, app = fake
    fake_app.answer = (body, 200, {})
    response = app.request(method, path)
    assert response.status_code in (200, 502)  # 200 only where Python can read that depth
    response.json()  # valid JSON either way


def test_json_nested_too_deeply_to_read_is_502(fake):
    fake_app, app = fake
    fake_app.answer = ("[" * 100_000 + "]" * 100_000, 200, {})
    response = app.post("users/octocat/get-n-repos-alphabetically", json={"num_repos": 5})
    assert response.status_code == 502
    assert "not valid JSON" in response.json()["message"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(fake, constant):
    fake_app, app = fake
    fake_app.answer = ('{"login": "octocat", "public_repos": ' + constant + "}", 200, {})
    response = app.get("users/octocat")
    assert response.status_code == 502
    assert "not valid JSON" in response.json()["message"]


@pytest.mark.parametrize("body", ['{"login": "octocat"}', '{"public_repos": "2"}',
                                  '{"public_repos": true}', "[]", '"text"'])
def test_count_needs_a_whole_public_repos_number(fake, body):
    fake_app, app = fake
    fake_app.answer = (body, 200, {})
    response = app.post("users/octocat/count-repos")
    assert response.status_code == 502


@pytest.mark.parametrize("body", ["{}", "[1, 2]", '[{"name": 5}]', '[{"full_name": "x/y"}]'])
def test_names_need_a_list_of_repositories(fake, body):
    fake_app, app = fake
    fake_app.answer = (body, 200, {})
    response = app.post("users/octocat/get-n-repos-alphabetically", json={"num_repos": 5})
    assert response.status_code == 502
    assert response.json()["message"].startswith("GitHub sent JSON")


def test_next_page_links_never_leave_the_api(fake):
    fake_app, app = fake
    fake_app.answer = ('[{"name": "a"}]', 200,
                       {"Link": '<http://elsewhere.example/users/x/repos?page=2>; rel="next"'})
    response = app.post("users/octocat/get-n-repos-alphabetically", json={"num_repos": 5})
    assert response.status_code == 502
    assert "another site" in response.json()["message"]


def test_a_strange_link_header_is_harmless(fake):
    fake_app, app = fake
    fake_app.answer = ('[{"name": "b"}, {"name": "A"}]', 200, {"Link": 'garbage, <>; rel='})
    response = app.post("users/octocat/get-n-repos-alphabetically", json={"num_repos": 5})
    assert response.json() == {"repo_names": ["A", "b"]}
