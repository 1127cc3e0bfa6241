"""Lesson 06 figure: simulated power (or false-positive rate) against mice per group.

`PowerFigure` is drawn once and updated in place: ``update(...)`` moves the artists and returns
a description computed from the data; ``animated`` lists the artists that move, for blitting
(the title too, so a new test needs no new background). The curve comes from `course_lib.models.power.power_curve`; it is simulated, not
a result of Bergmann et al.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from course_lib._text import format_number
from course_lib.figures.plotting import (
    PALETTE,
    TEXT_PT,
    TITLE_PT,
    finish_figure,
    label_axes,
    new_figure,
)
from course_lib.models.power import POWER_N, PowerCurve, power_curve

__all__ = ["PowerFigure"]

_F = format_number


class PowerFigure:
    """Simulated power (or false-positive rate) against mice per group.

    One curve (black, circles) of the fraction of simulated experiments with p < alpha at
    each n in `POWER_N`, a band of ± one binomial SE, the 80% line (dashed) and the smallest n
    that reaches it (a star); with no true reduction the y values are the false-positive rate
    and the alpha line (dotted) replaces the 80% line. The curve is cached by its settings.

    Parameters
    ----------
    n_experiments : int, optional
        Simulated experiments per n for every test; default `INTERACTIVE_EXPERIMENTS`.
    seed : int
        The random stream: the same settings always give the same curve.
    """

    def __init__(
        self,
        reduction: float = 0.5,
        test: str = "Mann-Whitney",
        k: float = 3.0,
        control_mean: float = 14.6,
        randomisation: str = "blocked by litter",
        litter_cv: float = 0.0,
        *,
        n_experiments: int | None = None,
        seed: int = 6,
        figure: Figure | None = None,
    ) -> None:
        self.figure = figure if figure is not None else new_figure(9.5, 4.6)
        self.n_experiments, self.seed = n_experiments, int(seed)
        n = np.array(POWER_N, float)
        ax = self.ax = self.figure.add_axes((0.09, 0.13, 0.58, 0.75))
        self._band = ax.fill_between(
            n,
            n * 0,
            n * 0,
            color=PALETTE["sky blue"],
            alpha=0.4,
            lw=0,
            label="± 1 SE (simulation noise)",
        )
        (self._curve,) = ax.plot(n, n * 0, "o-", color="black", lw=2, ms=5, label="simulated")
        self._target = ax.axhline(0.8, color=PALETTE["vermillion"], ls="--", lw=1.3)
        self._alpha = ax.axhline(0.05, color=PALETTE["bluish green"], ls=":", lw=1.8)
        (self._star,) = ax.plot([], [], "*", ms=16, color=PALETTE["orange"], mec="black")
        ax.set_xlim(0, 31)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xticks([3, 5, 8, 10, 15, 20, 25, 30])
        ax.tick_params(labelsize=TEXT_PT)
        label_axes(ax, x=("mice per group", "mice"), y=("experiments with p < 0.05", "fraction"))
        self._title = self.figure.text(0.09, 0.93, "", fontsize=TITLE_PT)
        ax.legend(
            [self._curve, self._band, self._target, self._alpha, self._star],
            ["simulated", "± 1 SE", "80% power", "alpha 0.05", "first n with 80%"],
            fontsize=TEXT_PT,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
        )
        self._readout = self.figure.text(
            0.69, 0.42, "", fontsize=TEXT_PT, va="top", linespacing=1.4
        )
        finish_figure(self.figure)

        self.animated = (
            self._band,
            self._curve,
            self._target,
            self._alpha,
            self._star,
            self._title,
            self._readout,
        )
        self.description = self.update(reduction, test, k, control_mean, randomisation, litter_cv)

    def curve(self, **settings) -> PowerCurve:
        """The `PowerCurve` for these settings (`course_lib.models.power.power_curve`)."""
        return power_curve(**settings, n_experiments=self.n_experiments, seed=self.seed)

    def update(
        self,
        reduction: float,
        test: str,
        k: float,
        control_mean: float,
        randomisation: str = "blocked by litter",
        litter_cv: float = 0.0,
    ) -> str:
        """Simulate (or recall) the curve, move the artists; return the description."""
        c = self.result = self.curve(
            reduction=reduction,
            test=test,
            k=float(k),
            control_mean=float(control_mean),
            randomisation=randomisation,
            litter_cv=float(litter_cv),
        )
        n = c.n.astype(float)
        low, high = np.clip(c.power - c.se, 0, 1), np.clip(c.power + c.se, 0, 1)
        self._band.set_verts([np.column_stack([np.r_[n, n[::-1]], np.r_[low, high[::-1]]])])
        self._curve.set_ydata(c.power)
        null = c.reduction == 0
        self._target.set_visible(not null)
        self.n80 = None if null else c.sample_size(0.8)
        if self.n80 is None:
            self._star.set_data([], [])
        else:
            self._star.set_data([self.n80], [c.power[list(c.n).index(self.n80)]])
        what = "false-positive rate" if null else "power"
        self._title.set_text(f"Simulated {what}: {c.test}, {c.n_experiments} experiments per n")
        self._readout.set_text(self._readout_text(c))
        self.description = self.describe()
        self.headline = self._headline()
        return self.description

    def _readout_text(self, c) -> str:
        if c.reduction == 0:
            return f"false positives\n{_F(c.power.min())} to {_F(c.power.max())}"
        hit = "not by n = 30" if self.n80 is None else f"{self.n80} per group"
        return f"{_F(100 * c.reduction)}% reduction\n80% power:\n{hit}"

    def _headline(self) -> str:
        """One short sentence: the false-positive rate, or where power reaches 80%."""
        c = self.result
        if c.reduction == 0:
            return (
                f"{c.test}: false-positive rate {_F(c.power.min())} to {_F(c.power.max())} "
                "with no true difference (simulated)."
            )
        if self.n80 is None:
            return f"{c.test}: 80% power is not reached by 30 mice per group (simulated)."
        return f"{c.test}: 80% power first at {self.n80} mice per group (simulated)."

    def describe(self) -> str:
        """The figure's content in one sentence, from the numbers it plots."""
        c = self.result
        head = (
            f"Simulated with {c.n_experiments} experiments per group size ({c.test}, "
            f"alpha {c.alpha:g}; control mean {_F(c.control_mean)} tumours per liver, "
            f"k = {_F(c.k)}; {c.design}): "
        )
        if c.reduction == 0:
            worst = int(np.argmax(c.power))
            return head + (
                f"with no true difference the false-positive rate lies between "
                f"{_F(c.power.min())} and {_F(c.power.max())} (highest at {c.n[worst]} mice "
                f"per group); alpha is {c.alpha:g}."
            )
        reach = (
            "no group size up to 30 reaches 80% power"
            if self.n80 is None
            else f"80% power is first reached at {self.n80} mice per group"
        )
        return head + (
            f"with a true {_F(100 * c.reduction)}% reduction, power is {_F(c.power[0])} at "
            f"{c.n[0]} mice per group and {_F(c.power[-1])} at {c.n[-1]}; {reach} "
            f"(± about {_F(c.se.max())} simulation noise)."
        )
