"""The course's look, and text descriptions computed from a figure's data.

Colour is never the only cue: every series gets a colour from the Okabe-Ito palette (safe
for the common colour-vision deficiencies) *and* its own line style and marker. Axis labels
carry units. `describe_axes` turns what is drawn into a sentence for alt text and self-checks.

Nothing here changes matplotlib's global state: `course_style` is a context manager, and
figures are made with `matplotlib.figure.Figure` directly, not through pyplot.

>>> from matplotlib.figure import Figure
>>> ax = Figure().add_subplot()
>>> _ = ax.plot([0, 30, 240], [0.0, 0.8, 0.1], label="pSTAT3", **series_style(0))
>>> label_axes(ax, x=("time", "min"), y=("pSTAT3", "fraction of STAT3"))
>>> describe_axes(ax)
'pSTAT3 (fraction of STAT3) against time (min): pSTAT3 rises from 0 to a peak of 0.8 at 30 min, then falls to 0.1 at 240 min.'
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
    "MARKERS",
    "PALETTE",
    "course_style",
    "describe_axes",
    "describe_series",
    "format_number",
    "label_axes",
    "new_figure",
    "series_style",
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
_CYCLE = ("blue", "vermillion", "bluish green", "reddish purple", "orange", "sky blue", "black")
#: Line styles and markers paired with the colours, so print and colour-blind readers can tell
#: series apart.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X")

_STYLE = {
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "figure.dpi": 80,
}


def series_style(index: int) -> dict[str, object]:
    """Colour, line style and marker for the ``index``-th series (cycles after 7).

    Examples
    --------
    >>> series_style(1)["color"], series_style(1)["linestyle"]
    ('#D55E00', '--')
    """
    if isinstance(index, bool) or not isinstance(index, int | np.integer) or index < 0:
        raise CourseValueError(
            f"series index must be a whole number >= 0; got {index!r}. Count series from 0."
        )
    i = int(index) % len(_CYCLE)
    return {
        "color": PALETTE[_CYCLE[i]],
        "linestyle": LINESTYLES[i],
        "marker": MARKERS[i],
        "markevery": 0.1,
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


def format_number(x: float) -> str:
    """A short, readable number: 3 significant digits, thousands separators, no 1e-05 noise.

    Examples
    --------
    >>> [format_number(v) for v in (0.000247, 0.5, 12.345, 4050.2, 2.5e7)]
    ['0.000247', '0.5', '12.3', '4,050', '2.5e+07']
    """
    x = float(x)
    if x == 0 or not np.isfinite(x):
        return f"{x:g}"
    if 1e-4 <= abs(x) < 1e6:
        digits = max(0, 2 - int(np.floor(np.log10(abs(x)))))
        text = f"{x:,.{digits}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{x:.3g}"


def _unit_of(label: str) -> str:
    return label[label.rfind("(") + 1 : -1] if label.endswith(")") and "(" in label else ""


def describe_series(name: str, x: np.ndarray, y: np.ndarray, x_unit: str = "") -> str:
    """One clause that says how ``y`` changes along ``x``: rises, falls, peaks, stays flat.

    Examples
    --------
    >>> describe_series("occupancy", np.array([1, 10, 100]), np.array([0.1, 0.5, 0.9]), "pM")
    'occupancy rises from 0.1 to 0.9 between 1 and 100 pM'
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size == 0:
        return f"{name} has no finite values"
    unit = f" {x_unit}" if x_unit else ""
    f = format_number
    if x.size == 1:
        return f"{name} is {f(y[0])} at {f(x[0])}{unit}"
    span = np.ptp(y)
    if span <= 1e-9 * max(1.0, float(np.max(np.abs(y)))):
        return f"{name} stays at {f(y[0])}"
    i_max, i_min = int(np.argmax(y)), int(np.argmin(y))
    if 0 < i_max < y.size - 1 and y[i_max] - max(y[0], y[-1]) > 0.05 * span:
        return (
            f"{name} rises from {f(y[0])} to a peak of {f(y[i_max])} at {f(x[i_max])}{unit}, "
            f"then falls to {f(y[-1])} at {f(x[-1])}{unit}"
        )
    if 0 < i_min < y.size - 1 and min(y[0], y[-1]) - y[i_min] > 0.05 * span:
        return (
            f"{name} falls from {f(y[0])} to a low of {f(y[i_min])} at {f(x[i_min])}{unit}, "
            f"then recovers to {f(y[-1])} at {f(x[-1])}{unit}"
        )
    verb = "rises" if y[-1] > y[0] else "falls"
    return f"{name} {verb} from {f(y[0])} to {f(y[-1])} between {f(x[0])} and {f(x[-1])}{unit}"


def describe_axes(ax: Axes) -> str:
    """A sentence describing every labelled line on ``ax``, computed from the plotted data."""
    x_label, y_label = ax.get_xlabel(), ax.get_ylabel()
    lines = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
    if not lines:
        return f"{y_label or 'y'} against {x_label or 'x'}: nothing is plotted."
    x_unit = _unit_of(x_label)
    clauses = [
        describe_series(ln.get_label(), ln.get_xdata(), ln.get_ydata(), x_unit) for ln in lines
    ]
    return f"{y_label} against {x_label}: " + "; ".join(clauses) + "."


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
        (curve,) = ax.plot(x, np.full_like(x, y, dtype=float), color=colour, ls=style, lw=2,
                           marker=marker, markevery=markevery, ms=5, label=label)  # fmt: skip
        (point,) = ax.plot([1.0], [y], marker=marker, ms=point_size, color=colour, mec="black",
                           ls="none", zorder=5)  # fmt: skip
        curves.append(curve)
        points.append(point)
    return curves, points
