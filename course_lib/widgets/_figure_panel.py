"""The figure panel of every explorer: a matplotlib figure shown as an image, with its alt text,
a live headline and, on demand, its full description.

Figures are drawn once and updated in place, rendered to a PNG by matplotlib's Agg canvas
(blitting the static background; `course_lib.widgets._raster`) and shown as an ``<img>``. The
image is rendered at the screen's device pixels per CSS pixel (`course_lib.widgets._pixel_ratio`)
and scales with the notebook: ``width: 100%`` up to its natural width (`css_size`), height in
proportion. The explorer box around it: `course_lib.widgets._panel`.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Callable, Generator, Sequence

import ipywidgets as W
from matplotlib.artist import Artist
from matplotlib.figure import Figure

from course_lib.figures.plotting import CSS_DPI, PIXEL_RATIO, css_size
from course_lib.widgets._ahead import DRAWING, to_the_end
from course_lib.widgets._pixel_ratio import MAX_PIXEL_RATIO, PIXEL_RATIO_CLASS
from course_lib.widgets._raster import GlyphCachingCanvas, encode_png
from course_lib.widgets._recall import PAGE_AHEAD_CLASS

__all__ = ["FigurePanel", "first_sentence"]


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (up to a full stop followed by a space and a capital).

    >>> first_sentence("IL-6 at 5.19 pg/mL is 0.247 pM. That is low.")
    'IL-6 at 5.19 pg/mL is 0.247 pM.'
    """
    match = re.search(r"[.!?](?=\s+[A-Z])", text)
    return text[: match.end()] if match else text


# The text under a figure wraps at word boundaries (long numbers and names too) and keeps
# to the figure's width.
_TEXT_CSS = "overflow-wrap: break-word; word-break: normal; white-space: normal; line-height: 1.4"
# A full-width child keeps ipywidgets' 2 px vertical margin but none at the sides: 100% plus
# side margins would overflow its box by 4 px and make it scroll sideways.
_FULL_WIDTH_MARGIN = "2px 0px"


