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


def check_fault(fault) -> str | None:
    """Return `fault` as the double stores it, else raise a ValueError that lists the choices.

    An int 5xx (`fault = 500`) is taken as its text ("500"): it is what a student types first.
    """
    if isinstance(fault, int) and not isinstance(fault, bool) and 500 <= fault <= 599:
        return str(fault)
    if fault is None or fault in FAULTS or (
            isinstance(fault, str) and fault.isdigit() and 500 <= int(fault) <= 599):
        return fault
    raise ValueError(f"unknown fault {fault!r}: use None, a 5xx status like '500', "
                     f"or one of {', '.join(FAULTS)}")


# Numeric switches: (whole numbers only?, smallest, largest, what the number counts).
# The largest latency stays short because a latency cannot be cut short by reset(); a longer
# wait is the "hang" fault, which can.
NUMBERS = {
    "latency_ms": (False, 0, 60_000, "milliseconds"),
    "rate_limit": (True, 0, None, "requests"),
    "rate_limit_token": (True, 0, None, "requests"),
    "rate_window_s": (True, 1, None, "seconds"),
    "fault_count": (True, 0, None, "faults"),
    "hang_seconds": (False, 0, 3600, "seconds"),
    "retry_after_s": (True, 0, None, "seconds"),
}


def check_setting(name: str, value):
    """`value` as setting `name` stores it, or a ValueError that says what is expected."""
    if name == "fault":
        return check_fault(value)
    if name == "fault_path":
        if value is None or (isinstance(value, str) and value.startswith("/")):
            return value
        raise ValueError(f"fault_path is None or a path prefix starting with '/', like "
                         f"'/users/', not {value!r}")
    if name in ("clock", "sleep"):
        if callable(value):
            return value
        raise ValueError(f"{name} must be a function, not {value!r}")
    if name not in NUMBERS or (name == "fault_count" and value is None):
        return value
    whole, low, high, unit = NUMBERS[name]
    kind = "a whole number" if whole else "a number"
    span = f"{low} or more" if high is None else f"{low} to {high}"
    expected = f"{name} must be {kind} of {unit} ({span})"
    # bool is an int to Python, but True as a budget is a mistake, not 1.
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or (whole and not isinstance(value, int)):
        shown = f"the text {value!r}" if isinstance(value, str) else repr(value)
        raise ValueError(f"{expected}, not {shown}")
    if not (low <= value <= (high if high is not None else value)):  # NaN fails here too
        raise ValueError(f"{expected}, not {value!r}")
    return value


@dataclass
class Settings:
    """Mutable switches, read on every request (change them while the double runs).

    Every value is checked when it is set, so a typo fails at once with a ValueError instead
    of breaking the next request.
    """

    latency_ms: float = 0  # added before every answer
    rate_limit: int = 60  # requests per window without a token (GitHub: 60 per hour)
    rate_limit_token: int = 5000  # with an Authorization header (GitHub: 5000 per hour)
    rate_window_s: int = 3600
    fault: str | None = None  # None, "500" (any 5xx), or one of FAULTS
    fault_count: int | None = None  # inject the fault this many times (0: never), then stop
    fault_path: str | None = None  # inject only for paths starting with this prefix
    hang_seconds: float = 30  # a hang never lasts longer than this (or than reset())
    retry_after_s: int = 60  # the Retry-After of a secondary rate limit (GitHub: seconds)
    # Rate-limit windows read this clock and latency calls this sleep, so tests can move
    # time or record sleeps instead of waiting.
    clock: Callable[[], float] = field(default=time.time, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def __setattr__(self, name, value):
        # The dataclass's __init__ sets fields through here too, so construction is checked.
        super().__setattr__(name, check_setting(name, value))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Settings from the GITHUB_DOUBLE_* variables (e.g. ..._FAULT=500), then overrides."""
        environ = os.environ if environ is None else environ
        casts = {"latency_ms": float, "rate_limit": int, "rate_limit_token": int,
                 "rate_window_s": int, "fault": str, "fault_count": int, "fault_path": str,
                 "hang_seconds": float, "retry_after_s": int}
        values = {}
        for name, cast in casts.items():
            variable = ENV_PREFIX + name.upper()
            raw = environ.get(variable, "").strip()
            if raw:
                try:
                    values[name] = check_setting(name, cast(raw))
                except ValueError as problem:
                    raise ValueError(f"{variable}={raw!r}: {problem}") from None
        values.update(overrides)
        return cls(**values)
