"""Lesson 03 figures: pSTAT3 and SOCS3 over time, and peak pSTAT3 against dose.

Both views are drawn once and updated in place (like `course_lib.figures.serum`). Every number
is simulated with `course_lib.models.signaling`, through `course_lib.models.culture` (doses in
ng/mL, runs remembered by setting): `TimeCourseView` shows `time_course` for one cell and one
stimulus; `DoseResponseView` shows `dose_response_curve` over its 40 doses.

>>> view = TimeCourseView()
>>> view.update("hepatocyte", "IL-6", 10.0, 40.0, True, "cell")[:43]
'Simulated hepatocyte, 10 ng/mL IL-6 alone, '
>>> 15 <= view.run.peak_time() <= 30
True
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from course_lib._text import format_number
from course_lib.errors import as_scalar, require_name
from course_lib.figures.plotting import (
    PALETTE,
    TEXT_PT,
    TITLE_PT,
    finish_figure,
    label_axes,
    new_figure,
)
from course_lib.models.cell_types import CELL_TYPES
from course_lib.models.culture import (
    DOSES_NG_ML,
    T_END,
    dose_response_curve,
    ec50_ng_ml,
    il6r_for_ratio,
    time_course,
)
from course_lib.models.signaling import STIMULI

__all__ = ["DoseResponseView", "TimeCourseView"]

_PEAK_BAND = (15.0, 30.0)  # min, where pSTAT3 peaks in data (FACTS 3.6)
_BLUE, _RED, _GREY = PALETTE["blue"], PALETTE["vermillion"], "0.55"


class TimeCourseView:
    """pSTAT3 (% of STAT3, left axis) and SOCS3 (relative units, right axis) over 4 hours.

    pSTAT3 is a solid line with circles, SOCS3 a dashed line with squares; the peak is marked
    by a triangle and a dotted line (text is slow to redraw: the description under the figure
    gives its value and time). The grey band
    is where pSTAT3 peaks in experiments (15-30 min, FACTS 3.6). All curves are simulated; the
    last `_CACHE_SIZE` runs are kept, so moving a slider back costs no new simulation.

    Parameters of `update`
    ----------------------
    cell_type : one of `course_lib.models.culture.LESSON_CELLS` (or any name in `CELL_TYPES`)
    stimulus : a name in `STIMULI`
    dose_ng_ml : float, ng/mL of IL-6 or Hyper-IL-6
    sil6r_ng_ml : float, ng/mL of sIL-6R (used with "IL-6 + sIL-6R" only)
    socs3_feedback : bool
    il6r_per_gp130 : float (0-1000) or "cell" for the cell's own IL-6R:gp130 ratio
    """

    def __init__(self, *, figure: Figure | None = None) -> None:
        self.figure = figure if figure is not None else new_figure(8.5, 4.6)
        ax = self.ax = self.figure.add_axes((0.1, 0.13, 0.78, 0.68))
        self.socs3_ax = ax.twinx()
        ax.axvspan(*_PEAK_BAND, color="0.9", zorder=0)
        ax.text(
            np.mean(_PEAK_BAND),
            3,
            "peak in data",
            rotation=90,
            ha="center",
            va="bottom",
            fontsize=TEXT_PT,
            color="0.3",
        )
        (self._pstat3,) = ax.plot(
            [0, T_END],
            [0, 0],
            color=_BLUE,
            lw=2.2,
            marker="o",
            markevery=(0.02, 0.12),
            ms=5,
            label="pSTAT3 (left)",
        )
        (self._socs3,) = self.socs3_ax.plot(
            [0, T_END],
            [0, 0],
            color=_RED,
            lw=2,
            ls="--",
            marker="s",
            markevery=(0.08, 0.12),
            ms=5,
            label="SOCS3 (right)",
        )
        (self._peak,) = ax.plot([0], [0], "v", ms=10, color="black", zorder=6)
        self._peak_line = ax.axvline(0.0, color="black", lw=1, ls=":")
        ax.set_xlim(0, T_END)
        ax.set_xticks([0, 30, 60, 120, 180, 240])
        ax.set_ylim(0, 100)
        self.socs3_ax.set_ylim(0, 100)
        label_axes(ax, x=("time after stimulus", "min"), y=("pSTAT3", "% of STAT3"))
        self.socs3_ax.set_ylabel("SOCS3 (relative units)")
        ax.legend(
            handles=[self._pstat3, self._socs3],
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncol=2,
            fontsize=TEXT_PT,
            frameon=False,
        )  # above the axes: curves fill them
        self.figure.text(0.1, 0.97, "One cell (simulated)", va="top", fontsize=TITLE_PT)
        finish_figure(self.figure)

        self.animated = (self._pstat3, self._socs3, self._peak, self._peak_line)
        self.description = self.update("hepatocyte", "IL-6", 10.0, 40.0, True, "cell")

    def update(
        self, cell_type, stimulus, dose_ng_ml, sil6r_ng_ml, socs3_feedback, il6r_per_gp130="cell"
    ) -> str:
        """Run the time course for these settings, move the curves and the peak; return the text."""
        cell = require_name("cell type", cell_type, CELL_TYPES)
        dose = as_scalar("dose_ng_ml", dose_ng_ml, "ng/mL")
        sil6r = as_scalar("sil6r_ng_ml", sil6r_ng_ml, "ng/mL")
        _, ratio, own = il6r_for_ratio(cell, il6r_per_gp130)
        self.run = run = time_course(cell, stimulus, dose, sil6r, socs3_feedback, il6r_per_gp130)
        self.settings = {
            "cell_type": cell,
            "stimulus": require_name("stimulus", stimulus, STIMULI),
            "dose_ng_ml": dose,
            "sil6r_ng_ml": sil6r,
            "socs3_feedback": bool(socs3_feedback),
            "ratio": ratio,
            "own": own,
        }
        y = 100.0 * run.pstat3
        self._pstat3.set_data(run.t, y)
        self._socs3.set_data(run.t, np.minimum(run.socs3, 100.0))
        peak, when = 100.0 * run.peak(), run.peak_time()
        self._peak.set_data([when], [peak])
        self._peak_line.set_xdata([when, when])
        self.description = self.describe()
        self.headline = self._headline()
        return self.description

    def _headline(self) -> str:
        """One short sentence: the pSTAT3 peak and its time."""
        run, f = self.run, format_number
        if run.peak() <= 0:
            return "No pSTAT3 at any time over 4 h (simulated)."
        return (
            f"pSTAT3 peaks at {f(100 * run.peak())}% of STAT3 at {f(run.peak_time())} min "
            "(simulated)."
        )

    def describe(self) -> str:
        """The figure's content in one sentence, from the simulated numbers."""
        s, run, f = self.settings, self.run, format_number
        what = {
            "IL-6": "IL-6 alone",
            "IL-6 + sIL-6R": f"IL-6 with {f(s['sil6r_ng_ml'])} ng/mL sIL-6R",
            "Hyper-IL-6": "Hyper-IL-6",
        }[s["stimulus"]]
        own = ", the cell's own" if s["own"] else ""
        head = (
            f"Simulated {s['cell_type']}, {f(s['dose_ng_ml'])} ng/mL {what}, IL-6R:gp130 "
            f"{f(s['ratio'])}{own}, SOCS3 feedback {'on' if s['socs3_feedback'] else 'off'}: "
        )
        if run.peak() <= 0:
            return head + "no pSTAT3 at any time over 4 h (no active receptor forms)."
        end = 100.0 * float(run.pstat3[-1])
        return head + (
            f"pSTAT3 peaks at {f(100 * run.peak())}% of STAT3 at {f(run.peak_time())} min and "
            f"is {f(end)}% at 4 h ({f(end / run.peak())}% of the peak); SOCS3 reaches "
            f"{f(float(run.socs3.max()))} relative units."
        )


