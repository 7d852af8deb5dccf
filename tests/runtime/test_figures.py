"""with_alt: a figure shown as an <img> with its description, and never shown twice."""

import base64
import html

import matplotlib
import pytest

matplotlib.use("Agg")  # no display here; the kernel's inline backend is not loaded either

import matplotlib.pyplot as plt  # noqa: E402

from workshop.runtime.figures import with_alt  # noqa: E402

ALT = 'Two bars: "before" is twice as tall as <after>'


def test_output_is_html_with_alt_and_the_description_as_text():
    figure, axes = plt.subplots(figsize=(2, 1))
    axes.bar(["before", "after"], [2, 1])
    bundle = with_alt(figure, ALT)._repr_mimebundle_()
    assert sorted(bundle) == ["text/html", "text/plain"]  # no bare image/png: it has no alt
    assert f'alt="{html.escape(ALT, quote=True)}"' in bundle["text/html"]
    png = bundle["text/html"].split("base64,", 1)[1].split('"', 1)[0]
    assert base64.b64decode(png).startswith(b"\x89PNG")
    assert bundle["text/plain"] == ALT


def test_figure_is_closed_so_pyplot_does_not_show_it_again():
    figure, _ = plt.subplots()
    with_alt(figure, "An empty chart")
    assert figure.number not in plt.get_fignums()


@pytest.mark.parametrize("alt", ["", "   "])
def test_a_description_is_required(alt):
    figure, _ = plt.subplots()
    with pytest.raises(ValueError, match="alt text"):
        with_alt(figure, alt)
    plt.close(figure)
