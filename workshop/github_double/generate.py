"""Build the double's data (users.json, repos.json, full-repos.json) from GitHub's examples.

Run `python -m workshop.github_double.generate` after changing the cast below; commit the JSON.
Everything is derived from the recorded shapes (`data/recorded-*.json`, verbatim copies of
the recorded API examples) with fixed ids and timestamps, so the output never changes
between runs and no randomness is needed at runtime. The recorded examples show what a
repository's admin sees; the double serves what an anonymous caller gets (see README.md).
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

DATA = Path(__file__).with_name("data")
RECORDED_USER = "recorded-users-octocat.json"
RECORDED_REPO = "recorded-repos-octocat-Hello-World.json"
RECORDED_REPOS_PAGE = "recorded-users-octocat-repos-page1.json"
# Fields GitHub sends only to signed-in callers (`permissions`) or to those with push or admin
# rights on the repository; the double's callers never own its repositories.
NOT_ANONYMOUS = ("permissions", "allow_rebase_merge", "allow_squash_merge", "allow_auto_merge",
                 "delete_branch_on_merge", "allow_merge_commit", "allow_update_branch",
                 "use_squash_pr_title_as_default", "squash_merge_commit_title",
                 "squash_merge_commit_message", "merge_commit_title", "merge_commit_message",
                 "temp_clone_token", "security_and_analysis")
# The recorded Hello-World is a fork generated from a template inside an organisation, yet
# says fork: false and belongs to a user. The double serves it as the plain user-owned
# repository it claims to be: these references to other repositories go.
NOT_A_FORK = ("parent", "source", "organization", "template_repository")

# Why these accounts: each one lets a lesson show one behaviour of the real API.
#   mona-lisa-dev   repo names with dots, underscores, hyphens and mixed case (sorting!)
#   prolific-dev    250 repos: pagination over several pages (3 pages at per_page=100)
#   new-user-0      no repos at all: an empty list, not a 404
#   flask-live-org  an organisation ("type": "Organization")
#   Mixed-Case-Cat  a login with capitals: /users/mixed-case-cat still finds it
ACCOUNTS = [
    {"login": "mona-lisa-dev", "id": 5001, "type": "User", "name": "Mona Lisa",
     "bio": "Paints with pixels, writes Flask apps.", "location": "Florence",
     "repos": ["hello.world", "my_repo", "dot.files-2", "Zebra", "apple", "Mango",
               "flask_live-notes", ".github"]},
    {"login": "prolific-dev", "id": 5002, "type": "User", "name": "Prolific Developer",
     "bio": "Starts a new project every week.", "location": "Berlin", "repos": 250},
    {"login": "new-user-0", "id": 5003, "type": "User", "name": None, "bio": None,
     "location": None, "repos": []},
    {"login": "flask-live-org", "id": 5004, "type": "Organization", "name": "Flask, live",
     "bio": "The organisation behind the workshop.", "location": None,
     "repos": ["flask-live", "workshop.kit", "Slides_2025", "demo-app", "api_double"]},
    {"login": "Mixed-Case-Cat", "id": 5005, "type": "User", "name": "Mixed Case Cat",
     "bio": None, "location": "Lisbon", "repos": ["CamelCaseRepo", "lowercase-repo"]},
]
# prolific-dev's names: mixed case and separators, so a case-insensitive sort matters.
PROLIFIC_WORDS = ["api", "Blog", "cli_tool", "data.set", "flask-app", "Notes", "scraper",
                  "Toolkit", "web.site", "zen_garden"]
LANGUAGES = ["Python", "JavaScript", None, "HTML", "Python", "Go", "Jupyter Notebook"]

FIRST_REPO_ID = 700001
CREATED_BASE = datetime(2015, 3, 1, 9, 0, 0, tzinfo=timezone.utc)
UPDATED_BASE = datetime(2021, 1, 4, 8, 30, 0, tzinfo=timezone.utc)
PUSHED_BASE = datetime(2021, 2, 1, 12, 15, 0, tzinfo=timezone.utc)


def load(name: str):
    """Read one JSON file from the package's data folder."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def stamp(moment: datetime) -> str:
    """GitHub's timestamp format: ISO 8601 in UTC with a Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def node_id(kind: str, number: int) -> str:
    """GitHub's legacy global node id, e.g. MDQ6VXNlcjE= is base64('04:User1')."""
    return base64.b64encode(f"0{len(kind)}:{kind}{number}".encode()).decode()


