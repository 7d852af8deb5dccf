"""Threads, async and scale, measured: lesson 11's claims as a table of ratios (a benchmark).

    python -m workshop bench            # every benchmark module, as a table
    python -m workshop bench scale      # this one alone

Every row puts what we measured beside its ideal. With 200 ms per upstream call:
- a single-threaded server answers 1 request per 200 ms, whatever the number of clients;
- a server with a thread per request answers `clients` requests per 200 ms;
- waitress with a pool of T threads answers T requests per 200 ms;
- a view that makes two upstream calls takes 400 ms one after the other, 200 ms with `async def`
  and `asyncio.gather`; but an async view on a single-threaded server still answers one
  request at a time (the event loop lives inside one request);
- the same async view in Quart, served by hypercorn on ONE event loop (one thread), answers
  `clients` requests per 200 ms: the loop spans all requests (framework-wide async, ASGI);
- counting 250 repositories page by page takes 3 upstream requests, the profile's
  `public_repos` takes 1.
KIT_BENCH_REPEATS (default 3) sets how many runs each median is taken over.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time

import httpx
import requests
from flask import Flask
from quart import Quart

from workshop.classroom.bench.report import machine
from workshop.github_double import Settings, control, create_app
from workshop.runtime.loadtest import (
    Load,
    asgi_server,
    dev_server,
    hammer,
    waitress_server,
)

LATENCY_MS = 200
CLIENTS = 20
ROUNDS = 5  # requests per client in the throughput runs, so we measure a steady state
REPEATS = int(os.environ.get("KIT_BENCH_REPEATS", "3"))
PROLIFIC = "prolific-dev"  # the double's account with 250 repositories


def make_app(upstream: str) -> Flask:
    """The lesson's demo app: one upstream call, two in a row, two at once (async)."""
    app = Flask("scale_demo")

    @app.get("/user/<login>")
    def user(login):
        """One upstream call."""
        return requests.get(f"{upstream}/users/{login}", timeout=10).json()

    @app.get("/sync/<login>")
    def profile_sync(login):
        """Two upstream calls, one after the other."""
        user = requests.get(f"{upstream}/users/{login}", timeout=10).json()
        repos = requests.get(f"{upstream}/users/{login}/repos", timeout=10).json()
        return {"login": user["login"], "repos": len(repos)}

    @app.get("/async/<login>")
    async def profile_async(login):
        """The same two calls, waited for together (requests in worker threads)."""
        user, repos = await asyncio.gather(
            asyncio.to_thread(requests.get, f"{upstream}/users/{login}", timeout=10),
            asyncio.to_thread(requests.get, f"{upstream}/users/{login}/repos", timeout=10),
        )
        return {"login": user.json()["login"], "repos": len(repos.json())}

    return app


def make_asgi_app(upstream: str) -> Quart:
    """The lesson's async view in Quart (ASGI): two upstream calls at once, truly async."""
    app = Quart("scale_demo_asgi")
    clients = {}  # the httpx client must be made on the server's own event loop

    @app.before_serving
    async def open_upstream():
        """One async client per server run; it keeps connections to the upstream open."""
        clients["upstream"] = httpx.AsyncClient(base_url=upstream, timeout=10)

    @app.after_serving
    async def close_upstream():
        """Close the upstream connections when the server stops."""
        await clients.pop("upstream").aclose()

    @app.get("/async/<login>")
    async def profile_async(login):
        """The same two calls as Flask's async view, awaited on the server's one event loop."""
        client = clients["upstream"]
        user, repos = await asyncio.gather(client.get(f"/users/{login}"),
                                           client.get(f"/users/{login}/repos"))
        return {"login": user.json()["login"], "repos": len(repos.json())}

    return app


def count_repos_by_paging(upstream: str, login: str) -> int:
    """The original count-repos: fetch every page of 100 and count (one request per page)."""
    url, count = f"{upstream}/users/{login}/repos?per_page=100", 0
    while url:
        page = requests.get(url, timeout=10)
        count += len(page.json())
        url = page.links.get("next", {}).get("url")
    return count


def count_repos_from_profile(upstream: str, login: str) -> int:
    """The kit's count-repos: the profile already says how many (one request)."""
    return requests.get(f"{upstream}/users/{login}", timeout=10).json()["public_repos"]


