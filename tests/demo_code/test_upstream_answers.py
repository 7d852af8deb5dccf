"""Odd answers the double does not give on its own, from a tiny programmable fake GitHub."""

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
])
def test_upstream_statuses(fake, status, headers, expected_status, words):
    fake_app, app = fake
    fake_app.answer = ('{"message": "no"}', status, headers)
    response = app.get("users/octocat")
    assert response.status_code == expected_status
    assert words in response.json()["message"]
    if expected_status == 503:
        assert response.headers["Retry-After"] == words.split()[1]


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
