"""Lesson 07 figure: a prevention study in DEN/TCPOBOP mice, from serum sgp130Fc to mice per group.

One chain of simulations, each step from the library: the serum level of injected sgp130Fc
sets the trans- and classic signals of a male mouse's liver cells (`course_lib.models.liver.signals`
with ``MOUSE_MILIEU.with_values(sgp130fc_protein=...)``); the signals set the expected tumours
per liver at harvest for sgp130Fc against control Fc from the chosen week
(`course_lib.models.liver.expected_tumours`); the fall in tumours sets the power of a two-group study
(`course_lib.models.design.power`, the lesson 06 defaults: blocked randomisation by litter, blinded
counting, litter effect and attrition). Everything is simulated.

`PreventionStudy` is drawn once and updated in place (``update(...)`` returns a description
computed from the data; ``animated`` lists the artists that move). `study_numbers` gives the
numbers without a figure; it keeps recent results, so a slider moved back and forth is free.

>>> s = study_numbers(10.0, 4)
>>> bool(s.treated_tumours < 0.2 * s.control_tumours), s.n_for_80 is not None
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from course_lib.errors import CourseValueError, require_in_range, require_name
from course_lib.figures.plotting import PALETTE, format_number, label_axes, new_figure
from course_lib.models.count_tests import TESTS
from course_lib.models.design import power
from course_lib.models.hepatocarcinogenesis import MOUSE_MILIEU
from course_lib.models.liver import expected_tumours, signals

__all__ = [
    "HARVEST_WEEK",
    "N_GRID",
    "SEED",
    "SERUM_RANGE_UG_ML",
    "SIMULATED_EXPERIMENTS",
    "START_WEEKS",
    "PreventionStudy",
    "StudyNumbers",
    "study_numbers",
]

#: Serum sgp130Fc while treated, µg/mL: the plausible range of ``sgp130fc_protein``.
SERUM_RANGE_UG_ML: tuple[float, float] = MOUSE_MILIEU["sgp130fc_protein"].bounds
#: Weeks of age at which treatment may start: from the DEN injection (week 2) to week 30.
START_WEEKS: tuple[int, int] = (2, 30)
#: Mice per group on the power curve (the planner's slider offers exactly these).
N_GRID: tuple[int, ...] = (3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 40)
#: Simulated experiments per group size: enough for a curve, few enough for a slider.
SIMULATED_EXPERIMENTS = 160
#: The fixed seed of the power simulations (the same draws at every setting).
SEED = 2017
#: Week of age at harvest (the model's default, as in lesson 05).
HARVEST_WEEK = 40.0
_CACHE_SIZE = 512
_F = format_number
_SIGNALS = (  # (field of Signals, label, colour, hatch)
    ("hepatocyte_trans", "trans, hepatocyte", PALETTE["vermillion"], "//"),
    ("endothelial_trans", "trans, endothelial cell", PALETTE["orange"], "xx"),
    ("hepatocyte_classic", "classic, hepatocyte", PALETTE["blue"], ""),
)
_GROUPS = (("control Fc", PALETTE["sky blue"], ""), ("sgp130Fc", PALETTE["bluish green"], ".."))


@dataclass(frozen=True)
class StudyNumbers:
    """One setting of the prevention study and what the simulations give (all simulated).

    Signals are fractions of an untreated wild-type male's level while treated; tumours are
    expected countable tumours per liver at `HARVEST_WEEK`; ``power`` is the fraction of
    `SIMULATED_EXPERIMENTS` experiments with p < 0.05 at each n of `N_GRID`.
    """

    serum_ug_ml: float
    treatment_start: float
    test: str
    hepatocyte_trans: float
    endothelial_trans: float
    hepatocyte_classic: float
    control_tumours: float
    treated_tumours: float
    reduction: float
    n: np.ndarray
    power: np.ndarray
    n_for_80: int | None


_cache: dict[tuple, StudyNumbers] = {}


@lru_cache(maxsize=_CACHE_SIZE)
def _tumours(serum_ug_ml: float, start: float, treatment: str) -> float:
    """Expected tumours per liver; control Fc does not depend on the serum level."""
    milieu = MOUSE_MILIEU.with_values(sgp130fc_protein=serum_ug_ml)
    return expected_tumours(treatment=treatment, treatment_start=start, milieu=milieu,
                            harvest_week=HARVEST_WEEK)  # fmt: skip


def study_numbers(serum_ug_ml: float, treatment_start: float,
                  test: str = "Mann-Whitney") -> StudyNumbers:  # fmt: skip
    """The whole chain for one setting: signals, expected tumours, power at every n.

    Parameters
    ----------
    serum_ug_ml : float
        Serum sgp130Fc while treated, µg/mL, within `SERUM_RANGE_UG_ML`.
    treatment_start : float
        Week of age at which sgp130Fc or control Fc starts, within `START_WEEKS`.
    test : str
        A name from `course_lib.models.count_tests.TESTS`.
    """
    low, high = SERUM_RANGE_UG_ML
    level = float(require_in_range("serum_ug_ml", serum_ug_ml, low * (1 - 1e-9),
                                   high * (1 + 1e-9), "µg/mL"))  # fmt: skip
    level = min(max(level, low), high)  # log sliders round a hair past their ends
    start = float(require_in_range("treatment_start", treatment_start, *START_WEEKS,
                                   "weeks of age"))  # fmt: skip
    name = require_name("test", test, TESTS)
    key = (round(level, 12), start, name)
    hit = _cache.pop(key, None)
    if hit is None:
        milieu = MOUSE_MILIEU.with_values(sgp130fc_protein=level)
        sig = signals(treatment="sgp130Fc", treatment_start=start, milieu=milieu)
        control = _tumours(SERUM_RANGE_UG_ML[0], start, "control Fc")
        treated = min(_tumours(level, start, "sgp130Fc"), control)
        reduction = min(1.0 - treated / control, 0.99) if control > 0 else 0.0
        curve = power(control, reduction, N_GRID, test=name, n_experiments=SIMULATED_EXPERIMENTS,
                      rng=SEED)  # fmt: skip
        hit = StudyNumbers(
            level, start, name, sig.hepatocyte_trans[1], sig.endothelial_trans[1],
            sig.hepatocyte_classic[1], control, treated, reduction, curve.n, curve.power,
            curve.sample_size(0.8),
        )  # fmt: skip
    _cache[key] = hit  # most recently used last
    if len(_cache) > _CACHE_SIZE:
        _cache.pop(next(iter(_cache)))
    return hit


class PreventionStudy:
    """Three panels for one planned study (simulated).

    Left: trans-signalling (hepatocyte, hatched; endothelial cell, cross-hatched) and classic
    signalling (hepatocyte, plain) while treated, as % of an untreated male. Middle: expected
    tumours per liver, control Fc (plain) and sgp130Fc (dotted). Right: power against mice per
    group (line with circles), the 80% target (dashed), the first n that reaches it (star) and
    the chosen n (diamond, dotted vertical line). Dotted lines on the left mark 10% and 90%.

    Parameters
    ----------
    serum_ug_ml, treatment_start, test
        As in `study_numbers`.
    n_per_group : int
        Mice per group, one of `N_GRID`.
    """

    def __init__(self, serum_ug_ml: float = 10.0, treatment_start: float = 4,
                 n_per_group: int = 10, test: str = "Mann-Whitney", *,
                 figure: Figure | None = None) -> None:  # fmt: skip
        self.figure = figure if figure is not None else new_figure(9.0, 3.5)
        fig = self.figure
        a1 = fig.add_axes((0.16, 0.2, 0.17, 0.63))
        a2 = fig.add_axes((0.43, 0.2, 0.17, 0.63))
        a3 = fig.add_axes((0.69, 0.2, 0.29, 0.63))
        self.axes = (a1, a2, a3)
        y = np.arange(len(_SIGNALS))[::-1]
        a1.barh(y, [100.0] * 3, height=0.6, facecolor="none", edgecolor="0.45", ls="--", lw=1)
        self._signal_bars = a1.barh(y, [100.0] * 3, height=0.6, edgecolor="black",
                                    color=[s[2] for s in _SIGNALS],
                                    hatch=None)  # fmt: skip
        for bar, spec in zip(self._signal_bars, _SIGNALS, strict=True):
            bar.set_hatch(spec[3])
        a1.set_yticks(y, [s[1].replace(", ", ",\n") for s in _SIGNALS], fontsize=8.5)
        a1.set_xlim(0, 135)
        a1.set_xticks([0, 50, 100])
        a1.axvline(10, color="0.5", ls=":", lw=1)
        a1.axvline(90, color="0.5", ls=":", lw=1)
        a1.set_xlabel("signal left (% of untreated,\n dashed outline)", fontsize=9)
        a1.set_title("Simulated: liver signals", loc="left", fontsize=10)
        self._signal_text = [a1.text(0, yy, "", va="center", fontsize=8.5) for yy in y]
        self._tumour_bars = a2.bar([0, 1], [1.0, 1.0], width=0.6, edgecolor="black",
                                   color=[g[1] for g in _GROUPS])  # fmt: skip
        for bar, group in zip(self._tumour_bars, _GROUPS, strict=True):
            bar.set_hatch(group[2])
        a2.set_xticks([0, 1], [g[0] for g in _GROUPS], fontsize=8.5)
        a2.set_xlim(-0.6, 1.6)
        a2.set_ylim(0, 16)
        a2.set_ylabel("tumours per liver (mean, count)", fontsize=9)
        a2.set_title("Simulated: tumours", loc="left", fontsize=10)
        self._tumour_text = [a2.text(x, 0, "", ha="center", va="bottom", fontsize=8.5)
                             for x in (0, 1)]  # fmt: skip
        a3.axhline(80, color="black", ls="--", lw=1)
        (self._curve,) = a3.plot(N_GRID, [0.0] * len(N_GRID), color=PALETTE["reddish purple"],
                                 marker="o", ms=4, lw=1.8)  # fmt: skip
        self._chosen_line = a3.axvline(10, color="0.3", lw=1, ls=":")
        (self._chosen,) = a3.plot([10], [0.0], "D", color="black", ms=7)
        (self._needed,) = a3.plot([10], [80.0], "*", color=PALETTE["vermillion"], ms=13,
                                  markeredgecolor="black")  # fmt: skip
        a3.set_xlim(0, max(N_GRID) + 2)
        a3.set_ylim(0, 105)
        a3.set_yticks([0, 20, 40, 60, 80, 100])
        label_axes(a3, x=("mice per group", "mice"), y=("power", "%"))
        a3.set_title("Simulated: power (p < 0.05)", loc="left", fontsize=10)
        a3.legend([self._curve, a3.get_lines()[0], self._needed, self._chosen],
                  ["power curve", "80% target", "first n with 80%", "your n"], fontsize=7.5,
                  loc="lower right", frameon=True)  # fmt: skip
        for ax in self.axes:
            ax.tick_params(labelsize=8.5)
        a2.legend([Patch(facecolor=g[1], edgecolor="black", hatch=g[2]) for g in _GROUPS],
                  [g[0] for g in _GROUPS], fontsize=7.5, loc="upper right")  # fmt: skip
        self.animated = (*self._signal_bars, *self._signal_text, *self._tumour_bars,
                         *self._tumour_text, self._curve, self._chosen_line, self._chosen,
                         self._needed)  # fmt: skip
        self.description = self.update(serum_ug_ml, treatment_start, n_per_group, test)

    def update(self, serum_ug_ml: float, treatment_start: float, n_per_group: int,
               test: str) -> str:  # fmt: skip
        """Recompute (cached by setting), move the artists and return the description."""
        if n_per_group not in N_GRID or isinstance(n_per_group, bool):
            raise CourseValueError(
                f"n_per_group must be one of {', '.join(map(str, N_GRID))} mice; got "
                f"{n_per_group!r}. Pick the nearest of these group sizes."
            )
        s = self.numbers = study_numbers(serum_ug_ml, treatment_start, test)
        n = self.n_per_group = int(n_per_group)
        self.power_at_n = float(s.power[list(N_GRID).index(n)])
        for bar, text, spec in zip(self._signal_bars, self._signal_text, _SIGNALS, strict=True):
            pct = 100 * getattr(s, spec[0])
            bar.set_width(pct)
            text.set_x(pct + 3)
            text.set_text(f"{_F(pct)}%")
        for bar, text, value in zip(self._tumour_bars, self._tumour_text,
                                    (s.control_tumours, s.treated_tumours), strict=True):  # fmt: skip
            bar.set_height(value)
            text.set_y(value + 0.3)
            text.set_text(_F(value))
        self._curve.set_ydata(100 * s.power)
        self._chosen_line.set_xdata([n, n])
        self._chosen.set_data([n], [100 * self.power_at_n])
        self._needed.set_visible(s.n_for_80 is not None)
        if s.n_for_80 is not None:
            self._needed.set_data(
                [s.n_for_80], [100 * float(s.power[list(N_GRID).index(s.n_for_80)])]
            )
        self.description = self.describe()
        return self.description

    def describe(self) -> str:
        """The figure's content in one sentence, from the numbers it plots."""
        s, n = self.numbers, self.n_per_group
        need = (f"80% power first needs {s.n_for_80} mice per group" if s.n_for_80
                else f"80% power is not reached with up to {N_GRID[-1]} mice per group")  # fmt: skip
        caveat = (
            " Classic signalling falls as well: in this mouse serum sIL-6R outnumbers IL-6, so "
            "the trap also takes IL-6 from the hepatocyte's own receptor (Garbers 2011)."
            if s.hepatocyte_classic < 0.9
            else ""
        )
        return (
            f"Simulated prevention study in DEN/TCPOBOP males: with {_F(s.serum_ug_ml)} µg/mL "
            f"sgp130Fc in serum from week {s.treatment_start:g} of age to harvest at week "
            f"{HARVEST_WEEK:g}, trans-signalling is at {_F(100 * s.hepatocyte_trans)}% "
            f"(hepatocyte) and {_F(100 * s.endothelial_trans)}% (endothelial cell) of an "
            f"untreated male's level and classic signalling at "
            f"{_F(100 * s.hepatocyte_classic)}%; expected tumours per liver fall from "
            f"{_F(s.control_tumours)} (control Fc) to {_F(s.treated_tumours)} (sgp130Fc), a "
            f"{_F(100 * s.reduction)}% reduction; with {n} mice per group the {s.test} test "
            f"finds it (p < 0.05) in {_F(100 * self.power_at_n)}% of {SIMULATED_EXPERIMENTS} "
            f"simulated experiments, and {need}.{caveat}"
        )
