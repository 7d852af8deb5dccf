"""Draw the pictures the lessons and decks show: `python -m workshop pictures`.

Each picture is a function returning SVG text; `main()` writes them all into
`notebooks/images/`, and a test checks that the committed files are exactly what this module
draws, so a picture is changed here, never by hand. Plain SVG built with ElementTree (no
plotting library): shapes and text stay sharp at any size, the files diff well, and the
output is the same on every machine.

Sizes are made for slides: 1200 px wide, text 20 px or larger, dark text on light fills.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from workshop.paths import IMAGES, KIT_ROOT

SANS = "'Source Sans Pro', 'Helvetica Neue', Helvetica, Arial, sans-serif"
MONO = "'DejaVu Sans Mono', Menlo, Consolas, monospace"
INK = "#1a1a1a"
MUTED = "#4a4a4a"
BLUE, BLUE_FILL = "#1f4e79", "#dce8f5"
GREEN, GREEN_FILL = "#1e6b2a", "#e2f1e4"
GREY, GREY_FILL = "#24292f", "#eef0f3"
WAIT, WAIT_EDGE = "#f2b25c", "#a35f00"  # an upstream wait: the time nobody computes anything
RED, RED_FILL = "#9c1f17", "#fbe4e1"


class Canvas:
    """An SVG drawing of `width` × `height` with the few shapes our pictures need."""

    def __init__(self, width: int, height: int, title: str):
        self.svg = ET.Element("svg", {
            "xmlns": "http://www.w3.org/2000/svg", "width": str(width), "height": str(height),
            "viewBox": f"0 0 {width} {height}", "font-family": SANS, "role": "img",
        })
        ET.SubElement(self.svg, "title").text = title  # read aloud by screen readers
        defs = ET.SubElement(self.svg, "defs")
        for name, colour in (("arrow", INK), ("arrow-muted", MUTED)):
            marker = ET.SubElement(defs, "marker", {
                "id": name, "viewBox": "0 0 10 10", "refX": "9", "refY": "5",
                "markerWidth": "7", "markerHeight": "7", "orient": "auto-start-reverse"})
            ET.SubElement(marker, "path", {"d": "M0,0 L10,5 L0,10 z", "fill": colour})
        hatch = ET.SubElement(defs, "pattern", {
            "id": "queued", "width": "10", "height": "10", "patternUnits": "userSpaceOnUse",
            "patternTransform": "rotate(45)"})
        ET.SubElement(hatch, "rect", {"width": "10", "height": "10", "fill": "#f1f1f1"})
        ET.SubElement(hatch, "line", {"x1": "0", "y1": "0", "x2": "0", "y2": "10",
                                      "stroke": "#9a9a9a", "stroke-width": "3"})
        ET.SubElement(self.svg, "rect", {"width": "100%", "height": "100%", "fill": "#ffffff"})

    def box(self, x, y, w, h, fill, stroke, dashed=False, radius=14, width=3):
        attrs = {"x": _n(x), "y": _n(y), "width": _n(w), "height": _n(h), "rx": _n(radius),
                 "fill": fill, "stroke": stroke, "stroke-width": _n(width)}
        if dashed:
            attrs["stroke-dasharray"] = "10 7"
        ET.SubElement(self.svg, "rect", attrs)

    def text(self, x, y, content, size=22, colour=INK, weight="normal", anchor="start",
             mono=False, italic=False, halo=False):
        attrs = {"x": _n(x), "y": _n(y), "font-size": _n(size), "fill": colour,
                 "text-anchor": anchor}
        if halo:  # a white outline under the letters keeps a label readable across lines
            attrs.update({"stroke": "#ffffff", "stroke-width": "8", "paint-order": "stroke",
                          "stroke-linejoin": "round"})
        if weight != "normal":
            attrs["font-weight"] = weight
        if mono:
            attrs["font-family"] = MONO
        if italic:
            attrs["font-style"] = "italic"
        # SVG collapses runs of spaces; no-break spaces keep a code line's indentation.
        ET.SubElement(self.svg, "text", attrs).text = content.replace("  ", "\u00a0\u00a0")

    def lines(self, x, y, contents, size=22, gap=1.3, **style):
        """Several lines of text, the first with its baseline at `y`."""
        for i, content in enumerate(contents):
            self.text(x, y + i * size * gap, content, size=size, **style)

    def arrow(self, x1, y1, x2, y2, colour=INK, dashed=False, width=3):
        attrs = {"x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2), "stroke": colour,
                 "stroke-width": _n(width),
                 "marker-end": "url(#arrow-muted)" if colour == MUTED else "url(#arrow)"}
        if dashed:
            attrs["stroke-dasharray"] = "10 7"
        ET.SubElement(self.svg, "line", attrs)

    def line(self, x1, y1, x2, y2, colour=MUTED, width=1.5, dashed=False):
        attrs = {"x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2), "stroke": colour,
                 "stroke-width": _n(width)}
        if dashed:
            attrs["stroke-dasharray"] = "4 5"
        ET.SubElement(self.svg, "line", attrs)

    def circle(self, x, y, r, fill):
        ET.SubElement(self.svg, "circle", {"cx": _n(x), "cy": _n(y), "r": _n(r), "fill": fill})

    def to_string(self) -> str:
        ET.indent(self.svg, space=" ")
        return ET.tostring(self.svg, encoding="unicode") + "\n"


def _n(value) -> str:
    """A coordinate as short text: 12 rather than 12.0, at most two decimals."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def architecture() -> str:
    """The browser, our Flask app, and GitHub or the kit's GitHub double."""
    c = Canvas(1200, 560, "The browser asks our Flask app, which asks GitHub or its double")
    # The browser: a window with its page.
    c.box(20, 150, 250, 230, "#ffffff", BLUE)
    c.line(20, 192, 270, 192, colour=BLUE, width=3)
    for i, dot in enumerate(("#e0605a", "#e8b53a", "#5aa85a")):
        c.circle(44 + i * 22, 171, 7, dot)
    c.text(145, 235, "Browser", size=30, weight="bold", anchor="middle", colour=BLUE)
    c.lines(145, 275, ["the page:", "demo_page.html,", "actions.js"], size=22,
            anchor="middle", colour=MUTED)
    # JupyterHub's proxy: only there when the kit runs on a hub.
    c.box(335, 130, 100, 270, "#fafafa", MUTED, dashed=True, width=2)
    c.lines(385, 440, ["JupyterHub's proxy", "(on a hub only:", "…/proxy/5001/)"],
            size=20, anchor="middle", colour=MUTED)
    # Our app.
    c.box(500, 150, 290, 230, BLUE_FILL, BLUE)
    c.text(645, 205, "our Flask app", size=30, weight="bold", anchor="middle", colour=BLUE)
    c.text(645, 250, "127.0.0.1:5001", size=24, anchor="middle", mono=True)
    c.lines(645, 300, ["python server.py, or", "workshop.serve(app)"], size=22,
            anchor="middle", colour=MUTED)
    # Browser ⇄ app.
    c.arrow(272, 235, 496, 235)
    c.text(385, 222, "GET users/octocat", size=20, anchor="middle", mono=True, halo=True)
    c.arrow(498, 300, 274, 300)
    c.text(385, 328, "JSON", size=20, anchor="middle", mono=True, halo=True)
    # Upstream: the double (default) and the real GitHub (by choice).
    c.box(900, 40, 280, 210, GREEN_FILL, GREEN)
    c.text(1040, 88, "GitHub double", size=28, weight="bold", anchor="middle", colour=GREEN)
    c.lines(1040, 128, ["the default, offline", "127.0.0.1, any port", "60 requests an hour,",
                        "like GitHub"], size=21, anchor="middle", colour=INK)
    c.box(900, 290, 280, 210, GREY_FILL, GREY)
    c.text(1040, 338, "GitHub", size=28, weight="bold", anchor="middle", colour=GREY)
    c.text(1040, 376, "api.github.com", size=22, anchor="middle", mono=True)
    c.lines(1040, 414, ["when GITHUB_API_URL", "says so; 60 an hour,", "5 000 with a token"],
            size=21, anchor="middle", colour=INK)
    c.arrow(792, 220, 896, 160, colour=GREEN)
    c.arrow(792, 310, 896, 380, colour=GREY, dashed=True)
    # The point of it all.
    c.text(600, 540, "One request to our app → one request upstream (the double counts them).",
           size=22, anchor="middle", colour=MUTED, italic=True)
    return c.to_string()


