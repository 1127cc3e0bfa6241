"""The controls every explorer is built from: a label with its unit, a tooltip, a name for AT.

Each builder records on the control what it means (``control._course_label``, the words) and
in which unit (``control._course_unit``, None for a control without one: a test, a seed, a
switch). The label a student sees is ``"words (unit)"`` when there is a unit and ``"words"``
otherwise, and the same text is the control's accessible name (see
`course_lib.widgets._access`). ipywidgets 8.1 writes a tooltip of None into the label as
``title="null"``, so every builder sets a real one: the range or the choices, or a hint.
`wire` calls an explorer's update when a value really changes.

>>> s = slider(10, 3, 30, 1, "mice per group", "mice", whole=True)
>>> s.description, s.tooltip
('mice per group (mice)', 'mice per group: 3 to 30 mice')
>>> toggles(["a", "b"], "a", "statistical test").description
'statistical test'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import ipywidgets as W

from course_lib._text import format_number
from course_lib.errors import CourseValueError
from course_lib.parameters import Parameter

__all__ = [
    "SLIDER_WIDTH",
    "choice_slider",
    "fit_menu",
    "label",
    "log_slider",
    "menu",
    "same_value",
    "sets_on_change",
    "slider",
    "switch",
    "toggles",
    "wire",
]

_STYLE = {"description_width": "initial"}
#: Width of every slider and menu, so the controls of an explorer line up.
SLIDER_WIDTH = "480px"
#: How a parameter's unit is written for people.
_SHOWN_UNITS = {"ug/mL": "µg/mL", "1": None, "count": None}


def label(words: str, unit: str | None = None) -> str:
    """``"words (unit)"``, or just ``"words"`` for a control without a unit.

    >>> label("serum IL-6", "pg/mL"), label("study seed")
    ('serum IL-6 (pg/mL)', 'study seed')
    """
    return f"{words} ({unit})" if unit else words


def _mark(control, words: str, unit: str | None, hint: str) -> W.ValueWidget:
    """Record the words and unit on the control and give it a tooltip (never None)."""
    control._course_label, control._course_unit = words, unit or None
    control.tooltip = hint
    return control


def _span(words: str, low: float, high: float, unit: str | None) -> str:
    return f"{words}: {format_number(low)} to {format_number(high)}" + (f" {unit}" if unit else "")


def log_slider(
    parameter: Parameter,
    *,
    low: float | None = None,
    high: float | None = None,
    value: float | None = None,
    steps_per_decade: int = 20,
    name: str | None = None,
    unit: str | None = None,
) -> W.FloatLogSlider:
    """A logarithmic slider built from a `Parameter`: range, default, label with unit.

    ``low``/``high`` override the parameter's plausible range (e.g. a slider for IL-6 that
    spans healthy to sepsis); both must be > 0. ``name`` and ``unit`` override the
    parameter's description and unit (for a slider that only borrows a parameter's range).
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
    words = name or parameter.description
    if unit is None:
        unit = _SHOWN_UNITS.get(parameter.unit, parameter.unit)
    control = W.FloatLogSlider(
        value=start,
        base=10,
        min=centre - below * step,
        max=centre + above * step,
        step=step,
        description=label(words, unit),
        readout_format=".3g",
        continuous_update=True,
        style=_STYLE,
        layout=W.Layout(width=SLIDER_WIDTH),
    )
    return _mark(control, words, unit, _span(words, 10**control.min, 10**control.max, unit))


def slider(
    value,
    low,
    high,
    step,
    name: str,
    unit: str | None = None,
    *,
    whole: bool = False,
) -> W.ValueWidget:
    """A linear slider (`ipywidgets.IntSlider` if ``whole``, else FloatSlider) labelled
    ``"name (unit)"`` (just ``name`` without a unit), updating while it is dragged."""
    kind = W.IntSlider if whole else W.FloatSlider
    control = kind(
        value=value,
        min=low,
        max=high,
        step=step,
        description=label(name, unit),
        continuous_update=True,
        layout=W.Layout(width=SLIDER_WIDTH),
    )
    return _mark(control, name, unit, _span(name, low, high, unit))


def choice_slider(options, value, name: str, unit: str | None = None) -> W.SelectionSlider:
    """A slider over a few stops (`ipywidgets.SelectionSlider`): ``options`` are values or
    (text, value) pairs, e.g. ``[("none", 0.0), ("1", 1.0)]``.

    >>> choice_slider([("none", 0.0), ("1", 1.0)], 1.0, "IL-6R:gp130").tooltip
    'IL-6R:gp130: none to 1'
    """
    control = W.SelectionSlider(
        options=options,
        value=value,
        description=label(name, unit),
        continuous_update=True,
        layout=W.Layout(width=SLIDER_WIDTH),
    )
    stops = control._options_labels  # the texts shown, not the (text, value) pairs
    return _mark(
        control, name, unit, f"{name}: {stops[0]} to {stops[-1]}" + (f" {unit}" if unit else "")
    )


