"""Start a real JupyterHub on 127.0.0.1 for a class of students, and always stop it again.

    with Hub.start(folder, shared_double=False, class_view=True) as hub:
        hub.add_students(["alice", "bob"])      # each gets a home with a copy of notebooks/
        hub.add_instructors(["teacher"])        # the `instructors` group: the class view
        hub.spawn("alice", "bob")               # their single-user servers, ready
        session = hub.login("alice")            # a browser-like session (cookies)

The hub runs `configurable-http-proxy` (npm) and single-user servers as local processes
(`workshop/classroom/hub/jupyterhub_config.py`). It is steered with a token made for this run only.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from workshop.paths import KIT_ROOT

CONFIG = Path(__file__).resolve().parent / "jupyterhub_config.py"
START_TIMEOUT = 120  # seconds; the hub answers in a few seconds, a loaded machine is slower
SPAWN_TIMEOUT = 300


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proxy_command() -> str | None:
    """configurable-http-proxy, as `npm install -g configurable-http-proxy` installs it."""
    return shutil.which("configurable-http-proxy")


class Hub:
    """A JupyterHub subprocess (own process group) with its log in `folder/jupyterhub.log`."""

    def __init__(self, folder: Path, shared_double: bool = False, class_view: bool = False):
        self.folder = Path(folder)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.folder / "jupyterhub.log"
        self.shared_double_port = free_port() if shared_double else None
        self.class_view_port = free_port() if class_view else None
        self._token = secrets.token_hex(32)
        # Kernel sockets live here: a short path (Unix sockets allow 107 bytes), private.
        self.runtime = Path(tempfile.mkdtemp(prefix="kit-hub-"))
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("JUPYTERHUB_", "GITHUB_API_URL", "GITHUB_TOKEN"))}
        env.update(KIT_HUB_FOLDER=str(self.folder), KIT_HUB_PORT=str(self.port),
                   KIT_HUB_API_PORT=str(free_port()), KIT_HUB_PROXY_API_PORT=str(free_port()),
                   KIT_HUB_LAUNCHER_TOKEN=self._token, KIT_HUB_RUNTIME=str(self.runtime))
        if self.shared_double_port:
            env["KIT_HUB_SHARED_DOUBLE_PORT"] = str(self.shared_double_port)
        if self.class_view_port:
            env["KIT_HUB_CLASS_VIEW_PORT"] = str(self.class_view_port)
        # The hub's own folder, and jupyterhub/python from this environment first on PATH.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self.folder,
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    @classmethod
    def start(cls, folder: Path, shared_double: bool = False, class_view: bool = False) -> Hub:
        """A hub that answers its API; stopped again if it does not come up."""
        hub = cls(folder, shared_double=shared_double, class_view=class_view)
        try:
            return hub.wait_ready()
        except BaseException:
            hub.stop()
            raise

    def __enter__(self) -> Hub:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    # -- the hub's REST API, as the launcher service ----------------------------------------

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request to `/hub/api/<path>` with the launcher's token."""
        headers = {"Authorization": f"token {self._token}"}
        return requests.request(method, f"{self.url}/hub/api/{path.lstrip('/')}",
                                headers=headers, timeout=30, **kwargs)

    def wait_ready(self, timeout: float = START_TIMEOUT) -> Hub:
        """Wait until the hub answers through its proxy; fail with its log if it exits."""
        self._poll(lambda: self.api("GET", "/").status_code == 200, timeout, "answer")
        return self

    def add_students(self, names: list[str], lessons: Path = KIT_ROOT / "notebooks") -> None:
        """Create the users, each with a home holding their own copy of the lessons."""
        response = self.api("POST", "users", json={"usernames": names})
        if response.status_code not in (201, 409):
            raise RuntimeError(f"creating users failed: {response.status_code} {response.text}")
        for name in names:
            target = self.home(name) / "notebooks"
            if not target.exists():
                shutil.copytree(lessons, target, ignore=shutil.ignore_patterns(
                    "workspace", ".ipynb_checkpoints", "__pycache__", "lessons_fixture"))

    def add_instructors(self, names: list[str]) -> None:
        """Create these users and put them in the `instructors` group (the class view's)."""
        for method, path, body in (("POST", "users", {"usernames": names}),
                                   ("POST", "groups/instructors/users", {"users": names})):
            response = self.api(method, path, json=body)
            if response.status_code not in (200, 201, 409):
                raise RuntimeError(f"{path}: {response.status_code} {response.text}")

    def home(self, name: str) -> Path:
        return self.folder / "home" / name

    def spawn(self, *names: str, timeout: float = SPAWN_TIMEOUT) -> list[str]:
        """Start these users' servers together; wait until the hub says each is ready."""
        for name in names:
            response = self.api("POST", f"users/{name}/server")
            if response.status_code not in (201, 202, 400):  # 400: already running
                raise RuntimeError(f"spawn {name}: {response.status_code} {response.text}")
        waiting = set(names)

        def all_ready() -> bool:
            # One request per poll for the whole class, not one per student.
            ready = self.api("GET", "users", params={"state": "ready", "limit": 200}).json()
            waiting.difference_update(user["name"] for user in ready)
            return not waiting

        self._poll(all_ready, timeout, f"start the servers of {', '.join(sorted(waiting))}",
                   every=1.0)
        return [self.server_url(name) for name in names]

    def server_url(self, name: str) -> str:
        return f"{self.url}/user/{name}/"

    def user_token(self, name: str) -> str:
        """A short-lived API token of `name` (what JupyterLab holds for the student)."""
        response = self.api("POST", f"users/{name}/tokens",
                            json={"note": "kit run", "expires_in": 3600})
        response.raise_for_status()
        return response.json()["token"]

    # -- what a student's browser does ------------------------------------------------------

    def login(self, name: str) -> requests.Session:
        """A session logged in through the hub's login form, as a browser would."""
        session = requests.Session()
        form = session.get(f"{self.url}/hub/login", timeout=30)
        form.raise_for_status()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text)
        data = {"username": name, "password": "class", "_xsrf": xsrf.group(1) if xsrf else ""}
        response = session.post(f"{self.url}/hub/login", data=data, timeout=60,
                                allow_redirects=False)
        if response.status_code != 302:
            raise RuntimeError(f"login {name}: {response.status_code} {response.text[:300]}")
        return session

    # -- end --------------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop the hub, the proxy and every single-user server (the whole process group)."""
        if self.proc.poll() is None:
            # JupyterHub itself stops the servers it spawned, then its proxy, on SIGTERM:
            # signalling the whole group would end the proxy first and make it wait for it.
            try:
                self.proc.terminate()
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                pass
        _kill_group(self.proc.pid)
        # Single-user servers live in their own sessions: end any the hub left behind.
        for path in (self.folder / "home").glob("*"):
            _kill_started_in(path)
        shutil.rmtree(self.runtime, ignore_errors=True)

    def _poll(self, check, timeout: float, what: str, every: float = 0.25) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited ({self.proc.returncode}):\n{self.log()}")
            try:
                if check():
                    return
            except (requests.ConnectionError, requests.Timeout, ValueError):
                pass
            time.sleep(every)
        raise RuntimeError(f"JupyterHub did not {what} within {timeout} s:\n{self.log()[-5000:]}")


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _kill_started_in(home: Path) -> None:
    """Kill processes whose working folder is inside `home` (a user's server and kernels)."""
    import psutil

    for process in psutil.process_iter(["cwd"]):
        cwd = process.info.get("cwd") or ""
        if cwd == str(home) or cwd.startswith(str(home) + os.sep):
            try:
                process.kill()
            except psutil.Error:
                pass
