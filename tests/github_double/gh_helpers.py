"""Shared helpers for the GitHub double tests: a served double with a clock we move by hand."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import requests

from workshop import serve
from workshop.github_double import Double, Settings, control, create_app

DATA = Path(__file__).resolve().parents[2] / "workshop" / "github_double" / "data"
START = 1_700_000_000  # a fixed "now" for the rate-limit windows


class FakeClock:
    """A clock that only moves when a test says so (no test ever sleeps)."""

    def __init__(self, now: float = START):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Served:
    """A double served over real HTTP, its control object and its clock."""

    url: str  # no trailing slash, like GITHUB_API_URL
    double: Double
    clock: FakeClock
    sleeps: list

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return requests.get(self.url + path, **kwargs)


def recorded(name: str):
    """One of the recorded api.github.com examples shipped with the double."""
    return json.loads((DATA / f"recorded-{name}.json").read_text(encoding="utf-8"))


def served_double():
    """A fresh double (own budget, no fault) on a free port; each test module wraps this
    generator in its own `gh` fixture, since a second conftest.py would shadow tests/conftest."""
    clock, sleeps = FakeClock(), []
    app = create_app(Settings(clock=clock, sleep=sleeps.append, hang_seconds=10))
    with serve(app, name="github-double-test") as server:
        double = control(app)
        yield Served(server.url.rstrip("/"), double, clock, sleeps)
        double.reset()  # ends any hang still in progress
