"""Export the slide decks to offline HTML: `python -m workshop slides [deck.ipynb ...]`.

Each deck in `slides/` becomes one self-contained file, `slides/build/<deck>.slides.html`:
reveal.js, its notes plugin, its CSS and the theme's fonts come from `slides/vendor/` and are
put into the page itself, so it opens over file:// on a laptop with no network (or from a USB
stick). nbconvert's own reveal template loads reveal.js, require.js, jQuery and MathJax from
CDNs; ours (`slides/template/offline/`) loads nothing from anywhere. Pictures the slides show
(`![…](../notebooks/images/architecture.svg)`) are put into the page as data URLs.

After writing a deck, the export lists every remote URL the page would *load* (src/href of
tags, CSS `@import` and `url()`), and fails if there is any, or if a picture still points at a
file (not found, so not embedded: it would be missing once the page is copied). Links in prose
(`<a href>` to https://flask.palletsprojects.com, say) are allowed: the browser fetches them
only on a click.
127.0.0.1 and localhost are allowed everywhere: they are this machine.
"""

from __future__ import annotations

import base64
import mimetypes
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from workshop.paths import KIT_ROOT, SLIDES

BUILD = SLIDES / "build"
TEMPLATES = SLIDES / "template"
VENDOR = SLIDES / "vendor" / "reveal.js"