def request_response() -> str:
    """One HTTP exchange: method, path, headers, body → status, headers, body."""
    return _exchange(
        "An HTTP request and its response: GET /users/octocat answered 200",
        request=[("method + path", ["GET /users/octocat"]),
                 ("headers", ["Host: 127.0.0.1:5001", "Accept: application/json"]),
                 ("body", ["(none: a GET sends no body)"])],
        response=[("status", ["200 OK"]),
                  ("headers", ["Content-Type: application/json"]),
                  ("body", ['{"login": "octocat",', '  "name": "monalisa octocat", …}'])])


def post_request_response() -> str:
    """A POST: the data travels in the request's body, as JSON."""
    return _exchange(
        "A POST request carries JSON in its body; the response carries the answer",
        request=[("method + path", ["POST /users/octocat/", "  get-n-repos-alphabetically"]),
                 ("headers", ["Content-Type: application/json"]),
                 ("body", ['{"num_repos": 3}'])],
        response=[("status", ["200 OK"]),
                  ("headers", ["Content-Type: application/json"]),
                  ("body", ['{"repo_names": ["Hello-World"]}'])])


def _exchange(title: str, request: list, response: list) -> str:
    """A client and a Flask app, the request above, the response below."""
    c = Canvas(1200, 620, title)
    # The two ends.
    c.box(20, 30, 190, 560, "#ffffff", BLUE)
    c.text(115, 80, "client", size=30, weight="bold", anchor="middle", colour=BLUE)
    c.lines(115, 125, ["a browser,", "requests,", "server.get"], size=21, anchor="middle",
            colour=MUTED)
    c.lines(115, 500, ["workshop.show", "prints both"], size=21, anchor="middle", colour=MUTED)
    c.box(990, 30, 190, 560, BLUE_FILL, BLUE)
    c.text(1085, 80, "Flask app", size=30, weight="bold", anchor="middle", colour=BLUE)
    steps = ["Werkzeug", "parses it", "", "Flask finds", "the route", "", "the view", "runs", "",
             "Flask builds", "the response"]
    c.lines(1085, 170, steps, size=21, gap=1.25, anchor="middle", colour=INK)
    for n, y in enumerate((170, 250, 330, 410), start=1):
        c.text(1000, y, str(n), size=18, weight="bold", colour=BLUE)
    # The request, left to right; the response, right to left.
    c.arrow(212, 62, 986, 62)
    c.text(600, 50, "request", size=24, weight="bold", anchor="middle")
    _card(c, 240, 80, request)
    c.arrow(988, 340, 214, 340)
    c.text(600, 328, "response", size=24, weight="bold", anchor="middle")
    _card(c, 240, 358, response)
    return c.to_string()


