"""Lesson figures whose artists are drawn once and then updated in place (fast redraws).

Each class draws on axes it is given (or makes its own figure), exposes ``update(...)`` that
moves the existing artists, and returns a one-sentence description computed from the data.

>>> scale = ConcentrationScale(il6_pg_ml=5.19, kd_nM=1.0)
>>> scale.update(il6_pg_ml=10_000, kd_nM=1.0)[:60]
'IL-6 at 10,000 pg/mL is 476 pM, 2.1 times below the 1 nM Kd '
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from course_lib._text import format_number
from course_lib.errors import CourseValueError, as_nonnegative
from course_lib.figures.plotting import (
    PALETTE,
    TEXT_PT,
    TITLE_PT,
    finish_figure,
    label_axes,
    new_figure,
)
from course_lib.models.affinities import AFFINITIES
from course_lib.models.binding import fractional_occupancy
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import to_molar

__all__ = ["IL6_RANGES_PG_ML", "ConcentrationScale"]

#: Reference ranges of serum IL-6, pg/mL, from `SERUM_HUMAN` (label, low, high).
IL6_RANGES_PG_ML: tuple[tuple[str, float, float], ...] = tuple(
    (label, *SERUM_HUMAN[name].bounds)
    for label, name in (
        ("healthy adults", "il6_healthy"),
        ("HCC patients", "il6_hcc"),
        ("sepsis", "il6_sepsis"),
    )
)
_X_PM = (1e-3, 1e5)  # the axis spans 0.001 pM to 100 nM
_HATCHES = ("///", "...", "xxx")
_BACKING = {
    "facecolor": "white",
    "edgecolor": "none",
    "alpha": 0.8,
    "pad": 1.0,
}  # lines pass behind


def _pm(pg_ml) -> np.ndarray | float:
    return to_molar(pg_ml, "pg/mL", "IL-6", to="pM")


class ConcentrationScale:
    """Where an IL-6 concentration sits: serum ranges, the IL-6R Kd, and occupancy.

    Top panel: the reported ranges of serum IL-6 as hatched bars on a molar scale. Bottom
    panel: the fraction of a receptor with dissociation constant ``kd_nM`` that IL-6 would
    occupy if binding did not deplete it. Vertical lines mark the chosen IL-6 (solid), the Kd
    (dashed) and serum sIL-6R (dotted), each with a text label.

    Parameters
    ----------
    il6_pg_ml : float
        IL-6, pg/mL.
    kd_nM : float
        Kd of IL-6 for IL-6R, nM.
    figure : matplotlib.figure.Figure, optional
        Drawn into; a new 9 x 5 inch figure by default.
    """

    def __init__(self, il6_pg_ml: float, kd_nM: float, *, figure: Figure | None = None) -> None:
        self.figure = figure if figure is not None else new_figure(9.0, 5.0)
        fig = self.figure
        fig.subplots_adjust(left=0.17, right=0.95, top=0.92, bottom=0.13, hspace=0.1)
        grid = fig.add_gridspec(2, 1, height_ratios=(1, 2))
        self.ranges_ax = fig.add_subplot(grid[0])
        self.ax = fig.add_subplot(grid[1], sharex=self.ranges_ax)
        self._draw_static()
        self._il6_lines = [a.axvline(1.0, color=PALETTE["black"], lw=2.2) for a in self._axes]
        self._kd_lines = [
            a.axvline(1.0, color=PALETTE["vermillion"], lw=1.6, ls="--") for a in self._axes
        ]
        (self._point,) = self.ax.plot([1.0], [0.5], "o", ms=9, color=PALETTE["black"], zorder=5)
        self._il6_text = self.ax.text(
            1.0,
            0.72,
            "",
            transform=self._xdata_yaxes_main,
            va="center",
            fontsize=TEXT_PT,
            fontweight="bold",
            bbox=_BACKING,
        )
        self._kd_text = self.ax.text(
            1.0,
            0.04,
            "",
            transform=self._xdata_yaxes_main,
            ha="left",
            va="bottom",
            fontsize=TEXT_PT,
            color=PALETTE["vermillion"],
            bbox=_BACKING,
        )
        #: the artists `update` changes; everything else is static
        finish_figure(self.figure)

        self.animated = (
            self._curve,
            *self._il6_lines,
            *self._kd_lines,
            self._point,
            self._il6_text,
            self._kd_text,
        )
        self.description = self.update(il6_pg_ml, kd_nM)

    @property
    def _axes(self):
        return (self.ranges_ax, self.ax)

    def _draw_static(self) -> None:
        rax, ax = self.ranges_ax, self.ax
        self._xdata_yaxes = rax.get_xaxis_transform()
        self._xdata_yaxes_main = ax.get_xaxis_transform()
        for row, ((_label, low, high), hatch) in enumerate(
            zip(IL6_RANGES_PG_ML, _HATCHES, strict=True)
        ):
            lo_pm, hi_pm = _pm(max(low, 0.02)), _pm(high)
            rax.barh(
                row,
                hi_pm - lo_pm,
                left=lo_pm,
                height=0.6,
                hatch=hatch,
                facecolor="white",
                edgecolor=PALETTE["blue"],
                lw=1.2,
            )
        rax.set_yticks(range(len(IL6_RANGES_PG_ML)), [r[0] for r in IL6_RANGES_PG_ML])
        rax.set_ylim(-0.6, len(IL6_RANGES_PG_ML) - 0.4)
        rax.invert_yaxis()
        rax.tick_params(axis="x", labelbottom=False)
        rax.set_title("Serum IL-6 reported ranges", loc="left", fontsize=TITLE_PT)

        self._curve_x = np.logspace(np.log10(_X_PM[0]), np.log10(_X_PM[1]), 400)
        (self._curve,) = ax.plot(
            self._curve_x,
            np.zeros_like(self._curve_x),
            color=PALETTE["blue"],
            lw=2,
            label="IL-6R occupied",
        )
        sil6r_pm = to_molar(SERUM_HUMAN.value("sil6r"), "ng/mL", "sIL-6R", to="pM")
        ax.axvline(sil6r_pm, color=PALETTE["bluish green"], lw=1.6, ls=":")
        ax.text(
            sil6r_pm,
            0.96,
            "serum sIL-6R ",
            transform=ax.get_xaxis_transform(),
            ha="right",
            va="top",
            fontsize=TEXT_PT,
            color=PALETTE["bluish green"],
        )
        ax.set_xscale("log")
        ax.set_xlim(*_X_PM)
        ax.set_ylim(0, 1.02)
        label_axes(ax, x=("concentration", "pM"), y=("IL-6R occupied", "fraction"))

    def update(self, il6_pg_ml: float, kd_nM: float) -> str:
        """Move the IL-6 and Kd markers and the occupancy curve; return the description."""
        il6 = float(as_nonnegative("il6_pg_ml", il6_pg_ml, "pg/mL"))
        kd = float(as_nonnegative("kd_nM", kd_nM, "nM"))
        low, high = AFFINITIES["kd_il6_il6r"].bounds
        if not low * (1 - 1e-9) <= kd <= high * (1 + 1e-9):  # allow log-slider rounding
            raise CourseValueError(
                f"kd_nM must lie within [{low:g}, {high:g}] nM, the plausible range for IL-6 "
                f"binding IL-6R; got {kd:g} nM. Choose a value inside that range."
            )
        il6_pm = float(_pm(il6))
        shown = min(max(il6_pm, _X_PM[0]), _X_PM[1])  # keep the marker on the axis
        kd_pm = kd * 1e3
        self._curve.set_ydata(fractional_occupancy(self._curve_x / 1e3, kd))
        occupied = fractional_occupancy(il6_pm / 1e3, kd)
        for line in self._il6_lines:
            line.set_xdata([shown, shown])
        for line in self._kd_lines:
            line.set_xdata([kd_pm, kd_pm])
        self._point.set_data([shown], [occupied])
        self._il6_text.set_x(shown)
        on_right = shown < 30.0  # put the label on the side with room
        self._il6_text.set_horizontalalignment("left" if on_right else "right")
        label = f"IL-6 {format_number(il6)} pg/mL"
        self._il6_text.set_text(f"  {label}" if on_right else f"{label}  ")
        self._kd_text.set_x(kd_pm)
        self._kd_text.set_text(f" Kd {format_number(kd)} nM")
        self.description = self.describe(il6, kd)
        self.headline = self._headline(il6, kd)
        return self.description

    @staticmethod
    def _headline(il6_pg_ml: float, kd_nM: float) -> str:
        """One short sentence: the chosen IL-6 and the receptor it occupies."""
        occupied = fractional_occupancy(float(_pm(il6_pg_ml)) / 1e3, kd_nM)
        return (
            f"IL-6 at {format_number(il6_pg_ml)} pg/mL occupies "
            f"{format_number(100 * occupied)}% of IL-6R (Kd {format_number(kd_nM)} nM)."
        )

    @staticmethod
    def describe(il6_pg_ml: float, kd_nM: float) -> str:
        """The figure's content in words, computed from the same numbers it plots."""
        il6_pm = float(_pm(il6_pg_ml))
        kd_pm = kd_nM * 1e3
        occupied = fractional_occupancy(il6_pm / 1e3, kd_nM)
        if il6_pm == 0:
            relation = "none at all, so no receptor is occupied"
        else:
            ratio = kd_pm / il6_pm
            relation = (
                f"{format_number(ratio)} times below the {format_number(kd_nM)} nM Kd of IL-6R"
                if ratio >= 1
                else f"{format_number(1 / ratio)} times above the "
                f"{format_number(kd_nM)} nM Kd of IL-6R"
            )
        ranges = [label for label, lo, hi in IL6_RANGES_PG_ML if lo <= il6_pg_ml <= hi]
        where = (
            f"within the reported range for {' and '.join(ranges)}"
            if ranges
            else ("outside the reported serum ranges")
        )
        return (
            f"IL-6 at {format_number(il6_pg_ml)} pg/mL is {format_number(il6_pm)} pM, "
            f"{relation}; a receptor that does not deplete it would be "
            f"{format_number(100 * occupied)}% occupied. This lies {where}."
        )
