"""Every answer the double gives, checked against GitHub's own description of its REST API.

The description is GitHub's OpenAPI document (see openapi/README.md), cut down to the
operations the double serves. openapi-core checks each answer's status, declared headers,
content type and body against the operation's responses; statuses GitHub does not list for
an operation are held to the error responses it describes elsewhere.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

import pytest
import requests
from gh_helpers import served_double
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_schema_validator import OAS30Validator

from workshop.github_double import versions

SPEC = Path(__file__).resolve().parent / "openapi" / "api.github.com.subset.json"
GITHUB = "https://api.github.com"
BASIC_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/basic-error"}}}
# GitHub's description lists no 304, 400, 403, 429 or 5xx for most of these operations,
# though GitHub sends them for any operation; each is held to the shared response GitHub
# describes for that status. 429 has none: GitHub documents it as the 403's twin.
UNDECLARED = {
    "304": {"$ref": "#/components/responses/not_modified"},
    "400": {"$ref": "#/components/responses/bad_request"},
    "403": {"$ref": "#/components/responses/forbidden"},
    "404": {"$ref": "#/components/responses/not_found"},
    "429": {"description": "Too many requests", "content": BASIC_ERROR},
    "503": {"$ref": "#/components/responses/service_unavailable"},
    "5XX": {"$ref": "#/components/responses/internal_error"},
}
RATE_HEADERS = {"X-RateLimit-Limit": "x-rate-limit-limit",
                "X-RateLimit-Remaining": "x-rate-limit-remaining",
                "X-RateLimit-Reset": "x-rate-limit-reset"}
TOKEN = {"Authorization": "Bearer not-a-real-token"}

# name: (path, request headers, settings to switch first)
CASES = {
    "user octocat": ("/users/octocat", {}, {}),
    "user octocat, token": ("/users/octocat", TOKEN, {}),
    "user with repos": ("/users/mona-lisa-dev", {}, {}),
    "user with many repos": ("/users/prolific-dev", {}, {}),
    "user without repos": ("/users/new-user-0", {}, {}),
    "organisation": ("/users/flask-live-org", {}, {}),
    "login in another case": ("/users/mixed-case-cat", {}, {}),
    "unknown user": ("/users/nobody-here", {}, {}),
    "repos octocat": ("/users/octocat/repos", {}, {}),
    "repos first page": ("/users/prolific-dev/repos", {}, {}),
    "repos middle page": ("/users/prolific-dev/repos?page=5", {}, {}),
    "repos last page": ("/users/prolific-dev/repos?page=9", {}, {}),
    "repos past the end": ("/users/prolific-dev/repos?page=10", {}, {}),
    "repos 100 per page, sorted": ("/users/prolific-dev/repos?per_page=100&sort=pushed", {}, {}),
    "repos by id (Link target)": ("/user/5002/repos?page=2", {}, {}),
    "repos of an organisation": ("/users/flask-live-org/repos", {}, {}),
    "repos, none": ("/users/new-user-0/repos", {}, {}),
    "repos, token": ("/users/mona-lisa-dev/repos", TOKEN, {}),
    "repos of an unknown user": ("/users/nobody-here/repos", {}, {}),
    "repo Hello-World": ("/repos/octocat/Hello-World", {}, {}),
    "repo generated": ("/repos/mona-lisa-dev/my_repo", {}, {}),
    "repo of an organisation": ("/repos/flask-live-org/workshop.kit", {}, {}),
    "repo, token": ("/repos/mona-lisa-dev/.github", TOKEN, {}),
    "unknown repo": ("/repos/octocat/no-such-repo", {}, {}),
    "unknown path": ("/no/such/endpoint", {}, {}),
    "rate_limit": ("/rate_limit", {}, {}),
    "rate_limit, token": ("/rate_limit", TOKEN, {}),
    "root": ("/", {}, {}),
    "budget exhausted (403)": ("/users/octocat", {}, {"rate_limit": 0}),
    "budget exhausted, token (403)": ("/repos/octocat/Hello-World", TOKEN,
                                      {"rate_limit_token": 0}),
    "unsupported version (400)": ("/users/octocat", {"X-GitHub-Api-Version": "v3"}, {}),
    "fault 500": ("/users/octocat", {}, {"fault": "500"}),
    "fault 502": ("/users/octocat/repos", {}, {"fault": "502"}),
    "fault 503": ("/repos/octocat/Hello-World", {}, {"fault": "503"}),
    "fault 429 (primary limit)": ("/users/octocat", {}, {"fault": "429"}),
    "fault secondary (403)": ("/users/octocat", {}, {"fault": "secondary"}),
    "fault secondary-429": ("/repos/octocat/Hello-World", {}, {"fault": "secondary-429"}),
    "fault hang, then the answer": ("/users/octocat", {}, {"fault": "hang",
                                                           "hang_seconds": 0}),
}
CONDITIONAL = ["/users/octocat", "/users/prolific-dev/repos?page=2",
               "/repos/octocat/Hello-World", "/rate_limit", "/"]


@pytest.fixture
def gh():
    yield from served_double()


# -- the contract --------------------------------------------------------------------------

def merge_patch(target: dict, patch: dict) -> None:
    """RFC 7386 JSON merge patch, in place (the form most breaking changes take)."""
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            merge_patch(target[key], value)
        else:
            target[key] = value


def json_patch(target: dict, operations: list[dict]) -> None:
    """The RFC 6902 `remove` operations some breaking changes use, in place."""
    for operation in operations:
        assert operation["op"] == "remove", operation
        *parents, last = operation["path"].split("/")[1:]
        node = target
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        del node[int(last) if isinstance(node, list) else last]


def breaking_changes(spec: dict, version: str):
    """(schema, patch) for every breaking change up to `version`."""
    for schema in spec["components"]["schemas"].values():
        for change in schema.get("x-github-breaking-changes", []):
            if change["version"] <= version:
                yield schema, change["patch"]


def removed_fields(version: str) -> set[str]:
    """Names of the response fields the versions up to `version` remove."""
    names = set()
    for _, patch in breaking_changes(json.loads(SPEC.read_text(encoding="utf-8")), version):
        if isinstance(patch, list):
            names |= {op["path"].split("/")[2] for op in patch
                      if op["path"].startswith("/properties/")}
        else:
            names |= {name for name, value in patch.get("properties", {}).items()
                      if value is None}
    return names


@cache
def contract(version: str) -> OpenAPI:
    """GitHub's description as it stands for `version`, with the undeclared statuses."""
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    for item in spec["paths"].values():
        for status, response in UNDECLARED.items():
            item["get"]["responses"].setdefault(status, copy.deepcopy(response))
    changes = list(breaking_changes(spec, version))
    for schema, patch in changes:
        (json_patch if isinstance(patch, list) else merge_patch)(schema, copy.deepcopy(patch))
    for schema in spec["components"]["schemas"].values():
        schema.pop("x-github-breaking-changes", None)
    return OpenAPI.from_dict(spec)


