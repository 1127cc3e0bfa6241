"""Lesson 04 figure: is sgp130Fc selective in a dish and in a living animal? (simulated)

`SettingsFigure` is drawn once and updated in place (like `course_lib.figures.drugs`):
``update(...)`` moves the artists and returns a description computed from the data;
``animated`` lists the artists that move, for blitting. Every number comes from
`course_lib.models.selectivity` (`compare_settings` for the curves, `time_scales` for the
rates): a closed dish at equilibrium against blood, an open system in which IL-6 is made and
removed.

>>> fig = SettingsFigure()
>>> fig.update("mouse (DEN/TCPOBOP)", 30.0, 0.3, 1.026, False)[:59]
'Simulated in mouse (DEN/TCPOBOP) serum (0.04 ng/mL IL-6, 15'
>>> "in the dish there is no such window" in fig.description
True
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from course_lib._text import format_number
from course_lib.errors import require_in_range, require_name
from course_lib.figures.plotting import (
    PALETTE,
    TEXT_PT,
    TITLE_PT,
    finish_figure,
    label_axes,
    new_figure,
    tracked_series,
)
from course_lib.models.milieu import MILIEU_KINETICS
from course_lib.models.selectivity import (
    DRUG_AXIS_UG_ML,
    SERA,
    SettingsComparison,
    compare_settings,
    time_scales,
)

__all__ = ["RATES", "RATE_AXIS_PER_H", "SERUM_LABELS", "SettingsFigure"]

_F = format_number
_DEFAULT_SERUM = next(iter(SERA))
#: How the figure names each serum of `SERA` (short, for the picture; long, for the text).
SERUM_LABELS: dict[str, tuple[str, str]] = {
    "mouse (DEN/TCPOBOP)": ("mouse (DEN/TCPOBOP) serum", "mouse (DEN/TCPOBOP) serum"),
    "human, high IL-6": ("human serum, high IL-6", "human serum with 10 ng/mL IL-6"),
}
# (setting, pathway, legend text, colour, line style, line width, marker, marker face):
# line style tells the setting, marker shape the pathway, and the legend says both.
_CURVES = (
    ("blood", "classic", "blood: classic", PALETTE["blue"], "-", 2.2, "o", None),
    ("blood", "trans", "blood: trans", PALETTE["vermillion"], "-", 2.2, "s", None),
    ("dish", "classic", "dish: classic", PALETTE["blue"], "--", 1.2, "o", "white"),
    ("dish", "trans", "dish: trans", PALETTE["vermillion"], "--", 1.2, "s", "white"),
)
#: The rates of `time_scales`, top bar first: (name, the parameter of `MILIEU_KINETICS` it
#: is when it is one of the two assumed rates (drawn hatched), whether its value moves with
#: the level or the assumed rates; the others move only with the serum).
RATES: tuple[tuple[str, str | None, bool], ...] = (
    ("IL-6 removed", None, False),
    ("IL-6 meets sIL-6R", None, False),
    ("complex meets the trap", None, True),
    ("captured complex removed", "clear_trapped", True),
    ("trap lets go", "koff_sgp130fc", True),
)
# The rows of the table at the chosen level (the first names the columns).
_ROWS = ("at the line:", "classic (%)", "trans (%)", "free IL-6 (%)", "window (µg/mL)")
#: The rate axis, per hour (fixed, so the background can be blitted).
RATE_AXIS_PER_H: tuple[float, float] = (1e-3, 1e5)
_WINDOW = {"facecolor": PALETTE["bluish green"], "alpha": 0.25, "hatch": "//", "lw": 0}


def _setting(name: str, value: object, low: float, high: float, unit: str) -> float:
    x = float(require_in_range(name, value, low * (1 - 1e-9), high * (1 + 1e-9), unit))
    return min(max(x, low), high)  # log sliders round a hair past their ends


def _window_text(window: tuple[float, float]) -> str:
    low, high = window
    top = ", the top of the axis" if high >= DRUG_AXIS_UG_ML[1] else ""
    return f"from {_F(low)} to {_F(high)} µg/mL{top}"


class SettingsFigure:
    """Signalling left by sgp130Fc in a dish and in blood, and the rates that decide (simulated).

    Left: classic signalling (hepatocyte; circles) and trans-signalling (endothelial cell;
    squares) as % of their drug-free level against sgp130Fc (log axis over
    `DRUG_AXIS_UG_ML`), in a dish (closed, at equilibrium; thin dashed lines, open markers)
    and in blood (open system; thick solid lines, filled markers); dotted lines at 10% and
    90%, the selectivity window in blood (trans at most 10%, classic at least 90%) hatched
    when it exists, and the chosen level as a vertical line with markers on the curves.
    Middle: the values at the chosen level. Right: the rates of `time_scales` as bars on a
    log axis (per hour), each labelled with its name and value; the two assumed rates hatched.

    Parameters
    ----------
    serum : str
        A name from `SERA`.
    level_ug_ml : float
        The chosen sgp130Fc level, ug/mL, within `DRUG_AXIS_UG_ML`.
    clear_trapped, koff_sgp130fc : float
        The two assumed rates, per hour, within their bounds in `MILIEU_KINETICS`.
    cis_binding : bool
        The disputed view that sgp130Fc also binds IL-6 on membrane IL-6R.
    figure : matplotlib.figure.Figure, optional
        Drawn into; a new 11 x 6.2 inch figure by default.
    """

    def __init__(
        self,
        serum: str = _DEFAULT_SERUM,
        level_ug_ml: float = 30.0,
        clear_trapped: float = MILIEU_KINETICS.value("clear_trapped"),
        koff_sgp130fc: float = MILIEU_KINETICS.value("koff_sgp130fc"),
        cis_binding: bool = False,
        *,
        figure: Figure | None = None,
    ) -> None:
        self.figure = figure if figure is not None else new_figure(11.0, 6.2)
        self.figure.text(
            0.01,
            0.965,
            "Simulated: does sgp130Fc spare classic signalling in a dish and in blood?",
            fontsize=TEXT_PT,
            weight="bold",
        )
        self._draw_curves()
        self._draw_table()
        self._draw_rates()
        finish_figure(self.figure)

        self.animated = (
            self._window,
            *self._curves,
            *self._points,
            self._line,
            *self._columns.values(),
            *self._bars,
            *self._bar_values,
            self._context,
        )
        self.description = self.update(
            serum, level_ug_ml, clear_trapped, koff_sgp130fc, cis_binding
        )

    def _draw_curves(self) -> None:
        ax = self.ax = self.figure.add_axes((0.08, 0.36, 0.36, 0.52))
        for level in (10, 90):
            ax.axhline(level, color="0.55", lw=0.9, ls=":", zorder=0)
        self._window = Rectangle((1, 0), 1, 1, transform=ax.get_xaxis_transform(), **_WINDOW)
        self._window.set_edgecolor("black")
        ax.add_patch(self._window)
        x = np.geomspace(*DRUG_AXIS_UG_ML, 3)  # replaced by the model's levels in update
        self._curves, self._points = tracked_series(
            ax, x, [(*c[2:5], c[6]) for c in _CURVES], y=100.0, point_size=8
        )
        for curve, point, (setting, *_, width, _marker, face) in zip(
            self._curves, self._points, _CURVES, strict=True
        ):
            curve.set_linewidth(width)
            curve.set_markevery((0.02, 0.1) if setting == "blood" else (0.07, 0.1))
            if face:
                curve.set_markerfacecolor(face)
                point.set_markerfacecolor(face)
        self._line = ax.axvline(1.0, color="black", lw=1.0)
        ax.set_xscale("log")
        ax.set_xlim(*DRUG_AXIS_UG_ML)
        ax.set_ylim(-3, 108)
        ax.set_yticks([0, 10, 25, 50, 75, 90, 100])
        ax.tick_params(labelsize=TEXT_PT)
        label_axes(ax, x=("sgp130Fc", "µg/mL"), y=("signalling left", "% of no drug"))
        ax.set_title("classic: hepatocyte; trans: endothelial cell", loc="left", fontsize=TEXT_PT)
        proxy = Rectangle((0, 0), 1, 1, edgecolor="black", **_WINDOW)
        ax.legend(
            [*self._curves, proxy, self._line],
            [c[2] for c in _CURVES] + ["window in blood", "chosen level"],
            fontsize=TEXT_PT,
            loc="upper left",
            bbox_to_anchor=(-0.2, -0.2),
            ncol=2,
            frameon=False,
            handlelength=2.6,
        )

    def _draw_table(self) -> None:
        """Values at the chosen level: row names drawn once, only the two columns of numbers
        move (text is the slowest artist to redraw)."""
        text = {"fontsize": TEXT_PT, "va": "top", "linespacing": 1.35}
        self._context = self.figure.text(0.53, 0.4, "", **text)
        self.figure.text(0.53, 0.26, "\n".join(_ROWS), **text)
        self._columns = {}
        for setting, x in (("blood", 0.75), ("dish", 0.86)):
            self.figure.text(x, 0.26, setting, ha="right", **text)
            self._columns[setting] = self.figure.text(
                x, 0.26, "", ha="right", multialignment="right", **text
            )

    def _draw_rates(self) -> None:
        ax = self.rates_ax = self.figure.add_axes((0.56, 0.58, 0.42, 0.3))
        y = np.arange(len(RATES))[::-1].astype(float)
        low = RATE_AXIS_PER_H[0]
        self._bars = list(ax.barh(y, np.ones_like(y), left=low, height=0.42, edgecolor="black"))
        for bar, (_, assumed, _) in zip(self._bars, RATES, strict=True):
            bar.set_facecolor(PALETTE["reddish purple"] if assumed else PALETTE["sky blue"])
            bar.set_hatch("//" if assumed else "")
        for (name, *_), yi in zip(RATES, y, strict=True):
            ax.text(low * 1.3, yi + 0.25, name, fontsize=TEXT_PT, va="bottom")
        right = ax.get_yaxis_transform()  # x in axes fraction, y in data
        self._bar_values = [
            ax.text(0.99, yi + 0.25, "", fontsize=TEXT_PT, va="bottom", ha="right", transform=right)
            for yi in y
        ]
        ax.set_xscale("log")
        ax.set_xlim(*RATE_AXIS_PER_H)
        ax.set_ylim(-0.45, len(RATES) - 0.1)
        ax.set_yticks([])
        ax.tick_params(labelsize=TEXT_PT)
        label_axes(ax, x=("rate", "per hour"), y=("process", "name"))
        ax.set_title("rates in blood; hatched = assumed", loc="left", fontsize=TITLE_PT)

    def update(
        self,
        serum: str,
        level_ug_ml: float,
        clear_trapped: float,
        koff_sgp130fc: float,
        cis_binding: bool,
    ) -> str:
        """Recompute (memoised in the model), move the curves, marks and bars; return the
        description."""
        serum = require_name("serum", serum, SERA)
        level = _setting("level_ug_ml", level_ug_ml, *DRUG_AXIS_UG_ML, "ug/mL")
        rates = {
            name: _setting(name, value, *MILIEU_KINETICS[name].bounds, "per hour")
            for name, value in (("clear_trapped", clear_trapped), ("koff_sgp130fc", koff_sgp130fc))
        }
        c = self.comparison = compare_settings(serum, level, cis_binding=bool(cis_binding), **rates)
        self.rates = time_scales(serum, level, **rates)
        self.here = c.at_level()
        self.windows = {s: c.window_ug_ml(s) for s in ("blood", "dish")}
        self._move_curves(c)
        for bar, text, (key, *_) in zip(self._bars, self._bar_values, RATES, strict=True):
            value = self.rates[key]
            bar.set_width(value - RATE_AXIS_PER_H[0])
            text.set_text(f"{_F(value)} /h")
        self._context.set_text(self._context_text())
        for setting, column in self._columns.items():
            column.set_text(self._column_text(setting))
        self.description = self.describe()
        self.headline = self._headline()
        return self.description

    def _move_curves(self, c: SettingsComparison) -> None:
        level = c.level_ug_ml
        for curve, point, (setting, pathway, *_) in zip(
            self._curves, self._points, _CURVES, strict=True
        ):
            curve.set_data(c.levels_ug_ml, 100 * c.remaining[setting][pathway])
            point.set_data([level], [100 * self.here[setting][pathway]])
        self._line.set_xdata([level, level])
        low, high = self.windows["blood"]
        self._window.set_visible(not math.isnan(low))
        if not math.isnan(low):
            self._window.set_x(low)
            self._window.set_width(high - low)

    def _serum_label(self, which: int) -> str:
        name = self.comparison.serum
        return SERUM_LABELS[name][which] if name in SERUM_LABELS else f"{name} serum"

    def _context_text(self) -> str:
        ratio = self.rates["IL-6 removed"] / self.rates["IL-6 meets sIL-6R"]
        return (
            f"{self._serum_label(0)}; IL-6 removed {_F(ratio)}x\n"
            "faster than it meets sIL-6R; cis binding: "
            + ("on (disputed)" if self.comparison.cis_binding else "off")
        )

    def _column_text(self, setting: str) -> str:
        h = self.here[setting]
        low, high = self.windows[setting]
        span = "none" if math.isnan(low) else f"{_F(low)}–{_F(high)}"
        values = (_F(100 * h["classic"]), _F(100 * h["trans"]), _F(100 * h["free_il6"]), span)
        return "\n".join(("", *values))  # the first line is the static column name

    def _headline(self) -> str:
        """One short sentence: classic and trans left in blood and in a dish."""
        b, d = self.here["blood"], self.here["dish"]
        return (
            f"At {_F(self.comparison.level_ug_ml)} µg/mL sgp130Fc: in blood classic "
            f"{_F(100 * b['classic'])}% and trans {_F(100 * b['trans'])}%, in a dish classic "
            f"{_F(100 * d['classic'])}% and trans {_F(100 * d['trans'])}% (simulated)."
        )

    def describe(self) -> str:
        """The figure's content in one paragraph, from the numbers it plots."""
        c, h, w, r = self.comparison, self.here, self.windows, self.rates

        def left(setting: str) -> str:
            x = h[setting]
            return (
                f"classic signalling (hepatocyte) keeps {_F(100 * x['classic'])}% and "
                f"trans-signalling (endothelial cell) {_F(100 * x['trans'])}% of their drug-free "
                f"levels, with free IL-6 at {_F(100 * x['free_il6'])}% of no drug"
            )

        def window(setting: str) -> str:
            where = "in blood" if setting == "blood" else "in the dish"
            if math.isnan(w[setting][0]):
                return f"{where} there is no such window"
            hatched = " hatched" if setting == "blood" else ""
            return f"{where} the{hatched} window spans {_window_text(w[setting])}"

        removed, meets = r["IL-6 removed"], r["IL-6 meets sIL-6R"]
        levels = SERA[c.serum]
        serum = (
            f"{_F(levels['il6_ng_ml'])} ng/mL IL-6, {_F(levels['sil6r_ng_ml'])} ng/mL sIL-6R, "
            f"{_F(levels['sgp130_ng_ml'])} ng/mL sgp130"
        )
        speed = float(np.sign(c.clear_trapped - c.koff_sgp130fc))
        faster = {1.0: "faster than", 0.0: "as fast as", -1.0: "slower than"}[speed]
        return (
            f"Simulated in {self._serum_label(1)} ({serum}) with {_F(c.level_ug_ml)} µg/mL "
            f"sgp130Fc: in a dish "
            f"(closed, at equilibrium) {left('dish')}; in blood (open system) {left('blood')}. "
            "Trans-signalling at most 10% while classic keeps at least 90%: "
            f"{window('blood')}; {window('dish')}. IL-6 is removed {_F(removed / meets)} times "
            f"faster than it meets sIL-6R ({_F(removed)} against {_F(meets)} per hour). "
            f"Assumed, unmeasured rates: the captured complex is removed at "
            f"{_F(c.clear_trapped)} per hour, {faster} the trap lets go "
            f"({_F(c.koff_sgp130fc)} per hour). The disputed view that sgp130Fc also binds IL-6 "
            f"on membrane IL-6R (Widjaja & Cook 2024) is {'on' if c.cis_binding else 'off'}."
        )
