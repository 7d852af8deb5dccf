"""A student's workspace for check tests: demo_code's app (the solutions), then edited back;
and what a check printed, proven free of the canary secrets conftest.py sets and of solutions."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT

# Secret values every check test runs with (tests/checks/conftest.py): no output may hold them.
CANARIES = {"GITHUB_TOKEN": "ghp_canaryTOKEN0123456789abcdefABCDEF",
            "CLASS_SECRET": "canary-secret-4711",
            "DB_PASSWORD": "canary-password-0815"}

# The lessons' solutions, as the student would type them: a "not yet" hint never prints one.
SOLUTIONS = (
    '@app.route("/")', 'return "Hello from Flask!"', '"Access-Control-Request-Method": "POST"',
    "/users/<user_id>/repos/<repo_name>", 'float(os.environ.get("GITHUB_TIMEOUT", "10"))',
    'headers.get("X-RateLimit-Remaining") == "0"', 'github_url("repos", user_id, repo_name)',
    'render_template("demo_page.html")', "key=str.casefold", "1024 * 1024",
    'if values and "user_id" in values', "jsonify(message=", "return jsonify(",
    "SELECT repo_name FROM favourite WHERE user_id = ?", "assert second.status_code == 200",
    'os.environ.get(\n    "DATABASE"', 'os.environ.get("CORS_ORIGINS", local_origins)',
    "workshop.serve(app)", 'os.environ.get("DATABASE", os.path.join(',
    '"/favourites/<int:favourite_id>", methods=["DELETE"]', "ProxyFix(app.wsgi_app, x_prefix=1)",
)


def demo_workspace(tmp_path: Path) -> Path:
    """`tmp_path/workspace` holding demo_code's app and page: every lesson's task solved."""
    workspace = tmp_path / "workspace"
    for folder in ("app", "frontend"):
        shutil.copytree(ROOT / "demo_code" / folder, workspace / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return workspace


def unsolve(workspace: Path, rel: str, solved: str, skeleton: str) -> None:
    """Put the lesson's skeleton back where the solution was (the text must be there once)."""
    path = workspace / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(solved) == 1, f"{solved!r} is not in {rel} exactly once"
    path.write_text(text.replace(solved, skeleton), encoding="utf-8")


def heard(capsys) -> str:
    """Everything the check printed; fails the test if a canary secret is in it."""
    out = capsys.readouterr().out
    for name, value in CANARIES.items():
        assert value not in out, f"the value of {name} was printed: {out!r}"
    for line in out.splitlines():
        if line.startswith("not yet:"):
            shown = [solution for solution in SOLUTIONS if solution in line]
            assert not shown, f"a hint printed a solution {shown}: {line!r}"
    return out


def said(capsys) -> str:
    """What the check printed, without the final newline (and without any canary secret)."""
    return heard(capsys).strip()
