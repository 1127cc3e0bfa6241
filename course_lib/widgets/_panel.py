"""What every explorer is built from: the figure panel, the wiring, the explorer box.

The controls come from `course_lib.widgets._controls` (re-exported here). Figures are drawn
once and updated in place, rendered to a PNG by matplotlib's Agg canvas (blitting the static
background) and shown as an ``<img>`` with alt text computed from the data, next to a caption
of its first two sentences (the rest on demand in ``<details>``). That path skips pyplot and the Output
widget, which keeps a slider move well under 100 ms.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from collections.abc import Callable, Sequence

import ipywidgets as W
import PIL.Image
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from course_lib.widgets._access import make_accessible
from course_lib.widgets._controls import SLIDER_WIDTH, log_slider, slider, toggles

#: A figure's visible caption has at most this many sentences; the rest is on demand.
CAPTION_SENTENCES = 2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")

__all__ = [
    "CAPTION_SENTENCES",
    "SLIDER_WIDTH",
    "FigurePanel",
    "caption",
    "caption_html",
    "explorer",
    "log_slider",
    "slider",
    "toggles",
    "wire",
]


class FigurePanel:
    """A matplotlib Figure shown as an image with alt text, plus a visible description.

    Redraws blit: the static parts (axes, ticks, reference bands) are drawn once and kept as
    a bitmap; each `render` restores that bitmap, draws only the ``animated`` artists on top
    and encodes the PNG. Call `redraw_background` after changing anything static.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        Made without pyplot (e.g. `course_lib.figures.plotting.new_figure`).
    animated : sequence of matplotlib.artist.Artist
        The artists that change between renders.
    """

    def __init__(self, figure: Figure, animated: Sequence[Artist] = ()) -> None:
        self.figure = figure
        self._canvas = FigureCanvasAgg(figure)
        self._animated = tuple(animated)
        for artist in self._animated:
            artist.set_animated(True)
        self._background = None
        self.image = W.HTML(layout=W.Layout(min_height=f"{figure.bbox.height:.0f}px"))
        self.text = W.HTML(layout=W.Layout(max_width=f"{figure.bbox.width:.0f}px"))
        self.widget = W.VBox([self.image, self.text])
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
        image = PIL.Image.frombuffer("RGBA", (width, height), self._canvas.buffer_rgba())
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def render(self, description: str) -> None:
        """Replace the image and its description (alt text and visible text agree)."""
        data = base64.b64encode(self.png()).decode("ascii")
        alt = html.escape(description, quote=True)
        self.image.value = (
            f'<img class="course-figure" alt="{alt}" src="data:image/png;base64,{data}">'
        )
        # aria-live: screen readers announce the new description after each change.
        self.text.value = f'<p class="course-figure-text" aria-live="polite">{alt}</p>'
        self.renders += 1


def wire(controls: Sequence[W.ValueWidget], update: Callable[..., None]) -> None:
    """Call ``update(**{name: value})`` whenever any control's value really changes.

    Each control carries the keyword it feeds as ``control._course_name``. The browser echoes
    slider values back slightly rounded (10.0 returns as 9.99999999999999); such echoes are
    not changes, so they cost no redraw.
    """
    last = {c._course_name: c.value for c in controls}

    def same(a: object, b: object) -> bool:
        if isinstance(a, float) and isinstance(b, float):
            return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300)
        return a == b

    def on_change(_change: dict) -> None:
        values = {c._course_name: c.value for c in controls}
        if all(same(values[k], last[k]) for k in values):
            return
        last.update(values)
        update(**values)

    for c in controls:
        c.observe(on_change, names="value")


def caption(description: str, sentences: int = CAPTION_SENTENCES) -> tuple[str, str]:
    """Split a figure's description into a caption (its first sentences) and the rest.

    >>> caption("One. Two 4.5 and 6. Three; four.")
    ('One. Two 4.5 and 6.', 'Three; four.')
    """
    parts = _SENTENCE_END.split(description.strip())
    return " ".join(parts[:sentences]), " ".join(parts[sentences:])


def caption_html(description: str) -> str:
    """The visible text under a figure: a caption of at most `CAPTION_SENTENCES` sentences,
    announced after each change, and the other sentences in a closed ``<details>``."""
    head, rest = (html.escape(part, quote=True) for part in caption(description))
    text = f'<p class="course-figure-text" aria-live="polite">{head}</p>'
    if rest:
        text += (
            '<details class="course-figure-details"><summary>All the numbers</summary>'
            f"<p>{rest}</p></details>"
        )
    return text


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

    The figure's description is its image's alt text in full; the visible caption is its
    first two sentences, the rest on demand in a ``<details>`` element (`caption_html`).
    Every control gets an accessible name with its unit, and toggle buttons their pressed
    state, in the browser (`course_lib.widgets._access`).

    Parameters
    ----------
    title : str
        Shown in bold above the controls.
    controls : sequence of ipywidgets controls
        Each feeds the keyword ``control._course_name`` (set here from ``names`` if given).
    figure : view
        Has ``figure`` (a Figure), ``animated`` (its changing artists) and
        ``update(**values) -> description``. If it has ``static_key``, a change of that key
        (a new title or label) redraws the static background before the next render.
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
        panel.render(description)  # the alt text keeps every number
        panel.text.value = caption_html(description)

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
