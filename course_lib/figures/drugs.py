"""Lesson 04 figures: what each drug blocks, and whether a regimen keeps trans-signalling blocked.

`DrugResponse` and `DosingPlan` are drawn once and updated in place (like
`course_lib.figures.serum`): ``update(...)`` moves the artists and returns a description computed
from the data; ``animated`` lists the artists that move, for blitting. Every number is
simulated with `course_lib.models.therapy` (equilibrium binding in inflamed serum, one-compartment PK).

>>> fig = DrugResponse()
>>> fig.update("sgp130Fc", 100.0, "textbook", 100.0)[:48]
'Simulated with the textbook affinities: sgp130Fc'
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from course_lib._text import format_number
from course_lib.errors import CourseValueError, require_in_range, require_name
from course_lib.figures.plotting import (
    LINESTYLES,
    PALETTE,
    TEXT_PT,
    TITLE_PT,
    finish_figure,
    label_axes,
    new_figure,
    tracked_series,
)
from course_lib.models.affinities import AFFINITY_SETS
from course_lib.models.therapy import (
    CONCENTRATION_AXIS_NM,
    DRUGS,
    IL6_RANGE_NG_ML,
    inflamed_serum,
    inhibition,
    inhibition_curve,
    pk_profile,
    trans_block_level,
)
from course_lib.units import convert

__all__ = ["WEEKS_SHOWN", "DosingPlan", "DrugResponse"]

#: The time axis of the dosing plan, weeks (fixed, so the background can be blitted).
WEEKS_SHOWN = 26.0
_F = format_number
# (pathway, label, colour, line style, marker): line style and marker make colour redundant.
_PATHWAYS = (
    ("classic", "classic\n(hepatocyte)", PALETTE["blue"], LINESTYLES[0], "o"),
    ("trans", "trans\n(endothelial cell)", PALETTE["vermillion"], LINESTYLES[1], "s"),
)


def _check_scalar(name: str, value: object, low: float, high: float, unit: str) -> float:
    x = float(require_in_range(name, value, low * (1 - 1e-9), high * (1 + 1e-9), unit))
    return min(max(x, low), high)  # log sliders round a hair past their ends


class DrugResponse:
    """Classic and trans-signalling left as a drug's concentration rises (simulated).

    One log axis of drug concentration: classic signalling (hepatocyte, solid line, circles)
    and trans-signalling (endothelial cell, dashed line, squares) as % of their drug-free
    level; the selectivity window (trans at most 10% while classic keeps at least 90%)
    hatched when it exists; the chosen concentration marked with the values there.

    Parameters
    ----------
    drug : {"sgp130Fc", "anti-IL-6R", "anti-IL-6"}
    concentration_nM : float
        Drug concentration, nM, within `CONCENTRATION_AXIS_NM`.
    affinity_set : {"textbook", "effective"}
    il6_ng_ml : float
        Serum IL-6, ng/mL, within `IL6_RANGE_NG_ML` (sIL-6R and sgp130 at serum levels).
    points : int
        Concentrations on the curve (80 resolve every IC50 to a few %).
    """

    def __init__(
        self,
        drug: str = "sgp130Fc",
        concentration_nM: float = 10.0,
        affinity_set: str = "textbook",
        il6_ng_ml: float = 10.0,
        *,
        figure: Figure | None = None,
        points: int = 80,
    ) -> None:
        self.figure = figure if figure is not None else new_figure(10.0, 4.8)
        self.concentrations_nM = np.logspace(*np.log10(CONCENTRATION_AXIS_NM), int(points))
        ax = self.ax = self.figure.add_axes((0.09, 0.13, 0.55, 0.78))
        for level in (10, 90):
            ax.axhline(level, color="0.6", lw=0.8, ls=":", zorder=0)
        self._window = Rectangle(
            (1, 0),
            1,
            1,
            transform=ax.get_xaxis_transform(),
            facecolor=PALETTE["bluish green"],
            alpha=0.25,
            hatch="//",
            edgecolor="black",
            lw=0,
        )
        ax.add_patch(self._window)
        self._curves, self._points = tracked_series(
            ax,
            self.concentrations_nM,
            [p[1:] for p in _PATHWAYS],
            y=1.0,
            markevery=(0.04, 0.12),
            point_size=9,
        )
        self._line = ax.axvline(1.0, color="black", lw=1.2)
        ax.set_xscale("log")
        ax.set_xlim(*CONCENTRATION_AXIS_NM)
        ax.set_ylim(-3, 108)
        ax.set_yticks([0, 10, 25, 50, 75, 90, 100])
        ax.tick_params(labelsize=TEXT_PT)
        label_axes(ax, x=("drug concentration", "nM"), y=("signalling remaining", "% of no drug"))
        ax.set_title("Simulated: signalling left at each drug level", loc="left", fontsize=TITLE_PT)
        proxy = Rectangle(
            (0, 0), 1, 1, facecolor=PALETTE["bluish green"], alpha=0.25, hatch="//", lw=0
        )
        ax.legend(
            [*self._curves, proxy],
            [p[1] for p in _PATHWAYS] + ["window:\ntrans ≤ 10%,\nclassic ≥ 90%"],
            fontsize=TEXT_PT,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
        )
        self._readout = self.figure.text(
            0.67, 0.42, "", fontsize=TEXT_PT, va="top", linespacing=1.5
        )
        finish_figure(self.figure)

        self.animated = (self._window, *self._curves, *self._points, self._line, self._readout)
        self.description = self.update(drug, concentration_nM, affinity_set, il6_ng_ml)

    def update(
        self, drug: str, concentration_nM: float, affinity_set: str, il6_ng_ml: float
    ) -> str:
        """Move the curves (recomputed only when drug, affinity set or IL-6 moved) and the
        readout at the chosen concentration; return the description."""
        drug = DRUGS[require_name("drug", drug, DRUGS)].name
        chosen = require_name("affinity set", affinity_set, AFFINITY_SETS)
        conc = _check_scalar("concentration_nM", concentration_nM, *CONCENTRATION_AXIS_NM, "nM")
        il6 = _check_scalar("il6_ng_ml", il6_ng_ml, *IL6_RANGE_NG_ML, "ng/mL")
        curve = inhibition_curve(drug, chosen, il6, len(self.concentrations_nM))
        classic, trans = 100 * curve.classic_remaining, 100 * curve.trans_remaining
        window = curve.window()
        here = inhibition(drug, [conc], background=inflamed_serum(il6), affinities=chosen)
        self.remaining = {  # % of the drug-free level at the chosen concentration
            "classic": 100 * float(here.classic_remaining[0]),
            "trans": 100 * float(here.trans_remaining[0]),
        }
        self.window_nM = window
        self.settings = {
            "drug": drug,
            "concentration_nM": conc,
            "affinity_set": chosen,
            "il6_ng_ml": il6,
        }
        for curve, point, y, key in zip(
            self._curves, self._points, (classic, trans), ("classic", "trans"), strict=True
        ):
            curve.set_ydata(y)
            point.set_data([conc], [self.remaining[key]])
        self._line.set_xdata([conc, conc])
        has_window = not math.isnan(window[0])
        self._window.set_visible(has_window)
        if has_window:
            self._window.set_x(window[0])
            self._window.set_width(window[1] - window[0])
        self._readout.set_text(
            f"{drug}, {_F(conc)} nM\nclassic left {_F(self.remaining['classic'])}%\n"
            f"trans left {_F(self.remaining['trans'])}%\n"
            + (f"window {_F(window[0])}–{_F(window[1])} nM" if has_window else "no window")
        )
        self.description = self.describe()
        self.headline = self._headline()
        return self.description

    def _headline(self) -> str:
        """One short sentence: classic and trans left at the chosen concentration."""
        s, r = self.settings, self.remaining
        return (
            f"{s['drug']} at {_F(s['concentration_nM'])} nM leaves {_F(r['classic'])}% of "
            f"classic and {_F(r['trans'])}% of trans-signalling (simulated)."
        )

    def describe(self) -> str:
        """The figure's content in one sentence, from the numbers it plots."""
        s, r, (low, high) = self.settings, self.remaining, self.window_nM
        ug = float(convert(s["concentration_nM"], "nM", "ug/mL", DRUGS[s["drug"]].molecule))
        window = (
            f"trans-signalling is at most 10% while classic keeps at least 90% between "
            f"{_F(low)} and {_F(high)} nM (the hatched window)"
            if not math.isnan(low)
            else "there is no concentration on the axis where trans-signalling is at most 10% "
            "while classic keeps at least 90% (no window)"
        )
        return (
            f"Simulated with the {s['affinity_set']} affinities: {s['drug']} at "
            f"{_F(s['concentration_nM'])} nM ({_F(ug)} µg/mL) in serum with "
            f"{_F(s['il6_ng_ml'])} ng/mL IL-6 leaves {_F(r['classic'])}% of classic "
            f"signalling (hepatocyte) and {_F(r['trans'])}% of trans-signalling (endothelial "
            f"cell); {window}."
        )


