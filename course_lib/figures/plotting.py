"""The course's look: palette, line styles, font sizes, figures of a fixed size, axis labels.

Colour is never the only cue: each series of a figure pairs a colour from the Okabe-Ito palette
(safe for the common colour-vision deficiencies) with its own line style, marker or hatch, and
every figure class describes what it shows in a sentence computed from its data (alt text).
Axis labels carry units.

Every text of a figure is at least `TEXT_PT` points: the sizes are set here, once, and the
figures use these names. A figure's inches become CSS pixels at `CSS_DPI` (its natural width
on the page, which `css_size` gives) and are rendered at `PIXEL_RATIO` device pixels per CSS
pixel, so a projector or a zoomed browser shows sharp text.

Nothing here changes matplotlib's global state: `course_style` is a context manager, and
figures are made with `matplotlib.figure.Figure` directly, not through pyplot.

>>> fig = new_figure(4.0, 3.0)
>>> ax = fig.add_subplot()
>>> _ = ax.plot([0, 30, 240], [0.0, 0.8, 0.1], color=PALETTE["blue"], ls=LINESTYLES[0])
>>> label_axes(ax, x=("time", "min"), y=("pSTAT3", "fraction of STAT3"))
>>> ax.get_xlabel(), ax.get_ylabel()
('time (min)', 'pSTAT3 (fraction of STAT3)')
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from course_lib.errors import CourseValueError, require_in_range

__all__ = [
    "CSS_DPI",
    "LINESTYLES",
    "PALETTE",
    "PIXEL_RATIO",
    "TEXT_PT",
    "TITLE_PT",
    "course_style",
    "css_size",
    "finish_figure",
    "label_axes",
    "new_figure",
    "tracked_series",
]

#: Okabe & Ito (2008) colour-blind-safe palette, by name.
PALETTE: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
#: Line styles paired with the colours, so print and colour-blind readers can tell series apart.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3)))

#: Font size of every text, tick label, legend and axis label, points (readable projected).
TEXT_PT = 12.0
#: Font size of panel titles, points.
TITLE_PT = 13.0
#: CSS pixels per figure inch: a figure's natural width on the page is its width x CSS_DPI.
CSS_DPI = 80.0
#: Device pixels rendered per CSS pixel (2: sharp on high-DPI screens, projectors, zoom).
PIXEL_RATIO = 2.0

_STYLE = {
    "font.size": TEXT_PT,
    "axes.titlesize": TITLE_PT,
    "axes.labelsize": TEXT_PT,
    "xtick.labelsize": TEXT_PT,
    "ytick.labelsize": TEXT_PT,
    "legend.fontsize": TEXT_PT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "figure.dpi": CSS_DPI * PIXEL_RATIO,
}


@contextlib.contextmanager
def course_style() -> Iterator[None]:
    """Apply the course's rcParams inside a ``with`` block only."""
    with mpl.rc_context(_STYLE):
        yield


def new_figure(
    width: float = 7.0, height: float = 3.5, *, dpi: float = CSS_DPI * PIXEL_RATIO
) -> Figure:
    """A pyplot-free Figure in the course style (fixed size, so redraws keep their layout).

    ``dpi`` is the rendering resolution (device pixels per inch); the figure's size on the page
    is `css_size`, whatever the dpi.
    """
    width = require_in_range("width", width, 1.0, 20.0, "inches")
    height = require_in_range("height", height, 1.0, 20.0, "inches")
    dpi = require_in_range("dpi", dpi, 40.0, 300.0, "dots per inch")
    with course_style():
        return Figure(figsize=(width, height), dpi=dpi)


def css_size(figure: Figure) -> tuple[float, float]:
    """The figure's natural size on the page, CSS pixels (width, height): inches x `CSS_DPI`.

    >>> css_size(new_figure(10.0, 4.0))
    (800.0, 320.0)
    """
    width, height = figure.get_size_inches()
    return float(width * CSS_DPI), float(height * CSS_DPI)


def finish_figure(figure: Figure) -> Figure:
    """Give every axes of ``figure`` the course's sizes for tick labels and axis labels.

    Tick labels are made when a figure is drawn, from matplotlib's global settings, so a
    figure class calls this once its axes exist (titles, texts and legends take `TEXT_PT` or
    `TITLE_PT` where they are made).
    """
    for ax in figure.axes:
        ax.tick_params(labelsize=TEXT_PT)
        ax.xaxis.label.set_fontsize(TEXT_PT)
        ax.yaxis.label.set_fontsize(TEXT_PT)
    return figure


def label_axes(ax: Axes, *, x: tuple[str, str], y: tuple[str, str]) -> None:
    """Label both axes as ``"quantity (unit)"``; a unit is required for each."""
    for which, (quantity, unit) in (("x", x), ("y", y)):
        if not str(unit).strip():
            raise CourseValueError(
                f"the {which} axis needs a unit; got {unit!r} for {quantity!r}. Write "
                "'fraction' or '1' for dimensionless quantities."
            )
    ax.set_xlabel(f"{x[0]} ({x[1]})")
    ax.set_ylabel(f"{y[0]} ({y[1]})")


def tracked_series(
    ax: Axes,
    x: np.ndarray,
    styles,
    *,
    y: float = 0.0,
    markevery=(0.05, 0.2),
    point_size: float = 8,
) -> tuple[list, list]:
    """A curve over ``x`` and a one-point marker for each ``(label, colour, linestyle, marker)``.

    Both are drawn once (flat at ``y``, the marker at x = 1) for a figure class to move later
    with ``set_ydata`` / ``set_data``; the marker shows the current setting on the curve.

    Returns
    -------
    (curves, points) : two lists of Line2D, in the order of ``styles``.
    """
    curves, points = [], []
    for label, colour, style, marker in styles:
        (curve,) = ax.plot(
            x,
            np.full_like(x, y, dtype=float),
            color=colour,
            ls=style,
            lw=2,
            marker=marker,
            markevery=markevery,
            ms=5,
            label=label,
        )
        (point,) = ax.plot(
            [1.0], [y], marker=marker, ms=point_size, color=colour, mec="black", ls="none", zorder=5
        )
        curves.append(curve)
        points.append(point)
    return curves, points
