"""Lesson 02 explorer: how sIL-6R, sgp130 and sgp130Fc partition serum IL-6."""

from __future__ import annotations

import ipywidgets as W

from course_lib._text import format_number
from course_lib.figures.serum import SerumPartition
from course_lib.models.affinities import AFFINITY_SETS
from course_lib.models.buffer import IL6_AXIS_PG_ML
from course_lib.parameters import SERUM_HUMAN
from course_lib.widgets._controls import choice_slider, log_slider, toggles
from course_lib.widgets._panel import explorer
from course_lib.widgets.scenarios import with_presets

__all__ = ["SGP130FC_STOPS_UG_ML", "serum_explorer"]

#: The stops of the sgp130Fc slider, ug/mL: none, then decades up to 100 ug/mL (a 600 mg
#: intravenous dose of olamkicept spread through ~3 L of plasma is about 200 ug/mL). A slider
#: of stops offers "none" exactly, which a logarithmic slider cannot.
SGP130FC_STOPS_UG_ML: tuple[float, ...] = (0.0, 0.1, 1.0, 10.0, 100.0)

_SET_LABELS = {"textbook": "textbook", "effective": "effective (Baran-like)"}
_LABEL_WIDTH = "210px"  # one width for every label, so the controls line up


def serum_explorer(*, preset: str | None = None) -> W.VBox:
    """Lesson 02: move serum IL-6, sIL-6R, sgp130 and sgp130Fc and see where the IL-6 goes.

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

    Returns
    -------
    ipywidgets.VBox
        Log sliders for IL-6 (pg/mL, healthy to sepsis), sIL-6R and sgp130 (ng/mL, their
        plausible serum ranges), a slider of sgp130Fc stops (ug/mL, starting at none) and a
        switch between the textbook and the effective affinity sets, above the
        `course_lib.figures.serum.SerumPartition` figure and its description. ``update``
        (keywords ``il6_pg_ml``, ``sil6r_ng_ml``, ``sgp130_ng_ml``, ``sgp130fc_ug_ml``,
        ``affinity_set``), ``controls`` and ``panel`` are exposed for tests.
    """
    il6 = log_slider(
        SERUM_HUMAN["il6_healthy"],
        low=IL6_AXIS_PG_ML[0],  # about the detection limit of sensitive ELISAs
        high=IL6_AXIS_PG_ML[1],  # the top of the sepsis range
        name="serum IL-6",
        unit="pg/mL",
    )
    sil6r = log_slider(SERUM_HUMAN["sil6r"], name="soluble IL-6R, sIL-6R", unit="ng/mL")
    sgp130 = log_slider(SERUM_HUMAN["sgp130"], name="soluble gp130, sgp130", unit="ng/mL")
    sgp130fc = choice_slider(
        [("none" if v == 0 else f"{v:g}", v) for v in SGP130FC_STOPS_UG_ML],
        0.0,
        "drug sgp130Fc",
        "µg/mL",
    )
    affinity = toggles(
        [(_SET_LABELS.get(name, name), name) for name in AFFINITY_SETS],
        "textbook",
        "affinity set",
        hint="affinity set: the dissociation constants (Kd) the binding model uses",
        tooltips=[
            f"{AFFINITY_SETS[name].title}: Kd IL-6:sIL-6R "
            f"{format_number(AFFINITY_SETS[name].value('kd_il6_il6r'))} nM, IL-6·sIL-6R:sgp130 "
            f"{format_number(AFFINITY_SETS[name].value('kd_complex_sgp130'))} nM"
            for name in AFFINITY_SETS
        ],
    )
    controls = (il6, sil6r, sgp130, sgp130fc, affinity)
    names = ("il6_pg_ml", "sil6r_ng_ml", "sgp130_ng_ml", "sgp130fc_ug_ml", "affinity_set")
    figure = SerumPartition(**{n: c.value for n, c in zip(names, controls, strict=True)})
    box = explorer(
        "Where is the IL-6 in serum? (simulated)",
        controls,
        figure,
        names=names,
        label_width=_LABEL_WIDTH,
    )
    return with_presets(box, "serum_explorer", preset)