def swap(value, old: str, new: str):
    """Replace `old` by `new` in every string of a JSON value (URLs carry names)."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, dict):
        return {key: swap(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [swap(item, old, new) for item in value]
    return value


def insert_after(mapping: dict, anchor: str, key: str, value) -> dict:
    """A copy of `mapping` with `key` placed right after `anchor` (GitHub's field order)."""
    result = {}
    for name, item in mapping.items():
        if name != key:
            result[name] = item
        if name == anchor:
            result[key] = value
    return result


def public_view(user: dict) -> dict:
    """A user object as an anonymous caller sees it: GitHub marks it `user_view_type: public`."""
    return insert_after(user, "type", "user_view_type", "public")


def anonymous_repo(repo: dict) -> dict:
    """A repository without the fields only collaborators get; its owner in public view."""
    repo = {key: value for key, value in repo.items() if key not in NOT_ANONYMOUS}
    repo["owner"] = public_view(repo["owner"])
    return repo


def served_octocat(recorded: dict, repo_count: int) -> dict:
    """octocat as an anonymous caller gets it: no private email, repos counted as served."""
    user = public_view(recorded)
    user.update(email=None, public_repos=repo_count)
    return user


def served_hello_world(recorded: dict) -> dict:
    """The recorded full Hello-World, made the user-owned non-fork it says it is."""
    repo = {key: value for key, value in anonymous_repo(recorded).items()
            if key not in NOT_A_FORK}
    # GitHub always sends `language` (null when it detected none); the example lacks it.
    return insert_after(repo, "homepage", "language", None)


def owner_of(account: dict, template: dict) -> dict:
    """The short `owner` object GitHub nests in each repository."""
    owner = swap(template, "octocat", account["login"])
    owner.update(id=account["id"], node_id=node_id(account["type"], account["id"]),
                 avatar_url=f"https://avatars.githubusercontent.com/u/{account['id']}?v=4",
                 type=account["type"])
    return owner


def make_user(account: dict, template: dict, repo_count: int) -> dict:
    """A public-user object shaped like the recorded octocat, for one account."""
    user = swap(template, "octocat", account["login"])
    number = account["id"]
    user.update(
        id=number, node_id=node_id(account["type"], number),
        avatar_url=f"https://avatars.githubusercontent.com/u/{number}?v=4",
        type=account["type"], name=account["name"], company=None, blog="",
        location=account["location"], email=None, hireable=None, bio=account["bio"],
        twitter_username=None, public_repos=repo_count, public_gists=number % 4,
        followers=(number * 7) % 150, following=(number * 3) % 20,
        created_at=stamp(CREATED_BASE - timedelta(days=400 - number % 100)),
        updated_at=stamp(UPDATED_BASE + timedelta(days=number % 50)),
    )
    return user


def repo_names(account: dict) -> list[str]:
    """The repository names of one account (prolific-dev's are numbered)."""
    if isinstance(account["repos"], int):
        return [f"{PROLIFIC_WORDS[i % 10]}-{i // 10 + 1:02d}" for i in range(account["repos"])]
    return account["repos"]


def make_repo(account: dict, name: str, index: int, count: int, repo_id: int,
              template: dict, owner_template: dict) -> dict:
    """A minimal-repository object shaped like the recorded Hello-World list item."""
    login = account["login"]
    repo = swap(template, "octocat/Hello-World", f"{login}/{name}")
    # Multiplying by a number coprime to `count` permutes the indexes, so sorting by
    # created, updated and pushed gives three different orders.
    updated_rank = (index * 3) % count
    pushed_rank = (index * 7) % count
    repo.update(
        id=repo_id, node_id=node_id("Repository", repo_id), name=name,
        full_name=f"{login}/{name}", owner=owner_of(account, owner_template),
        description=f"{name}: a {['small', 'tidy', 'curious', 'busy'][index % 4]} project.",
        git_url=f"git://github.com/{login}/{name}.git",
        mirror_url=None, svn_url=f"https://github.com/{login}/{name}", homepage=None,
        language=LANGUAGES[index % len(LANGUAGES)],
        forks_count=(index * 3) % 17, stargazers_count=(index * 11) % 97,
        watchers_count=(index * 11) % 97, size=100 + (index * 53) % 4000,
        default_branch="main", open_issues_count=(index * 5) % 9,
        topics=["flask", "workshop"][: index % 3], has_pages=index % 5 == 0,
        pushed_at=stamp(PUSHED_BASE + timedelta(hours=19 * pushed_rank)),
        created_at=stamp(CREATED_BASE + timedelta(hours=77 * index)),
        updated_at=stamp(UPDATED_BASE + timedelta(hours=23 * updated_rank)),
    )
    return repo


def build() -> tuple[list[dict], list[dict], list[dict]]:
    """All users, all list-shaped repositories and the full representations kept as data."""
    recorded_user = load(RECORDED_USER)
    recorded_repos = [anonymous_repo(repo) for repo in load(RECORDED_REPOS_PAGE)]
    owner_template = recorded_repos[0]["owner"]
    user_template = public_view(recorded_user)
    users = [served_octocat(recorded_user, len(recorded_repos))]
    repos = list(recorded_repos)
    repo_id = FIRST_REPO_ID
    for account in ACCOUNTS:
        names = repo_names(account)
        users.append(make_user(account, user_template, len(names)))
        for index, name in enumerate(names):
            repos.append(make_repo(account, name, index, len(names), repo_id,
                                   recorded_repos[0], owner_template))
            repo_id += 1
    return users, repos, [served_hello_world(load(RECORDED_REPO))]


def dumps(items: list[dict]) -> str:
    """One object per line: compact, yet diffs stay readable."""
    lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    return f"[\n{lines}\n]\n"


def main() -> None:
    """Write data/users.json, data/repos.json and data/full-repos.json."""
    users, repos, full_repos = build()
    (DATA / "users.json").write_text(dumps(users), encoding="utf-8")
    (DATA / "repos.json").write_text(dumps(repos), encoding="utf-8")
    (DATA / "full-repos.json").write_text(dumps(full_repos), encoding="utf-8")
    print(f"wrote {len(users)} users and {len(repos)} repositories to {DATA}")


if __name__ == "__main__":
    main()
