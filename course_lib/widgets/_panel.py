"""What every explorer is built from: the figure panel, labelled log sliders, the wiring.

Figures are drawn once and updated in place, rendered to a PNG by matplotlib's Agg canvas
(blitting the static background) and shown as an ``<img>`` with alt text computed from the
data, next to the same description as visible text. That path skips pyplot and the Output
widget, which keeps a slider move well under 100 ms.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Callable, Sequence

import ipywidgets as W
import PIL.Image
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from course_lib.errors import CourseValueError
from course_lib.parameters import Parameter

__all__ = [
    "SLIDER_WIDTH",
    "FigurePanel",
    "explorer",
    "log_slider",
    "slider",
    "toggles",
    "wire",
]

_STYLE = {"description_width": "initial"}
#: Width of every slider and menu, so the controls of an explorer line up.
SLIDER_WIDTH = "480px"
_ROW = W.Layout(display="flex", flex_flow="row wrap", align_items="center")


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


def log_slider(
    parameter: Parameter,
    *,
    low: float | None = None,
    high: float | None = None,
    value: float | None = None,
    steps_per_decade: int = 20,
    description: str | None = None,
) -> W.FloatLogSlider:
    """A logarithmic slider built from a `Parameter`: range, default, label with unit.

    ``low``/``high`` override the parameter's plausible range (e.g. a slider for IL-6 that
    spans healthy to sepsis); both must be > 0.
    """
    low = parameter.bounds[0] if low is None else low
    high = parameter.bounds[1] if high is None else high
    if not 0 < low < high:
        raise CourseValueError(
            f"a log slider needs 0 < low < high; got low={low!r}, high={high!r} for "
            f"{parameter.name!r}. Give positive limits with low below high."
        )
    start = min(max(parameter.value if value is None else value, low), high)
    # Anchor the grid of steps on the starting value, so the slider shows exactly the cited
    # default (5.19, not 5.01) and every step stays inside [low, high].
    step = 1 / steps_per_decade
    centre = math.log10(start)
    below = math.floor((centre - math.log10(low)) / step + 1e-9)
    above = math.floor((math.log10(high) - centre) / step + 1e-9)
    return W.FloatLogSlider(
        value=start,
        base=10,
        min=centre - below * step,
        max=centre + above * step,
        step=step,
        description=description or f"{parameter.description} ({parameter.unit})",
        readout_format=".3g",
        continuous_update=True,
        style=_STYLE,
        layout=W.Layout(width=SLIDER_WIDTH),
    )


def slider(value, low, high, step, description: str, *, whole: bool = False) -> W.ValueWidget:
    """A linear slider (`ipywidgets.IntSlider` if ``whole``, else FloatSlider) with a label
    that carries its unit, updating while it is dragged."""
    kind = W.IntSlider if whole else W.FloatSlider
    return kind(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        continuous_update=True,
        layout=W.Layout(width=SLIDER_WIDTH),
    )


def toggles(options, value, description: str, width: str = "150px") -> W.ToggleButtons:
    """A row of toggle buttons (wrapping when the window is narrow), one per option."""
    return W.ToggleButtons(
        options=options,
        value=value,
        description=description,
        style={"button_width": width},
        layout=_ROW,
    )


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
        that sets another one (moving a dose ticks its box): the figure then redraws once.

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
        panel.render(description)

    update(**{c._course_name: c.value for c in controls})
    for control, callback in links:
        control.observe(callback, names="value")
    wire(controls, update)
    parts = [W.HTML(f"<b>{title}</b>"), *controls]
    if note:
        parts.append(W.HTML(f"<small>{note}</small>"))
    box = W.VBox([*parts, panel.widget])
    box.update, box.panel, box.controls, box.figure = update, panel, tuple(controls), figure
    return box
