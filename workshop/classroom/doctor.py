"""Pre-flight check to run before class: `python -m workshop doctor` (or `python kit.py doctor`).

Each check is a small function returning one `Result` (or a list of them), so a test can run a
single check with a broken input. The checks run side by side in daemon threads, so a slow
network costs at most a few seconds and can never hang the doctor. Exit status 1 on any ✗.
"""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import importlib.util
import json
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from workshop.runtime.chromium import chromium_path

DIST = "flask-live"
DEFAULT_PORT = 5001
LIVE_API = "https://api.github.com"
LIVE_TIMEOUT = 2.5  # seconds: enough for a real answer, short enough for a room of laptops
CHECK_TIMEOUT = 8.0  # a check that takes longer than this is reported as ✗, never waited for
REINSTALL = "run `python kit.py lab` once (it reinstalls), or"

SYMBOLS = {"ok": "✓", "fail": "✗", "warn": "!", "info": "○"}
ASCII_SYMBOLS = {"ok": "OK", "fail": "X", "warn": "!", "info": "-"}
ASCII_TEXT = str.maketrans({"—": "-", "–": "-", "…": "...", "→": "->"})


@dataclass(frozen=True)
class Result:
    """One line of the report: status is "ok", "fail", "warn" or "info"; fix says what to do."""

    status: str
    name: str
    detail: str
    fix: str = ""


def ok(name: str, detail: str) -> Result:
    return Result("ok", name, detail)


def fail(name: str, detail: str, fix: str) -> Result:
    return Result("fail", name, detail, fix)


# --- the checks ---------------------------------------------------------------------------------


def check_python(spec: str | None = None, version: tuple[int, ...] | None = None) -> Result:
    """Python is recent enough for the kit (the `requires-python` of flask-live, else >=3.10)."""
    if spec is None:
        try:
            spec = metadata.metadata(DIST).get("Requires-Python") or ">=3.10"
        except metadata.PackageNotFoundError:
            spec = ">=3.10"
    version = version or sys.version_info[:3]
    text = ".".join(map(str, version))
    if SpecifierSet(spec).contains(text):
        return ok("Python", f"{text}  ({sys.executable})")
    return fail("Python", f"{text}, the kit needs {spec}",
                f"install Python {spec.lstrip('>=')} or newer (python.org or conda), "
                "then run `python kit.py lab` again")


def declared_requirements() -> list[str]:
    """The requirement strings flask-live declares (its installed metadata)."""
    return metadata.requires(DIST) or []


def check_packages(requirements: list[str] | None = None, for_tests: bool = False) -> list[Result]:
    """Each package the kit declares is installed at a version inside its bounds."""
    if requirements is None:
        try:
            requirements = declared_requirements()
        except metadata.PackageNotFoundError:
            return [fail("kit package", f"{DIST} is not installed in this Python",
                         f"{REINSTALL} `pip install -e .` in the kit's folder")]
    results = []
    for line in requirements:
        req = Requirement(line)
        always = not req.marker or req.marker.evaluate({"extra": ""})
        for_test_only = not always and req.marker.evaluate({"extra": "test"})
        if always or for_test_only:  # others are for another platform or another extra
            results.append(_check_requirement(req, for_test_only, optional=for_test_only
                                              and not for_tests))
    return results


def _check_requirement(req: Requirement, for_test_only: bool, optional: bool) -> Result:
    name = req.name + (" (tests)" if for_test_only else "")
    # Lower bound first reads naturally: ">=3.1,<3.2".
    bounds = ",".join(sorted(map(str, req.specifier), key=lambda s: not s.startswith(">")))
    bounds = bounds or "any version"
    install = f"{REINSTALL} `pip install \"{req.name}{req.specifier}\"`"
    try:
        version = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        status = "warn" if optional else "fail"
        return Result(status, name, f"missing (wanted {bounds})", install)
    if req.specifier.contains(version, prereleases=True):
        return ok(name, f"{version}  ({bounds})")
    status = "warn" if optional else "fail"
    return Result(status, name, f"{version}, but the kit wants {bounds}", install)


