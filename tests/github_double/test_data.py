"""The shipped data: recorded examples verbatim, generated the same every time, valid names."""

import json
import re
from pathlib import Path

import pytest
from gh_helpers import DATA

from workshop.github_double.generate import ACCOUNTS, build, dumps

HERE = Path(__file__).resolve().parent
# GitHub's example bodies as first recorded (see recorded/SOURCES.md), and its API description.
RECORDED = HERE / "recorded"
OPENAPI = HERE / "openapi" / "api.github.com.subset.json"
# Derived from GitHub's rules (see SOURCES.md there); GitHub publishes no official regex.
LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
REPO_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")


def shipped(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["users-octocat.json", "repos-octocat-Hello-World.json",
                                  "users-octocat-repos-page1.json"])
def test_recorded_copies_are_verbatim(name):
    assert (DATA / f"recorded-{name}").read_bytes() == (RECORDED / name).read_bytes()


def test_recorded_root_is_githubs_example():
    example = json.loads(OPENAPI.read_text(encoding="utf-8"))["components"]["examples"]["root"]
    assert shipped("recorded-root.json") == example["value"]


def test_generator_reproduces_the_shipped_json():
    users, repos, full_repos = build()
    assert (DATA / "users.json").read_text(encoding="utf-8") == dumps(users)
    assert (DATA / "repos.json").read_text(encoding="utf-8") == dumps(repos)
    assert (DATA / "full-repos.json").read_text(encoding="utf-8") == dumps(full_repos)


def test_names_follow_githubs_rules():
    for user in shipped("users.json"):
        assert LOGIN.fullmatch(user["login"]), user["login"]
    for repo in shipped("repos.json"):
        name = repo["name"]
        assert REPO_NAME.fullmatch(name) and name not in {".", ".."}, name
        assert not name.endswith(".git")


def test_ids_and_names_are_unique():
    users, repos = shipped("users.json"), shipped("repos.json")
    assert len({user["id"] for user in users}) == len(users)
    assert len({user["login"].lower() for user in users}) == len(users)
    assert len({repo["id"] for repo in repos}) == len(repos)
    assert len({repo["full_name"].lower() for repo in repos}) == len(repos)


def test_the_cast_covers_what_lessons_need():
    users = {user["login"]: user for user in shipped("users.json")}
    counts = {}
    for repo in shipped("repos.json"):
        counts[repo["owner"]["login"]] = counts.get(repo["owner"]["login"], 0) + 1
    assert max(counts.values()) >= 250
    assert any(user["public_repos"] == 0 for user in users.values())
    assert any(user["type"] == "Organization" for user in users.values())
    names = [repo["name"] for repo in shipped("repos.json")]
    for mark in ".-_":
        assert any(mark in name for name in names)
    for login, user in users.items():
        assert user["public_repos"] == counts.get(login, 0), login


def test_readme_lists_every_account():
    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    for login in ["octocat"] + [account["login"] for account in ACCOUNTS]:
        assert f"`{login}`" in readme
