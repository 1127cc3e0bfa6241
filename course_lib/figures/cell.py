"""A live schematic of one cell: receptors in the membrane, complexes, STAT3 in the nucleus.

`CellSchematic` draws a cell once, then `update(...)` moves a fixed pool of glyphs (one
matplotlib line of markers per kind of molecule) and recolours the nucleus. Ten gp130 stems
stand in the membrane, each for a tenth of the cell's gp130; as many as the occupancy rounds to
carry a classic complex (IL-6 on a membrane IL-6R, a triangle in the membrane) or a trans
complex (IL-6 on a floating sIL-6R square, or a Hyper-IL-6 hexagon). The medium above shows
sgp130Fc (diamonds) trapping complexes. Beside the cell, hatched bars give the numbers.
Shapes, hatching and text labels carry every distinction; colour only repeats them.

>>> schematic = CellSchematic()
>>> schematic.update("endothelial cell", "IL-6")
'An endothelial cell given IL-6 (10 ng/mL): 0 of 5,000 gp130 in classic complexes (it has no membrane IL-6R), 0 in trans; STAT3 off (simulated).'
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch, Rectangle

from course_lib._text import format_number, format_percent
from course_lib.figures.glyphs import MEDIUM_SLOTS, SLOTS, glyph_counts, medium_counts
from course_lib.figures.plotting import PALETTE, TEXT_PT, TITLE_PT, finish_figure, new_figure
from course_lib.models.cell_types import MEMBRANE
from course_lib.models.stimuli import (
    PATHWAYS,
    STIMULUS_DOSES,
    Stimulation,
    stimulate,
    stimulus_totals,
)
from course_lib.models.trapping import trap_text

__all__ = ["CellSchematic"]

_X = 1.85 + 0.85 * np.arange(SLOTS)  # stems, data units
_XM = 2.0 + 1.25 * np.arange(MEDIUM_SLOTS)  # medium row
_Y_MEM, _Y_MEDIUM = 3.3, 4.95  # membrane centre; medium row
_STEM_TOP = _Y_MEM + 0.5
_GREY = "#555555"  # static lines and labels
_C = {
    "il6": PALETTE["yellow"],
    "il6r": PALETTE["vermillion"],
    "sil6r": PALETTE["blue"],
    "hyper": PALETTE["bluish green"],
    "fc": PALETTE["reddish purple"],
}
_GLYPHS = {  # key -> (marker, colour, size, legend label)
    "il6": ("o", _C["il6"], 10, "IL-6"),
    "il6r": ("^", _C["il6r"], 11, "membrane IL-6R"),
    "sil6r": ("s", _C["sil6r"], 10, "soluble IL-6R"),
    "hyper": ("H", _C["hyper"], 12, "Hyper-IL-6\n(IL-6 fused to sIL-6R)"),
    "fc": ("D", _C["fc"], 10, "sgp130Fc"),
}
_STAT3 = (  # response level -> (words, face colour, hatch)
    ("off", "white", ""),
    ("weakly on", "#FBEFC9", ".."),
    ("strongly on", PALETTE["orange"], "xx"),
)


class CellSchematic:
    """One cell with its receptors and STAT3 state, and bars of its occupied gp130.

    Parameters
    ----------
    cell_type, stimulus, sgp130fc, il6_ng_ml, sgp130fc_ug_ml
        The first state drawn (see `update`).
    figure : matplotlib.figure.Figure, optional
        Drawn into; a new 10 x 5 inch figure by default.
    """

    def __init__(
        self,
        cell_type: str = "hepatocyte",
        stimulus: str = "IL-6",
        sgp130fc: bool = False,
        *,
        il6_ng_ml: float = STIMULUS_DOSES.value("il6"),
        sgp130fc_ug_ml: float = STIMULUS_DOSES.value("sgp130fc"),
        figure=None,
    ) -> None:
        self.figure = figure if figure is not None else new_figure(10.0, 5.0)
        self.ax = self.figure.add_axes((0.0, 0.0, 0.6, 1.0))
        self.bars_ax = self.figure.add_axes((0.72, 0.5, 0.27, 0.42))
        self._draw_cell()
        self._draw_bars()
        self._draw_legend()
        #: the artists `update` changes; everything else is static
        finish_figure(self.figure)

        self.animated = (
            *self._glyphs.values(),
            self._title,
            self._subtitle,
            self._medium_note,
            self._nucleus_fill,
            self._stat3_text,
            self._arrow,
            *self._bars,
            *self._bar_text,
        )
        self.description = self.update(
            cell_type, stimulus, sgp130fc, il6_ng_ml=il6_ng_ml, sgp130fc_ug_ml=sgp130fc_ug_ml
        )

    def _draw_cell(self) -> None:
        """The cell: membrane with its gp130 stems, nucleus, a glyph pool and the titles."""
        ax = self.ax
        ax.set_axis_off()
        ax.set_xlim(-0.6, 10)
        ax.set_ylim(0, 6.4)
        self._draw_membrane(ax)
        self._draw_nucleus(ax)
        self._glyphs = {
            key: ax.plot(
                [], [], ls="none", marker=m, color=c, ms=s, mec="black", mew=0.7, zorder=4
            )[0]
            for key, (m, c, s, _label) in _GLYPHS.items()
        }
        self._glyphs["fc_empty"] = ax.plot(
            [], [], ls="none", marker="D", ms=10, mfc="white", mec=_C["fc"], mew=1.8, zorder=4
        )[0]
        self._title = ax.text(-0.55, 6.15, "", fontsize=TITLE_PT, fontweight="bold", va="center")
        self._subtitle = ax.text(-0.55, 5.75, "", fontsize=TEXT_PT, va="center")
        self._medium_note = ax.text(
            9.9, 6.15, "", fontsize=TEXT_PT, ha="right", va="center", style="italic"
        )

    @staticmethod
    def _draw_membrane(ax) -> None:
        """The membrane, the gp130 stems across it and the names of the compartments."""
        ax.add_patch(
            FancyBboxPatch(
                (1.3, _Y_MEM - 0.22),
                8.6,
                0.44,
                facecolor="#EDE6D6",
                edgecolor=_GREY,
                boxstyle="round,pad=0,rounding_size=0.2",
            )
        )
        for x in _X:  # gp130 stems cross the membrane
            ax.add_patch(
                Rectangle(
                    (x - 0.07, _Y_MEM - 0.45),
                    0.14,
                    0.95,
                    facecolor="#7F7F7F",
                    edgecolor="black",
                    lw=0.6,
                    zorder=2,
                )
            )
        for y, text in ((_Y_MEDIUM, "medium"), (_Y_MEM, "membrane"), (2.25, "cytoplasm")):
            ax.text(-0.55, y, text, fontsize=TEXT_PT, style="italic", color=_GREY, va="center")

    def _draw_nucleus(self, ax) -> None:
        """The nucleus (its fill shows STAT3) and the JAK1 -> STAT3 arrow from the membrane."""
        centre, size = (5.6, 1.05), (4.4, 1.35)
        self._nucleus_fill = Ellipse(centre, *size, facecolor="white", edgecolor="none")
        ax.add_patch(self._nucleus_fill)
        ax.add_patch(Ellipse(centre, *size, facecolor="none", edgecolor=_GREY, lw=1.5))
        ax.text(-0.55, 1.05, "nucleus", fontsize=TEXT_PT, style="italic", color=_GREY, va="center")
        self._stat3_text = ax.text(
            *centre,
            "",
            ha="center",
            va="center",
            fontsize=TEXT_PT,
            fontweight="bold",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
        )
        self._arrow = FancyArrowPatch(
            (5.6, _Y_MEM - 0.55), (5.6, 1.8), arrowstyle="-|>", mutation_scale=14, lw=1.6
        )
        ax.add_patch(self._arrow)
        ax.text(5.8, 2.25, "JAK1 → STAT3", fontsize=TEXT_PT, color=_GREY, va="center")

    def _draw_bars(self) -> None:
        ax = self.bars_ax
        self._bars = tuple(
            ax.bar(
                [0, 1],
                [1, 1],
                bottom=1,
                width=0.6,
                facecolor="white",
                edgecolor=[_C["il6r"], _C["sil6r"]],
                lw=1.5,
            )
        )
        for bar, hatch in zip(self._bars, ("///", ".."), strict=True):
            bar.set_hatch(hatch)
        self._bar_text = tuple(
            ax.text(i, 1, "", ha="center", va="bottom", fontsize=TEXT_PT) for i in range(2)
        )
        ax.set_yscale("log")
        ax.set_ylim(1, 4e4)
        ax.set_xlim(-0.5, 2.3)
        ax.set_xticks([0, 1], ["classic", "trans"])
        for level, style, word in (
            (MEMBRANE.value("active_weak"), ":", "weak"),
            (MEMBRANE.value("active_strong"), "--", "strong"),
            (5000, "-", "all gp130"),
        ):
            ax.axhline(level, color=_GREY, ls=style, lw=1)
            ax.text(2.28, level * 1.12, word, fontsize=TEXT_PT, ha="right", va="bottom")
        ax.set_ylabel("gp130 in complexes\n(molecules per cell)")
        ax.set_title("simulated, log scale", fontsize=TITLE_PT, style="italic")

    def _draw_legend(self) -> None:
        handles = [
            Line2D(
                [],
                [],
                ls="none",
                marker="|",
                ms=12,
                mew=3,
                color="#7F7F7F",
                label="gp130 (each ≈ 1/10\nof the cell's)",
            )
        ]
        handles += [
            Line2D(
                [], [], ls="none", marker=m, color=c, ms=s * 0.8, mec="black", mew=0.6, label=label
            )
            for m, c, s, label in _GLYPHS.values()
        ]
        self.figure.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0.6, 0.0),
            fontsize=TEXT_PT,
            handlelength=1.0,
            frameon=False,
            labelspacing=0.35,
        )

    def update(
        self,
        cell_type: str,
        stimulus: str,
        sgp130fc: bool = False,
        *,
        il6_ng_ml: float = STIMULUS_DOSES.value("il6"),
        sgp130fc_ug_ml: float = STIMULUS_DOSES.value("sgp130fc"),
    ) -> str:
        """Show ``cell_type`` given ``stimulus`` (with sgp130Fc if ``sgp130fc``); return the text.

        Parameters
        ----------
        cell_type : str
            A name in `course_lib.models.binding.CELL_TYPES`.
        stimulus : str
            A name in `course_lib.models.stimuli.STIMULI`.
        sgp130fc : bool
            Whether sgp130Fc is in the medium.
        il6_ng_ml : float
            Dose, ng/mL of IL-6 (or of the fusion protein, for Hyper-IL-6).
        sgp130fc_ug_ml : float
            sgp130Fc dose when ``sgp130fc`` is true, ug/mL (checked even when it is not).

        Returns
        -------
        str
            The description (see `describe`).
        """
        stimulus_totals(stimulus, il6_ng_ml, sgp130fc_ug_ml)  # a bad dose never passes silently
        fc = float(sgp130fc_ug_ml) if sgp130fc else 0.0
        s = stimulate(cell_type, stimulus, il6_ng_ml=il6_ng_ml, sgp130fc_ug_ml=fc)
        self.stimulation = s
        self._place_glyphs(s)
        occ, level = s.occupancy, int(s.occupancy.response())
        words, face, hatch = _STAT3[level]
        self._nucleus_fill.set_facecolor(face)
        self._nucleus_fill.set_hatch(hatch)
        self._stat3_text.set_text(f"STAT3 {words}")
        self._arrow.set_linestyle("-" if level else (0, (2, 2)))
        self._arrow.set_color("black" if level else "#AAAAAA")
        for bar, text, value in zip(
            self._bars, self._bar_text, (occ.classic, occ.trans), strict=True
        ):
            bar.set_height(max(float(value), 1.0) - 1.0)
            text.set_position((text.get_position()[0], max(float(value), 1.0) * 1.15))
            text.set_text(f"{round(float(value)):,}")
        self._title.set_text(s.cell_type)
        self._subtitle.set_text(self._doses(s))
        self._medium_note.set_text(self._note(s, sgp130fc, sgp130fc_ug_ml))
        self.description = self.describe(s)
        self.headline = self._headline(s)
        return self.description

    def _place_glyphs(self, s: Stimulation) -> None:
        n, m = glyph_counts(s.occupancy), medium_counts(s)
        xc = _X[: n["classic"]]  # classic complexes from the left, trans from the right
        xt = _X[SLOTS - n["trans"] :]
        xr = _X[: n["il6r"]] + 0.25  # membrane IL-6R right of its stem, bound or not
        xm = _XM[: m["trapped"] + m["free"]]  # complexes in the medium, trapped ones first
        xfc = _XM[: m["trapped"]] - 0.33
        xe = _XM[: m["empty_fc"]] + 0.55  # unbound sgp130Fc between free IL-6
        ym = _Y_MEDIUM - 0.05
        carrier = (
            np.concatenate([xt, xm]),
            np.concatenate([np.full(xt.size, _STEM_TOP + 0.17), np.full(xm.size, ym)]),
        )
        il6 = (
            np.concatenate([xc + 0.13, xt, xm, _XM[: m["free_il6"]]]),
            np.concatenate(
                [
                    np.full(xc.size, _STEM_TOP + 0.12),
                    np.full(xt.size, _STEM_TOP + 0.5),
                    np.full(xm.size, ym + 0.33),
                    np.full(m["free_il6"], _Y_MEDIUM),
                ]
            ),
        )
        empty = (np.empty(0), np.empty(0))
        hyper = s.stimulus == "Hyper-IL-6"
        g = self._glyphs
        g["il6"].set_data(*il6)
        g["il6r"].set_data(xr, np.full(xr.size, _Y_MEM + 0.1))
        g["sil6r"].set_data(*(empty if hyper else carrier))
        g["hyper"].set_data(*(carrier if hyper else empty))
        g["fc"].set_data(xfc, np.full(xfc.size, ym))
        g["fc_empty"].set_data(xe, np.full(xe.size, ym))

    @staticmethod
    def _doses(s: Stimulation) -> str:
        """The doses in short (the text drawn on every frame is kept short: it is slow)."""
        il6 = format_number(s.il6_ng_ml)
        if s.stimulus == "Hyper-IL-6":
            return f"Hyper-IL-6 {il6} ng/mL"
        sil6r = f" + sIL-6R {format_number(s.sil6r_ng_ml)} ng/mL" if s.stimulus != "IL-6" else ""
        return f"IL-6 {il6} ng/mL{sil6r}"

    @staticmethod
    def _note(s: Stimulation, sgp130fc: bool, dose: float) -> str:
        """One line (a second line costs several ms on every frame)."""
        if not sgp130fc:
            return "no sgp130Fc"
        head = f"sgp130Fc {format_number(dose)} µg/mL"
        if s.stimulus == "IL-6":
            return f"{head}: nothing to trap"
        return f"{head}: {format_percent(s.trapped_fraction)} trapped"

    @staticmethod
    def _headline(s: Stimulation) -> str:
        """One short sentence: the cell, the stimulus and what STAT3 does."""
        words = _STAT3[int(s.occupancy.response())][0]
        name = s.cell_type[:1].upper() + s.cell_type[1:]
        return f"{name} given {s.label}: STAT3 {words} (simulated)."

    @staticmethod
    def describe(s: Stimulation) -> str:
        """The picture in one sentence, computed from the same numbers."""
        occ = s.occupancy
        article = "An" if s.cell_type[0] in "aeiouAEIOU" or s.cell_type.startswith("HCC") else "A"
        c, t, g = (round(float(v)) for v in (occ.classic, occ.trans, occ.gp130))
        why = " (it has no membrane IL-6R)" if occ.il6r == 0 else ""
        route = s.pathway
        via = "" if route == "none" else f", through {PATHWAYS[route]}"
        trap = ""
        if s.stimulus != "IL-6" and float(s.sgp130fc_ug_ml) > 0:
            trap = f"; {trap_text(s)}"
        return (
            f"{article} {s.cell_type} given {s.label}: {c:,} of {g:,} gp130 in classic "
            f"complexes{why}, {t:,} in trans{trap}; STAT3 {_STAT3[int(occ.response())][0]}"
            f"{via} (simulated)."
        )
