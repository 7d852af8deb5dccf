"""`show(response)`: an HTTP exchange as short, readable, deterministic text.

Printing a `requests.Response` gives `<Response [200]>`; printing everything gives dates, server
names and ports that change on every run. `show` prints what a lesson talks about: the request
line, the status, the headers that matter, and the body (pretty JSON, shortened when long).
"""

from __future__ import annotations

import json
from fnmatch import fnmatch
from http import HTTPStatus
from urllib.parse import urlsplit

# Headers a lesson discusses, in this order of preference; `*` matches a family.
HEADERS = (
    "Content-Type", "Location", "Allow", "Access-Control-*", "Retry-After", "ETag",
    "X-RateLimit-*", "Link", "WWW-Authenticate",
)
# Never printed, even when asked for: a notebook's outputs get shared and committed.
SECRET = ("authorization", "cookie", "set-cookie", "proxy-authorization")
# Their values are sets: Werkzeug joins them in hash-seed order, so sort them for stable output.
UNORDERED = ("allow", "access-control-allow-methods", "access-control-allow-headers")
MAX_LINES = 25
MAX_STRING = 100
MAX_TEXT_LINE = 120


def show(response, headers=None, max_lines: int = MAX_LINES) -> None:
    """Print the request line, status, chosen headers and body of `response` (and redirects)."""
    print(format_exchange(response, headers=headers, max_lines=max_lines))


def format_exchange(response, headers=None, max_lines: int = MAX_LINES) -> str:
    """The text `show` prints, for tests and for other displays (widgets)."""
    hops = [*getattr(response, "history", []), response]
    return "\n\n".join(_format_one(hop, headers, max_lines) for hop in hops)


def _format_one(response, headers, max_lines: int) -> str:
    parts = []
    request = getattr(response, "request", None)
    if request is not None:
        parts.append(_request_line(request))
        body = _request_body(request)
        if body:
            parts.append(_shorten(body, max_lines))
        parts.append("")
    reason = getattr(response, "reason", None)
    if reason is None and isinstance(getattr(response, "status", None), str):
        reason = response.status.partition(" ")[2]  # Werkzeug: status "404 NOT FOUND"
    parts.append(status_line(response.status_code, reason))
    if headers is None and not _sent_origin(request):
        # CORS headers speak to browsers, which always send Origin. flask-cors adds them to
        # every answer anyway; without an Origin in the request they are only noise here.
        headers = [h for h in HEADERS if h != "Access-Control-*"]
    parts.extend(f"{name}: {value}" for name, value in pick_headers(response.headers, headers))
    body = format_body(_content(response), response.headers.get("Content-Type", ""), max_lines)
    if body:
        parts.extend(["", body])
    return "\n".join(parts)


def _sent_origin(request) -> bool:
    return request is not None and "Origin" in getattr(request, "headers", {})


def _content(message) -> bytes:
    """Body bytes of a `requests` response, or of a Flask test-client response/request."""
    if hasattr(message, "content"):
        return message.content or b""
    if hasattr(message, "get_data"):
        return message.get_data()
    body = getattr(message, "body", None) or b""
    return body.encode() if isinstance(body, str) else body


def _request_line(request) -> str:
    """`GET /path?query` without scheme, host or port (they change between runs)."""
    url = getattr(request, "url", "") or ""
    split = urlsplit(url)
    target = (split.path or "/") + (f"?{split.query}" if split.query else "")
    return f"{request.method} {target}"


def _request_body(request) -> str:
    try:
        raw = _content(request)
    except TypeError:  # a streamed (generator) request body: nothing to show
        return ""
    if not isinstance(raw, bytes) or not raw:
        return ""
    return format_body(raw, request.headers.get("Content-Type", ""), MAX_LINES)


def status_line(code: int, reason: str | None = None) -> str:
    """`HTTP 404 Not Found`: the standard phrase (Werkzeug sends `NOT FOUND`), else `reason`."""
    try:
        reason = HTTPStatus(code).phrase
    except ValueError:
        reason = reason or ""
    return f"HTTP {code} {reason}".rstrip()


def pick_headers(all_headers, wanted=None) -> list[tuple[str, str]]:
    """The headers matching `wanted` names/patterns (default HEADERS), never secrets."""
    patterns = [w.lower() for w in (HEADERS if wanted is None else wanted)]
    picked = []
    for name, value in all_headers.items():
        low = name.lower()
        if low in SECRET or not any(fnmatch(low, p) for p in patterns):
            continue
        if low in UNORDERED:
            value = ", ".join(sorted(v.strip() for v in value.split(",")))
        picked.append((_title(name), value))
    return picked


def _title(name: str) -> str:
    """`content-type` → `Content-Type`, keeping well-known spellings like `ETag`."""
    special = {"etag": "ETag", "www-authenticate": "WWW-Authenticate"}
    low = name.lower()
    if low in special:
        return special[low]
    return "-".join(part.upper() if part in ("x", "id") else part.capitalize()
                    for part in low.split("-")).replace("Ratelimit", "RateLimit")


def format_body(content: bytes, content_type: str = "", max_lines: int = MAX_LINES) -> str:
    """Pretty JSON (server's key order), or text; shortened past `max_lines` lines."""
    if not content:
        return ""
    kind = content_type.split(";")[0].strip().lower()
    if "json" in kind or (not kind and content[:1] in (b"{", b"[")):
        try:
            data = json.loads(content)
        except ValueError:
            pass
        else:
            text = json.dumps(_shorten_strings(data), indent=2, ensure_ascii=False)
            return _shorten(text, max_lines)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return f"({len(content)} bytes of {kind or 'binary data'})"
    if kind.startswith("image/") or kind == "application/octet-stream":
        return f"({len(content)} bytes of {kind})"
    lines = [_clip(line.rstrip(), MAX_TEXT_LINE) for line in text.strip("\n").splitlines()]
    return _shorten("\n".join(lines), max_lines)


def _shorten_strings(data):
    if isinstance(data, str):
        return _clip(data, MAX_STRING)
    if isinstance(data, list):
        return [_shorten_strings(item) for item in data]
    if isinstance(data, dict):
        return {key: _shorten_strings(value) for key, value in data.items()}
    return data


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shorten(text: str, max_lines: int) -> str:
    lines = text.splitlines()
    if max_lines and len(lines) > max_lines:
        more = len(lines) - max_lines
        lines = lines[:max_lines] + [f"… ({more} more line{'s' if more != 1 else ''})"]
    return "\n".join(lines)
