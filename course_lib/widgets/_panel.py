"""What every explorer is built from: the figure panel and the explorer box.

The controls and their wiring come from `course_lib.widgets._controls` (re-exported here);
settings one step away are drawn ahead in quiet spells (`course_lib.widgets._ahead`). Figures
are drawn once and updated in place, rendered to a PNG by matplotlib's Agg canvas (blitting the
static background) and shown as an ``<img>`` with alt text computed from the data. Under it,
the figure's one-sentence headline is announced to screen readers after each change
(``aria-live``), and the full description waits, the same as the alt text, behind "Describe
the figure". That path skips pyplot and the Output widget, which keeps a slider move well
under 100 ms.

The image is rendered at the screen's device pixels per CSS pixel and scales with the notebook:
``width: 100%`` up to its natural width (`css_size`), height in proportion; the page reports
its pixel ratio (`course_lib.widgets._pixel_ratio`). The page also keeps the pictures it was
sent, and shows one again by itself when the controls come back to its settings
(`course_lib.widgets._recall`).
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Callable, Generator, Sequence

import ipywidgets as W
from IPython.display import Javascript
from matplotlib.artist import Artist
from matplotlib.figure import Figure

from course_lib.figures.plotting import CSS_DPI, PIXEL_RATIO, css_size
from course_lib.widgets._access import EXPLORER_CLASS, IN_EXPLORER_JS, make_accessible
from course_lib.widgets._ahead import DRAWING, DrawAhead, neighbours, to_the_end
from course_lib.widgets._controls import (
    SLIDER_WIDTH,
    fit_menu,
    log_slider,
    same_value,
    slider,
    toggles,
    wire,
)
from course_lib.widgets._first_click import CELL_SELECTION_SCRIPT, QUIET_MS
from course_lib.widgets._pixel_ratio import MAX_PIXEL_RATIO, PIXEL_RATIO_CLASS, PIXEL_RATIO_SCRIPT
from course_lib.widgets._raster import GlyphCachingCanvas, encode_png
from course_lib.widgets._recall import (
    NO_RECALL_CLASS,
    PAGE_AHEAD,
    PAGE_AHEAD_CLASS,
    Pictures,
    page_key,
    recall_script,
    settings_key,
    spare_from_collections,
)

__all__ = [
    "MAX_PIXEL_RATIO",
    "PIXEL_RATIO_CLASS",
    "PIXEL_RATIO_SCRIPT",
    "SLIDER_WIDTH",
    "FigurePanel",
    "explorer",
    "first_sentence",
    "log_slider",
    "same_value",
    "slider",
    "toggles",
    "wire",
]


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
    Every control gets an accessible name with its unit, and a row of choices its group's name,
    in the browser (`course_lib.widgets._access`).

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
        receptor ratio): the figure then redraws once. A callback's ``sets``, ``(other,
        value)``, says that it sets ``other`` to ``value`` (`course_lib.widgets._recall`).

    Returns
    -------
    ipywidgets.VBox
        With ``update`` (the render function), ``panel``, ``controls``, ``figure``,
        ``pictures`` (`course_lib.widgets._recall.Pictures`) and ``ahead``
        (`course_lib.widgets._ahead.DrawAhead`) attached for tests and benchmarks, and
        ``held``: while it is not empty, ``update`` draws nothing (a preset sets several
        controls, then redraws once).
    """
    for i, control in enumerate(controls):
        if names is not None:
            control._course_name = names[i]
        if label_width and not isinstance(control, W.Checkbox):
            control.style.description_width = label_width
            if isinstance(control, W.Dropdown):
                fit_menu(control, label_width)
    panel = FigurePanel(figure.figure, figure.animated)
    describe = figure.update if describe is None else describe
    static = [getattr(figure, "static_key", None)]
    pictures = Pictures()
    held: list[str] = []  # while a preset is applied (`course_lib.widgets.presets`): no redraw
    asked: dict = {}  # the settings on screen

    def drawing(values: dict):
        """Draw ``values`` and keep their picture (not shown), in steps (a generator that
        yields after the model run, the background and each artist); returns the picture and
        its texts."""
        description = describe(**values)
        headline = getattr(figure, "headline", None)
        yield
        if getattr(figure, "static_key", None) != static[0]:  # a new title or label
            static[0] = figure.static_key
            panel.redraw_background()
            yield
        png = yield from panel.png_in_steps()
        shown = panel.picture(description, headline, png, page_key(controls, values))
        kept = (shown, (description, headline))
        pictures.put(settings_key(values, panel.figure.dpi), kept)
        return kept

    def draw(values: dict):
        """Draw ``values`` now and keep their picture; the picture and its texts."""
        return to_the_end(drawing(values))

    # A linked control is left to the kernel, unless its callback says what it sets.
    recall = recall_script(controls, [(c, *cb.sets) for c, cb in links if hasattr(cb, "sets")])
    sent = [0]  # pictures drawn ahead and sent to the page since the last change

    def drawing_ahead(values: dict):
        """`drawing` for later (`course_lib.widgets._ahead`): the figure's texts stay those of
        the settings on screen, finished or abandoned. The first `PAGE_AHEAD` pictures drawn
        after a change are also sent to the page, to keep but not show (`panel.ahead`)."""
        try:
            if not held:
                kept = yield from drawing(values)
                if recall is not None and sent[0] < PAGE_AHEAD:
                    sent[0] += 1
                    panel.ahead.value = kept[0][0]
        finally:
            figure.description, figure.headline = panel._shown

    ahead = DrawAhead(
        drawing_ahead, lambda values: settings_key(values, panel.figure.dpi) in pictures
    )
    linked = {id(control) for control, _ in links}  # a step there moves another control too
    for control, _ in links:  # the page cannot know where it leads: left to the kernel
        control.add_class(NO_RECALL_CLASS)
    steppable = [c for c in controls if id(c) not in linked]

    def update(**values) -> None:
        if held:  # the preset's loader redraws once, when every control is set
            return
        with DRAWING:  # widget messages arrive in a subshell's thread, cells in the main one
            moved = next((k for k, v in values.items() if not same_value(v, asked.get(k))), None)
            asked.clear()
            asked.update(values)
            sent[0] = 0
            ahead.abandon()  # before drawing: a half-done drawing ahead shares the figure
            kept = pictures.get(settings_key(values, panel.figure.dpi)) or draw(values)
            panel.show(kept[0])
            panel._shown = kept[1]
            figure.description, figure.headline = kept[1]
            ahead.restart(neighbours(steppable, values, moved))

    update(**{c._course_name: c.value for c in controls})
    panel.redraw = lambda: update(**asked)
    for control, callback in links:
        control.observe(callback, names="value")
    wire(controls, update)
    parts = [W.HTML(f"<b>{title}</b>"), *controls]
    if note:
        parts.append(W.HTML(f"<small>{note}</small>"))
    box = W.VBox([*parts, panel.widget])
    carrier = make_accessible(box, controls)
    script = PIXEL_RATIO_SCRIPT % {"explorer": EXPLORER_CLASS, "cls": PIXEL_RATIO_CLASS}
    carrier.append_display_data(Javascript(script))
    select = {"in_explorer": IN_EXPLORER_JS, "quiet": QUIET_MS}
    carrier.append_display_data(Javascript(CELL_SELECTION_SCRIPT % select))
    if recall is not None:
        carrier.append_display_data(Javascript(recall))
    box.update, box.panel, box.controls, box.figure = update, panel, tuple(controls), figure
    box.pictures, box.ahead = pictures, ahead
    box.held = held
    spare_from_collections()  # in a kernel: no full-collection pauses over the explorer
    return box
