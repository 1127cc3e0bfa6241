"""Lesson 06 figure: one simulated experiment (every mouse) and how often repeats find p < 0.05.

`ExperimentFigure` is drawn once and updated in place: ``update(...)`` moves the artists and
returns a description computed from the data; ``animated`` lists the artists that move, for
blitting (the group names too, so a new comparison needs no new background). Every number comes from `course_lib.models.design` (one experiment) and
`course_lib.models.power` (the lab's comparisons and repeats, with the mean tumour counts of
lesson 05's virtual liver); none of it is a result of Bergmann et al.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
from matplotlib.transforms import ScaledTranslation

from course_lib._text import count_of, format_number, p_value
from course_lib.figures.plotting import (
    PALETTE,
    TEXT_PT,
    TITLE_PT,
    finish_figure,
    label_axes,
    new_figure,
)
from course_lib.models.design import ALLOCATIONS, simulate_experiment
from course_lib.models.power import comparison_groups, comparison_kind, repeat_rates

__all__ = ["ExperimentFigure"]

_F = format_number
_GROUP_STYLE = ((PALETTE["blue"], "-"), (PALETTE["vermillion"], "--"))
_SEX_MARKER = {"male": "o", "female": "^"}
_Y_TOP = 70.0  # tumours per liver: the strip plot's fixed axis (larger counts sit on the edge)
#: The readout's row names (drawn once); `ExperimentFigure.readout_values` fills the rows.
_ROWS = ("Mann-Whitney", "NB LRT", "ratio", "", "died")
_GAP_EM = 0.32  # between a row's name and its value: a space of the figure's font (DejaVu Sans)
_PITCH_EM = 1.5  # from one row's baseline to the next, in font sizes


def _p(p: float) -> str:
    """'p = 0.0123', 'p < 0.0001', or why there is no p-value."""
    return "p not defined (no tumours at all)" if math.isnan(p) else p_value(p)


class ExperimentFigure:
    """One simulated experiment (every mouse) and how often repeats of it find p < 0.05.

    Left: tumours per liver of every mouse, by group (colour and position), sex (circle male,
    triangle female) and litter (one column per litter inside a group); mice that died before
    harvest are hollow markers in the band below zero; group means are short lines. Right:
    the fraction of `repeats` simulated repeats of the same design (via `power`) with p < 0.05,
    for each test, against alpha.
    """

    def __init__(
        self,
        comparison: str = "wild type vs sgp130Fc transgenic",
        n_per_group: int = 10,
        sex: str = "male",
        randomisation: str = "blocked by litter",
        blinding: bool = True,
        litter_cv: float = 0.2,
        attrition: float = 0.07,
        seed: int = 1,
        *,
        repeats: int = 200,
        figure: Figure | None = None,
    ) -> None:
        self.figure = figure if figure is not None else new_figure(11.0, 5.4)
        self.repeats = int(repeats)
        self._draw_mice()
        self.figure.text(
            0.01,
            0.97,
            "Simulated experiment: every mouse, and repeats of the same design",
            va="top",
            fontsize=TITLE_PT,
        )
        self._draw_repeats()
        self._readout = self._draw_readout()
        finish_figure(self.figure)

        self.animated = (
            *self._dots.values(),
            *self._means,
            *self._names,
            *self._labels,
            *self._bars,
            *self._bar_text,
            *self._readout,
        )
        self.description = self.update(
            comparison, n_per_group, sex, randomisation, blinding, litter_cv, attrition, seed
        )

    def _draw_mice(self) -> None:
        """The strip plot: the band of mice that died, a pool of markers, the group means."""
        ax = self.ax = self.figure.add_axes((0.07, 0.24, 0.47, 0.64))
        ax.axhspan(-9, -1.5, color="0.92", lw=0, zorder=0)
        ax.text(1.55, -5.2, "died", fontsize=TEXT_PT, va="center", ha="right", color="0.3")
        self._dots = {}  # (group, sex, died) -> one line of markers
        for g, (colour, _) in enumerate(_GROUP_STYLE):
            for sex_name, marker in _SEX_MARKER.items():
                for dead in (False, True):
                    (line,) = ax.plot(
                        [],
                        [],
                        marker,
                        ls="none",
                        ms=6,
                        mec=colour,
                        mew=1.3,
                        color="none" if dead else colour,
                        alpha=0.9,
                    )
                    self._dots[g, sex_name, dead] = line
        self._means = [
            ax.plot([g - 0.35, g + 0.35], [0, 0], color="black", ls=style, lw=2.5)[0]
            for g, (_, style) in enumerate(_GROUP_STYLE)
        ]
        ax.set_xlim(-0.55, 1.55)
        ax.set_ylim(-9, _Y_TOP)
        ax.set_xticks([])
        ax.tick_params(labelsize=TEXT_PT)
        label_axes(
            ax,
            x=("group (columns inside a group = litters)", "name"),
            y=("tumours counted per liver", "count"),
        )
        self._names = [
            ax.text(g, _Y_TOP * 0.98, "", ha="center", va="top", fontsize=TEXT_PT) for g in (0, 1)
        ]
        self._labels = [
            ax.text(g, _Y_TOP * 0.9, "", ha="center", va="top", fontsize=TEXT_PT) for g in (0, 1)
        ]
        self._draw_key(ax)

    @staticmethod
    def _draw_key(ax) -> None:
        """The strip plot's key, below it: the two sexes, a mouse that died, a group mean."""
        legend = [ax.plot([], [], m, ls="none", color="0.3", ms=6)[0] for m in _SEX_MARKER.values()]
        legend.append(ax.plot([], [], "o", ls="none", color="none", mec="0.3", ms=6)[0])
        legend.append(ax.plot([], [], "-", color="black", lw=2.5)[0])
        ax.legend(
            legend,
            ["male", "female", "died before harvest", "group mean"],
            fontsize=TEXT_PT,
            loc="upper left",
            bbox_to_anchor=(-0.05, -0.14),
            ncol=4,
            frameon=False,
            handletextpad=0.3,
            columnspacing=1.0,
        )

    def _draw_readout(self) -> list:
        """The readout: its row names once (in the background) and a text per row for the
        values (what moves), on shared baselines, a space right of the widest name."""
        prop = FontProperties(size=TEXT_PT)
        width = max(text_to_path.get_text_width_height_descent(n, prop, False)[0] for n in _ROWS)
        shift = (width + _GAP_EM * TEXT_PT) / 72  # inches
        values = []
        for i, name in enumerate(_ROWS):
            drop = (1.0 + _PITCH_EM * i) * TEXT_PT / 72  # the row's baseline below the top

            def at(dx: float, drop: float = drop):
                return self.figure.transFigure + ScaledTranslation(
                    dx, -drop, self.figure.dpi_scale_trans
                )

            self.figure.text(0.6, 0.33, name, fontsize=TEXT_PT, transform=at(0.0))
            values.append(self.figure.text(0.6, 0.33, "", fontsize=TEXT_PT, transform=at(shift)))
        return values

    def _draw_repeats(self) -> None:
        """The side panel: a bar per test (repeats with p < 0.05) and alpha."""
        side = self.side = self.figure.add_axes((0.69, 0.53, 0.3, 0.35))
        self._bars = side.bar(
            [0, 1],
            [0, 0],
            color=[PALETTE["orange"], PALETTE["sky blue"]],
            edgecolor="black",
            hatch=["", "//"],
            width=0.6,
        ).patches
        side.axhline(0.05, color=PALETTE["bluish green"], ls=":", lw=1.8)
        side.text(1.72, 0.07, "alpha", fontsize=TEXT_PT, color="0.2", ha="right")
        side.set_xticks([0, 1], ["Mann-\nWhitney", "NB LRT"], fontsize=TEXT_PT)
        side.set_ylim(0, 1)
        side.set_xlim(-0.6, 1.75)
        side.tick_params(axis="y", labelsize=TEXT_PT)
        label_axes(side, x=("test", "name"), y=("repeats with\np < 0.05", "fraction"))
        side.set_title(f"{self.repeats} simulated repeats", fontsize=TITLE_PT)
        self._bar_text = [
            side.text(i, 0.0, "", ha="center", va="bottom", fontsize=TEXT_PT) for i in (0, 1)
        ]

    def update(
        self,
        comparison: str,
        n_per_group: int,
        sex: str,
        randomisation: str,
        blinding: bool,
        litter_cv: float,
        attrition: float,
        seed: int,
    ) -> str:
        """Simulate the experiment (and recall or run its repeats); return the description."""
        groups = comparison_groups(comparison)
        design = {
            "sex": sex,
            "randomisation": randomisation,
            "blinding": bool(blinding),
            "litter_cv": float(litter_cv),
            "attrition": float(attrition),
        }
        self.experiment = simulate_experiment(groups, int(n_per_group), rng=int(seed), **design)
        self.settings = {
            "comparison": comparison,
            "n": int(n_per_group),
            "seed": int(seed),
            **design,
        }
        self.reduction, *rates = repeat_rates(
            comparison, int(n_per_group), repeats=self.repeats, **design
        )
        self.rates = dict(zip(("Mann-Whitney", "negative binomial LRT"), rates, strict=True))
        for g, name in enumerate(groups):
            self._move_group(g, name)
        self._move_rates(rates)
        for text, value in zip(self._readout, self.readout_values(), strict=True):
            text.set_text(value)
        self.description = self.describe()
        self.headline = self._headline()
        return self.description

    def _move_group(self, g: int, name: str) -> None:
        """Group ``g`` (``name``) of the experiment: its mice, one column per litter, its mean."""
        exp = self.experiment
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

    def _move_rates(self, rates) -> None:
        """A bar per test at its rate, the number inside near the top or just above it."""
        for bar, text, rate in zip(self._bars, self._bar_text, rates, strict=True):
            bar.set_height(rate)
            top = rate > 0.88  # inside the bar near the top, else just above it
            text.set_position(
                (bar.get_x() + bar.get_width() / 2, rate - 0.02 if top else rate + 0.02)
            )
            text.set_va("top" if top else "bottom")
            text.set_text(_F(rate))

    def readout_values(self) -> tuple[str, ...]:
        """The readout's values, one per row of `_ROWS` (the ratio's CI on a row of
        its own): e.g. "p = 0.0123" for the row "Mann-Whitney"."""
        exp, c = self.experiment, self.experiment.analysis[0]
        ratio, _, why = self._ratio(c).partition(" (")
        died = int(exp.excluded.sum())
        return (
            _p(c.p_mann_whitney),
            _p(c.p_nb_lrt),
            ratio,
            f"({why}" if why else "",
            f"{died} of {exp.excluded.size} (risk {_F(100 * self.settings['attrition'])}%)",
        )

    @staticmethod
    def _ratio(c) -> str:
        if math.isnan(c.ratio):
            return "not defined (no tumours in the control group)"
        if math.isnan(c.ci_low):
            return f"{_F(c.ratio)} (no CI: a group has no tumours)"
        return f"{_F(c.ratio)} (95% CI {_F(c.ci_low)} to {_F(c.ci_high)})"

    def _headline(self) -> str:
        """One short sentence: this experiment's p-value and how often repeats find p < 0.05."""
        c = self.experiment.analysis[0]
        return (
            f"This experiment: Mann-Whitney {_p(c.p_mann_whitney)}; "
            f"{_F(100 * self.rates['Mann-Whitney'])}% of {self.repeats} repeats find "
            "p < 0.05 (simulated)."
        )

    def describe(self) -> str:
        """The figure's content in one sentence, from the numbers it plots."""
        s, exp, c = self.settings, self.experiment, self.experiment.analysis[0]
        dead = int(exp.excluded.sum())
        what = "false positives" if self.reduction == 0 else "detections"
        return (
            f"Simulated experiment (seed {s['seed']}): {c.control} vs {c.group}, {s['n']} "
            f"{s['sex']} mice per group, allocation: "
            f"{ALLOCATIONS[comparison_kind(s['comparison'])][s['randomisation']]}, "
            f"{'blinded' if s['blinding'] else 'unblinded'} counting, litter CV "
            f"{_F(s['litter_cv'])}, {count_of(dead, 'mouse', 'mice')} died before harvest "
            f"(risk {_F(100 * s['attrition'])}%); analysed n = "
            f"{c.n_control} and {c.n_group}, mean {_F(c.mean_control)} and {_F(c.mean_group)} "
            f"tumours per liver, ratio {self._ratio(c)}; Mann-Whitney "
            f"{_p(c.p_mann_whitney)}, negative binomial LRT {_p(c.p_nb_lrt)}. Of "
            f"{self.repeats} simulated repeats of this design (true reduction "
            f"{_F(100 * self.reduction)}%), {_F(100 * self.rates['Mann-Whitney'])}% "
            f"(Mann-Whitney) and {_F(100 * self.rates['negative binomial LRT'])}% (NB LRT) "
            f"find p < 0.05 ({what})."
        )
