"""What every explorer is built from: the explorer box around its figure panel.

The figure panel (`course_lib.widgets._figure_panel`) shows the figure as an ``<img>`` with alt
text computed from the data, its one-sentence headline (announced to screen readers after each
change, ``aria-live``) and, behind "Describe the figure", the full description. That path skips
pyplot and the Output widget, which keeps a slider move well under 100 ms. The controls and their
wiring come from `course_lib.widgets._controls` (re-exported here); settings one step away are
drawn ahead in quiet spells (`course_lib.widgets._ahead`), and a preset chosen in the Scenarios
menu at once (`prepare`). The page keeps the pictures it was sent, and shows one again by itself
when the controls come back to its settings (`course_lib.widgets._recall`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as W
from IPython.display import Javascript

from course_lib.widgets._access import EXPLORER_CLASS, IN_EXPLORER_JS, make_accessible
from course_lib.widgets._ahead import DRAW_AHEAD, DRAWING, DrawAhead, neighbours, to_the_end
from course_lib.widgets._controls import (
    SLIDER_WIDTH,
    fit_menu,
    log_slider,
    same_value,
    slider,
    toggles,
    wire,
)
from course_lib.widgets._figure_panel import FigurePanel, first_sentence
from course_lib.widgets._first_click import CELL_SELECTION_SCRIPT, QUIET_MS
from course_lib.widgets._pixel_ratio import MAX_PIXEL_RATIO, PIXEL_RATIO_CLASS, PIXEL_RATIO_SCRIPT
from course_lib.widgets._recall import (
    NO_RECALL_CLASS,
    PAGE_AHEAD,
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
        With ``update`` (the render function), ``prepare`` (draws settings and keeps their
        picture, not shown), ``panel``, ``controls``, ``figure``,
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

    def prepare(**values) -> None:
        """Draw ``values`` now and keep their picture without showing it (a preset chosen in
        the Scenarios menu, likely loaded next: the Load click then only sets the controls)."""
        if not DRAW_AHEAD or held or settings_key(values, panel.figure.dpi) in pictures:
            return
        with DRAWING:
            ahead.abandon()  # it shares the figure; taken up again in the next quiet spell
            to_the_end(drawing_ahead(values))

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
    box.pictures, box.ahead, box.prepare = pictures, ahead, prepare
    box.held = held
    spare_from_collections()  # in a kernel: no full-collection pauses over the explorer
    return box
