"""`show(response)`: an HTTP exchange as short, readable, deterministic text.

Printing a `requests.Response` gives `<Response [200]>`; printing everything gives dates, server
names and ports that change on every run. `show` prints what a lesson talks about: the request
line, the status, the headers that matter, and the body (pretty JSON, shortened when long).
`show(response, headers="all")` prints every header; `show(response, raw=True)` the exchange as
it went over the wire.
"""

from __future__ import annotations

import json
import re
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
# Values that change on every run or machine: the part that changes is replaced, never the header.
VOLATILE = {
    "date": "<date>", "expires": "<date>", "last-modified": "<date>",
    "x-ratelimit-reset": "<time>",  # seconds since 1970 when the budget refills
}
HIDDEN = "<hidden>"
_VERSION = re.compile(r"/\d[\w.+-]*")  # Server: Werkzeug/3.1.9 Python/3.11.7
_FILE_ETAG = re.compile(r'^(W/)?"\d+(\.\d+)?-')  # Werkzeug's static-file ETag starts with mtime
MAX_LINES = 25
MAX_STRING = 100
MAX_TEXT_LINE = 120


def show(response, headers=None, max_lines: int = MAX_LINES, raw: bool = False) -> None:
    """Print the request line, status, chosen headers and body of `response` (and redirects).

    `headers`: None picks the headers lessons discuss (HEADERS), a list picks names or
    patterns (`"X-RateLimit-*"`), `"all"` prints every header in the order received.

    `raw=True` prints the exchange as it went over the wire: the request line
    (`GET /users/octocat HTTP/1.1`) and body, the status line as the server sent it
    (`HTTP/1.1 404 NOT FOUND`), every header with its name as received, in the order and the
    number received, then the body exactly as received (no pretty-printing; only shortened past
    `max_lines` lines, `max_lines=0` for all). To read the same on every run and machine, only
    volatile values are replaced: `Date`, `Expires`, `Last-Modified` become `<date>`,
    `X-RateLimit-Reset` `<time>`, version numbers in `Server` `/<version>`, the file time in a
    static file's `ETag` `<mtime>`; secrets (`Set-Cookie`, ...) read `<hidden>`; the values of
    `Allow` and `Access-Control-Allow-Methods/-Headers` are sorted (Werkzeug's order is random).
    """
    print(format_exchange(response, headers=headers, max_lines=max_lines, raw=raw))


def format_exchange(response, headers=None, max_lines: int = MAX_LINES, raw: bool = False) -> str:
    """The text `show` prints, for tests and for other displays (widgets)."""
    hops = [*getattr(response, "history", []), response]
    if raw:
        return "\n\n".join(_format_raw(hop, max_lines) for hop in hops)
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
    # "all" lists every header line received (requests merges repeated ones into one).
    received = _received_headers(response) if headers == "all" else response.headers
    parts.extend(f"{name}: {value}" for name, value in pick_headers(received, headers))
    body = format_body(_content(response), response.headers.get("Content-Type", ""), max_lines)
    if body:
        parts.extend(["", body])
    return "\n".join(parts)


def _format_raw(response, max_lines: int) -> str:
    parts = []
    request = getattr(response, "request", None)
    if request is not None:
        # requests (http.client) and Flask's test client both speak HTTP/1.1.
        parts.append(f"{_request_line(request)} HTTP/1.1")
        try:
            sent = _content(request)
        except TypeError:  # a streamed (generator) request body: nothing to show
            sent = b""
        if isinstance(sent, bytes) and sent:
            parts.append(_raw_body(sent, request.headers.get("Content-Type", ""), max_lines))
        parts.append("")
    parts.append(_raw_status_line(response))
    for name, value in _received_headers(response):
        parts.append(f"{name}: {_stable_value(name, value, hide=True)}")
    body = _raw_body(_content(response), response.headers.get("Content-Type", ""), max_lines)
    if body:
        parts.extend(["", body])
    return "\n".join(parts)


def _raw_status_line(response) -> str:
    """`HTTP/1.1 404 NOT FOUND`: version and reason phrase as the server sent them."""
    version = getattr(getattr(response, "raw", None), "version", None)
    if isinstance(version, int) and version:  # urllib3: 11 for HTTP/1.1, 10 for HTTP/1.0
        protocol = f"HTTP/{version // 10}.{version % 10}"
    else:
        protocol = "HTTP/1.1"
    status = getattr(response, "status", None)
    if isinstance(status, str):  # Werkzeug (Flask's test client): "404 NOT FOUND"
        return f"{protocol} {status}"
    return f"{protocol} {response.status_code} {getattr(response, 'reason', '') or ''}".rstrip()


def _received_headers(response) -> list[tuple[str, str]]:
    """Every response header, as received: name spelling, order and repeats kept."""
    original = getattr(getattr(response, "raw", None), "_original_response", None)
    message = getattr(original, "msg", None)  # http.client's parsed header block
    if message is not None:
        return list(message.items())
    headers = response.headers  # Werkzeug's Headers keep order and repeats too
    return list(headers.items())


def _raw_body(content: bytes, content_type: str, max_lines: int) -> str:
    if not content:
        return ""
    kind = content_type.split(";")[0].strip().lower()
    note = _not_text(content, kind)
    return note or _shorten(content.decode("utf-8").rstrip("\n"), max_lines)


def _not_text(content: bytes, kind: str) -> str | None:
    """`(N bytes of <kind>)` for a body that is not text to print, else None."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return f"({len(content)} bytes of {kind or 'binary data'})"
    if kind.startswith("image/") or kind == "application/octet-stream":
        return f"({len(content)} bytes of {kind})"
    return None


def _stable_value(name: str, value: str, hide: bool = False) -> str:
    """`value` with only its run- or machine-specific part replaced (see `show`)."""
    low = name.lower()
    if low in SECRET:
        return HIDDEN if hide else value
    if low in VOLATILE:
        return VOLATILE[low]
    if low == "server":
        return _VERSION.sub("/<version>", value)
    if low == "etag":
        return _FILE_ETAG.sub(lambda m: f'{m.group(1) or ""}"<mtime>-', value)
    if low in UNORDERED:
        return ", ".join(sorted(v.strip() for v in value.split(",")))
    return value


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
    """The headers (a mapping or pairs) matching `wanted` names/patterns (default HEADERS).

    `wanted="all"` picks every header, a secret one with its value `<hidden>`; otherwise
    secrets are left out. Volatile values are replaced as `show` describes.
    """
    every = wanted == "all"
    patterns = ["*"] if every else [w.lower() for w in (HEADERS if wanted is None else wanted)]
    picked = []
    pairs = all_headers.items() if hasattr(all_headers, "items") else all_headers
    for name, value in pairs:
        low = name.lower()
        if (low in SECRET and not every) or not any(fnmatch(low, p) for p in patterns):
            continue
        picked.append((_title(name), _stable_value(name, value, hide=True)))
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
    note = _not_text(content, kind)
    if note:
        return note
    text = content.decode("utf-8")
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