class DoseResponseView:
    """Peak pSTAT3 (% of STAT3) against dose (ng/mL, log axis), with the EC50 marked.

    The chosen SOCS3 setting is a solid line with circles; the other setting is a thin dashed
    grey line for comparison. A dotted line marks half the maximum and a diamond the EC50,
    written beside it. Curves are simulated and kept: revisiting settings costs nothing.
    """

    def __init__(self, *, figure: Figure | None = None) -> None:
        self.figure = figure if figure is not None else new_figure(8.5, 4.6)
        ax = self.ax = self.figure.add_axes((0.1, 0.13, 0.85, 0.77))
        x = DOSES_NG_ML
        (self._other,) = ax.plot(
            x, 0 * x, color=_GREY, lw=1.3, ls="--", label="other SOCS3 setting"
        )
        (self._curve,) = ax.plot(
            x, 0 * x, color=_BLUE, lw=2.2, marker="o", ms=4, label="chosen setting"
        )
        (self._half,) = ax.plot(x[[0, -1]], [0, 0], color="black", lw=1, ls=":")
        (self._ec50,) = ax.plot([1.0], [0.0], "D", ms=9, color=_RED, mec="black", zorder=6)
        self._ec50_text = ax.text(1.0, 0.0, "", fontsize=TEXT_PT, va="bottom")
        ax.set_xscale("log")
        ax.set_xlim(x[0], x[-1])
        ax.set_ylim(0, 100)
        label_axes(ax, x=("dose", "ng/mL"), y=("peak pSTAT3", "% of STAT3"))
        ax.legend(loc="upper left", fontsize=TEXT_PT)
        ax.set_title(
            "Peak pSTAT3 against dose, first 4 h (simulated)", loc="left", fontsize=TITLE_PT
        )
        finish_figure(self.figure)

        self.animated = (self._other, self._curve, self._half, self._ec50, self._ec50_text)
        self.description = self.update("hepatocyte", "IL-6", True)

    def update(self, cell_type, stimulus, socs3_feedback) -> str:
        """Move the curves and the EC50 for these settings; return the description."""
        cell = require_name("cell type", cell_type, CELL_TYPES)
        stim = require_name("stimulus", stimulus, STIMULI)
        feedback = bool(socs3_feedback)
        self.result = dr = dose_response_curve(cell, stim, feedback)
        other = dose_response_curve(cell, stim, not feedback)
        y = 100.0 * dr.peak
        self._curve.set_ydata(y)
        self._other.set_ydata(100.0 * other.peak)
        half = 0.5 * float(y.max())
        self._half.set_ydata([half, half])
        self.ec50_ng_ml = ec50_ng_ml(dr)
        found = self.ec50_ng_ml is not None
        where = self.ec50_ng_ml if found else 1.0
        self._ec50.set_data([where], [half])
        self._ec50_text.set_position((where * 1.6, half - 7))
        self._ec50_text.set_text(f"EC50 {format_number(where)} ng/mL" if found else "")
        for artist in (self._ec50, self._half):
            artist.set_visible(found)
        self.settings = {"cell_type": cell, "stimulus": stim, "socs3_feedback": feedback}
        self.description = self.describe()
        self.headline = self._headline()
        return self.description

    def _headline(self) -> str:
        """One short sentence: the EC50 and the highest peak."""
        f, top = format_number, 100.0 * float(self.result.peak.max())
        if self.ec50_ng_ml is None:
            return f"Peak pSTAT3 stays at {f(top)}% of STAT3: no EC50 (simulated)."
        return f"EC50 {f(self.ec50_ng_ml)} ng/mL; peak pSTAT3 up to {f(top)}% (simulated)."

    def describe(self) -> str:
        """The figure's content in one sentence, from the simulated numbers."""
        s, dr, f = self.settings, self.result, format_number
        what = "IL-6 with equimolar sIL-6R" if s["stimulus"] == "IL-6 + sIL-6R" else s["stimulus"]
        head = (
            f"Simulated {s['cell_type']}, {what} from {f(DOSES_NG_ML[0])} to "
            f"{f(DOSES_NG_ML[-1])} ng/mL, SOCS3 feedback {'on' if s['socs3_feedback'] else 'off'}: "
        )
        top = 100.0 * float(dr.peak.max())
        if self.ec50_ng_ml is None:
            return head + f"peak pSTAT3 stays at {f(top)}% of STAT3, so there is no EC50."
        return head + (
            f"peak pSTAT3 rises to {f(top)}% of STAT3 with an EC50 of {f(self.ec50_ng_ml)} "
            f"ng/mL ({f(dr.ec50() * 1e3)} pM)."
        )
