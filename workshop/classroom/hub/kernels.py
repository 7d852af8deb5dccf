"""Run a lesson on a user's single-user server the way JupyterLab does: REST plus a websocket.

    kernel = RemoteKernel(server_url, token, "notebooks/00-start-here.ipynb")
    outputs = kernel.execute("print(1)")        # nbformat-style output dicts
    results = run_notebook(server_url, token, "notebooks/00-start-here.ipynb")
    kernel.shutdown()

The session is opened like a notebook tab (`/api/sessions`, so the kernel's working folder is
the notebook's folder); code goes over `/api/kernels/<id>/channels` in Jupyter's JSON
message format. Nothing here reads the user's files directly: the notebook comes through the
contents API.
"""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import quote

import requests
import websocket

CELL_TIMEOUT = 180  # seconds per cell: generous, because a loaded machine is slow, not broken
# The server pings an open websocket and closes it when no pong comes back; we answer pings only
# while we read, so after this many idle seconds we open a new one, as JupyterLab reconnects.
IDLE_RECONNECT = 20
OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error"}


@dataclasses.dataclass
class CellResult:
    """One code cell as it ran: its index in the notebook, source, outputs and seconds."""

    index: int
    source: str
    outputs: list[dict]
    seconds: float

    @property
    def error(self) -> dict | None:
        return next((o for o in self.outputs if o["output_type"] == "error"), None)

    def text(self) -> str:
        """Every output as text (streams, text/plain and text/html), for checks."""
        parts = []
        for output in self.outputs:
            if output["output_type"] == "stream":
                parts.append(output["text"])
            elif output["output_type"] == "error":
                parts.append(f"{output['ename']}: {output['evalue']}")
            else:
                data = output.get("data", {})
                parts += [data.get("text/plain", ""), data.get("text/html", "")]
        return "\n".join(parts)


class RemoteKernel:
    """A kernel in a notebook session on a Jupyter server, driven over its websocket."""

    def __init__(self, server_url: str, token: str, path: str, kernel_name: str = "python3"):
        self.server_url = server_url.rstrip("/") + "/"
        self._headers = {"Authorization": f"token {token}"}
        body = {"path": path, "name": path.rsplit("/", 1)[-1], "type": "notebook",
                "kernel": {"name": kernel_name}}
        response = requests.post(self.server_url + "api/sessions", json=body,
                                 headers=self._headers, timeout=120)
        response.raise_for_status()
        self.session_id = response.json()["id"]
        self.kernel_id = response.json()["kernel"]["id"]
        self._client_session = uuid.uuid4().hex
        self._ws_url = (self.server_url.replace("http", "ws", 1)
                        + f"api/kernels/{self.kernel_id}/channels"
                        + f"?session_id={self._client_session}")
        self._ws = self._connect()
        self._request("kernel_info_request", {}, channel="shell", timeout=120)

    def _connect(self) -> websocket.WebSocket:
        """A new websocket to the kernel's channels (the kernel and its state live on)."""
        self._last_used = time.monotonic()
        return websocket.create_connection(self._ws_url, header=self._headers, timeout=120)

    def execute(self, code: str, timeout: float = CELL_TIMEOUT) -> list[dict]:
        """Run `code`; return its outputs once the kernel is idle again."""
        content = {"code": code, "silent": False, "store_history": True,
                   "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        return self._request("execute_request", content, channel="shell", timeout=timeout)

    def _request(self, msg_type: str, content: dict, channel: str, timeout: float) -> list[dict]:
        if time.monotonic() - self._last_used > IDLE_RECONNECT:
            self._ws.close()
            self._ws = self._connect()
        msg_id = uuid.uuid4().hex
        self._ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": self._client_session,
                       "username": "", "version": "5.3",
                       "date": datetime.now(timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel,
            "buffers": []}))
        outputs, replied, idle = [], False, msg_type != "execute_request"
        deadline = time.monotonic() + timeout
        while not (replied and idle):
            self._ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                message = json.loads(self._ws.recv())
            except websocket.WebSocketTimeoutException:
                raise TimeoutError(f"no answer to {msg_type} within {timeout} s") from None
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["header"]["msg_type"]
            if message["channel"] == "shell" and kind.endswith("_reply"):
                replied = True
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                idle = True
            elif kind in OUTPUT_TYPES:
                outputs.append({"output_type": kind, **message["content"]})
            elif kind == "clear_output":
                outputs.clear()
        self._last_used = time.monotonic()
        return outputs

    def shutdown(self) -> None:
        """Close the websocket and end the session (its kernel stops)."""
        try:
            self._ws.close()
        finally:
            requests.delete(self.server_url + f"api/sessions/{self.session_id}",
                            headers=self._headers, timeout=60)


def read_notebook(server_url: str, token: str, path: str) -> dict:
    """The notebook as the user's server stores it (contents API)."""
    url = server_url.rstrip("/") + "/api/contents/" + quote(path)
    response = requests.get(url, headers={"Authorization": f"token {token}"}, timeout=60,
                            params={"type": "notebook", "content": "1"})
    response.raise_for_status()
    return response.json()["content"]


def run_notebook(server_url: str, token: str, path: str, keep_kernel: bool = False,
                 after: str | None = None) -> tuple[list[CellResult], RemoteKernel | None]:
    """Run every code cell of `path` in a fresh kernel, stopping at the first error.

    `after` is extra code run once the lesson is done (e.g. to ask for a server's port).
    Returns the results and, with `keep_kernel`, the still-running kernel.
    """
    notebook = read_notebook(server_url, token, path)
    kernel = RemoteKernel(server_url, token, path)
    results = []
    try:
        cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        sources = [("".join(c["source"]) if isinstance(c["source"], list) else c["source"])
                   for c in cells]
        if after:
            sources.append(after)
        for index, source in enumerate(sources):
            started = time.perf_counter()
            outputs = kernel.execute(source)
            results.append(CellResult(index, source, outputs, time.perf_counter() - started))
            if results[-1].error:
                break
    finally:
        if not keep_kernel:
            kernel.shutdown()
    return results, (kernel if keep_kernel else None)