def _card(c: Canvas, x: int, y: int, rows: list[tuple[str, list[str]]]) -> None:
    """A message on the wire: each part named on the left, its text in monospace on the right."""
    height = 24 + sum(12 + 30 * len(text) for _, text in rows)
    c.box(x, y, 720, height, "#ffffff", MUTED, radius=8, width=2)
    top = y + 12
    for i, (name, text) in enumerate(rows):
        if i:
            c.line(x + 12, top, x + 708, top, colour="#c8ccd2", width=1.5)
        c.text(x + 20, top + 32, name, size=22, weight="bold", colour=BLUE)
        c.lines(x + 200, top + 32, text, size=22, gap=30 / 22, mono=True)
        top += 12 + 30 * len(text)


# The timeline's scale: 0–600 ms across the plot area; each panel is a title and three rows.
T0, PX_PER_MS, ROW, ROW_GAP, CALL_MS = 210, 1.45, 26, 6, 100
PANEL = 38 + 3 * (ROW + ROW_GAP) + 20


def threads_over_time() -> str:
    """Three requests, each needing two upstream calls, on one thread / many / async."""
    # (title, threads, whether one request's two upstream calls overlap)
    panels = [
        ("One thread: each request waits for the one before", 1, False),
        ("A thread per request (Flask's default): the waits overlap", 3, False),
        ("async def view on one thread: one request's two calls overlap", 1, True),
        ("A thread per request + async def view: every wait overlaps", 3, True),
    ]
    axis = 14 + len(panels) * PANEL
    c = Canvas(1200, axis + 100, "Three requests over time: one thread, a thread per request, "
               "async def views")
    for p, (title, threads, overlap) in enumerate(panels):
        y = 14 + p * PANEL
        c.text(20, y + 24, title, size=23, weight="bold")
        c.text(1180, y + 24, f"{threads} thread{'s' if threads > 1 else ''}", size=21,
               anchor="end", colour=BLUE, weight="bold")
        per_request = CALL_MS if overlap else 2 * CALL_MS
        for r in range(3):
            top = y + 38 + r * (ROW + ROW_GAP)
            start = 0 if threads > 1 else r * per_request
            c.text(T0 - 14, top + 20, f"request {r + 1}", size=20, anchor="end", colour=MUTED)
            if start:
                c.box(_x(0), top, start * PX_PER_MS, ROW, "url(#queued)", "#9a9a9a", radius=3,
                      width=1)
            if overlap:  # both calls in flight together: two thin bars, one above the other
                for half in (0, 1):
                    c.box(_x(start), top + half * ROW / 2, CALL_MS * PX_PER_MS, ROW / 2, WAIT,
                          WAIT_EDGE, radius=3, width=1.5)
            else:
                for call in (0, 1):
                    c.box(_x(start + call * CALL_MS), top, CALL_MS * PX_PER_MS, ROW, WAIT,
                          WAIT_EDGE, radius=3, width=1.5)
            end = start + per_request
            c.line(_x(end), top - 3, _x(end), top + ROW + 3, colour=INK, width=3)
            c.text(_x(end) + 10, top + 20, f"{end} ms", size=20, weight="bold")
    # The time axis.
    c.line(_x(0), axis, _x(600), axis, colour=INK, width=2)
    for ms in range(0, 601, 100):
        c.line(_x(ms), axis, _x(ms), axis + 8, colour=INK, width=2)
        c.text(_x(ms), axis + 30, f"{ms}", size=19, anchor="middle", colour=MUTED)
    c.text(_x(600) + 30, axis + 30, "ms", size=19, colour=MUTED)
    # The legend.
    legend = axis + 78
    c.box(20, legend - 20, 44, 24, WAIT, WAIT_EDGE, radius=3, width=1.5)
    c.text(76, legend, "waiting for GitHub (two calls of 100 ms each)", size=20)
    c.box(530, legend - 20, 44, 24, "url(#queued)", "#9a9a9a", radius=3, width=1)
    c.text(586, legend, "queued: no free thread yet", size=20)
    c.line(880, legend - 22, 880, legend + 6, colour=INK, width=3)
    c.text(892, legend, "answered", size=20)
    return c.to_string()


