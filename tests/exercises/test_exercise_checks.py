"""workshop.checks: a check prints one line, ✓ or "not yet", whatever the student's code does."""

from __future__ import annotations

import requests
from flask import Flask

from workshop import checks


def test_a_check_turns_any_exception_into_a_not_yet_line(capsys):
    @checks.check
    def boom():
        raise KeyError("num_repos")

    assert boom() is None  # nothing to display under the cell but the printed line
    assert capsys.readouterr().out == "not yet: your code raised KeyError: 'num_repos'\n"


def test_a_view_returning_none_gets_a_hint_not_flasks_message(capsys):
    app = Flask("none_view")
    app.add_url_rule("/users/<user_id>/summary", "summary", lambda user_id: None)
    checks.etag_304(app)
    assert capsys.readouterr().out.startswith("not yet: a view (or error handler) returned None")


def test_success_prints_a_tick_and_what_was_verified(capsys):
    checks.check(lambda: "it works")()
    assert capsys.readouterr().out == "✓ it works\n"


def test_counting_requests_counts_and_restores(monkeypatch):
    original = requests.Session.send
    monkeypatch.setattr(requests.Session, "send", lambda *a, **k: "answer")
    patched = requests.Session.send
    with checks.counting_requests() as sent:
        requests.get("http://127.0.0.1:9/x")
    assert sent == ["http://127.0.0.1:9/x"]
    assert requests.Session.send is patched is not original


def test_user_name_rules_reject_what_github_rejects(capsys):
    checks.user_names(lambda name: name in checks.VALID_USERS)
    assert capsys.readouterr().out.startswith("✓")
    checks.user_names(lambda name: name.replace("-", "").isalnum())
    assert "'-octocat') accepted it" in capsys.readouterr().out


def test_a_weak_pytest_test_is_caught(capsys):
    checks.catches_bugs(lambda client: client.get("/users/nobody"))
    assert "answers 200 for unknown users" in capsys.readouterr().out


def test_xss_check_reads_the_source_before_any_browser(capsys):
    checks.xss_safe('function showError(n) { document.body.innerHTML = n; }')
    assert capsys.readouterr().out.startswith("not yet: the code writes to innerHTML")