def _median_load(start_server, path: str, clients: int, rounds: int, repeats: int) -> Load:
    """Run `hammer` `repeats` times on a fresh server each time; the run with median time."""
    loads = []
    for _ in range(repeats):
        with start_server() as server:
            loads.append(hammer(server, path, clients=clients, rounds=rounds))
    loads.sort(key=lambda load: load.seconds)
    return loads[len(loads) // 2]


def _row(measure: str, measured: float, ideal: float, unit: str) -> dict:
    return {
        "benchmark": "scale",
        "measure": measure,
        "measured": round(measured, 1),
        "ideal": round(ideal, 1),
        "unit": unit,
        "of_ideal": f"{measured / ideal:.0%}",
    }


def run(latency_ms: int = LATENCY_MS, clients: int = CLIENTS, rounds: int = ROUNDS,
        repeats: int = REPEATS) -> list[dict]:
    """Measure every claim once per setting; one row per ratio or throughput, with its ideal."""
    latency = latency_ms / 1000
    # Our own double, so changing its latency and budget touches no other notebook or test.
    double_app = create_app(Settings(latency_ms=latency_ms, rate_limit=10**9))
    with dev_server(double_app, threaded=True) as double:
        upstream = double.url.rstrip("/")
        app = make_app(upstream)
        one = "/user/octocat"

        def measure(start, path=one, rounds=rounds, repeats=repeats):
            return _median_load(start, path, clients, rounds, repeats)

        # Queueing servers take clients × rounds × latency per run: one run, one round.
        single = measure(lambda: dev_server(app, threaded=False), rounds=1, repeats=1)
        threaded = measure(lambda: dev_server(app, threaded=True))
        pool = max(2, clients // 5)
        small_pool = measure(lambda: waitress_server(app, threads=pool))
        big_pool = measure(lambda: waitress_server(app, threads=clients))
        sync = measure(lambda: dev_server(app, threaded=True), path="/sync/octocat")
        async_ = measure(lambda: dev_server(app, threaded=True), path="/async/octocat")
        async_single = measure(lambda: dev_server(app, threaded=False), path="/async/octocat",
                               rounds=1, repeats=1)
        asgi_app = make_asgi_app(upstream)
        one_loop = measure(lambda: asgi_server(asgi_app), path="/async/octocat")
        paged_calls, paged_s, profile_calls, profile_s = _count_repos(
            upstream, control(double_app), repeats)

    n = f"{clients} clients × {latency_ms} ms"
    return [
        _row(f"single-threaded dev server, {n}", single.throughput, 1 / latency, "req/s"),
        _row(f"threaded dev server, {n}", threaded.throughput, clients / latency, "req/s"),
        _row(f"waitress {pool} threads, {n}", small_pool.throughput, pool / latency, "req/s"),
        _row(f"waitress {clients} threads, {n}", big_pool.throughput, clients / latency, "req/s"),
        _row("threaded ÷ single-threaded throughput", threaded.throughput / single.throughput,
             clients, "×"),
        _row("sync ÷ async view median latency (2 upstream calls)",
             sync.median_ms / async_.median_ms, 2, "×"),
        _row(f"async view on single-threaded server, {n}", async_single.throughput,
             1 / latency, "req/s"),
        _row(f"Quart async view on hypercorn, 1 event loop, {n}", one_loop.throughput,
             clients / latency, "req/s"),
        _row("1 event loop ÷ single-threaded server throughput (async view)",
             one_loop.throughput / async_single.throughput, clients, "×"),
        _row(f"count-repos upstream requests, paging ÷ profile ({PROLIFIC})",
             paged_calls / profile_calls, 3, "×"),
        _row("count-repos latency, paging ÷ profile", paged_s / profile_s, 3, "×"),
    ]


def _count_repos(upstream: str, double, repeats: int) -> tuple[int, float, int, float]:
    """Upstream requests (from the double's log) and median seconds of both count-repos."""
    results = []
    for count in (count_repos_by_paging, count_repos_from_profile):
        seconds = []
        for _ in range(repeats):
            double.calls.clear()
            started = time.perf_counter()
            count(upstream, PROLIFIC)
            seconds.append(time.perf_counter() - started)
        results += [len(double.calls), statistics.median(seconds)]
    return tuple(results)


def print_table(rows: list[dict]) -> None:
    """The rows as an aligned text table."""
    width = max(len(row["measure"]) for row in rows)
    print(f"{'measure':<{width}}  {'measured':>9}  {'ideal':>7}  unit   of ideal")
    for row in rows:
        print(f"{row['measure']:<{width}}  {row['measured']:>9}  {row['ideal']:>7}  "
              f"{row['unit']:<5}  {row['of_ideal']:>8}")


if __name__ == "__main__":
    print(f"machine: {machine()}")
    print(f"date: {time.strftime('%Y-%m-%d')}")
    print_table(run())
