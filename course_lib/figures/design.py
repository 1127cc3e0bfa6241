"""Lesson 06 figures: a simulated power curve, and one simulated experiment with its repeats.

`PowerFigure` and `ExperimentFigure` are drawn once and updated in place (like
`course_lib.figures.drugs`): ``update(...)`` moves the artists and returns a description computed
from the data; ``animated`` lists the artists that move, for blitting, and ``static_key`` changes
when static text changed too (a widget then redraws the background). Every number comes from
`course_lib.models.design` (experiments by simulation) and `course_lib.models.liver` (the mean tumour counts
of lesson 05's virtual liver); none of it is a result of Bergmann et al.

>>> comparison_groups("wild type vs wild type (no true difference)")["wild type (group B)"]
(12.41, 0.2)
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from matplotlib.figure import Figure

from course_lib.errors import require_in_range, require_name
from course_lib.figures.plotting import PALETTE, format_number, label_axes, new_figure
from course_lib.models.design import power, simulate_experiment
from course_lib.models.liver import expected_tumours

__all__ = [
    "COMPARISONS",
    "INTERACTIVE_EXPERIMENTS",
    "POWER_N",
    "REPEAT_SEED",
    "ExperimentFigure",
    "PowerFigure",
    "comparison_groups",
]

#: Group sizes (mice per group) on the power curve.
POWER_N = (3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30)
#: Simulated experiments per n in the interactive curve, by test: few, so a slider move stays
#: fast (the NB LRT fits a dispersion per experiment and is the slowest); the band shows the SE.
#: Seed of the lab's repeats, so moving the study seed redraws one study, not the repeats.
REPEAT_SEED = 2017
INTERACTIVE_EXPERIMENTS = {"Mann-Whitney": 200, "negative binomial LRT": 100,
                           "Welch t on log(count+1)": 200}  # fmt: skip
#: Comparisons of the lab: name -> (control condition, treated condition) for `expected_tumours`.
COMPARISONS = {
    "wild type vs sgp130Fc transgenic": (
        ("wild type", {}), ("sgp130Fc transgenic", {"genotype": "sgp130Fc transgenic"})),
    "wild type vs hepatocyte IL-6R knockout": (
        ("wild type", {}),
        ("hepatocyte IL-6R knockout", {"genotype": "hepatocyte IL-6R knockout"})),
    "wild type vs wild type (no true difference)": (
        ("wild type (group A)", {}), ("wild type (group B)", {})),
    "control Fc vs sgp130Fc protein from week 24": (
        ("control Fc", {"treatment": "control Fc", "treatment_start": 24.0}),
        ("sgp130Fc protein", {"treatment": "sgp130Fc", "treatment_start": 24.0})),
}  # fmt: skip
_F = format_number
_GROUP_STYLE = ((PALETTE["blue"], "-"), (PALETTE["vermillion"], "--"))
_SEX_MARKER = {"male": "o", "female": "^"}
_Y_TOP = 70.0  # tumours per liver: the strip plot's fixed axis (larger counts sit on the edge)


def _p(p: float) -> str:
    return "not defined (no tumours at all)" if math.isnan(p) else f"{p:.2g}"


def comparison_groups(name: str) -> dict[str, tuple[float, float]]:
    """Mean tumours per liver (male, female) of both groups, from `expected_tumours` (40 weeks)."""
    return dict(_groups(require_name("comparison", name, COMPARISONS)))


@cache
def _groups(name: str) -> tuple:
    return tuple((label, tuple(round(expected_tumours(sex=s, **kw), 2) for s in ("male", "female")))
                 for label, kw in COMPARISONS[name])  # fmt: skip


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

    def __init__(self, reduction: float = 0.5, test: str = "Mann-Whitney", k: float = 3.0,
                 control_mean: float = 14.6, randomisation: str = "blocked by litter",
                 litter_cv: float = 0.0, *, n_experiments: int | None = None, seed: int = 6,
                 figure: Figure | None = None) -> None:  # fmt: skip
        self.figure = figure if figure is not None else new_figure(7.6, 3.8)
        self.n_experiments, self.seed, self._cache = n_experiments, int(seed), {}
        n = np.array(POWER_N, float)
        ax = self.ax = self.figure.add_axes((0.09, 0.14, 0.56, 0.72))
        self._band = ax.fill_between(n, n * 0, n * 0, color=PALETTE["sky blue"], alpha=0.4,
                                     lw=0, label="± 1 SE (simulation noise)")  # fmt: skip
        (self._curve,) = ax.plot(n, n * 0, "o-", color="black", lw=2, ms=5, label="simulated")
        self._target = ax.axhline(0.8, color=PALETTE["vermillion"], ls="--", lw=1.3)
        self._alpha = ax.axhline(0.05, color=PALETTE["bluish green"], ls=":", lw=1.8)
        (self._star,) = ax.plot([], [], "*", ms=16, color=PALETTE["orange"], mec="black")
        ax.set_xlim(0, 31)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xticks([3, 5, 8, 10, 15, 20, 25, 30])
        ax.tick_params(labelsize=9)
        label_axes(ax, x=("mice per group", "mice"), y=("experiments with p < 0.05", "fraction"))
        self._title = self.figure.text(0.09, 0.93, "", fontsize=10.5)
        ax.legend([self._curve, self._band, self._target, self._alpha, self._star],
                  ["simulated", "± 1 SE", "80% power", "alpha 0.05", "first n with 80%"],
                  fontsize=8.5, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  frameon=False)  # fmt: skip
        self._readout = self.figure.text(0.67, 0.42, "", fontsize=9, va="top", linespacing=1.4)
        self.animated = (self._band, self._curve, self._target, self._alpha, self._star,
                         self._readout)  # fmt: skip
        self.description = self.update(reduction, test, k, control_mean, randomisation,
                                       litter_cv)  # fmt: skip

    def curve(self, **settings):
        """The `PowerCurve` for these settings (simulated once, then kept)."""
        key = tuple(sorted(settings.items()))
        if key not in self._cache:
            if len(self._cache) > 512:
                self._cache.clear()
            self._cache[key] = power(
                settings["control_mean"], settings["reduction"], POWER_N, k=settings["k"],
                test=settings["test"], randomisation=settings["randomisation"],
                litter_cv=settings["litter_cv"], attrition=0.0,
                n_experiments=self.n_experiments or INTERACTIVE_EXPERIMENTS[settings["test"]],
                rng=self.seed)  # fmt: skip
        return self._cache[key]

    def update(self, reduction: float, test: str, k: float, control_mean: float,
               randomisation: str = "blocked by litter", litter_cv: float = 0.0) -> str:  # fmt: skip
        """Simulate (or recall) the curve, move the artists; return the description."""
        red = require_in_range("reduction", reduction, 0.0, 0.95, "(fraction)")
        test = require_name("test", test, INTERACTIVE_EXPERIMENTS)
        c = self.result = self.curve(reduction=red, test=test, k=float(k),
                                     control_mean=float(control_mean),
                                     randomisation=randomisation, litter_cv=float(litter_cv))  # fmt: skip
        n = c.n.astype(float)
        low, high = np.clip(c.power - c.se, 0, 1), np.clip(c.power + c.se, 0, 1)
        self._band.set_verts([np.column_stack([np.r_[n, n[::-1]], np.r_[low, high[::-1]]])])
        self._curve.set_ydata(c.power)
        null = red == 0
        self._target.set_visible(not null)
        self.n80 = None if null else c.sample_size(0.8)
        if self.n80 is None:
            self._star.set_data([], [])
        else:
            self._star.set_data([self.n80], [c.power[list(c.n).index(self.n80)]])
        what = "false-positive rate" if null else "power"
        self._title.set_text(f"Simulated {what}: {c.test}, {c.n_experiments} experiments per n")
        self.static_key = (c.test, c.n_experiments, null)
        self._readout.set_text(self._readout_text(c))
        self.description = self.describe()
        return self.description

    def _readout_text(self, c) -> str:
        if c.reduction == 0:
            return f"false positives\n{_F(c.power.min())} to {_F(c.power.max())}"
        hit = "not by n = 30" if self.n80 is None else f"{self.n80} per group"
        return f"{_F(100 * c.reduction)}% reduction\n80% power:\n{hit}"

    def describe(self) -> str:
        """The figure's content in one sentence, from the numbers it plots."""
        c = self.result
        head = (f"Simulated with {c.n_experiments} experiments per group size ({c.test}, "
                f"alpha {c.alpha:g}; control mean {_F(c.control_mean)} tumours per liver, "
                f"k = {_F(c.k)}; {c.design}): ")  # fmt: skip
        if c.reduction == 0:
            worst = int(np.argmax(c.power))
            return head + (
                f"with no true difference the false-positive rate lies between "
                f"{_F(c.power.min())} and {_F(c.power.max())} (highest at {c.n[worst]} mice "
                f"per group); alpha is {c.alpha:g}.")  # fmt: skip
        reach = ("no group size up to 30 reaches 80% power" if self.n80 is None else
                 f"80% power is first reached at {self.n80} mice per group")  # fmt: skip
        return head + (
            f"with a true {_F(100 * c.reduction)}% reduction, power is {_F(c.power[0])} at "
            f"{c.n[0]} mice per group and {_F(c.power[-1])} at {c.n[-1]}; {reach} "
            f"(± about {_F(c.se.max())} simulation noise).")  # fmt: skip


