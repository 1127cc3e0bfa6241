"""What every explorer is built from: the figure panel, the wiring, the explorer box.

The controls come from `course_lib.widgets._controls` (re-exported here). Figures are drawn
once and updated in place, rendered to a PNG by matplotlib's Agg canvas (blitting the static
background) and shown as an ``<img>`` with alt text computed from the data. Under it, the
figure's one-sentence headline is announced to screen readers after each change
(``aria-live``), and the full description waits, the same as the alt text, behind "Describe
the figure". That path skips pyplot and the Output widget, which keeps a slider move well
under 100 ms.

The image is rendered at `PIXEL_RATIO` device pixels per CSS pixel and scales with the
notebook: ``width: 100%`` up to its natural width (`css_size`), height in proportion.
"""

from __future__ import annotations

import base64
import html
import math
import re
import struct
import zlib
from collections.abc import Callable, Sequence

import ipywidgets as W
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from course_lib.figures.plotting import css_size
from course_lib.widgets._access import make_accessible
from course_lib.widgets._controls import SLIDER_WIDTH, log_slider, slider, toggles

__all__ = [
    "PNG_BAND_ROWS",
    "SLIDER_WIDTH",
    "FigurePanel",
    "encode_png",
    "explorer",
    "first_sentence",
    "log_slider",
    "same_value",
    "slider",
    "toggles",
    "wire",
]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


#: Rows per band of the PNG: each band is deflated on its own and kept until its pixels change.
PNG_BAND_ROWS = 32
_ADLER = 65521  # the Adler-32 modulus


def _adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from each one's checksum (zlib's
    ``adler32_combine``, which Python's zlib does not expose).

    >>> a, b = b"IL-6 trans-", b"signalling"
    >>> _adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(a + b)
    True
    """
    rem = second_length % _ADLER
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % _ADLER
    sum1 = (sum1 + (second & 0xFFFF) + _ADLER - 1) % _ADLER
    sum2 = (sum2 + (first >> 16) + (second >> 16) + _ADLER - rem) % _ADLER
    return sum1 | (sum2 << 16)


def encode_png(rgba, width: int, height: int, cache: dict | None = None) -> bytes:
    """A PNG of an RGBA buffer (``height`` rows of ``width`` pixels), encoded fast.

    The canvas's RGBA rows are stored as they are (no filter, no conversion to RGB: dropping
    the alpha channel costs more than compressing it) and deflated at level 1, in bands of
    `PNG_BAND_ROWS` rows that are compressed independently and joined into one stream. With
    a ``cache`` (a dict kept between calls for one figure), a band whose pixels did not
    change since the last call is not compressed again: a slider step usually redraws only
    part of a figure. A 2x-dpi figure has four times the pixels, so the encoder is a large
    part of a slider move.

    >>> png = encode_png(bytes([255, 0, 0, 255] * 6), 3, 2)
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", png[12:16]
    (True, b'IHDR')
    """
    rows = np.empty((height, 1 + 4 * width), np.uint8)
    rows[:, 0] = 0  # filter type 0 (none) at the start of each row
    rows[:, 1:] = np.frombuffer(rgba, np.uint8).reshape(height, 4 * width)
    cache = {} if cache is None else cache
    if cache.get("size") != (width, height):  # a new figure size: nothing to reuse
        cache.clear()
        cache["size"] = (width, height)
    packed, checksum = [], 1
    for top in range(0, height, PNG_BAND_ROWS):
        band = rows[top : top + PNG_BAND_ROWS]
        kept = cache.get(top)
        if kept is None or not np.array_equal(kept[0], band):
            deflate = zlib.compressobj(1, zlib.DEFLATED, -15)  # raw deflate, fresh window
            data = deflate.compress(band) + deflate.flush(zlib.Z_SYNC_FLUSH)  # byte-aligned
            kept = cache[top] = (band.copy(), data, zlib.adler32(band))
        packed.append(kept[1])
        checksum = _adler32_combine(checksum, kept[2], band.nbytes)
    # zlib header (deflate, 32K window, fastest), the bands, a final empty block, Adler-32
    stream = b"\x78\x01" + b"".join(packed) + b"\x03\x00" + struct.pack(">I", checksum)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", stream),
            _chunk(b"IEND", b""),
        )
    )


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
        self._canvas = FigureCanvasAgg(figure)
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
        box = W.Layout(width="100%", max_width=f"{self.css_width}px")
        self.widget = W.VBox([self.image, self.headline, self.details], layout=box)
        self.renders = 0

    def redraw_background(self) -> None:
        """Draw everything but the animated artists and keep it as the background bitmap."""
        self._canvas.draw()
        self._background = self._canvas.copy_from_bbox(self.figure.bbox)

    def png(self) -> bytes:
        """The current picture as PNG bytes (background plus animated artists)."""
        if self._background is None:
            self.redraw_background()
        self._canvas.restore_region(self._background)
        for artist in self._animated:
            self.figure.draw_artist(artist)
        width, height = self._canvas.get_width_height()
        return encode_png(self._canvas.buffer_rgba(), width, height, self._png_bands)

    def render(self, description: str, headline: str | None = None) -> None:
        """Replace the image, its alt text and the full description (``description``), and
        the live headline (``headline``: one short sentence; default: the description's
        first sentence)."""
        data = base64.b64encode(self.png()).decode("ascii")
        alt = html.escape(description, quote=True)
        head = html.escape(first_sentence(description) if headline is None else headline)
        w, h = self.css_width, self.css_height
        self.image.value = (
            f'<img class="course-figure" alt="{alt}" width="{w}" height="{h}" '
            f'style="display: block; width: 100%; max-width: {w}px; height: auto" '
            f'src="data:image/png;base64,{data}">'
        )
        # aria-live: screen readers announce the short headline after each change.
        self.headline.value = (
            f'<p class="course-figure-headline" aria-live="polite" style="{_TEXT_CSS}; '
            f'margin: 0.25em 0">{head}</p>'
        )
        self.text.value = f'<p class="course-figure-text" style="{_TEXT_CSS}">{alt}</p>'
        self.renders += 1


def same_value(a: object, b: object) -> bool:
    """Equal, or floats equal to 1e-9: the browser echoes a slider's 10.0 back as
    9.99999999999999, and such an echo is not a change."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300)
    return a == b


