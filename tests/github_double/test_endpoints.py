"""Every endpoint over real HTTP: bodies, headers, 404s, case-insensitive names."""

import re

import pytest
import requests
from gh_helpers import recorded, served_double


@pytest.fixture
def gh():
    yield from served_double()


JSON_TYPE = "application/json; charset=utf-8"


def without(mapping: dict, *keys: str) -> dict:
    return {key: value for key, value in mapping.items() if key not in keys}


def test_octocat_is_served_as_recorded_but_for_what_anonymous_callers_miss(gh):
    user = gh.get("/users/octocat").json()
    assert without(user, "user_view_type", "email", "public_repos") == without(
        recorded("users-octocat"), "email", "public_repos")
    assert (user["user_view_type"], user["email"], user["public_repos"]) == ("public", None, 1)
    repo = gh.get("/repos/octocat/Hello-World").json()
    admin_only = ("permissions", "allow_rebase_merge", "allow_squash_merge", "allow_auto_merge",
                  "delete_branch_on_merge", "allow_merge_commit", "temp_clone_token")
    not_a_fork = ("parent", "source", "organization", "template_repository")
    assert without(repo, "owner", "language") == without(
        recorded("repos-octocat-Hello-World"), "owner", *admin_only, *not_a_fork)
    assert repo["language"] is None and repo["owner"]["user_view_type"] == "public"
    [item] = gh.get("/users/octocat/repos?per_page=100").json()
    [example] = recorded("users-octocat-repos-page1")
    assert without(item, "owner") == without(example, "owner", "permissions",
                                             "security_and_analysis")


def test_every_user_object_says_public_view(gh):
    for path in ("/users/mona-lisa-dev", "/users/flask-live-org"):
        assert gh.get(path).json()["user_view_type"] == "public"
    for repo in gh.get("/users/mona-lisa-dev/repos").json():
        assert repo["owner"]["user_view_type"] == "public"
        assert "permissions" not in repo and "security_and_analysis" not in repo
    full = gh.get("/repos/flask-live-org/demo-app").json()
    assert full["owner"]["user_view_type"] == full["organization"]["user_view_type"] == "public"
    assert "allow_merge_commit" not in full and "delete_branch_on_merge" not in full


def test_user_names_match_case_insensitively(gh):
    for spelling in ("OctoCat", "OCTOCAT", "octocat"):
        assert gh.get(f"/users/{spelling}").json()["login"] == "octocat"
    assert gh.get("/users/mixed-case-cat").json()["login"] == "Mixed-Case-Cat"
    assert gh.get("/repos/OCTOCAT/hello-world").json()["full_name"] == "octocat/Hello-World"


def test_organisation_and_empty_user(gh):
    org = gh.get("/users/flask-live-org").json()
    assert org["type"] == "Organization"
    repo = gh.get("/repos/flask-live-org/workshop.kit").json()
    assert repo["organization"]["login"] == "flask-live-org"
    empty = gh.get("/users/new-user-0/repos")
    assert empty.status_code == 200 and empty.json() == [] and "Link" not in empty.headers


def test_repository_names_with_dots_underscores_hyphens(gh):
    for name in ("hello.world", "my_repo", "dot.files-2", ".github"):
        response = gh.get(f"/repos/mona-lisa-dev/{name}")
        assert response.status_code == 200
        assert response.json()["full_name"] == f"mona-lisa-dev/{name}"


def test_generated_repository_has_the_full_shape(gh):
    full = gh.get("/repos/mona-lisa-dev/my_repo").json()
    for key in ("forks", "watchers", "open_issues", "subscribers_count", "network_count",
                "allow_forking", "license"):
        assert key in full
    listed = gh.get("/users/mona-lisa-dev/repos").json()
    item = next(repo for repo in listed if repo["name"] == "my_repo")
    assert {key: full[key] for key in ("id", "node_id", "url", "pushed_at")} == {
        key: item[key] for key in ("id", "node_id", "url", "pushed_at")}