def operation_path(path: str) -> str | None:
    """The path GitHub's description knows (/user/{id}/repos answers like the login form),
    or None for a path no operation serves."""
    path = path.split("?")[0]
    if path.startswith("/user/"):
        return "/users/prolific-dev/repos"  # the only account the cases list by id
    return None if path.startswith("/no/") else path


def spec_schema(name: str) -> dict:
    """One schema of the description (those checked this way hold no $ref)."""
    return json.loads(SPEC.read_text(encoding="utf-8"))["components"]["schemas"][name]


def integer_header(response: requests.Response, name: str) -> int:
    """A rate-limit header, checked against GitHub's schema for it."""
    headers = json.loads(SPEC.read_text(encoding="utf-8"))["components"]["headers"]
    value = response.headers[name]
    assert value.isdigit(), (name, value)
    OAS30Validator(headers[RATE_HEADERS[name]]["schema"]).validate(int(value))
    return int(value)


def check(response: requests.Response, path: str, version: str) -> None:
    """Fail with openapi-core's report if the answer breaks GitHub's description."""
    known = operation_path(path)
    if known is None:  # GitHub answers any unknown path with its basic error
        assert response.status_code == 404
        OAS30Validator(spec_schema("basic-error")).validate(response.json())
    else:
        request = MockRequest(GITHUB, "get", known)
        answer = MockResponse(response.content, status_code=response.status_code,
                              headers=dict(response.headers),
                              content_type=response.headers.get("Content-Type", ""))
        contract(version).validate_response(request, answer)
    assert response.headers["X-GitHub-Api-Version-Selected"] == version
    for name in RATE_HEADERS:
        integer_header(response, name)
    if response.content:
        body = json.dumps(response.json())
        for field in removed_fields(version):
            assert f'"{field}":' not in body, field


