"""workshop.classroom.bench.scale: the demo app answers; the table has each ratio and its ideal.

Speed itself is never asserted here (that is the benchmark's job); the run uses a tiny latency.
"""

from __future__ import annotations

import requests

from workshop.classroom.bench import scale
from workshop.github_double import Settings, control, create_app
from workshop.runtime.loadtest import asgi_server, dev_server


def test_sync_and_async_views_give_the_same_answer():
    with dev_server(create_app(Settings(rate_limit=10**6)), threaded=True) as double:
        app = scale.make_app(double.url.rstrip("/"))
        # Through a real server, as the benchmark calls them: each request thread runs its
        # own event loop for the async view.
        with dev_server(app, threaded=True) as server:
            answers = [requests.get(server.url + path, timeout=10).json()
                       for path in ("sync/octocat", "async/octocat")]
            login = requests.get(server.url + "user/octocat", timeout=10).json()["login"]
    assert answers[0] == answers[1] == {"login": "octocat", "repos": 1}
    assert login == "octocat"


def test_quart_view_gives_the_same_answer_as_flask():
    with dev_server(create_app(Settings(rate_limit=10**6)), threaded=True) as double:
        upstream = double.url.rstrip("/")
        with dev_server(scale.make_app(upstream), threaded=True) as flask_server:
            flask_answer = requests.get(flask_server.url + "async/octocat", timeout=10).json()
        with asgi_server(scale.make_asgi_app(upstream)) as quart_server:
            quart_answer = requests.get(quart_server.url + "async/octocat", timeout=10).json()
    assert quart_answer == flask_answer == {"login": "octocat", "repos": 1}


def test_count_repos_both_ways_agree_and_differ_in_upstream_requests():
    double_app = create_app(Settings(rate_limit=10**6))
    calls = control(double_app).calls
    with dev_server(double_app, threaded=True) as double:
        upstream = double.url.rstrip("/")
        assert scale.count_repos_by_paging(upstream, scale.PROLIFIC) == 250
        assert len(calls) == 3  # pages of 100, 100 and 50
        calls.clear()
        assert scale.count_repos_from_profile(upstream, scale.PROLIFIC) == 250
        assert len(calls) == 1


def test_run_reports_each_measure_with_its_ideal(capsys):
    rows = scale.run(latency_ms=5, clients=4, rounds=1, repeats=1)
    assert all({"measure", "measured", "ideal", "unit", "of_ideal"} <= set(row) for row in rows)
    measures = [row["measure"] for row in rows]
    assert any("threaded dev server" in m for m in measures)
    assert any("waitress" in m for m in measures)
    assert any("async" in m for m in measures)
    assert any("1 event loop" in m for m in measures)
    upstream = next(row for row in rows if "upstream requests" in row["measure"])
    assert upstream["measured"] == 3.0  # counted, not timed: exact
    scale.print_table(rows)
    assert "of ideal" in capsys.readouterr().out
