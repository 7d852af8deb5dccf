"""The double's users and repositories, loaded once from the JSON shipped in `data/`."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
FULL_REPOS = "full-repos.json"  # full representations kept as data (octocat/Hello-World)


@cache
def read_data(name: str):
    """One shipped JSON file, parsed once per process (callers must not modify it)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


class Store:
    """Read-only lookups; names match case-insensitively, as on GitHub."""

    def __init__(self, users: list[dict], repos: list[dict], full_repos: list[dict]):
        self._users = {user["login"].lower(): user for user in users}
        self._users_by_id = {user["id"]: user for user in users}
        self._repos: dict[str, list[dict]] = {login: [] for login in self._users}
        self._repo_index: dict[str, dict] = {}
        for repo in repos:
            self._repos.setdefault(repo["owner"]["login"].lower(), []).append(repo)
            self._repo_index[repo["full_name"].lower()] = repo
        self._full = {repo["full_name"].lower(): repo for repo in full_repos}

    def user(self, login: str) -> dict | None:
        """A user or organisation by login, or None."""
        return self._users.get(login.lower())

    def user_by_id(self, user_id: int) -> dict | None:
        """A user by numeric id (GitHub's Link headers use /user/{id}/repos)."""
        return self._users_by_id.get(user_id)

    def repos_of(self, login: str) -> list[dict]:
        """The list-shaped repositories an account owns (unsorted)."""
        return self._repos.get(login.lower(), [])

    def repo(self, owner: str, name: str) -> dict | None:
        """The full representation of one repository, or None."""
        key = f"{owner}/{name}".lower()
        if key in self._full:
            return self._full[key]
        item = self._repo_index.get(key)
        return None if item is None else full_repository(item)

    def logins(self) -> list[str]:
        """Every login, as GitHub spells it."""
        return [user["login"] for user in self._users.values()]


def full_repository(item: dict) -> dict:
    """Expand a list item into the shape of GET /repos/{owner}/{repo} (deterministic)."""
    full = copy.deepcopy(item)
    # GitHub repeats these counts under their old names in the full representation.
    full["forks"] = item["forks_count"]
    full["watchers"] = item["watchers_count"]
    full["open_issues"] = item["open_issues_count"]
    # The merge settings are for collaborators only; whether forking is allowed is public.
    full["allow_forking"] = True
    full["subscribers_count"] = item["watchers_count"] // 3
    full["network_count"] = item["forks_count"]
    full["license"] = None
    if item["owner"]["type"] == "Organization":
        full["organization"] = copy.deepcopy(item["owner"])
    return full


# What GitHub tells a signed-in caller about a public repository they do not collaborate on.
READ_ONLY = {"admin": False, "maintain": False, "push": False, "triage": False, "pull": True}


def with_permissions(repo: dict) -> dict:
    """`repo` as a signed-in caller gets it: `permissions` follows `updated_at`, as on GitHub."""
    shown = {}
    for key, value in repo.items():
        shown[key] = value
        if key == "updated_at":
            shown["permissions"] = dict(READ_ONLY)
    return shown


@cache
def default_store() -> Store:
    """The shipped data (read once per process; never modified)."""
    return Store(read_data("users.json"), read_data("repos.json"), read_data(FULL_REPOS))