class ExperimentFigure:
    """One simulated experiment (every mouse) and how often repeats of it find p < 0.05.

    Left: tumours per liver of every mouse, by group (colour and position), sex (circle male,
    triangle female) and litter (one column per litter inside a group); mice that died before
    harvest are hollow markers in the band below zero; group means are short lines. Right:
    the fraction of `repeats` simulated repeats of the same design (via `power`) with p < 0.05,
    for each test, against alpha.
    """

    def __init__(self, comparison: str = "wild type vs sgp130Fc transgenic",
                 n_per_group: int = 10, sex: str = "male",
                 randomisation: str = "blocked by litter", blinding: bool = True,
                 litter_cv: float = 0.2, attrition: float = 0.07, seed: int = 1, *,
                 repeats: int = 200, figure: Figure | None = None) -> None:  # fmt: skip
        self.figure = figure if figure is not None else new_figure(8.4, 4.3)
        self.repeats, self._cache = int(repeats), {}
        ax = self.ax = self.figure.add_axes((0.08, 0.21, 0.47, 0.66))
        ax.axhspan(-9, -1.5, color="0.92", lw=0, zorder=0)
        ax.text(1.55, -5.2, "died", fontsize=8, va="center", ha="right", color="0.3")
        self._dots = {}
        for g, (colour, _) in enumerate(_GROUP_STYLE):
            for sex_name, marker in _SEX_MARKER.items():
                for dead in (False, True):
                    (line,) = ax.plot([], [], marker, ls="none", ms=6, mec=colour, mew=1.3,
                                      color="none" if dead else colour, alpha=0.9)  # fmt: skip
                    self._dots[g, sex_name, dead] = line
        self._means = [ax.plot([g - 0.35, g + 0.35], [0, 0], color="black", ls=style, lw=2.5)[0]
                       for g, (_, style) in enumerate(_GROUP_STYLE)]  # fmt: skip
        ax.set_xlim(-0.55, 1.55)
        ax.set_ylim(-9, _Y_TOP)
        ax.set_xticks([])
        ax.tick_params(labelsize=9)
        label_axes(ax, x=("group (columns inside a group = litters)", "name"),
                   y=("tumours counted per liver", "count"))  # fmt: skip
        self._names = [ax.text(g, _Y_TOP * 0.98, "", ha="center", va="top", fontsize=8.5)
                       for g in (0, 1)]  # fmt: skip
        self._labels = [ax.text(g, _Y_TOP * 0.9, "", ha="center", va="top", fontsize=8.5)
                        for g in (0, 1)]  # fmt: skip
        legend = [ax.plot([], [], m, ls="none", color="0.3", ms=6)[0]
                  for m in _SEX_MARKER.values()]  # fmt: skip
        legend.append(ax.plot([], [], "o", ls="none", color="none", mec="0.3", ms=6)[0])
        legend.append(ax.plot([], [], "-", color="black", lw=2.5)[0])
        ax.legend(
            legend,
            ["male", "female", "died before harvest", "group mean"],
            fontsize=8,
            loc="upper left",
            bbox_to_anchor=(-0.05, -0.14),
            ncol=4,
            frameon=False,
            handletextpad=0.3,
            columnspacing=1.0,
        )
        self.figure.text(0.08, 0.93, "Simulated experiment: every mouse, and repeats of the "
                         "same design", fontsize=10.5)  # fmt: skip
        side = self.side = self.figure.add_axes((0.68, 0.47, 0.29, 0.4))
        self._bars = side.bar([0, 1], [0, 0], color=[PALETTE["orange"], PALETTE["sky blue"]],
                              edgecolor="black", hatch=["", "//"], width=0.6).patches  # fmt: skip
        side.axhline(0.05, color=PALETTE["bluish green"], ls=":", lw=1.8)
        side.text(1.32, 0.07, "alpha", fontsize=7.5, color="0.2", ha="left")
        side.set_xticks([0, 1], ["Mann-\nWhitney", "NB LRT"], fontsize=8.5)
        side.set_ylim(0, 1)
        side.set_xlim(-0.6, 1.75)
        side.tick_params(axis="y", labelsize=8.5)
        label_axes(side, x=("test", "name"), y=("repeats with p < 0.05", "fraction"))
        side.set_title(f"{self.repeats} simulated repeats", fontsize=9.5)
        self._bar_text = [side.text(i, 0.0, "", ha="center", va="bottom", fontsize=8.5)
                          for i in (0, 1)]  # fmt: skip
        self._readout = self.figure.text(0.6, 0.3, "", fontsize=8.5, va="top", linespacing=1.4)
        self.animated = (*self._dots.values(), *self._means, *self._labels,
                         *self._bars, *self._bar_text, self._readout)  # fmt: skip
        self.description = self.update(comparison, n_per_group, sex, randomisation, blinding,
                                       litter_cv, attrition, seed)  # fmt: skip

    def repeat_rates(self, groups: dict, **design) -> tuple[float, float, float]:
        """(reduction, Mann-Whitney rate, NB LRT rate) of `repeats` repeats of the design.

        The repeats use the control group's (male, female) means and a fixed seed
        (`REPEAT_SEED`), so they do not depend on which single study the seed slider drew.
        The treated/control ratio of the sex studied (males when mixed) sets the reduction
        (0 when the treated group has more tumours).
        """
        key = (tuple(groups.items()), tuple(sorted(design.items())))
        if key not in self._cache:
            if len(self._cache) > 512:
                self._cache.clear()
            (control_m, control_f), (treated_m, treated_f) = groups.values()
            control = (control_m, control_f)
            if design["sex"] == "female":
                red = 1 - treated_f / control_f
            else:
                red = 1 - treated_m / control_m
            red = min(max(red, 0.0), 0.99)
            rates = [float(power(control, red, design["n"], test=t, n_experiments=self.repeats,
                                 rng=REPEAT_SEED,
                                 **{k: v for k, v in design.items() if k != "n"}
                                 ).power[0]) for t in ("Mann-Whitney", "negative binomial LRT")]  # fmt: skip
            self._cache[key] = (red, *rates)
        return self._cache[key]

    def update(self, comparison: str, n_per_group: int, sex: str, randomisation: str,
               blinding: bool, litter_cv: float, attrition: float, seed: int) -> str:  # fmt: skip
        """Simulate the experiment (and recall or run its repeats); return the description."""
        groups = comparison_groups(comparison)
        design = {"sex": sex, "randomisation": randomisation, "blinding": bool(blinding),
                  "litter_cv": float(litter_cv), "attrition": float(attrition)}  # fmt: skip
        exp = self.experiment = simulate_experiment(groups, int(n_per_group), rng=int(seed),
                                                    **design)  # fmt: skip
        self.settings = {"comparison": comparison, "n": int(n_per_group), "seed": int(seed),
                         **design}  # fmt: skip
        self.reduction, *rates = self.repeat_rates(groups, n=int(n_per_group), **design)
        self.rates = dict(zip(("Mann-Whitney", "negative binomial LRT"), rates, strict=True))
        for g, name in enumerate(groups):
            mine = exp.group == name
            litters = np.unique(exp.litter[mine])
            width = min(0.1, 0.7 / max(len(litters), 1))
            col = np.searchsorted(litters, exp.litter)
            x = g + (col - (len(litters) - 1) / 2) * width
            x = x + (np.arange(x.size) % 3 - 1) * width * 0.2
            y = np.minimum(exp.observed, _Y_TOP - 1.0).astype(float)
            for (gg, sex_name, dead), line in self._dots.items():
                if gg == g:
                    pick = mine & (exp.sex == sex_name) & (exp.excluded == dead)
                    line.set_data(x[pick], np.where(dead, -5.2, y)[pick])
            kept = exp.observed[mine & ~exp.excluded]
            mean = float(kept.mean()) if kept.size else 0.0
            self._means[g].set_ydata([mean, mean])
            self._names[g].set_text(name)
            self._labels[g].set_text(f"n = {kept.size}, mean {_F(mean)}")
        for bar, text, rate in zip(self._bars, self._bar_text, rates, strict=True):
            bar.set_height(rate)
            top = rate > 0.88  # inside the bar near the top, else just above it
            text.set_position(
                (bar.get_x() + bar.get_width() / 2, rate - 0.02 if top else rate + 0.02)
            )
            text.set_va("top" if top else "bottom")
            text.set_text(_F(rate))
        c = exp.analysis[0]
        self._readout.set_text(
            f"p: MW {_p(c.p_mann_whitney)}, NB {_p(c.p_nb_lrt)}\nratio {self._ratio(c)}\n"
            f"died {int(exp.excluded.sum())}/{exp.excluded.size} ({_F(100 * design['attrition'])}%)"
        )
        self.static_key = comparison
        self.description = self.describe()
        return self.description

    @staticmethod
    def _ratio(c) -> str:
        if math.isnan(c.ratio):
            return "not defined (no tumours in the control group)"
        if math.isnan(c.ci_low):
            return f"{_F(c.ratio)} (no CI: a group has no tumours)"
        return f"{_F(c.ratio)} (95% CI {_F(c.ci_low)}-{_F(c.ci_high)})"

    def describe(self) -> str:
        """The figure's content in one sentence, from the numbers it plots."""
        s, exp, c = self.settings, self.experiment, self.experiment.analysis[0]
        dead = int(exp.excluded.sum())
        what = "false positives" if self.reduction == 0 else "detections"
        return (
            f"Simulated experiment (seed {s['seed']}): {c.control} vs {c.group}, {s['n']} "
            f"{s['sex']} mice per group, {s['randomisation']} randomisation, "
            f"{'blinded' if s['blinding'] else 'unblinded'} counting, litter CV "
            f"{_F(s['litter_cv'])}, {dead} mice died before harvest (risk {_F(100 * s['attrition'])}%); analysed n = "
            f"{c.n_control} and {c.n_group}, mean {_F(c.mean_control)} and {_F(c.mean_group)} "
            f"tumours per liver, ratio {self._ratio(c)}; Mann-Whitney p = "
            f"{_p(c.p_mann_whitney)}, negative binomial LRT p = {_p(c.p_nb_lrt)}. Of "
            f"{self.repeats} simulated repeats of this design (true reduction "
            f"{_F(100 * self.reduction)}%), {_F(100 * self.rates['Mann-Whitney'])}% "
            f"(Mann-Whitney) and {_F(100 * self.rates['negative binomial LRT'])}% (NB LRT) "
            f"find p < 0.05 ({what})."
        )
