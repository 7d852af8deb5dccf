"""The double's behaviour switches: latency, rate-limit budget and injected faults."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# Plus any 5xx status written as a string, e.g. "500". "429" is the primary rate limit answered
# with 429 instead of 403; "secondary" and "secondary-429" are GitHub's secondary rate limit.
FAULTS = ("hang", "malformed", "drop", "429", "secondary", "secondary-429")
ENV_PREFIX = "GITHUB_DOUBLE_"


def check_fault(fault: str | None) -> str | None:
    """Return `fault` if the double knows it, else raise a ValueError that lists the choices."""
    if fault is None or fault in FAULTS or (fault.isdigit() and 500 <= int(fault) <= 599):
        return fault
    raise ValueError(f"unknown fault {fault!r}: use None, a 5xx status like '500', "
                     f"or one of {', '.join(FAULTS)}")


@dataclass
class Settings:
    """Mutable switches, read on every request (change them while the double runs)."""

    latency_ms: float = 0  # added before every answer
    rate_limit: int = 60  # requests per window without a token (GitHub: 60 per hour)
    rate_limit_token: int = 5000  # with an Authorization header (GitHub: 5000 per hour)
    rate_window_s: int = 3600
    fault: str | None = None  # None, "500" (any 5xx), or one of FAULTS
    fault_count: int | None = None  # inject the fault this many times, then answer normally
    fault_path: str | None = None  # inject only for paths starting with this prefix
    hang_seconds: float = 30  # a hang never lasts longer than this (or than reset())
    retry_after_s: int = 60  # the Retry-After of a secondary rate limit (GitHub: seconds)
    # Rate-limit windows read this clock and latency calls this sleep, so tests can move
    # time or record sleeps instead of waiting.
    clock: Callable[[], float] = field(default=time.time, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def __post_init__(self):
        check_fault(self.fault)

    def __setattr__(self, name, value):
        # Catch typos such as fault="501x" when they are made, not at the next request.
        if name == "fault":
            check_fault(value)
        super().__setattr__(name, value)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Settings from the GITHUB_DOUBLE_* variables (e.g. ..._FAULT=500), then overrides."""
        environ = os.environ if environ is None else environ
        casts = {"latency_ms": float, "rate_limit": int, "rate_limit_token": int,
                 "rate_window_s": int, "fault": str, "fault_count": int, "fault_path": str,
                 "hang_seconds": float, "retry_after_s": int}
        values = {}
        for name, cast in casts.items():
            raw = environ.get(ENV_PREFIX + name.upper(), "").strip()
            if raw:
                values[name] = cast(raw)
        values.update(overrides)
        return cls(**values)