class FigurePanel:
    """A matplotlib Figure shown as an image with alt text, a live headline and, on demand,
    the full description.

    Redraws blit: the static parts (axes, ticks, reference bands) are drawn once and kept as
    a bitmap; each `render` restores that bitmap, draws only the ``animated`` artists on top
    and encodes the PNG. Call `redraw_background` after changing anything static.

    The image scales with the notebook (``width: 100%``) up to its natural CSS width
    (`course_lib.figures.plotting.css_size`), keeping its aspect ratio; the figure is rendered
    at its own dpi (2 device pixels per CSS pixel for `new_figure`), so it stays sharp.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        Made without pyplot (e.g. `course_lib.figures.plotting.new_figure`).
    animated : sequence of matplotlib.artist.Artist
        The artists that change between renders.

    Attributes
    ----------
    image, headline, text : ipywidgets.HTML
        The figure; the one-sentence headline (``aria-live``: read out after each change);
        the full description (inside the "Describe the figure" section, ``details``).
    """

    def __init__(self, figure: Figure, animated: Sequence[Artist] = ()) -> None:
        self.figure = figure
        self._canvas = GlyphCachingCanvas(figure)
        self._animated = tuple(animated)
        for artist in self._animated:
            artist.set_animated(True)
        self._background = None
        self._png_bands: dict = {}  # encode_png's cache: bands unchanged since the last render
        self.css_width, self.css_height = (round(v) for v in css_size(figure))
        self.image = W.HTML(layout=W.Layout(width="100%", margin=_FULL_WIDTH_MARGIN))
        self.headline = W.HTML(layout=W.Layout(width="100%", margin=_FULL_WIDTH_MARGIN))
        self.text = W.HTML(layout=W.Layout(width="100%", margin=_FULL_WIDTH_MARGIN))
        # An Accordion keeps its open/closed state across renders (a <details> in the
        # replaced HTML would close at every slider step).
        self.details = W.Accordion(
            [self.text],
            titles=("Describe the figure",),
            layout=W.Layout(width="100%", margin=_FULL_WIDTH_MARGIN),
        )
        self.details.selected_index = None
        # Written by the page (`PIXEL_RATIO_SCRIPT`): the screen's device pixels per CSS pixel.
        self.pixel_ratio = W.FloatText(
            value=PIXEL_RATIO, layout=W.Layout(display="none"), tooltip=""
        )
        self.pixel_ratio.add_class(PIXEL_RATIO_CLASS)
        self.pixel_ratio.observe(self._on_pixel_ratio, names="value")
        box = W.Layout(width="100%", max_width=f"{self.css_width}px")
        # Pictures drawn ahead, for the page to keep (`course_lib.widgets._recall`): never shown.
        self.ahead = W.HTML(layout=W.Layout(display="none"))
        self.ahead.add_class(PAGE_AHEAD_CLASS)
        self.widget = W.VBox(
            [self.image, self.headline, self.details, self.pixel_ratio, self.ahead], layout=box
        )
        self.renders = 0
        self._shown: tuple[str, str | None] | None = None  # the last render's texts
        self.redraw: Callable[[], None] | None = None  # set by `explorer`

    def snapshot(self) -> tuple[str, str, str]:
        """What the page shows now (image, headline, description), for `show` to restore."""
        return self.image.value, self.headline.value, self.text.value

    def show(self, snapshot: tuple[str, str, str]) -> None:
        """Show a `snapshot` again without drawing (the figure's artists are not changed)."""
        self.image.value, self.headline.value, self.text.value = snapshot
        self.renders += 1

    def _on_pixel_ratio(self, change: dict) -> None:
        """Render at the page's pixel ratio (1 to `MAX_PIXEL_RATIO`, in steps of 0.25)."""
        try:
            ratio = float(change["new"])
        except (TypeError, ValueError):
            return
        if not math.isfinite(ratio):
            return
        ratio = min(MAX_PIXEL_RATIO, max(1.0, round(ratio * 4) / 4))
        # The page's message runs in a subshell's thread: not while a step drawn ahead in the
        # main thread is using the figure (it would finish at one size, kept under the other).
        with DRAWING:
            if math.isclose(self.figure.dpi, CSS_DPI * ratio):
                return
            self.figure.set_dpi(CSS_DPI * ratio)
            self._background = None  # png() draws it again at the new size
            if self.redraw is not None:  # the explorer draws its current settings again
                self.redraw()
            elif self._shown is not None:
                self.render(*self._shown)

    def redraw_background(self) -> None:
        """Draw everything but the animated artists and keep it as the background bitmap."""
        self._canvas.draw()
        self._background = self._canvas.copy_from_bbox(self.figure.bbox)

    def png_in_steps(self) -> Generator[None, None, bytes]:
        """`png` as a generator that yields after the background and after each artist and
        returns the PNG bytes: drawing ahead (`course_lib.widgets._ahead`) lets the kernel
        answer the page between two steps."""
        if self._background is None:
            self.redraw_background()
            yield
        self._canvas.restore_region(self._background)
        for artist in self._animated:
            self.figure.draw_artist(artist)
            yield
        width, height = self._canvas.get_width_height()
        return encode_png(self._canvas.buffer_rgba(), width, height, self._png_bands)

    def png(self) -> bytes:
        """The current picture as PNG bytes (background plus animated artists)."""
        return to_the_end(self.png_in_steps())

    def picture(
        self,
        description: str,
        headline: str | None = None,
        png: bytes | None = None,
        settings: str | None = None,
    ) -> tuple[str, str, str]:
        """The page's image, headline and description for the figure as it is drawn now
        (``description``: the alt text in full; ``headline``: one short sentence, default the
        description's first sentence; ``png``: the figure drawn already, default drawn here),
        without showing them (`show` does). ``settings`` (`course_lib.widgets._recall.page_key`)
        goes on the image with the headline and the dpi, for the page to keep the picture."""
        data = base64.b64encode(self.png() if png is None else png).decode("ascii")
        alt = html.escape(description, quote=True)
        head = html.escape(first_sentence(description) if headline is None else headline)
        w, h = self.css_width, self.css_height
        kept = ""
        if settings is not None:
            kept = (
                f'data-settings="{html.escape(settings, quote=True)}" '
                f'data-dpi="{self.figure.dpi:g}" data-headline="{html.escape(head, quote=True)}" '
            )
        image = (
            f'<img class="course-figure" alt="{alt}" width="{w}" height="{h}" {kept}'
            f'style="display: block; width: 100%; max-width: {w}px; height: auto" '
            f'src="data:image/png;base64,{data}">'
        )
        # aria-live: screen readers announce the short headline after each change.
        live = (
            f'<p class="course-figure-headline" aria-live="polite" style="{_TEXT_CSS}; '
            f'margin: 0.25em 0">{head}</p>'
        )
        return image, live, f'<p class="course-figure-text" style="{_TEXT_CSS}">{alt}</p>'

    def render(self, description: str, headline: str | None = None) -> None:
        """Draw the figure and show it, with its alt text, headline and description."""
        self.show(self.picture(description, headline))
        self._shown = (description, headline)