def toggles(
    options,
    value,
    name: str,
    *,
    unit: str | None = None,
    hint: str | None = None,
    tooltips=None,
) -> W.RadioButtons:
    """A row of radio buttons (wrapping when the window is narrow), one per option: a choice of
    one among a few, e.g. a drug or a statistical test.

    Radio buttons, not `ipywidgets.ToggleButtons`: ipywidgets 8.1's toggle row sends the kernel
    two messages per click (the new index, then a "click" event), and the second one's busy and
    idle statuses cost JupyterLab about 8 ms before the figure is painted (lesson 04, median
    55.5 and 51.6 ms against 65.5 and 58.7 ms, two alternating runs). A radio group is also
    what a one-of-many choice is for assistive technology (`course_lib.widgets._access` names
    the group and joins its inputs, so the arrow keys move between them).

    ``hint`` is the label's tooltip (the choices by default); ``tooltips`` one per choice (the
    page shows them on each choice's text, see `course_lib.widgets._access`).

    >>> row = toggles([("on", True), ("off", False)], True, "blinded counting", tooltips=["a", "b"])
    >>> row.orientation, row._course_tooltips, row.tooltip
    ('horizontal', ('a', 'b'), 'blinded counting: one of on, off')
    """
    control = W.RadioButtons(
        options=options,
        value=value,
        description=label(name, unit),
        orientation="horizontal",
        style=_STYLE,
        layout=W.Layout(width="auto", display="flex", flex_flow="row wrap", align_items="baseline"),
    )
    tips = tuple(str(t) for t in tooltips) if tooltips is not None else ()
    if tips and len(tips) != len(control.options):
        raise CourseValueError(
            f"toggles {name!r}: {len(tips)} tooltips for {len(control.options)} options; "
            "give one tooltip per option, in the same order"
        )
    control._course_tooltips = tips
    choices = ", ".join(str(o) for o in control._options_labels)
    return _mark(control, name, unit, hint or f"{name}: one of {choices}")


def _longest_text_px(options, char_px: float) -> float:
    """Width (CSS px) of the longest option's text at ``char_px`` a character."""
    return max((len(str(o)) for o in options), default=0) * char_px


# A menu's <select> shows the chosen option's text: about 5.5 px a character at the widgets'
# 13 px type (measured: 234.6 px for 43 characters), plus its arrow and padding.
_MENU_CHAR_PX, _MENU_PAD_PX, _LABEL_GAP_PX = 6.5, 40, 8


def fit_menu(control: W.Dropdown, label_width: str) -> None:
    """Widen a menu whose label is ``label_width`` (px) so that its longest option fits (a
    preset or a student may choose it; "wild type vs wild type (no true difference)" was cut)."""
    if not (label_width.endswith("px") and control.layout.width.endswith("px")):
        return
    text = _longest_text_px(control._options_labels, _MENU_CHAR_PX)
    needed = float(label_width[:-2]) + _LABEL_GAP_PX + text + _MENU_PAD_PX
    control.layout.width = f"{max(float(control.layout.width[:-2]), math.ceil(needed)):.0f}px"


def menu(options, value, name: str, *, width: str = SLIDER_WIDTH, hint: str | None = None):
    """A drop-down menu (`ipywidgets.Dropdown`) with a label; ``hint`` is its tooltip."""
    control = W.Dropdown(
        options=options, value=value, description=name, style=_STYLE, layout=W.Layout(width=width)
    )
    return _mark(control, name, None, hint or f"{name}: choose one")


def switch(value: bool, name: str, *, hint: str | None = None, width: str = "auto"):
    """A tick box (`ipywidgets.Checkbox`, label on the right); ``hint`` is its tooltip."""
    control = W.Checkbox(
        value=value, description=name, indent=False, style=_STYLE, layout=W.Layout(width=width)
    )
    return _mark(control, name, None, hint or f"{name}: on when ticked")


def same_value(a: object, b: object) -> bool:
    """Equal, or floats equal to 1e-9: the browser echoes a slider's 10.0 back as
    9.99999999999999, and such an echo is not a change."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300)
    return a == b


def sets_on_change(other: W.ValueWidget, value) -> Callable[[dict], None]:
    """A callback for `explorer`'s ``links``: a real change of the control it observes (not a
    rounding echo) sets ``other`` to ``value``. Its ``sets`` attribute, ``(other, value)``,
    tells the page what it does (`course_lib.widgets._recall`).

    >>> box = W.Checkbox(value=False)
    >>> tick = sets_on_change(box, True)
    >>> tick({"old": 10.0, "new": 9.99999999999999}); box.value
    False
    >>> tick({"old": 10.0, "new": 20.0}); box.value, tick.sets == (box, True)
    (True, True)
    """

    def callback(change: dict) -> None:
        if not same_value(change["old"], change["new"]):
            other.value = value

    callback.sets = (other, value)
    return callback


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
