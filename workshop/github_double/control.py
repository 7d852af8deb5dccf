"""The double's state and control object: calls received, rate-limit windows, faults."""

from __future__ import annotations

import dataclasses
import threading

from workshop.github_double.settings import Settings

# The other budgets GitHub reports on /rate_limit, at its published sizes. The double spends only
# `core`; the others always show a full budget. GraphQL needs a token, hence 0 without one.
OTHER_RESOURCES = {
    "anonymous": {"search": 10, "graphql": 0, "integration_manifest": 5000, "code_search": 10},
    "token": {"search": 30, "graphql": 5000, "integration_manifest": 5000, "code_search": 10},
}
PER_MINUTE = frozenset({"search", "code_search"})  # these windows last a minute, not an hour


@dataclasses.dataclass
class Window:
    """One rate-limit window: requests used so far and when the budget refills (epoch s)."""

    reset: int
    used: int = 0


class Double:
    """What a lesson or test steers: `.settings`, `.calls`, `.reset()`, `.rate(...)`."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._initial = dataclasses.replace(settings)
        self.calls: list[str] = []  # every path received, rejected ones included
        self.url: str | None = None  # set by whoever serves it (workshop.runtime.github_api)
        self._lock = threading.Lock()
        self._windows: dict[str, Window] = {}
        self._release = threading.Event()

    def reset(self) -> None:
        """Forget calls, refill every budget, clear the fault and end any hang in progress.

        Settings go back to what the double started with (minus the fault), so a lesson that
        changed latency or the budget leaves no trace for the next one.
        """
        with self._lock:
            for field in dataclasses.fields(Settings):
                setattr(self.settings, field.name, getattr(self._initial, field.name))
            self.settings.fault = self.settings.fault_count = self.settings.fault_path = None
            self.calls.clear()
            self._windows.clear()
            released, self._release = self._release, threading.Event()
        released.set()

    # -- used by the app ------------------------------------------------------------------

    def record(self, path: str) -> None:
        """Remember one request path (lists are thread-safe for append)."""
        self.calls.append(path)

    def take_fault(self, path: str) -> str | None:
        """The fault to inject for this request, counting down `fault_count` if set."""
        settings = self.settings
        with self._lock:
            fault = settings.fault
            if fault is None or (settings.fault_path and not path.startswith(settings.fault_path)):
                return None
            if settings.fault_count == 0:
                return None  # "inject it 0 times": no fault at all, as the number says
            if settings.fault_count is not None:
                settings.fault_count -= 1
                if settings.fault_count <= 0:
                    # Spent: show it in `settings` too, so what you read is what happens next.
                    settings.fault = settings.fault_count = None
            return fault

    def wait_hang(self) -> None:
        """Block like a stuck upstream: until hang_seconds pass or reset() is called."""
        self._release.wait(self.settings.hang_seconds)

    def limit(self, kind: str) -> int:
        """The budget per window for 'anonymous' or 'token' requests."""
        return self.settings.rate_limit_token if kind == "token" else self.settings.rate_limit

    def rate(self, kind: str = "anonymous", count: bool = False) -> dict:
        """The current window as GitHub reports it; count=True spends one request first."""
        now = self.settings.clock()
        with self._lock:
            window = self._windows.get(kind)
            if window is None or now >= window.reset:
                window = self._windows[kind] = Window(reset=int(now) + self.settings.rate_window_s)
            limit = self.limit(kind)
            if count:
                window.used += 1
            used = min(window.used, limit)
            return {"limit": limit, "remaining": limit - used, "reset": window.reset,
                    "used": used, "resource": "core"}

    def resources(self, kind: str = "anonymous") -> dict:
        """Every budget as GET /rate_limit lists it; only `core` moves."""
        found = {"core": self.rate(kind)}
        now = int(self.settings.clock())
        for name, limit in OTHER_RESOURCES[kind].items():
            window = 60 if name in PER_MINUTE else self.settings.rate_window_s
            found[name] = {"limit": limit, "remaining": limit, "reset": now + window,
                           "used": 0, "resource": name}
        return found

    def __repr__(self) -> str:
        where = self.url or "not served"
        return f"<GitHub double at {where}: {len(self.calls)} calls, {self.settings!r}>"
