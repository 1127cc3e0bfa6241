"""Lesson 00 explorer: where an IL-6 concentration sits against the IL-6R Kd."""

from __future__ import annotations

import ipywidgets as W

from course_lib.figures.concentration import ConcentrationScale
from course_lib.models.affinities import AFFINITIES
from course_lib.parameters import SERUM_HUMAN
from course_lib.widgets._controls import log_slider
from course_lib.widgets._panel import explorer
from course_lib.widgets.scenarios import with_presets

__all__ = ["concentration_explorer"]


def concentration_explorer(*, preset: str | None = None) -> W.VBox:
    """Lesson 00: move IL-6 from healthy to sepsis levels and compare it with the IL-6R Kd.

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

    Returns
    -------
    ipywidgets.VBox
        Two log sliders (IL-6 in pg/mL; Kd in nM) above a two-panel figure and its
        description. ``update`` (keywords ``il6_pg_ml`` and ``kd_nM``), ``controls`` and
        ``panel`` are exposed for tests.
    """
    il6 = log_slider(
        SERUM_HUMAN["il6_healthy"],
        low=0.1,  # about the detection limit of sensitive ELISAs
        high=SERUM_HUMAN["il6_sepsis"].bounds[1],
        name="serum IL-6",
        unit="pg/mL",
    )
    kd = log_slider(AFFINITIES["kd_il6_il6r"], name="Kd of IL-6 for IL-6R", unit="nM")
    figure = ConcentrationScale(il6.value, kd.value)
    box = explorer(
        "Where does an IL-6 concentration sit?", (il6, kd), figure, names=("il6_pg_ml", "kd_nM")
    )
    return with_presets(box, "concentration_explorer", preset)