class DosingPlan:
    """Plasma sgp130Fc (olamkicept) over weeks against the level that blocks 90% of trans.

    The drug's concentration (solid line, log axis) over `WEEKS_SHOWN` weeks of repeated IV
    doses (`course_lib.models.therapy.pk_profile`), a dashed line at the concentration that blocks
    90% of trans-signalling and a dotted one at the classic IC50 (both from `inhibition` in
    inflamed serum, 10 ng/mL IL-6, textbook affinities), dose times marked with triangles.

    Parameters
    ----------
    dose_mg, interval_days, half_life_days, n_doses
        The regimen (the half-life of olamkicept is an assumption: see `DRUGS`).
    """

    drug = "sgp130Fc"

    def __init__(
        self,
        dose_mg: float = 600.0,
        interval_days: float = 14.0,
        half_life_days: float | None = None,
        n_doses: int = 6,
        *,
        figure: Figure | None = None,
        points: int = 600,
    ) -> None:
        self.figure = figure if figure is not None else new_figure(10.0, 4.8)
        self._points = int(points)
        self.trans90_nM = trans_block_level(self.drug)
        self.classic_ic50_nM = inhibition_curve(self.drug).ic50("classic")
        ax = self.ax = self.figure.add_axes((0.09, 0.13, 0.55, 0.78))
        ax.axhline(self.trans90_nM, color=PALETTE["vermillion"], ls="--", lw=1.5)
        ax.axhline(self.classic_ic50_nM, color=PALETTE["blue"], ls=":", lw=1.5)
        (self._curve,) = ax.plot([0.0, 1.0], [1.0, 1.0], color="black", lw=2)
        (self._doses,) = ax.plot([0.0], [2e4], "v", color="black", ms=6, clip_on=True)
        ax.set_yscale("log")
        ax.set_xlim(0, WEEKS_SHOWN)
        ax.set_ylim(1e-2, 1e5)
        ax.tick_params(labelsize=TEXT_PT)
        label_axes(ax, x=("time", "weeks"), y=("plasma sgp130Fc", "nM"))
        ax.set_title(
            "Simulated: olamkicept in plasma (one compartment)", loc="left", fontsize=TITLE_PT
        )
        ax.legend(
            ax.get_lines()[:4],
            ["blocks 90%\nof trans", "classic IC50", "plasma level", "dose"],
            fontsize=TEXT_PT,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
        )
        self.figure.text(
            0.67,
            0.55,
            f"levels at 10 ng/mL IL-6,\ntextbook affinities:\n"
            f"trans 90% {_F(self.trans90_nM)} nM\nclassic IC50 "
            f"{_F(self.classic_ic50_nM)} nM",
            fontsize=TEXT_PT,
            va="top",
        )
        self._readout = self.figure.text(0.67, 0.28, "", fontsize=TEXT_PT, va="top")
        finish_figure(self.figure)

        self.animated = (self._curve, self._doses, self._readout)
        self.description = self.update(dose_mg, interval_days, half_life_days, n_doses)

    def update(
        self, dose_mg: float, interval_days: float, half_life_days: float | None, n_doses: int
    ) -> str:
        """Recompute the profile and move the curve; return the description."""
        if not 0 < float(dose_mg) <= 1e4:
            raise CourseValueError(
                f"dose_mg must be above 0 and at most 10,000 mg; got {dose_mg!r}. Clinical "
                "doses of olamkicept were 300 and 600 mg."
            )
        p = self.profile = pk_profile(
            self.drug,
            dose=float(dose_mg),
            unit="mg",
            interval_days=interval_days,
            n_doses=n_doses,
            half_life_days=half_life_days,
            points=self._points,
        )
        weeks = p.t_days / 7.0
        self._curve.set_data(weeks, np.clip(p.concentration_nM, 1e-3, None))
        starts = np.arange(int(n_doses)) * float(interval_days) / 7.0
        self._doses.set_xdata(starts)
        self._doses.set_ydata(np.full(starts.shape, 3e4))
        self.settings = {
            "dose_mg": float(dose_mg),
            "interval_days": float(interval_days),
            "half_life_days": p.half_life_days,
            "n_doses": int(n_doses),
        }
        self.numbers = {
            "peak_nM": float(p.concentration_nM.max()),
            "trough_nM": p.trough(),
            "time_above": 100 * p.time_above(self.trans90_nM),
        }
        self._readout.set_text(
            f"peak {_F(self.numbers['peak_nM'])} nM\ntrough {_F(self.numbers['trough_nM'])} nM"
            f"\nabove the 90% level\n{_F(self.numbers['time_above'])}% of the time"
        )
        self.description = self.describe()
        self.headline = self._headline()
        return self.description

    def _headline(self) -> str:
        """One short sentence: how long the regimen keeps trans-signalling blocked."""
        return (
            f"Plasma sgp130Fc stays above the level that blocks 90% of trans-signalling "
            f"{_F(self.numbers['time_above'])}% of the time (simulated)."
        )

    def describe(self) -> str:
        """The figure's content in one sentence, from the numbers it plots."""
        s, n = self.settings, self.numbers
        span = s["n_doses"] * s["interval_days"] / 7.0
        return (
            f"Simulated: {s['n_doses']} IV doses of {_F(s['dose_mg'])} mg sgp130Fc every "
            f"{_F(s['interval_days'])} days, half-life {_F(s['half_life_days'])} days "
            f"(assumed), peak at {_F(n['peak_nM'])} nM and fall to a trough of "
            f"{_F(n['trough_nM'])} nM; over the {_F(span)} weeks the level that blocks 90% "
            f"of trans-signalling ({_F(self.trans90_nM)} nM) is reached "
            f"{_F(n['time_above'])}% of the time."
        )
