"""GitHub's rate limit: recognise it, and tell the client when to come back."""

import time

from werkzeug.exceptions import ServiceUnavailable

# GitHub's limits reset within the hour: a longer wait is a broken header, not a real limit.
MAX_WAIT_SECONDS = 3600


def is_rate_limited(upstream):
    """GitHub answers 429, or 403 with remaining 0, a Retry-After or a rate-limit message."""
    # Secondary limits (too many requests at once) can leave remaining above 0: only the
    # Retry-After header or the message ("You have exceeded a secondary rate limit") tell.
    headers = upstream.headers
    return (upstream.status_code == 429 or headers.get("X-RateLimit-Remaining") == "0"
            or "Retry-After" in headers or "rate limit" in upstream.text.lower())


def rate_limit_error(upstream):
    """A 503 whose Retry-After header and message say when GitHub will answer again."""
    seconds = seconds_to_wait(upstream.headers)
    reset_at = time.strftime("%H:%M:%S UTC", time.gmtime(time.time() + seconds))
    message = (f"GitHub's rate limit is used up; it resets at {reset_at} (in {seconds} s). "
               "Set GITHUB_TOKEN for a higher limit.")
    return ServiceUnavailable(message, retry_after=seconds)


def seconds_to_wait(headers):
    """GitHub's advice: Retry-After if given, else the reset time if none are left, else 60 s."""
    seconds = to_int(headers.get("Retry-After"))
    reset = to_int(headers.get("X-RateLimit-Reset"))  # UTC epoch seconds
    if seconds is None and reset is not None and headers.get("X-RateLimit-Remaining") == "0":
        seconds = reset - int(time.time())
    if seconds is None:
        seconds = 60  # GitHub's advice when it gives no time: wait at least a minute
    # At least a second (a reset time already past), at most an hour (a broken header).
    return min(max(1, seconds), MAX_WAIT_SECONDS)


def to_int(text):
    """The header value as an int, or None when it is missing or not a number."""
    try:
        return int(text)
    except (TypeError, ValueError):
        return None
