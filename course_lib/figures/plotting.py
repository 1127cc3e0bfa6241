"""The course's look: palette, line styles, figures of a fixed size, axis labels with units.

Colour is never the only cue: each series of a figure pairs a colour from the Okabe-Ito palette
(safe for the common colour-vision deficiencies) with its own line style, marker or hatch, and
every figure class describes what it shows in a sentence computed from its data (alt text).
Axis labels carry units.

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
    "LINESTYLES",
    "PALETTE",
    "course_style",
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

_STYLE = {
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "figure.dpi": 80,
}


@contextlib.contextmanager
def course_style() -> Iterator[None]:
    """Apply the course's rcParams inside a ``with`` block only."""
    with mpl.rc_context(_STYLE):
        yield


def new_figure(width: float = 7.0, height: float = 3.5, *, dpi: float = 80) -> Figure:
    """A pyplot-free Figure in the course style (fixed size, so redraws keep their layout)."""
    width = require_in_range("width", width, 1.0, 20.0, "inches")
    height = require_in_range("height", height, 1.0, 20.0, "inches")
    dpi = require_in_range("dpi", dpi, 40.0, 300.0, "dots per inch")
    with course_style():
        return Figure(figsize=(width, height), dpi=dpi)


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