def wire(controls: Sequence[W.ValueWidget], update: Callable[..., None]) -> None:
    """Call ``update(**{name: value})`` whenever any control's value really changes.

    Each control carries the keyword it feeds as ``control._course_name``. The browser echoes
    slider values back slightly rounded (10.0 returns as 9.99999999999999); such echoes are
    not changes, so they cost no redraw.
    """
    last = {c._course_name: c.value for c in controls}

    def on_change(_change: dict) -> None:
        values = {c._course_name: c.value for c in controls}
        if all(same_value(values[k], last[k]) for k in values):
            return
        last.update(values)
        update(**values)

    for c in controls:
        c.observe(on_change, names="value")


def explorer(
    title: str,
    controls: Sequence[W.ValueWidget],
    figure,
    *,
    names: Sequence[str] | None = None,
    describe: Callable[..., str] | None = None,
    note: str | None = None,
    label_width: str | None = None,
    links: Sequence[tuple[W.ValueWidget, Callable[[dict], None]]] = (),
) -> W.VBox:
    """Assemble an explorer: a title, the controls, an optional note, and the live figure.

    The figure's description is its image's alt text in full and, on demand, the text under
    "Describe the figure"; its headline (one sentence) is what is announced after each change.
    Every control gets an accessible name with its unit, and toggle buttons their pressed
    state, in the browser (`course_lib.widgets._access`).

    Parameters
    ----------
    title : str
        Shown in bold above the controls.
    controls : sequence of ipywidgets controls
        Each feeds the keyword ``control._course_name`` (set here from ``names`` if given).
    figure : view
        Has ``figure`` (a Figure), ``animated`` (its changing artists),
        ``update(**values) -> description`` (the full text, from the data) and, set by each
        update, ``headline`` (one short sentence: what the figure shows now). If it has
        ``static_key``, a change of that key (a new title or label) redraws the static
        background before the next render.
    describe : callable, optional
        ``describe(**values) -> description`` in place of ``figure.update``, for explorers
        that adjust the values first.
    note : str, optional
        A small-print line between the controls and the figure (HTML).
    label_width : str, optional
        Width of the controls' labels (checkboxes keep theirs on the right).
    links : sequence of (control, callback), optional
        Callbacks observed on a control's value before the figure is wired, for a control
        that sets another one (moving a dose ticks its box, a new cell type resets the
        receptor ratio): the figure then redraws once.

    Returns
    -------
    ipywidgets.VBox
        With ``update`` (the render function), ``panel``, ``controls`` and ``figure``
        attached for tests and benchmarks.
    """
    for i, control in enumerate(controls):
        if names is not None:
            control._course_name = names[i]
        if label_width and not isinstance(control, W.Checkbox):
            control.style.description_width = label_width
    panel = FigurePanel(figure.figure, figure.animated)
    describe = figure.update if describe is None else describe
    static = [getattr(figure, "static_key", None)]

    def update(**values) -> None:
        description = describe(**values)
        key = getattr(figure, "static_key", None)
        if key != static[0]:  # a title or label changed: new background
            static[0] = key
            panel.redraw_background()
        panel.render(description, getattr(figure, "headline", None))

    update(**{c._course_name: c.value for c in controls})
    for control, callback in links:
        control.observe(callback, names="value")
    wire(controls, update)
    parts = [W.HTML(f"<b>{title}</b>"), *controls]
    if note:
        parts.append(W.HTML(f"<small>{note}</small>"))
    box = W.VBox([*parts, panel.widget])
    make_accessible(box, controls)
    box.update, box.panel, box.controls, box.figure = update, panel, tuple(controls), figure
    return box