# -- the tests -----------------------------------------------------------------------------

@pytest.mark.parametrize("version", versions.SUPPORTED)
@pytest.mark.parametrize("name", CASES)
def test_answer_follows_githubs_description(gh, name, version):
    path, headers, settings = CASES[name]
    for key, value in settings.items():
        setattr(gh.double.settings, key, value)
    headers = {"X-GitHub-Api-Version": version, **headers}
    response = gh.get(path, headers=headers)
    if name.startswith("unsupported version"):
        version = versions.DEFAULT  # refused: answered in the default version
    check(response, path, version)


@pytest.mark.parametrize("version", versions.SUPPORTED)
@pytest.mark.parametrize("path", CONDITIONAL)
def test_304_follows_githubs_description(gh, path, version):
    headers = {"X-GitHub-Api-Version": version}
    first = gh.get(path, headers=headers)
    again = gh.get(path, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    check(again, path, version)


def test_statuses_are_the_ones_github_sends(gh):
    expected = {"unknown user": 404, "repos past the end": 200, "unknown repo": 404,
                "budget exhausted (403)": 403, "unsupported version (400)": 400,
                "fault 502": 502, "fault 429 (primary limit)": 429,
                "fault secondary (403)": 403, "fault secondary-429": 429}
    for name, status in expected.items():
        gh.double.reset()
        path, headers, settings = CASES[name]
        for key, value in settings.items():
            setattr(gh.double.settings, key, value)
        assert gh.get(path, headers=headers).status_code == status, name


@pytest.mark.parametrize("fault, status", [("429", 429), (None, 403)])
def test_primary_limit_shows_an_empty_budget(gh, fault, status):
    gh.double.settings.fault = fault
    gh.double.settings.rate_limit = 60 if fault else 0
    response = gh.get("/users/octocat")
    assert response.status_code == status
    assert integer_header(response, "X-RateLimit-Remaining") == 0
    assert "Retry-After" not in response.headers  # wait for X-RateLimit-Reset instead
    assert response.json()["message"].startswith("API rate limit exceeded")


@pytest.mark.parametrize("fault, status", [("secondary", 403), ("secondary-429", 429)])
def test_secondary_limit_has_budget_left_and_retry_after(gh, fault, status):
    gh.double.settings.fault = fault
    response = gh.get("/users/octocat")
    assert response.status_code == status
    assert integer_header(response, "X-RateLimit-Remaining") > 0
    assert response.headers["Retry-After"] == "60"
    assert "secondary rate limit" in response.json()["message"]


def test_malformed_fault_is_broken_json_with_githubs_headers(gh):
    gh.double.settings.fault = "malformed"
    response = gh.get("/users/octocat")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    for name in RATE_HEADERS:
        integer_header(response, name)
    with pytest.raises(requests.exceptions.JSONDecodeError):
        response.json()


def test_version_removals_match_the_description():
    for version in versions.SUPPORTED:
        assert versions.REMOVED.get(version, frozenset()) == removed_fields(version)


def test_unsupported_version_names_the_supported_ones(gh):
    body = gh.get("/users/octocat", headers={"X-GitHub-Api-Version": "v3"}).json()
    assert body["status"] == "400"
    assert '"v3", is not a supported version' in body["message"]
    for version in versions.SUPPORTED:
        assert f'"{version}"' in body["message"]
