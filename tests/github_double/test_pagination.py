"""Pagination and sorting of GET /users/{username}/repos, Link headers byte for byte."""

import pytest
import requests
from gh_helpers import served_double


@pytest.fixture
def gh():
    yield from served_double()


def follow(gh, path: str) -> tuple[list[str], int]:
    """Every repository name across all pages, following rel="next" like a client should."""
    names, pages = [], 0
    url = gh.url + path
    while url:
        response = requests.get(url, timeout=10)
        names += [repo["full_name"] for repo in response.json()]
        pages += 1
        url = response.links.get("next", {}).get("url")
    return names, pages


@pytest.mark.parametrize("per_page, pages", [(100, 3), (30, 9), (7, 36)])
def test_following_links_gets_every_repository_once(gh, per_page, pages):
    names, seen_pages = follow(gh, f"/users/prolific-dev/repos?per_page={per_page}")
    assert seen_pages == pages
    assert len(names) == len(set(names)) == 250


def test_link_header_has_githubs_exact_format(gh):
    base = f"{gh.url}/user/5002/repos?per_page=100&page="
    first = gh.get("/users/prolific-dev/repos?per_page=100").headers["Link"]
    assert first == f'<{base}2>; rel="next", <{base}3>; rel="last"'
    middle = gh.get("/users/prolific-dev/repos?per_page=100&page=2").headers["Link"]
    assert middle == (f'<{base}1>; rel="prev", <{base}3>; rel="next", '
                      f'<{base}3>; rel="last", <{base}1>; rel="first"')
    last = gh.get("/users/prolific-dev/repos?per_page=100&page=3").headers["Link"]
    assert last == f'<{base}2>; rel="prev", <{base}1>; rel="first"'


def test_link_urls_keep_the_query_and_point_at_this_host(gh):
    link = gh.get("/users/prolific-dev/repos?sort=created&per_page=50").headers["Link"]
    assert link.startswith(f"<{gh.url}/user/5002/repos?sort=created&per_page=50&page=2>")
    # Without per_page, GitHub's links carry only the page (default 30 per page).
    link = gh.get("/users/prolific-dev/repos").headers["Link"]
    assert link.startswith(f'<{gh.url}/user/5002/repos?page=2>; rel="next"')


def test_per_page_defaults_to_30_and_stops_at_100(gh):
    assert len(gh.get("/users/prolific-dev/repos").json()) == 30
    assert len(gh.get("/users/prolific-dev/repos?per_page=500").json()) == 100
    assert len(gh.get("/users/prolific-dev/repos?per_page=abc").json()) == 30


def test_single_page_has_no_link_and_past_the_end_is_empty(gh):
    assert "Link" not in gh.get("/users/mona-lisa-dev/repos").headers
    beyond = gh.get("/users/prolific-dev/repos?per_page=100&page=9")
    assert beyond.status_code == 200 and beyond.json() == []


def test_default_sort_is_full_name_case_insensitive(gh):
    names = [repo["name"] for repo in gh.get("/users/mona-lisa-dev/repos").json()]
    assert names == sorted(names, key=str.lower)
    assert names != sorted(names)  # a naive sort would put "Mango" and "Zebra" first
    assert names[:3] == [".github", "apple", "dot.files-2"]
    reverse = gh.get("/users/mona-lisa-dev/repos?direction=desc").json()
    assert [repo["name"] for repo in reverse] == names[::-1]


@pytest.mark.parametrize("sort", ["created", "updated", "pushed"])
def test_sort_by_dates_is_newest_first_unless_asked(gh, sort):
    path = f"/users/prolific-dev/repos?per_page=100&sort={sort}"
    stamps = [repo[f"{sort}_at"] for repo in gh.get(path).json()]
    assert stamps == sorted(stamps, reverse=True)
    ascending = [repo[f"{sort}_at"] for repo in gh.get(path + "&direction=asc").json()]
    assert ascending == sorted(ascending)


def test_the_three_date_orders_differ(gh):
    orders = {sort: [repo["id"] for repo in
                     gh.get(f"/users/mona-lisa-dev/repos?sort={sort}").json()]
              for sort in ("created", "updated", "pushed")}
    assert len({tuple(order) for order in orders.values()}) == 3


def test_link_target_by_id_lists_the_same(gh):
    by_name = gh.get("/users/prolific-dev/repos?per_page=10&page=4").json()
    by_id = gh.get("/user/5002/repos?per_page=10&page=4").json()
    assert by_name == by_id
    assert gh.get("/user/999999/repos").status_code == 404