# A deck is a notebook in slides/ whose name starts with its session number: 1-..., 2-...
DECK_NAME = re.compile(r"^\d+-.*\.ipynb$")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
URL = re.compile(r"""(?:https?:)?//[^\s"'()<>]+""", re.IGNORECASE)
LOADED_INLINE = re.compile(r"^(?:data|blob):", re.IGNORECASE)  # inside the page itself
# An <img> whose src is a relative path (mistune writes src in double quotes).
IMG_SRC = re.compile(r'(?P<before><img\b[^>]*?\bsrc=")'
                     r'(?P<src>(?![a-z][a-z0-9+.-]*:|//|#)[^"]+)"', re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""", re.IGNORECASE)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# The weights the theme uses; its @font-face rules are rebuilt with these files as data URLs.
FONTS = (("regular", "normal", "normal"), ("italic", "normal", "italic"),
         ("semibold", "600", "normal"), ("semibolditalic", "600", "italic"))

# The kit's look on top of reveal's white theme: headings in normal case (Flask, not FLASK),
# code large enough to read from the back of a room, long outputs scroll instead of spilling.
KIT_CSS = """
:root {
  --jp-content-font-family: 'Source Sans Pro', Helvetica, Arial, sans-serif;
  --jp-code-font-size: 22px;
  --jp-code-line-height: 1.35;
  --kit-blue: #1f4e79;
}
.reveal a.anchor-link { display: none; }
.reveal .jp-RenderedHTMLCommon h1, .reveal .jp-RenderedHTMLCommon h2 {
  text-transform: none; color: var(--kit-blue); font-weight: 600; line-height: 1.15;
}
.reveal .jp-RenderedHTMLCommon h1 { font-size: 84px; margin: 0 0 0.25em; }
.reveal .jp-RenderedHTMLCommon h2 { font-size: 50px; margin: 0 0 0.5em; }
.reveal .jp-RenderedHTMLCommon p, .reveal .jp-RenderedHTMLCommon li {
  font-size: 32px; line-height: 1.4;
}
.reveal .jp-RenderedHTMLCommon li { margin: 0.25em 0; }
.reveal .jp-RenderedHTMLCommon code { font-size: 0.85em; background: #eef2f6; padding: 0 0.2em; }
.reveal .jp-RenderedHTMLCommon pre {
  background: #f5f7fa; padding: 0.6em 0.8em;
  box-sizing: border-box;  /* padding inside the width: the text never scrolls sideways */
}
.reveal .jp-RenderedHTMLCommon pre code { font-size: 24px; line-height: 1.35; background: none; }
.reveal .jp-InputArea-editor { background: #f5f7fa; border: 1px solid #dde3ea; }
.reveal div.jp-OutputArea-output > pre {
  font-size: 20px; line-height: 1.3; max-height: 330px; overflow-y: auto;
  word-break: normal; overflow-wrap: anywhere;  /* wrap long lines between words, not inside */
}
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt { display: none; }
/* Pictures (notebooks/images/): centred, and smaller when the slide also has a list or code. */
.reveal .jp-RenderedHTMLCommon img {
  display: block; margin: 0.3em auto 0; max-width: 100%; max-height: 630px;
}
.reveal .slides > section:has(li) img { max-height: 440px; }
.reveal .slides > section:has(.jp-CodeCell) img { max-height: 450px; }
/* reveal.js draws the number white on 40 % black, #999999 over a white slide: 2.8:1, below
   WCAG AA's 4.5:1. White on the kit's blue is 8.6:1. */
.reveal .slide-number { font-size: 18px; background-color: var(--kit-blue); }
/* The title slide: a blue rule on the left, the session as subtitle. */
.reveal .slides > section:first-child .jp-RenderedHTMLCommon {
  border-left: 14px solid var(--kit-blue); padding-left: 48px;
}
.reveal .slides > section:first-child h1 { font-size: 110px; }
.reveal .slides > section:first-child h2 { color: #333; font-weight: 400; font-size: 46px; }
.reveal .slides > section:first-child p { color: #666; font-size: 30px; }
"""


@dataclass
class UrlReport:
    """What one page references: `loaded` and `files` fail the export, `links` are allowed."""

    loaded: list[str] = field(default_factory=list)  # remote URLs the page would load
    links: list[str] = field(default_factory=list)  # remote URLs it only links to
    files: list[str] = field(default_factory=list)  # local files it would load, not embedded


def decks(folder: Path = SLIDES) -> list[Path]:
    """The deck notebooks in `folder`, in session order."""
    return sorted(p for p in folder.glob("*.ipynb") if DECK_NAME.match(p.name))


def export(deck: str | Path, out_dir: str | Path | None = None) -> Path:
    """Write `<out_dir>/<deck>.slides.html` (default: slides/build/) and return its path."""
    from nbconvert import SlidesExporter

    deck = Path(deck).resolve()
    exporter = SlidesExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="offline")
    resources = {"metadata": {"name": deck.stem, "path": str(deck.parent)},
                 "offline": _offline_assets()}
    body, _ = exporter.from_filename(str(deck), resources=resources)
    body = embed_pictures(body, deck.parent)
    out_dir = Path(out_dir) if out_dir is not None else BUILD
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{deck.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target


def embed_pictures(html: str, folder: Path) -> str:
    """Put every picture the page shows from a file of the kit into the page, as a data URL.

    nbconvert's own `embed_images` only reads files below the deck's folder; our decks show
    the lessons' pictures from `../notebooks/images/`. A file outside the kit, or missing, is
    left as it was, and the export's check then reports it.
    """
    def inline(match: re.Match) -> str:
        target = (folder / unquote(match["src"])).resolve()
        if not (target.is_file() and target.is_relative_to(KIT_ROOT)):
            return match[0]
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        data = base64.b64encode(target.read_bytes()).decode()
        return f'{match["before"]}data:{kind};base64,{data}"'

    return IMG_SRC.sub(inline, html)


def _offline_assets() -> dict[str, str]:
    """reveal.js, the notes plugin and the theme, as text to put into the page."""
    def read(name: str) -> str:
        text = (VENDOR / name).read_text(encoding="utf-8")
        # A source map comment would make the browser's developer tools ask for a missing file.
        return re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)

    theme = re.sub(r"@import url\([^)]*source-sans-pro[^)]*\);", _font_faces(), read("white.css"))
    return {"reveal_js": read("reveal.js"), "notes_js": read("notes.js"),
            "reveal_css": read("reveal.css"), "theme_css": theme, "kit_css": KIT_CSS}


def _font_faces() -> str:
    """@font-face rules for Source Sans Pro with the WOFF files inlined as data URLs."""
    rules = []
    for name, weight, style in FONTS:
        data = base64.b64encode((VENDOR / "fonts" / f"source-sans-pro-{name}.woff").read_bytes())
        rules.append(
            "@font-face { font-family: 'Source Sans Pro'; "
            f"src: url(data:font/woff;base64,{data.decode()}) format('woff'); "
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


class _UrlScanner(HTMLParser):
    """Collects URLs from attributes, <style> blocks and style="..." attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.report = UrlReport()
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value:
                continue
            if name == "style":
                self._css(value)
            elif name in ("src", "href", "srcset", "poster", "data", "action", "xlink:href"):
                kind = self.report.links if (tag == "a" and name == "href") else self.report.loaded
                if name == "srcset":  # "a.png 1x, https://x/b.png 2x"
                    kind.extend(URL.findall(value))
                elif URL.match(value.strip()):
                    kind.append(value.strip())
                elif tag == "img" and name == "src" and not LOADED_INLINE.match(value.strip()):
                    self.report.files.append(value.strip())
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._css(data)

    def _css(self, text: str) -> None:
        text = CSS_COMMENT.sub("", text)
        found = CSS_URL.findall(text) + CSS_IMPORT.findall(text)
        self.report.loaded.extend(u for u in found if URL.fullmatch(u.strip()))


def remote_urls(html: str) -> UrlReport:
    """The remote (not 127.0.0.1/localhost) URLs a page loads, those it only links to, and the
    local files its pictures would load."""
    scanner = _UrlScanner()
    scanner.feed(html)
    scanner.close()
    report = scanner.report
    return UrlReport(loaded=sorted({u for u in report.loaded if not _is_local(u)}),
                     links=sorted({u for u in report.links if not _is_local(u)}),
                     files=sorted(set(report.files)))


def _is_local(url: str) -> bool:
    host = re.sub(r"^(?:https?:)?//", "", url, flags=re.IGNORECASE).split("/")[0]
    host = host.rsplit("@", 1)[-1]
    return any(host == h or host.startswith(h + ":") for h in LOCAL_HOSTS)


def main(argv: list[str], out_dir: str | Path | None = None) -> int:
    """Export the given decks (default: all of them); exit 1 if a page loads anything remote
    or a picture from a file beside it."""
    paths = [Path(a) for a in argv] or decks()
    if not paths:
        print(f"No decks found in {SLIDES}")
        return 1
    failed = False
    for deck in paths:
        target = export(deck, out_dir)
        report = remote_urls(target.read_text(encoding="utf-8"))
        shown = target.relative_to(KIT_ROOT) if target.is_relative_to(KIT_ROOT) else target
        print(f"{'✗' if report.loaded or report.files else '✓'} {shown}")
        for url in report.loaded:
            print(f"    remote URL (would be loaded, fails offline): {url}")
        for name in report.files:
            print(f"    picture not embedded (file not found next to the deck?): {name}")
        for url in report.links:
            print(f"    link in the slides' text (fine offline, opens on click): {url}")
        failed |= bool(report.loaded or report.files)
    if failed:
        print("Some slides load files from elsewhere: vendor them into slides/vendor/, or fix "
              "the picture's path (relative to the deck).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