def _find_labextension(package: str) -> Path | None:
    """The folder of an installed (prebuilt) JupyterLab extension, looked up without JupyterLab."""
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("labextensions"):
        candidate = Path(folder, *package.split("/"))
        if (candidate / "package.json").is_file():
            return candidate
    return None


def check_jupyterlab() -> Result:
    """JupyterLab is installed with its built front end (Lab 4 ships it prebuilt)."""
    try:
        version = metadata.version("jupyterlab")
    except metadata.PackageNotFoundError:
        return fail("JupyterLab", "not installed", f"{REINSTALL} `pip install \"jupyterlab>=4.4\"`")
    from jupyter_core.paths import jupyter_path

    if not any(Path(p, "static", "index.html").is_file() for p in jupyter_path("lab")):
        return fail("JupyterLab", f"{version}, but its web app files are missing",
                    f"{REINSTALL} `pip install --force-reinstall \"jupyterlab=={version}\"`")
    return ok("JupyterLab", version)


def check_labextension(package: str, label: str, pip_name: str) -> Result:
    """A JupyterLab extension the lessons need is installed where JupyterLab finds it."""
    folder = _find_labextension(package)
    if folder is None:
        return fail(label, f"{package} not found",
                    f"{REINSTALL} `pip install {pip_name}`, then restart JupyterLab")
    version = json.loads((folder / "package.json").read_text(encoding="utf-8")).get("version", "?")
    return ok(label, f"{package} {version}")


def _server_extension_enabled(module: str) -> bool:
    """True when some Jupyter config file enables the server extension `module`."""
    from jupyter_core.paths import jupyter_config_path

    enabled = False
    # Later (more general) paths lose to earlier ones, so read from the most general first.
    for folder in reversed(jupyter_config_path()):
        files = sorted(Path(folder, "jupyter_server_config.d").glob("*.json"))
        files.append(Path(folder, "jupyter_server_config.json"))
        for file in files:
            try:
                config = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            extensions = config.get("ServerApp", {}).get("jpserver_extensions", {})
            enabled = extensions.get(module, enabled)
    return bool(enabled)


def check_server_proxy() -> Result:
    """jupyter-server-proxy is installed and enabled (it makes servers reachable on JupyterHub)."""
    label = "server proxy in Jupyter"
    if importlib.util.find_spec("jupyter_server_proxy") is None:
        return fail(label, "not installed", f"{REINSTALL} `pip install jupyter-server-proxy`")
    if not _server_extension_enabled("jupyter_server_proxy"):
        return fail(label, "installed but not enabled",
                    "run `jupyter server extension enable jupyter_server_proxy`")
    return ok(label, f"{metadata.version('jupyter-server-proxy')}, enabled")


def check_background_server() -> Result:
    """A tiny Flask app served in a background thread on 127.0.0.1 answers a real request."""
    from flask import Flask

    from workshop.runtime.server import serve

    app = Flask("doctor")

    @app.get("/")
    def hello():
        """Answer the doctor's request."""
        return {"hello": "doctor"}

    label = "background server"
    try:
        with serve(app, name="doctor") as server:
            response = server.get("/")
    except OSError as exc:
        return fail(label, f"could not serve on 127.0.0.1: {exc}",
                    "a firewall or security tool blocks local servers: allow Python on 127.0.0.1")
    if response.status_code != 200 or response.json() != {"hello": "doctor"}:
        return fail(label, f"answered HTTP {response.status_code}",
                    "a proxy intercepts 127.0.0.1: set NO_PROXY=127.0.0.1,localhost")
    return ok(label, "serves on 127.0.0.1 and answers")


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when another program listens on host:port (so the demo could not start there)."""
    with socket.socket() as sock:
        if sys.platform.startswith("linux"):
            # Like Werkzeug: ignore connections lingering in TIME_WAIT from a previous run.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    # Some systems let a bind on 127.0.0.1 succeed while another program listens on all
    # addresses (macOS AirPlay on 5000 does): a connection that succeeds means it is taken.
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def check_port(port: int | None = None) -> Result:
    """The demo's port (PORT, default 5001) is free."""
    port = port or int(os.environ.get("PORT") or DEFAULT_PORT)
    label = f"port {port} free"
    if port_in_use(port):
        return fail(label, "in use",
                    f"another program uses port {port}: stop it or set PORT={port + 1}")
    return ok(label, "the demo app can start there")


