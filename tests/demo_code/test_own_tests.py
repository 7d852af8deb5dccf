"""demo_code ships the tests lesson 9 writes (`test_app.py`, `pytest.ini`): they must pass."""

import os
import subprocess
import sys

from conftest import ROOT


def test_demo_codes_own_tests_pass():
    """The tests lesson 9 writes are demo_code's own tests: they pass on the finished app."""
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "test_app.py"],
                            cwd=ROOT / "demo_code", capture_output=True, text=True, timeout=120,
                            env={k: v for k, v in os.environ.items() if k != "GITHUB_API_URL"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "10 passed" in result.stdout
