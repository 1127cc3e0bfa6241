"""Lesson 05 figure: what each tumour mechanism adds, for the four mouse genotypes.

`MechanismBars` shows the expected tumours per liver of the four genotypes, their cells' signals
and each mechanism's response, for chosen mechanism switches and driver hypothesis, from
`course_lib.models.liver.compare_genotypes`. It is drawn once and updated in place;
``update(...)`` returns a description computed from the data, and ``animated`` lists the
artists that move. Every number is simulated.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from course_lib._text import format_number
from course_lib.errors import CourseTypeError
from course_lib.figures.plotting import PALETTE, TEXT_PT, TITLE_PT, finish_figure, new_figure
from course_lib.models.hepatocarcinogenesis import CARCINOGENESIS
from course_lib.models.liver import compare_genotypes
from course_lib.models.mouse import GENOTYPES, MECHANISMS

__all__ = ["MechanismBars"]

_F = format_number
_TUMOUR = PALETTE["vermillion"]
_SHORT = {  # the genotypes as tick labels of the shared vertical axis
    "wild type": "wild type",
    "sgp130Fc transgenic": "sgp130Fc\ntransgenic",
    "IL-6 knockout": "IL-6 knockout",
    "hepatocyte IL-6R knockout": "hepatocyte\nIL-6R knockout",
}
_HATCHES = ("", "//", "xx", "\\\\")
_MECH_STYLE = {
    "apoptosis": (PALETTE["reddish purple"], "\\\\"),  # colour, hatch
    "proliferation": (PALETTE["orange"], "--"),
    "angiogenesis": (PALETTE["yellow"], "++"),
}
_SIGNAL_STYLE = {
    "hepatocyte_trans": ("hepatocyte, trans", PALETTE["blue"], "//"),
    "hepatocyte_classic": ("hepatocyte, classic", PALETTE["sky blue"], ".."),
    "endothelial_trans": ("endothelial cell, trans", PALETTE["bluish green"], "xx"),
}


def _set_heights(bars: PolyCollection, y, width: float, lengths) -> PolyCollection:
    """Horizontal bars as one collection (one draw call): centres ``y``, this thickness and
    these lengths."""
    bars.set_verts(
        [
            [(0.0, yi - width / 2), (h, yi - width / 2), (h, yi + width / 2), (0.0, yi + width / 2)]
            for yi, h in zip(y, lengths, strict=True)
        ]
    )
    return bars


def _bars(ax, x, width: float, **style) -> PolyCollection:
    return ax.add_collection(_set_heights(PolyCollection([], **style), x, width, np.zeros(len(x))))


class MechanismBars:
    """Expected tumours per liver of the four genotypes, the signals behind them, the responses.

    Three panels of horizontal bars sharing the genotype axis (names on the left, first
    genotype on top). Left: one bar per genotype (its own hatch, its value written beside), from
    `course_lib.models.liver.expected_tumours`. Middle: the trans and classic signal of a hepatocyte
    and the trans signal of an endothelial cell (wild-type male = 1), from
    `course_lib.models.liver.signals`; the hepatocyte signal that drives the hepatocyte mechanisms
    has a thick outline, the other is faded. Right: the response (0 = none, 1 = maximal) of
    each mechanism. Values before any treatment; each series has its own colour and hatch.
    All simulated.

    Parameters
    ----------
    apoptosis, proliferation, angiogenesis : bool
        Whether the mechanism responds to IL-6 (False switches it off).
    driver : {"trans", "classic"}
        Which hepatocyte signal drives the apoptosis and proliferation mechanisms.
    sex : {"male", "female"}
    harvest_week : float
        Weeks of age.
    """

    _WIDTH, _NARROW, _STEP = 0.65, 0.25, 0.27

    def __init__(self, *, figure: Figure | None = None, **settings) -> None:
        self.figure = figure if figure is not None else new_figure(11.0, 5.4)
        self._x = x = np.arange(len(GENOTYPES), dtype=float)[::-1]  # first genotype on top
        self._draw_tumours()
        self._draw_signals()
        self._draw_responses()
        names = [_SHORT[g] for g in GENOTYPES]
        for a in (self.ax, self.ax_signals, self.ax_response):
            a.set_ylim(-0.55, len(GENOTYPES) - 0.45)
            a.set_yticks(x, names if a is self.ax else [], fontsize=TEXT_PT)
        finish_figure(self.figure)

        self.animated = (
            *self._bars,
            *self._values,
            *self._signals.values(),
            *self._responses.values(),
        )
        self.description = self.update(**settings)

    def _draw_tumours(self) -> None:
        """Left: a bar per genotype (its own hatch) and its value above it."""
        ax = self.ax = self.figure.add_axes(self._box(0))
        self._bars = [
            _bars(
                ax,
                [xi],
                self._WIDTH,
                facecolor=_TUMOUR,
                alpha=0.85,
                hatch=hatch,
                edgecolor="black",
                lw=0.8,
            )
            for xi, hatch in zip(self._x, _HATCHES, strict=True)
        ]
        self._values = [
            ax.text(0, xi, "", ha="left", va="center", fontsize=TEXT_PT) for xi in self._x
        ]
        top = CARCINOGENESIS.value("initiated") * CARCINOGENESIS.value("survival_protected")
        ax.set_xlim(0, top * 1.35)
        ax.set_xlabel("expected tumours\nper liver (count)", fontsize=TEXT_PT)
        ax.set_title("Simulated tumours", fontsize=TITLE_PT, loc="left")

    @staticmethod
    def _box(panel: int) -> tuple[float, float, float, float]:
        """Where panel 0, 1 or 2 sits in the figure (the legends go under panels 1 and 2)."""
        return (0.17 + 0.285 * panel, 0.43, 0.24, 0.48)

    def _bar_panel(self, panel: int, styles: dict, xlabel: str, title: str):
        """Three narrow bars per genotype (one per entry of ``styles``: label, colour, hatch)."""
        ax = self.figure.add_axes(self._box(panel))
        bars = {
            key: _bars(
                ax,
                self._x + (1 - j) * self._STEP,
                self._NARROW,
                facecolor=colour,
                hatch=hatch,
                edgecolor="black",
                lw=0.6,
                label=label,
            )
            for j, (key, (label, colour, hatch)) in enumerate(styles.items())
        }
        ax.set(xlim=(0, 1.9), xticks=[0, 0.5, 1.0, 1.5])
        ax.set_xlabel(xlabel, fontsize=TEXT_PT)
        ax.set_title(title, fontsize=TITLE_PT, loc="left")
        ax.legend(fontsize=TEXT_PT, loc="upper left", bbox_to_anchor=(-0.05, -0.3), frameon=False)
        return ax, bars

    def _draw_signals(self) -> None:
        """Middle: three signals per genotype, side by side, each its own colour and hatch."""
        self.ax_signals, self._signals = self._bar_panel(
            1, _SIGNAL_STYLE, "signal\n(wild-type male = 1)", "Simulated signals"
        )
        self.figure.text(
            0.04,
            0.26,
            "Signals with a thick outline\nand full colour drive\nthe mechanisms.",
            fontsize=TEXT_PT,
            va="top",
        )

    def _draw_responses(self) -> None:
        """Right: the response of each mechanism per genotype, side by side."""
        styles = {name: (name, colour, hatch) for name, (colour, hatch) in _MECH_STYLE.items()}
        self.ax_response, self._responses = self._bar_panel(
            2, styles, "response\n(0 none, 1 maximal)", "Simulated responses"
        )

    def update(
        self,
        apoptosis: bool = True,
        proliferation: bool = True,
        angiogenesis: bool = True,
        driver: str = "trans",
        sex: str = "male",
        harvest_week: float = 40.0,
    ) -> str:
        """Recompute the four genotypes and redraw; return the description."""
        on = {"apoptosis": apoptosis, "proliferation": proliferation, "angiogenesis": angiogenesis}
        for name, value in ((k, v) for k, v in on.items() if not isinstance(v, bool | np.bool_)):
            raise CourseTypeError(
                f"{name} must be True (the mechanism responds to IL-6) or "
                f"False (switched off); got {value!r}."
            )
        off = tuple(name for name in MECHANISMS if not on[name])
        c = compare_genotypes(sex, harvest_week, driver, off)
        base, self.expected, sig = c.condition, c.expected, c.signals
        self.signals = {g: {k: getattr(sig[g], k)[0] for k in _SIGNAL_STYLE} for g in GENOTYPES}
        self.responses = {g: {m: sig[g].responses[m][0] for m in MECHANISMS} for g in GENOTYPES}
        self.settings = {"condition": base}
        for xi, bar, text, g in zip(self._x, self._bars, self._values, GENOTYPES, strict=True):
            _set_heights(bar, [xi], self._WIDTH, [self.expected[g]])
            text.set_position((self.expected[g] + 0.3, xi))
            text.set_text(_F(round(self.expected[g], 2)))
        for j, (key, bars) in enumerate(self._signals.items()):
            _set_heights(
                bars,
                self._x + (1 - j) * self._STEP,
                self._NARROW,
                [self.signals[g][key] for g in GENOTYPES],
            )
            drives = key == f"hepatocyte_{base.driver}" or key == "endothelial_trans"
            bars.set_linewidth(1.8 if drives else 0.6)
            bars.set_alpha(1.0 if drives else 0.45)
        for j, (name, bars) in enumerate(self._responses.items()):
            _set_heights(
                bars,
                self._x + (1 - j) * self._STEP,
                self._NARROW,
                [self.responses[g][name] for g in GENOTYPES],
            )
        self.description = self.describe()
        self.headline = self._headline()
        return self.description

    def _headline(self) -> str:
        """One short sentence: the expected tumours per liver of each genotype."""
        counts = ", ".join(f"{g} {_F(round(v, 2))}" for g, v in self.expected.items())
        return f"Expected tumours per liver: {counts} (simulated)."

    def describe(self) -> str:
        """The figure's content in a few sentences, from the numbers it plots."""
        cond = self.settings["condition"]
        off = ", ".join(cond.mechanisms_off) or "none"
        counts = "; ".join(f"{g} {_F(round(v, 2))}" for g, v in self.expected.items())

        def each(values: dict, names) -> str:
            return "; ".join(
                f"{g}: " + ", ".join(f"{names[k]} {_F(round(values[g][k], 2))}" for k in names)
                for g in GENOTYPES
            )

        labels = {k: v[0].replace(",", "") for k, v in _SIGNAL_STYLE.items()}
        return (
            f"Simulated expected tumours per liver in {cond.sex} mice at week "
            f"{_F(cond.harvest_week)} of age, if {cond.driver} signalling drives the hepatocyte "
            f"mechanisms; mechanisms switched off: {off}. {counts}. Signals before any "
            f"treatment (wild-type male = 1): {each(self.signals, labels)}. Mechanism "
            f"responses (0 none, 1 maximal): {each(self.responses, {m: m for m in MECHANISMS})}."
        )