def check_github_double() -> Result:
    """The offline GitHub double (or whatever GITHUB_API_URL points to) answers /users/octocat."""
    import requests

    label = "GitHub double"
    preset = os.environ.get("GITHUB_API_URL")
    try:
        from workshop.runtime.github_api import github_api_url
    except ImportError as exc:
        if not (exc.name or "").startswith("workshop"):
            raise
        return fail(label, "not built yet",
                    "update the kit (`git pull`), then run the doctor again")
    url = github_api_url()
    if preset:
        label = "GitHub API (GITHUB_API_URL)"
    try:
        response = requests.get(f"{url}/users/octocat", timeout=5)
        login = response.json().get("login") if response.status_code == 200 else None
    except (requests.RequestException, ValueError) as exc:
        login, response = None, exc
    if login != "octocat":
        answer = getattr(response, "status_code", type(response).__name__)
        fix = ("unset GITHUB_API_URL to use the kit's offline GitHub double" if preset
               else "a proxy intercepts 127.0.0.1: set NO_PROXY=127.0.0.1,localhost")
        return fail(label, f"{url}/users/octocat gave {answer}", fix)
    where = url if preset else "answers offline"
    return ok(label, f"{where} (GET /users/octocat)")


def check_live_github(url: str = LIVE_API, timeout: float = LIVE_TIMEOUT) -> Result:
    """Informational: is the real GitHub API reachable, and how many requests remain this hour."""
    label = "GitHub API (live)"
    token = os.environ.get("GITHUB_TOKEN")
    token_note = "token: set" if token else "token: not set"
    offline = Result("info", label,
                     f"offline — fine, the kit uses its GitHub double ({token_note})")
    # requests' timeout does not cover DNS lookups, which can stall offline: bound the whole call.
    response = within(timeout + 0.5, partial(_get_rate_limit, url, token, timeout))
    if response is None:
        return offline
    if response.status_code == 401 and token:
        return fail(label, "GitHub rejects GITHUB_TOKEN (401)",
                    "create a new token, or unset GITHUB_TOKEN (the kit works without one)")
    try:
        core = response.json()["resources"]["core"]
    except (ValueError, KeyError, TypeError):
        return Result("info", label, f"answered HTTP {response.status_code} ({token_note})")
    resets = time.strftime("%H:%M", time.localtime(core["reset"]))
    detail = f"reachable, {core['remaining']}/{core['limit']} requests left ({token_note})"
    if core["remaining"] == 0:
        return Result("info", label, f"{detail}, resets at {resets}; the double still works")
    return ok(label, detail)