def _x(ms: float) -> float:
    return T0 + ms * PX_PER_MS


def error_statuses() -> str:
    """Which status our app answers for each thing that can go wrong."""
    c = Canvas(1200, 580, "What can go wrong, and the status our app answers")
    columns = [
        (20, "The request is wrong → 4xx", BLUE, [
            ("no route for the path", "404 Not Found"),
            ("the route exists, not the method", "405 + Allow"),
            ("the body is not JSON", "415"),
            ("JSON, but a bad value", "400 Bad Request"),
            ("a name GitHub can't have", "400 Bad Request"),
        ]),
        (610, "GitHub fails → 5xx (or its 404)", RED, [
            ("GitHub: no such user", "404 Not Found"),
            ("GitHub errs, or sends bad JSON", "502 Bad Gateway"),
            ("the connection drops", "502 Bad Gateway"),
            ("no answer in time", "504 Gateway Timeout"),
            ("rate limit used up", "503 + Retry-After"),
        ]),
    ]
    for x, heading, colour, rows in columns:
        c.text(x, 48, heading, size=27, weight="bold", colour=colour)
        for i, (cause, status) in enumerate(rows):
            top = 78 + i * 72
            c.text(x, top + 38, cause, size=21)
            c.arrow(x + 316, top + 31, x + 340, top + 31, colour=MUTED, width=2.5)
            fill = BLUE_FILL if colour == BLUE else RED_FILL
            c.box(x + 346, top + 8, 224, 44, fill, colour, radius=22, width=2)
            c.text(x + 458, top + 38, status, size=20, weight="bold", anchor="middle",
                   colour=colour)
    c.line(20, 460, 1180, 460, colour="#c8ccd2", width=1.5)
    c.text(20, 500, "A bug in our own view → 500; the traceback goes to the server's log, "
           "never to the client.", size=21, colour=MUTED)
    c.text(20, 545, "Every error is JSON:", size=22, weight="bold")
    c.text(250, 545, '{"message": "what happened and what to do"}', size=22, mono=True)
    return c.to_string()


PICTURES = {
    "architecture.svg": architecture,
    "request-response.svg": request_response,
    "post-request-response.svg": post_request_response,
    "threads-over-time.svg": threads_over_time,
    "error-statuses.svg": error_statuses,
}


def write(folder: str | Path = IMAGES) -> list[Path]:
    """Write every picture into `folder` and return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in PICTURES.items():
        path = folder / name
        path.write_text(draw(), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    """Write the pictures (into the folder given, default notebooks/images/)."""
    for path in write(argv[0] if argv else IMAGES):
        print(path.relative_to(KIT_ROOT) if path.is_relative_to(KIT_ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
