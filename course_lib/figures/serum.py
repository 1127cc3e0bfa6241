"""Lesson 02 figure: where serum IL-6 is, under textbook and effective affinities.

`SerumPartition` is drawn once and updated in place (like `course_lib.figures.concentration`): stacked bars
of the IL-6 partition under both affinity sets, the partition of the selected set against IL-6
from healthy to sepsis levels, and what is left for classic and for trans-signalling.
Every number comes from `course_lib.models.buffer.serum_partition` (simulated with
`course_lib.models.binding.serum_equilibrium`).

>>> fig = SerumPartition()
>>> fig.percentages["textbook"]["free"] < 5 < 80 < fig.percentages["effective"]["free"]
True
>>> fig.update(10_000, 40, 300, 0, "effective")[:61]
'Simulated with the effective affinities: of 10,000 pg/mL IL-6'
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from course_lib._text import format_number
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
from course_lib.models.buffer import FORMS, IL6_AXIS_PG_ML, partition_curves, serum_partition
from course_lib.parameters import SERUM_HUMAN

__all__ = ["PARTS", "SerumPartition"]

#: The four places IL-6 can be: (key in `SerumEquilibrium.il6_fractions`, short label,
#: colour, hatch, line style, marker). Hatch and line style make colour a redundant cue.
PARTS: tuple[tuple[str, str, str, str, object, str], ...] = (
    ("free", "free IL-6", PALETTE["sky blue"], "--", LINESTYLES[0], "o"),
    ("IL-6·sIL-6R", "IL-6·sIL-6R", PALETTE["orange"], "//", LINESTYLES[1], "s"),
    ("IL-6·sIL-6R·sgp130", "+ sgp130", PALETTE["bluish green"], "xx", LINESTYLES[2], "^"),
    ("IL-6·sIL-6R·sgp130Fc", "+ sgp130Fc", PALETTE["reddish purple"], "\\\\", LINESTYLES[3], "D"),
)
_SETS = tuple(AFFINITY_SETS)  # ("textbook", "effective"), top bar first
_BANDS = (("healthy", "il6_healthy"), ("sepsis", "il6_sepsis"))
_KEY_COLUMNS = (0.36, 0.47)  # figure x of the right edge of each set's % column


class SerumPartition:
    """Where serum IL-6 is, under textbook and effective affinities, and what can signal.

    Left: one stacked bar per affinity set, split into free IL-6, IL-6·sIL-6R and the two
    ternary complexes, each segment hatched; under them a key that gives every segment its
    label, hatch, line style and percentage in both sets (text is slow to redraw, so each
    number appears once), then free IL-6 (classic signalling) and free IL-6·sIL-6R (trans)
    in pM. Right: the partition in the selected set over IL-6 from healthy to sepsis levels
    (log axis), with markers at the chosen IL-6. All values are simulated.

    Parameters
    ----------
    il6_pg_ml : float
        Serum IL-6, pg/mL, within `IL6_AXIS_PG_ML`.
    sil6r_ng_ml, sgp130_ng_ml : float
        Soluble IL-6R and soluble gp130, ng/mL, >= 0.
    sgp130fc_ug_ml : float
        The drug sgp130Fc, ug/mL, >= 0.
    affinity_set : {"textbook", "effective"}
        The set the curves and readouts use (both bars are always shown).
    figure : matplotlib.figure.Figure, optional
        Drawn into; a new 10 x 5 inch figure by default.
    points : int
        Points on the IL-6 axis of the curves.
    """

    def __init__(
        self,
        il6_pg_ml: float = SERUM_HUMAN.value("il6_healthy"),
        sil6r_ng_ml: float = SERUM_HUMAN.value("sil6r"),
        sgp130_ng_ml: float = SERUM_HUMAN.value("sgp130"),
        sgp130fc_ug_ml: float = 0.0,
        affinity_set: str = "textbook",
        *,
        figure: Figure | None = None,
        points: int = 100,
    ) -> None:
        self.figure = figure if figure is not None else new_figure(10.0, 5.0)
        self._points_n = int(points)
        self._x = partition_curves(1.0, 0.0, 0.0, "textbook", self._points_n)[0]
        self.bar_ax = self.figure.add_axes((0.15, 0.68, 0.33, 0.2))
        self.ax = self.figure.add_axes((0.6, 0.13, 0.37, 0.75))
        self._draw_bars()
        self._draw_key()
        self._draw_curves()
        # Text is slow to draw, so labels are static and only numbers and markers move.
        finish_figure(self.figure)

        self.animated = (
            *(r for row in self._rects for r in row),
            *(t for row in self._cells for t in row),
            *self._available,
            self._bar_pointer,
            self._column_mark,
            *self._curves,
            *self._points,
            self._il6_line,
        )
        self.description = self.update(
            il6_pg_ml, sil6r_ng_ml, sgp130_ng_ml, sgp130fc_ug_ml, affinity_set
        )

    def _draw_bars(self) -> None:
        ax = self.bar_ax
        self._rects = []
        for row, name in enumerate(_SETS):
            y = float(len(_SETS) - 1 - row)
            rects = ax.barh(
                [y] * len(PARTS),
                [0.0] * len(PARTS),
                height=0.64,
                color=[p[2] for p in PARTS],
                edgecolor="black",
                linewidth=0.8,
            )
            for rect, part in zip(rects, PARTS, strict=True):
                rect.set_hatch(part[3])
            self._rects.append(list(rects))
            ax.text(-3, y, name, ha="right", va="center", fontsize=TEXT_PT)
        # The selected set is marked by a pointer (a marker: far quicker to redraw than text).
        (self._bar_pointer,) = ax.plot([-36], [0], ">", ms=9, color="black", clip_on=False)
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.5, len(_SETS) - 0.5)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        ax.tick_params(labelsize=TEXT_PT)
        ax.set_title("Where the IL-6 is (simulated)", loc="left", fontsize=TITLE_PT, pad=5)

    def _draw_key(self) -> None:
        """A key that is also a table: each form's hatch and line, and its % in both sets."""
        fig = self.figure
        top, step = 0.49, 0.06
        for x, name in zip(_KEY_COLUMNS, _SETS, strict=True):
            fig.text(x, top, name, ha="right", va="center", fontsize=TEXT_PT)
        fig.text(0.11, top, "% of IL-6", va="center", fontsize=TEXT_PT)
        # The selected set's column is underlined (a line: quicker to redraw than bold text).
        self._column_mark = Line2D(
            [0, 0], [top - 0.03] * 2, color="black", lw=2, transform=fig.transFigure
        )
        self._cells = [
            self._draw_key_row(top - step * (i + 1), part) for i, part in enumerate(PARTS)
        ]
        fig.lines.append(self._column_mark)
        self._draw_available(top - step * (len(PARTS) + 1) - 0.01)

    def _draw_key_row(self, y: float, part: tuple) -> list:
        """One row of the key at figure height ``y``: swatch, line, label, and its empty cells."""
        fig = self.figure
        _key, label, colour, hatch, style, marker = part
        fig.patches.append(
            Rectangle(
                (0.012, y - 0.02),
                0.04,
                0.04,
                facecolor=colour,
                edgecolor="black",
                hatch=hatch,
                lw=0.8,
                transform=fig.transFigure,
            )
        )
        fig.lines.append(
            Line2D(
                [0.06, 0.1],
                [y, y],
                color=colour,
                ls=style,
                lw=2,
                marker=marker,
                markevery=[1],
                ms=5,
                transform=fig.transFigure,
            )
        )
        fig.text(0.11, y, label, va="center", fontsize=TEXT_PT)
        return [fig.text(x, y, "", ha="right", va="center", fontsize=TEXT_PT) for x in _KEY_COLUMNS]

    def _draw_available(self, y: float) -> None:
        """Below the key, from figure height ``y``: the free IL-6 and IL-6·sIL-6R, in pM."""
        fig = self.figure
        fig.text(
            0.012,
            y,
            "Free to signal in the set marked ▶ (simulated):",
            fontsize=TEXT_PT,
            va="center",
        )
        self._available = []
        for i, what in enumerate(("classic: free IL-6", "trans: free IL-6·sIL-6R")):
            row_y = y - 0.06 * (i + 1)
            fig.text(0.03, row_y, what, fontsize=TEXT_PT, va="center")
            fig.text(_KEY_COLUMNS[1] - 0.035, row_y, "pM", fontsize=TEXT_PT, va="center")
            self._available.append(
                fig.text(
                    _KEY_COLUMNS[1] - 0.04, row_y, "", fontsize=TEXT_PT, va="center", ha="right"
                )
            )

    def _draw_curves(self) -> None:
        ax = self.ax
        for label, key in _BANDS:
            low, high = SERUM_HUMAN[key].bounds
            low = max(low, IL6_AXIS_PG_ML[0])
            ax.axvspan(low, high, color="0.92", zorder=0)
            ax.text(
                np.sqrt(low * high),
                104,
                label,
                ha="center",
                va="bottom",
                fontsize=TEXT_PT,
                color="0.3",
            )
        self._curves, self._points = tracked_series(
            ax,
            self._x,
            [(label, colour, style, marker) for _k, label, colour, _h, style, marker in PARTS],
        )
        self._il6_line = ax.axvline(1.0, color="black", lw=1.2)
        ax.set_xscale("log")
        ax.set_xlim(*IL6_AXIS_PG_ML)
        ax.set_ylim(-2, 112)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.tick_params(labelsize=TEXT_PT)
        label_axes(ax, x=("serum IL-6", "pg/mL"), y=("IL-6 in each form", "%"))
        ax.xaxis.label.set_fontsize(9.5)
        ax.yaxis.label.set_fontsize(9.5)
        ax.set_title("The set marked ▶, against IL-6", loc="left", fontsize=TITLE_PT, pad=5)

    def update(
        self,
        il6_pg_ml: float,
        sil6r_ng_ml: float,
        sgp130_ng_ml: float,
        sgp130fc_ug_ml: float,
        affinity_set: str,
    ) -> str:
        """Recompute both affinity sets and move every changing artist; return the description.

        The numbers come from `course_lib.models.buffer.serum_partition`, which remembers the
        curves of a setting: moving only IL-6 reuses them.
        """
        p = self.numbers = serum_partition(
            il6_pg_ml,
            sil6r_ng_ml,
            sgp130_ng_ml,
            sgp130fc_ug_ml,
            affinity_set,
            points=self._points_n,
        )
        chosen = p.affinity_set
        #: % of IL-6 in each form (keys of `PARTS`), for both sets
        self.percentages = p.percentages
        #: free IL-6 (classic) and free IL-6·sIL-6R (trans) in the chosen set, pM
        self.available_pM = p.available_pM
        self.settings = {
            "il6_pg_ml": p.il6_pg_ml,
            "sil6r_ng_ml": p.sil6r_ng_ml,
            "sgp130_ng_ml": p.sgp130_ng_ml,
            "sgp130fc_ug_ml": p.sgp130fc_ug_ml,
            "affinity_set": chosen,
        }
        il6, curves = p.il6_pg_ml, p.curves
        for line, point, y, key in zip(self._curves, self._points, curves, FORMS, strict=True):
            line.set_ydata(y)
            point.set_data([il6], [self.percentages[chosen][key]])
        self._il6_line.set_xdata([il6, il6])
        self._move_bars_and_key(chosen)
        self.description = self.describe()
        self.headline = self._headline()
        return self.description

    def _move_bars_and_key(self, chosen: str) -> None:
        f = format_number
        for row, name in enumerate(_SETS):
            left = 0.0
            for column, (key, *_rest) in enumerate(PARTS):
                width = self.percentages[name][key]
                rect = self._rects[row][column]
                rect.set_x(left)
                rect.set_width(width)
                rect.set_visible(width > 0)
                self._cells[column][row].set_text(f(width))
                left += width
        index = _SETS.index(chosen)
        self._bar_pointer.set_ydata([float(len(_SETS) - 1 - index)])
        right = _KEY_COLUMNS[index]
        self._column_mark.set_xdata([right - 0.085, right])
        self._available[0].set_text(f(self.available_pM["classic"]))
        self._available[1].set_text(f(self.available_pM["trans"]))

    def _headline(self) -> str:
        """One short sentence: how much IL-6 is free in the chosen set."""
        chosen = self.settings["affinity_set"]
        free = format_number(self.percentages[chosen]["free"])
        return f"With the {chosen} affinities, {free}% of serum IL-6 is free (simulated)."

    def describe(self) -> str:
        """The figure's content in one sentence, from the numbers it plots."""
        s, a = self.settings, self.available_pM
        chosen = s["affinity_set"]
        other = next(n for n in _SETS if n != chosen)
        p, q = self.percentages[chosen], self.percentages[other]
        f = format_number
        drug = (
            f"{f(s['sgp130fc_ug_ml'])} µg/mL sgp130Fc" if s["sgp130fc_ug_ml"] > 0 else "no sgp130Fc"
        )
        return (
            f"Simulated with the {chosen} affinities: of {f(s['il6_pg_ml'])} pg/mL IL-6 with "
            f"{f(s['sil6r_ng_ml'])} ng/mL sIL-6R, {f(s['sgp130_ng_ml'])} ng/mL sgp130 and "
            f"{drug}, {f(p['free'])}% is free ({f(a['classic'])} pM for classic signalling), "
            f"{f(p['IL-6·sIL-6R'])}% is IL-6·sIL-6R ({f(a['trans'])} pM for trans-signalling), "
            f"{f(p['IL-6·sIL-6R·sgp130'])}% is held by sgp130 and "
            f"{f(p['IL-6·sIL-6R·sgp130Fc'])}% by sgp130Fc; with the {other} affinities "
            f"{f(q['free'])}% would be free."
        )
