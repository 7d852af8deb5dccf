"""Start a real JupyterLab as a subprocess for a test, and always stop it again.

Shared by the open-command test (tests/kit), the widget and live-slides tests, and the
JupyterHub-style test (tests/hub, base URL + proxy).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

START_TIMEOUT = 90  # seconds; JupyterLab answers in ~2 s here, a cold CI machine is slower


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lab_env(home: Path) -> dict[str, str]:
    """The environment for a test JupyterLab: its own config, runtime and workspace folders.

    A user's ~/.jupyter (a password, another default URL) must not change what the test sees,
    and the test must not leave runtime files or saved layouts behind.
    """
    # Nor may a GitHub setting an earlier test left in this process (say, the URL of a double
    # it has stopped since): the Lab's kernels start their own double, as in class.
    dropped = ("GITHUB_API_URL", "GITHUB_TOKEN", "WORKSHOP_SHARED_DOUBLE", "WORKSHOP_CLASS_VIEW")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("JUPYTERHUB_") and k not in dropped}
    for name, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                      ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")]:
        env[name] = str(home / sub)
        (home / sub).mkdir(parents=True, exist_ok=True)
    return env


class Lab:
    """A JupyterLab subprocess in its own process group, with its log in a file."""

    def __init__(self, cmd: list[str], cwd: Path, home: Path, port: int, base_url: str = "/"):
        self.cmd, self.port, self.home = cmd, port, home
        self.url = f"http://127.0.0.1:{port}{base_url}"
        self.runtime_dir = home / "runtime"
        self.log_path = home / "lab.log"
        # Own process group (session): teardown kills JupyterLab *and* its kernels, never pytest.
        group = ({"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt"
                 else {"start_new_session": True})
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=cwd, env=lab_env(home), stdout=log,
                                         stderr=subprocess.STDOUT, **group)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = START_TIMEOUT) -> Lab:
        """Wait until `<base>/lab` answers 200; fail with JupyterLab's log if it exits or stalls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({self.proc.returncode}):\n{self.log()}")
            try:
                if requests.get(self.url + "lab", timeout=5).status_code == 200:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        """Terminate the whole process group; kill it if it does not stop within 15 s."""
        if self.proc.poll() is not None:
            return
        if os.name == "nt":
            self.proc.terminate()
        else:
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            if os.name == "nt":
                self.proc.kill()
            else:
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


def start_lab(root_dir: Path, home: Path, *extra: str, base_url: str = "/") -> Lab:
    """JupyterLab serving `root_dir` on a free 127.0.0.1 port, no browser, no token; ready."""
    port = free_port()
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--port={port}", "--ServerApp.port_retries=0", f"--ServerApp.base_url={base_url}",
           "--IdentityProvider.token=", "--ServerApp.password=",
           f"--ServerApp.root_dir={root_dir}", *extra]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI runs as root; Jupyter refuses otherwise
    lab = Lab(cmd, cwd=root_dir, home=home, port=port, base_url=base_url)
    try:
        return lab.wait_ready()
    except BaseException:
        lab.stop()
        raise