def test_404_bodies_are_githubs(gh):
    cases = {
        "/users/nobody-here": "https://docs.github.com/rest/users/users#get-a-user",
        "/repos/octocat/no-such-repo": "https://docs.github.com/rest/repos/repos#get-a-repository",
        "/users/nobody-here/repos":
            "https://docs.github.com/rest/repos/repos#list-repositories-for-a-user",
        "/users/octocat/": "https://docs.github.com/rest",  # trailing slash: 404, as on GitHub
        "/no/such/endpoint": "https://docs.github.com/rest",
    }
    for path, docs in cases.items():
        response = gh.get(path)
        assert response.status_code == 404, path
        assert response.headers["Content-Type"] == JSON_TYPE
        assert response.json() == {"message": "Not Found", "documentation_url": docs,
                                   "status": "404"}


def test_other_methods_get_404_json(gh):
    response = requests.post(gh.url + "/users/octocat", timeout=10)
    assert response.status_code == 404 and response.json()["message"] == "Not Found"


def test_github_headers(gh):
    response = gh.get("/users/octocat")
    headers = response.headers
    assert headers["Content-Type"] == JSON_TYPE
    assert re.fullmatch(r'"[0-9a-f]{64}"', headers["ETag"])
    assert headers["X-RateLimit-Limit"] == "60"
    assert headers["X-RateLimit-Remaining"] == "59"
    assert headers["X-RateLimit-Used"] == "1"
    assert headers["X-RateLimit-Resource"] == "core"
    assert headers["X-RateLimit-Reset"] == str(1_700_000_000 + 3600)
    assert headers["X-GitHub-Media-Type"] == "github.v3; format=json"
    assert headers["Last-Modified"] == "Mon, 14 Jan 2008 04:33:35 GMT"
    assert "," not in headers["Date"][5:]  # exactly one Date header
    assert response.text.startswith('{"login":"octocat","id":1,')  # compact, in order


def test_rate_limit_endpoint_and_root(gh):
    body = gh.get("/rate_limit").json()
    assert body["rate"] == body["resources"]["core"]
    assert body["rate"]["remaining"] == 60
    assert list(body["resources"]) == ["core", "search", "graphql", "integration_manifest",
                                       "code_search"]
    assert body["resources"]["search"]["reset"] == 1_700_000_000 + 60
    catalogue = gh.get("/").json()
    assert catalogue["user_url"] == gh.url + "/users/{user}"
    assert catalogue["current_user_authorizations_html_url"].startswith("https://github.com/")
    assert len(catalogue) == 33  # GitHub's whole catalogue


def test_a_token_also_gets_read_only_permissions(gh):
    token = {"Authorization": "Bearer not-a-real-token"}
    repo = gh.get("/repos/octocat/Hello-World", headers=token).json()
    assert repo["permissions"] == {"admin": False, "maintain": False, "push": False,
                                   "triage": False, "pull": True}
    assert list(repo).index("permissions") == list(repo).index("updated_at") + 1
    assert "allow_merge_commit" not in repo  # still no push rights
    listed = gh.get("/users/mona-lisa-dev/repos", headers=token).json()
    assert all(item["permissions"]["pull"] for item in listed)
    assert "permissions" not in gh.get("/repos/octocat/Hello-World").json()


def test_api_versions(gh):
    default = gh.get("/rate_limit")
    assert default.headers["X-GitHub-Api-Version-Selected"] == "2022-11-28"
    assert "rate" in default.json()
    newer = gh.get("/rate_limit", headers={"X-GitHub-Api-Version": "2026-03-10"})
    assert newer.headers["X-GitHub-Api-Version-Selected"] == "2026-03-10"
    assert "rate" not in newer.json() and "core" in newer.json()["resources"]
    repo = gh.get("/repos/octocat/Hello-World", headers={"X-GitHub-Api-Version": "2026-03-10"})
    assert "has_downloads" not in repo.json()
    refused = gh.get("/users/octocat", headers={"X-GitHub-Api-Version": "2023-01-01"})
    assert refused.status_code == 400
    assert refused.json()["documentation_url"] == (
        "https://docs.github.com/rest/about-the-rest-api/api-versions")
    assert refused.headers["X-RateLimit-Used"] == "2"  # a refused version still counts


def test_calls_lists_every_path_received(gh):
    gh.get("/users/octocat")
    gh.get("/users/prolific-dev/repos?per_page=5")
    gh.get("/users/nobody-here")
    assert gh.double.calls == ["/users/octocat", "/users/prolific-dev/repos?per_page=5",
                               "/users/nobody-here"]


def test_latency_sleeps_before_each_answer(gh):
    gh.double.settings.latency_ms = 250
    assert gh.get("/users/octocat").status_code == 200
    assert gh.sleeps == [0.25]
