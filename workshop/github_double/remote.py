"""A kernel's handle on its own namespace in a hub's shared GitHub double, steered over HTTP.

The service itself is workshop/classroom/hub/shared_double.py; `workshop.double()` returns a
`RemoteDouble` on such a hub, with the same `.settings`, `.calls` and `.reset()` as a double
in the kernel.
"""

from __future__ import annotations

import os

import requests

KEY_VARIABLE = "WORKSHOP_SHARED_DOUBLE_KEY"  # one student's, made from the secret and the name
TIMEOUT = 5  # seconds for a control request: the service is on this machine


class RemoteSettings:
    """`double().settings` of a shared double: reading asks the service, assigning tells it."""

    def __init__(self, remote: RemoteDouble):
        object.__setattr__(self, "_remote", remote)

    def __getattr__(self, name: str):
        values = self._remote._call("GET", "settings")
        if name not in values:
            raise AttributeError(name)
        return values[name]

    def __setattr__(self, name: str, value) -> None:
        self._remote._call("PATCH", "settings", json={name: value})

    def __repr__(self) -> str:
        values = self._remote._call("GET", "settings")
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in values.items()) + ")"


class RemoteDouble:
    """The student's namespace in the hub's shared double: `.settings`, `.calls`, `.reset()`."""

    def __init__(self, service: str, name: str, key: str | None = None):
        self.service, self.name = service.rstrip("/"), name
        # Kept out of __dict__'s repr and never printed: it is this student's credential.
        self._headers = {"Authorization": f"Bearer {key or os.environ.get(KEY_VARIABLE, '')}"}
        self.url = self._call("POST", "")["url"]
        self.settings = RemoteSettings(self)

    @property
    def calls(self) -> list[str]:
        return self._call("GET", "calls")

    def reset(self) -> None:
        self._call("POST", "reset")

    def _call(self, method: str, what: str, **kwargs):
        url = f"{self.service}/namespaces/{self.name}" + (f"/{what}" if what else "")
        response = requests.request(method, url, timeout=TIMEOUT, headers=self._headers,
                                    **kwargs)
        if response.status_code == 400:
            raise ValueError(response.json()["message"])  # as the local Settings would
        response.raise_for_status()
        return response.json()

    def __repr__(self) -> str:
        return f"<GitHub double at {self.url} (shared, {self.name}'s own): {len(self.calls)} calls>"
