"""GitHub's rate limit: recognise it, and tell the client when to come back."""

import time

from werkzeug.exceptions import ServiceUnavailable


def is_rate_limited(upstream):
    """GitHub signals a rate limit with remaining 0 or, for secondary limits, Retry-After."""
    headers = upstream.headers
    return headers.get("X-RateLimit-Remaining") == "0" or "Retry-After" in headers


def rate_limit_error(upstream):
    """A 503 whose Retry-After header and message say when GitHub will answer again."""
    seconds = to_int(upstream.headers.get("Retry-After"))
    reset = to_int(upstream.headers.get("X-RateLimit-Reset"))  # UTC epoch seconds
    if seconds is None and reset is not None:
        seconds = reset - int(time.time())
    if seconds is None:
        seconds = 60  # GitHub's advice when it gives no time: wait at least a minute
    seconds = max(1, seconds)  # a reset time already past: try again in a second
    reset_at = time.strftime("%H:%M:%S UTC", time.gmtime(time.time() + seconds))
    message = (f"GitHub's rate limit is used up; it resets at {reset_at} (in {seconds} s). "
               "Set GITHUB_TOKEN for a higher limit.")
    return ServiceUnavailable(message, retry_after=seconds)


def to_int(text):
    """The header value as an int, or None when it is missing or not a number."""
    try:
        return int(text)
    except (TypeError, ValueError):
        return None
