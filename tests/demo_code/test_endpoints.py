"""Every endpoint of the reference app over real HTTP: success, and each way GitHub can fail."""

import socket

import pytest
import requests

NOT_FOUND = ("The requested URL could not be found. "
             "Please make sure the repository or user exists.")

# One request per endpoint that asks GitHub: (method, path, JSON body).
ENDPOINTS = {
    "user": ("GET", "users/octocat", None),
    "repo": ("GET", "users/octocat/repos/Hello-World", None),
    "count": ("POST", "users/octocat/count-repos", None),
    "names": ("POST", "users/octocat/get-n-repos-alphabetically", {"num_repos": 5}),
    "favourite": ("POST", "favourites", {"user_id": "octocat", "repo_name": "Hello-World"}),
}


def call(api, endpoint, **replace):
    """Send one endpoint's request (optionally with another path or body)."""
    method, path, body = ENDPOINTS[endpoint]
    return api.request(method, replace.get("path", path), json=replace.get("body", body))


def message_of(response) -> str:
    """The error message of a JSON error answer (and check that it is one)."""
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"message"} and body["message"]
    return body["message"]


def free_port() -> int:
    """A port nobody listens on (the OS just handed it out and we closed it again)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def all_repo_names(github, user_id):
    """Every repository name of a user, read from the double directly (following pages)."""
    url, names = f"{github.url}/users/{user_id}/repos?per_page=100", []
    while url:
        upstream = requests.get(url, timeout=10)
        names += [repo["name"] for repo in upstream.json()]
        url = upstream.links.get("next", {}).get("url")
    return names


def test_home_page_is_the_demo_page(api):
    response = api.get("/")
    assert response.status_code == 200
    assert "Flask Demo Using the Github API" in response.text


def test_user_is_passed_through_as_github_sends_it(api, github):
    response = api.get("users/octocat")
    assert response.status_code == 200
    assert github.calls == ["/users/octocat"]
    assert response.json() == requests.get(f"{github.url}/users/octocat", timeout=10).json()


def test_repository_is_passed_through(api, github):
    response = api.get("users/octocat/repos/Hello-World")
    assert response.status_code == 200
    assert response.json()["full_name"] == "octocat/Hello-World"
    assert github.calls == ["/repos/octocat/Hello-World"]


@pytest.mark.parametrize("user_id, expected", [("prolific-dev", 250), ("new-user-0", 0),
                                               ("flask-live-org", 5), ("mona-lisa-dev", 8)])
def test_count_needs_one_upstream_request(api, github, user_id, expected):
    response = api.post(f"users/{user_id}/count-repos")
    assert response.status_code == 200
    assert response.json() == {"number_of_repos": expected}
    assert github.calls == [f"/users/{user_id}"]  # one request, however many repositories
    assert len(all_repo_names(github, user_id)) == expected  # the same answer as paging


def test_names_are_sorted_case_insensitively(api):
    response = api.post("users/mona-lisa-dev/get-n-repos-alphabetically", json={"num_repos": 8})
    assert response.status_code == 200
    assert response.json() == {"repo_names": [
        ".github", "apple", "dot.files-2", "flask_live-notes", "hello.world", "Mango", "my_repo",
        "Zebra"]}


def test_names_follow_every_page(api, github):
    expected = sorted(all_repo_names(github, "prolific-dev"), key=str.casefold)[:100]
    github.reset()
    response = api.post("users/prolific-dev/get-n-repos-alphabetically", json={"num_repos": 100})
    assert response.status_code == 200
    assert response.json() == {"repo_names": expected}
    assert len(github.calls) == 3  # 250 repositories = 3 pages of 100


@pytest.mark.parametrize("user_id, num_repos, expected", [
    ("new-user-0", 5, []), ("octocat", 100, ["Hello-World"]), ("mona-lisa-dev", 1, [".github"])])
def test_names_when_fewer_repositories_than_asked(api, user_id, num_repos, expected):
    path = f"users/{user_id}/get-n-repos-alphabetically"
    response = api.post(path, json={"num_repos": num_repos})
    assert response.json() == {"repo_names": expected}


def test_paging_has_an_upper_bound(api, github, demo_app, monkeypatch):
    monkeypatch.setitem(demo_app.config, "GITHUB_MAX_PAGES", 2)
    response = call(api, "names", path="users/prolific-dev/get-n-repos-alphabetically")
    assert response.status_code == 502
    assert "at most" in message_of(response)
    assert len(github.calls) == 2


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_unknown_user_is_404_with_the_tutorial_message(api, endpoint):
    method, path, body = ENDPOINTS[endpoint]
    if endpoint == "favourite":
        body = {"user_id": "no-such-user", "repo_name": "Hello-World"}
    response = api.request(method, path.replace("octocat", "no-such-user"), json=body)
    assert response.status_code == 404
    assert message_of(response) == NOT_FOUND


@pytest.mark.parametrize("endpoint", ["repo", "favourite"])
def test_unknown_repository_is_404_with_the_tutorial_message(api, endpoint):
    response = call(api, endpoint, path=ENDPOINTS[endpoint][1].replace("Hello-World", "nope"),
                    body={"user_id": "octocat", "repo_name": "nope"})
    assert response.status_code == 404
    assert message_of(response) == NOT_FOUND


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("fault, status", [("500", 502), ("503", 502), ("malformed", 502),
                                           ("drop", 502), ("hang", 504)])
def test_upstream_faults_become_clear_json_errors(api, github, demo_app, short_timeout, endpoint,
                                                  fault, status):
    short_timeout(demo_app)  # a hang becomes a 504 soon
    github.settings.fault = fault
    response = call(api, endpoint)
    assert response.status_code == status
    assert "GitHub" in message_of(response)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_rate_limit_becomes_503_with_retry_after(api, github, endpoint):
    github.settings.rate_limit = 0
    response = call(api, endpoint)
    assert response.status_code == 503
    assert "rate limit" in message_of(response)
    assert "resets at" in message_of(response)
    assert 1 <= int(response.headers["Retry-After"]) <= github.settings.rate_window_s


@pytest.mark.parametrize("fault, retry_after", [("429", None), ("secondary", "60"),
                                                ("secondary-429", "60")])
def test_every_kind_of_rate_limit_becomes_503(api, github, fault, retry_after):
    github.settings.fault = fault  # primary as 429, secondary as 403 or 429 with Retry-After
    response = call(api, "user")
    assert response.status_code == 503
    assert "rate limit" in message_of(response)
    if retry_after is not None:
        assert response.headers["Retry-After"] == retry_after
    else:
        assert 1 <= int(response.headers["Retry-After"]) <= github.settings.rate_window_s


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_unreachable_github_is_502(api, demo_app, monkeypatch, endpoint):
    monkeypatch.setitem(demo_app.config, "GITHUB_API_URL", f"http://127.0.0.1:{free_port()}")
    response = call(api, endpoint)
    assert response.status_code == 502
    assert "Could not connect" in message_of(response)


def test_unknown_path_is_json_404(api):
    response = api.get("no/such/page")
    assert response.status_code == 404
    assert "not found" in message_of(response)


def test_wrong_method_is_json_405_with_allow_header(api):
    response = api.get("users/octocat/count-repos")
    assert response.status_code == 405
    message_of(response)
    assert "POST" in response.headers["Allow"]


def test_body_that_is_not_json_is_415(api):
    response = api.post("users/octocat/get-n-repos-alphabetically", data="num_repos=5",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert "application/json" in message_of(response)


def test_a_bug_becomes_json_500_without_details(api, demo_app, monkeypatch):
    def broken_view(user_id):
        raise RuntimeError("secret detail")

    monkeypatch.setitem(demo_app.view_functions, "get_user", broken_view)
    response = api.get("users/octocat")
    assert response.status_code == 500
    assert "secret detail" not in message_of(response)
