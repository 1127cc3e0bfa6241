"""Lesson 07 figure: a prevention study in DEN/TCPOBOP mice, from serum sgp130Fc to mice per group.

`PreventionStudy` draws the numbers of `course_lib.models.prevention.study_numbers` (liver
signals while treated, expected tumours, power against mice per group; all simulated). It is
drawn once and updated in place: ``update(...)`` returns a description computed from the data,
``animated`` lists the artists that move.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from course_lib._text import format_number
from course_lib.errors import CourseValueError
from course_lib.figures.plotting import (
    PALETTE,
    TEXT_PT,
    TITLE_PT,
    finish_figure,
    label_axes,
    new_figure,
)
from course_lib.models.prevention import HARVEST_WEEK, N_GRID, SIMULATED_EXPERIMENTS, study_numbers

__all__ = ["PreventionStudy"]

_F = format_number
_SIGNALS = (  # (field of Signals, label, colour, hatch)
    ("hepatocyte_trans", "trans, hepatocyte", PALETTE["vermillion"], "//"),
    ("endothelial_trans", "trans, endothelial cell", PALETTE["orange"], "xx"),
    ("hepatocyte_classic", "classic, hepatocyte", PALETTE["blue"], ""),
)
_GROUPS = (("control Fc", PALETTE["sky blue"], ""), ("sgp130Fc", PALETTE["bluish green"], ".."))


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

    def __init__(
        self,
        serum_ug_ml: float = 30.0,
        treatment_start: float = 4,
        n_per_group: int = 10,
        test: str = "Mann-Whitney",
        *,
        figure: Figure | None = None,
    ) -> None:
        self.figure = figure if figure is not None else new_figure(11.0, 4.8)
        fig = self.figure
        a1 = fig.add_axes((0.14, 0.22, 0.18, 0.66))
        a2 = fig.add_axes((0.43, 0.22, 0.17, 0.66))
        a3 = fig.add_axes((0.7, 0.22, 0.28, 0.66))
        self.axes = (a1, a2, a3)
        self._draw_signals(a1)
        self._draw_tumours(a2)
        self._draw_power(a3)
        finish_figure(self.figure)

        self.animated = (
            *self._signal_bars,
            *self._signal_text,
            *self._tumour_bars,
            *self._tumour_text,
            self._curve,
            self._chosen_line,
            self._chosen,
            self._needed,
        )
        self.description = self.update(serum_ug_ml, treatment_start, n_per_group, test)

    def _draw_signals(self, ax) -> None:
        """Left: a hatched bar per liver signal over its untreated level (dashed outline)."""
        y = np.arange(len(_SIGNALS))[::-1]
        ax.barh(y, [100.0] * 3, height=0.6, facecolor="none", edgecolor="0.45", ls="--", lw=1)
        self._signal_bars = ax.barh(
            y,
            [100.0] * 3,
            height=0.6,
            edgecolor="black",
            color=[s[2] for s in _SIGNALS],
            hatch=None,
        )
        for bar, spec in zip(self._signal_bars, _SIGNALS, strict=True):
            bar.set_hatch(spec[3])
        ax.set_yticks(y, [s[1].replace(", ", ",\n") for s in _SIGNALS], fontsize=TEXT_PT)
        ax.set_xlim(0, 135)
        ax.set_xticks([0, 50, 100])
        ax.axvline(10, color="0.5", ls=":", lw=1)
        ax.axvline(90, color="0.5", ls=":", lw=1)
        ax.set_xlabel("signal left (% of\nuntreated = dashed)", fontsize=TEXT_PT)
        ax.set_title("Simulated: liver signals", loc="left", fontsize=TITLE_PT)
        self._signal_text = [ax.text(0, yy, "", va="center", fontsize=TEXT_PT) for yy in y]

    def _draw_tumours(self, ax) -> None:
        """Middle: expected tumours per liver, a bar per group (control Fc, sgp130Fc)."""
        self._tumour_bars = ax.bar(
            [0, 1], [1.0, 1.0], width=0.6, edgecolor="black", color=[g[1] for g in _GROUPS]
        )
        for bar, group in zip(self._tumour_bars, _GROUPS, strict=True):
            bar.set_hatch(group[2])
        ax.set_xticks([0, 1], [g[0].replace(" ", "\n") for g in _GROUPS], fontsize=TEXT_PT)
        ax.set_xlim(-0.6, 1.6)
        ax.set_ylim(0, 16)
        ax.set_ylabel("tumours per liver\n(mean, count)", fontsize=TEXT_PT)
        ax.set_title("Simulated: tumours", loc="left", fontsize=TITLE_PT)
        self._tumour_text = [
            ax.text(x, 0, "", ha="center", va="bottom", fontsize=TEXT_PT) for x in (0, 1)
        ]

    def _draw_power(self, ax) -> None:
        """Right: power against mice per group, the 80% target, the first n and the chosen n."""
        ax.axhline(80, color="black", ls="--", lw=1)
        (self._curve,) = ax.plot(
            N_GRID, [0.0] * len(N_GRID), color=PALETTE["reddish purple"], marker="o", ms=4, lw=1.8
        )
        self._chosen_line = ax.axvline(10, color="0.3", lw=1, ls=":")
        (self._chosen,) = ax.plot([10], [0.0], "D", color="black", ms=7)
        (self._needed,) = ax.plot(
            [10], [80.0], "*", color=PALETTE["vermillion"], ms=13, markeredgecolor="black"
        )
        ax.set_xlim(0, max(N_GRID) + 2)
        ax.set_ylim(0, 105)
        ax.set_yticks([0, 20, 40, 60, 80, 100])
        label_axes(ax, x=("mice per group", "mice"), y=("power", "%"))
        ax.set_title("Simulated: power (p < 0.05)", loc="left", fontsize=TITLE_PT)
        ax.legend(
            [self._curve, ax.get_lines()[0], self._needed, self._chosen],
            ["power curve", "80% target", "first n with 80%", "your n"],
            fontsize=TEXT_PT,
            loc="lower right",
            frameon=True,
        )

    def update(
        self, serum_ug_ml: float, treatment_start: float, n_per_group: int, test: str
    ) -> str:
        """Recompute (cached by setting), move the artists and return the description."""
        if n_per_group not in N_GRID or isinstance(n_per_group, bool):
            raise CourseValueError(
                f"n_per_group must be one of {', '.join(map(str, N_GRID))} mice; got "
                f"{n_per_group!r}. Pick the nearest of these group sizes."
            )
        s = self.numbers = study_numbers(serum_ug_ml, treatment_start, test)
        n = self.n_per_group = int(n_per_group)
        self.power_at_n = s.power_at(n)
        for bar, text, spec in zip(self._signal_bars, self._signal_text, _SIGNALS, strict=True):
            pct = 100 * getattr(s, spec[0])
            bar.set_width(pct)
            text.set_x(pct + 3)
            text.set_text(f"{_F(pct)}%")
        for bar, text, value in zip(
            self._tumour_bars,
            self._tumour_text,
            (s.control_tumours, s.treated_tumours),
            strict=True,
        ):
            bar.set_height(value)
            text.set_y(value + 0.3)
            text.set_text(_F(value))
        self._curve.set_ydata(100 * s.power)
        self._chosen_line.set_xdata([n, n])
        self._chosen.set_data([n], [100 * self.power_at_n])
        self._needed.set_visible(s.n_for_80 is not None)
        if s.n_for_80 is not None:
            self._needed.set_data([s.n_for_80], [100 * s.power_at(s.n_for_80)])
        self.description = self.describe()
        self.headline = self._headline()
        return self.description

    def _headline(self) -> str:
        """One short sentence: the tumour reduction and the power of the chosen group size."""
        s = self.numbers
        return (
            f"Serum sgp130Fc at {_F(s.serum_ug_ml)} µg/mL cuts tumours by "
            f"{_F(100 * s.reduction)}%, found in {_F(100 * self.power_at_n)}% of studies with "
            f"{self.n_per_group} mice per group (simulated)."
        )

    def describe(self) -> str:
        """The figure's content in one sentence, from the numbers it plots."""
        s, n = self.numbers, self.n_per_group
        need = (
            f"80% power first needs {s.n_for_80} mice per group"
            if s.n_for_80
            else f"80% power is not reached with up to {N_GRID[-1]} mice per group"
        )
        low, high = s.window_ug_ml
        if low != low:  # NaN: no window at all
            window = " No serum level keeps trans below 10% with classic above 90%."
        else:
            where = "inside" if s.in_window else ("below" if s.serum_ug_ml < low else "above")
            window = (
                f" This level is {where} the window of {_F(low)} to {_F(high)} µg/mL, where "
                "trans-signalling is at most 10% and classic signalling at least 90%."
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
            f"simulated experiments, and {need}.{window}"
        )
