"""Show a matplotlib figure in a notebook with a text alternative a screen reader reads.

    from workshop.runtime.figures import with_alt
    with_alt(figure, "Two bar charts: ...")

matplotlib's own output is an `image/png` that JupyterLab 4 draws as an `<img>` without `alt`:
its image renderer reads only `width`, `height`, `unconfined` and `needs_background` from the
output's metadata, so no metadata key can give the picture a description. An HTML output can:
JupyterLab renders `text/html` before `image/png` (also in an untrusted notebook: its sanitizer
keeps `<img>`, `alt` and a `data:` source), and so does nbconvert's HTML. The output keeps
the description as its `text/plain` too, so a text-only front end shows words, not
`<Figure size 1100x435 with 2 Axes>`.
"""

from __future__ import annotations

import base64
import html
import io


class FigureWithAlt:
    """A rendered figure and its description; a notebook displays it as `<img alt=...>`."""

    def __init__(self, figure, alt: str):
        if not alt.strip():
            raise ValueError("a figure needs a description (alt text) for readers who can't see it")
        self.alt = alt.strip()
        buffer = io.BytesIO()
        # "tight" crops the empty margin, as the notebook's own matplotlib display does.
        figure.savefig(buffer, format="png", bbox_inches="tight")
        self.png = base64.b64encode(buffer.getvalue()).decode("ascii")

    def _repr_mimebundle_(self, include=None, exclude=None):
        img = (f'<img src="data:image/png;base64,{self.png}" '
               f'alt="{html.escape(self.alt, quote=True)}">')
        return {"text/html": img, "text/plain": self.alt}


def with_alt(figure, alt: str) -> FigureWithAlt:
    """The figure, ready to show with `alt` as its description; closes it in pyplot.

    Closing matters in a notebook: pyplot would otherwise show the open figure a second time,
    at the end of the cell, as an image without a description.
    """
    shown = FigureWithAlt(figure, alt)
    import matplotlib.pyplot as plt

    plt.close(figure)
    return shown