def _get_rate_limit(url: str, token: str | None, timeout: float):
    """GET /rate_limit (it does not count against the limit); None when unreachable."""
    import requests

    headers = {"Accept": "application/vnd.github+json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        return requests.get(f"{url}/rate_limit", headers=headers, timeout=timeout)
    except requests.RequestException:
        return None


def check_chromium(for_tests: bool = False, path: str | None = None) -> Result:
    """Chromium for the browser tests: a warning for students, a failure with --for-tests."""
    path = path or chromium_path()
    if path:
        return ok("Chromium", path)
    return Result("fail" if for_tests else "warn", "Chromium",
                  "not found (only the browser tests need it)",
                  "Debian/Ubuntu: `apt-get install chromium`; elsewhere install Chrome "
                  "and set CHROMIUM=/path/to/chrome")


def default_checks(port: int | None = None, for_tests: bool = False) -> list:
    """The checks `python -m workshop doctor` runs, in report order."""
    return [
        check_python,
        partial(check_packages, for_tests=for_tests),
        check_jupyterlab,
        partial(check_labextension, "@jupyter-widgets/jupyterlab-manager", "ipywidgets in Lab",
                "\"ipywidgets>=8.1,<9\""),
        partial(check_labextension, "jupyterlab-rise", "slides (RISE) in Lab",
                "\"jupyterlab-rise>=0.43,<0.44\""),
        check_server_proxy,
        check_background_server,
        partial(check_port, port),
        check_github_double,
        check_live_github,
        partial(check_chromium, for_tests),
    ]


# --- running and reporting -----------------------------------------------------------------------


def within(seconds: float, fn, default=None):
    """fn() run in a daemon thread; `default` if it has not returned after `seconds`."""
    box = []
    thread = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    return box[0] if box else default


def _check_name(check) -> str:
    fn = getattr(check, "func", check)
    return fn.__name__.removeprefix("check_").replace("_", " ")


def run_checks(checks: list, timeout: float = CHECK_TIMEOUT) -> list[Result]:
    """Run every check side by side; a crash or a stall becomes a ✗ line, never an exception."""
    slots: list[list[Result] | None] = [None] * len(checks)

    def run(index, check):
        try:
            result = check()
        except Exception as exc:  # noqa: BLE001 (one broken check must not hide the others)
            result = fail(_check_name(check), f"the check crashed: {exc!r}",
                          "show this output to the instructor")
        slots[index] = result if isinstance(result, list) else [result]

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(checks)]
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    results = []
    for check, slot in zip(checks, slots, strict=True):
        results.extend(slot if slot is not None else [
            fail(_check_name(check), f"no answer within {timeout:g} s",
                 "show this output to the instructor")])
    return results


def can_print(text: str, encoding: str | None) -> bool:
    try:
        text.encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def render(results: list[Result], encoding: str | None = "utf-8") -> str:
    """The report as text, with ASCII symbols when the console cannot show ✓ and ✗."""
    fancy = can_print("".join(SYMBOLS.values()) + "—", encoding)
    symbols = SYMBOLS if fancy else ASCII_SYMBOLS
    width = max(len(r.name) for r in results) + 2
    lines = ["Flask, live — pre-flight check", ""]
    for r in results:
        lines.append(f"  {symbols[r.status]:<2} {r.name:<{width}}{r.detail}")
        if r.fix and r.status in {"fail", "warn"}:
            lines.append(f"  {'':<2} {'':<{width}}fix: {r.fix}")
    failures = sum(r.status == "fail" for r in results)
    lines.append("")
    if failures:
        lines.append(f"{failures} problem{'s' * (failures > 1)}: fix the lines marked "
                     f"{symbols['fail']} above, then run `python kit.py doctor` again.")
    else:
        lines.append("All set: you are ready for class.")
    text = "\n".join(lines)
    if not fancy:
        text = text.translate(ASCII_TEXT)
    return text.encode(encoding or "ascii", errors="replace").decode(encoding or "ascii")


def main(argv: list[str] | None = None, checks: list | None = None) -> int:
    """Print the report; exit status 1 when any check failed."""
    parser = argparse.ArgumentParser(prog="python -m workshop doctor", description=__doc__)
    parser.add_argument("--port", type=int, default=None,
                        help=f"the demo app's port (default: $PORT or {DEFAULT_PORT})")
    parser.add_argument("--for-tests", action="store_true",
                        help="also require what the test suite needs (Chromium, test packages)")
    parser.add_argument("--timeout", type=float, default=CHECK_TIMEOUT,
                        help=f"seconds before a silent check counts as failed "
                             f"(default: {CHECK_TIMEOUT:g}; raise it on a very busy machine)")
    args = parser.parse_args(argv)
    if checks is None:
        checks = default_checks(port=args.port, for_tests=args.for_tests)
    results = run_checks(checks, timeout=args.timeout)
    print(render(results, sys.stdout.encoding), flush=True)
    return 1 if any(r.status == "fail" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
