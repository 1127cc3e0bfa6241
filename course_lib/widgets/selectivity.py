"""Lesson 04 explorer: is sgp130Fc selective in a dish and in a living animal? (simulated)

The explorer starts inside the selectivity window in blood (none in the dish):

>>> box = selectivity_explorer()
>>> box.controls[1].value, box.figure._window.get_visible()
(30.0, True)
>>> "in the dish there is no such window" in box.panel.text.value
True
"""

from __future__ import annotations

import ipywidgets as W

from course_lib._text import format_number
from course_lib.figures.selectivity import SettingsFigure
from course_lib.models.hepatocarcinogenesis import MOUSE_MILIEU
from course_lib.models.milieu import MILIEU_KINETICS
from course_lib.models.selectivity import DRUG_AXIS_UG_ML, SERA
from course_lib.widgets._controls import log_slider, switch, toggles
from course_lib.widgets._panel import explorer
from course_lib.widgets.scenarios import with_presets

__all__ = ["selectivity_explorer"]

_LABEL_WIDTH = "290px"
_WIDTH = "580px"  # label plus a track as long as the other explorers' sliders have
#: The level at which the window in blood shows at the default settings, ug/mL.
_LEVEL_UG_ML = 30.0
_CIS = "sgp130Fc also binds IL-6 on membrane IL-6R, disputed: Widjaja & Cook 2024"
_CIS_HINT = "the view of Widjaja & Cook 2024 (doi:10.3390/ijms25031363), disputed by others"


def _serum_tooltip(name: str) -> str:
    s = {k: format_number(v) for k, v in SERA[name].items()}
    return (
        f"{name}: IL-6 {s['il6_ng_ml']} ng/mL, sIL-6R {s['sil6r_ng_ml']} ng/mL, "
        f"sgp130 {s['sgp130_ng_ml']} ng/mL"
    )


def selectivity_explorer(*, preset: str | None = None) -> W.VBox:
    """Lesson 04: sgp130Fc in a dish and in blood, and the assumptions that decide (simulated).

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

    Returns
    -------
    ipywidgets.VBox
        Buttons for the serum (`course_lib.models.selectivity.SERA`), a log slider of the
        sgp130Fc level (µg/mL, default 30, inside the window in blood), log sliders of the two
        assumed rates (removal of the captured complex and how fast the trap lets go, per
        hour, over their plausible ranges in `course_lib.models.milieu.MILIEU_KINETICS`) and a
        checkbox for the disputed cis-binding view, above the
        `course_lib.figures.selectivity.SettingsFigure` figure and its description.
        ``update`` (keywords ``serum``, ``level_ug_ml``, ``clear_trapped``,
        ``koff_sgp130fc``, ``cis_binding``), ``controls`` and ``panel`` are exposed for tests.
    """
    serum = toggles(
        list(SERA),
        next(iter(SERA)),
        "serum",
        hint="serum: its IL-6, sIL-6R and sgp130 levels are in each choice's tooltip",
        tooltips=[_serum_tooltip(name) for name in SERA],
    )
    level = log_slider(
        MOUSE_MILIEU["sgp130fc_protein"],  # only the name is used: range and start given here
        low=DRUG_AXIS_UG_ML[0],
        high=DRUG_AXIS_UG_ML[1],
        value=_LEVEL_UG_ML,
        name="sgp130Fc level",
        unit="µg/mL",
    )
    clear = log_slider(
        MILIEU_KINETICS["clear_trapped"],
        name="captured complex removed",
        unit="per hour",
    )
    koff = log_slider(
        MILIEU_KINETICS["koff_sgp130fc"],
        name="trap lets go",
        unit="per hour",
    )
    for slider in (level, clear, koff):
        slider.layout.width = _WIDTH
    cis = switch(False, _CIS, hint=_CIS_HINT)
    controls = (serum, level, clear, koff, cis)
    figure = SettingsFigure(serum.value, level.value, clear.value, koff.value, cis.value)
    note = (
        "Both rates are assumptions nobody has measured: how fast blood removes the captured "
        "IL-6·sIL-6R·sgp130Fc, and how fast the dimeric trap lets its catch go. The sliders "
        "span their plausible ranges; the dish uses the same binding rates as blood."
    )
    box = explorer(
        "Is sgp130Fc selective? In a dish and in a living animal (simulated)",
        controls,
        figure,
        names=("serum", "level_ug_ml", "clear_trapped", "koff_sgp130fc", "cis_binding"),
        note=note,
        label_width=_LABEL_WIDTH,
    )
    return with_presets(box, "selectivity_explorer", preset)
