"""Lesson 00 explorer: where an IL-6 concentration sits against the IL-6R Kd."""

from __future__ import annotations

import ipywidgets as W

from course_lib.figures.concentration import ConcentrationScale
from course_lib.models.affinities import AFFINITIES
from course_lib.parameters import SERUM_HUMAN
from course_lib.widgets._panel import FigurePanel, log_slider, wire

__all__ = ["concentration_explorer"]


def concentration_explorer() -> W.VBox:
    """Lesson 00: move IL-6 from healthy to sepsis levels and compare it with the IL-6R Kd.

    Returns
    -------
    ipywidgets.VBox
        Two log sliders (IL-6 in pg/mL; Kd in nM) above a two-panel figure and its
        description. The attribute ``update`` (a function of ``il6_pg_ml`` and ``kd_nM``)
        is exposed for tests.
    """
    il6 = log_slider(
        SERUM_HUMAN["il6_healthy"],
        low=0.1,  # about the detection limit of sensitive ELISAs
        high=SERUM_HUMAN["il6_sepsis"].bounds[1],
        description="serum IL-6 (pg/mL)",
    )
    kd = log_slider(AFFINITIES["kd_il6_il6r"], description="Kd of IL-6 for IL-6R (nM)")
    il6._course_name, kd._course_name = "il6_pg_ml", "kd_nM"

    scale = ConcentrationScale(il6.value, kd.value)
    panel = FigurePanel(scale.figure, scale.animated)

    def update(il6_pg_ml: float, kd_nM: float) -> None:
        panel.render(scale.update(il6_pg_ml, kd_nM))

    update(il6.value, kd.value)
    wire([il6, kd], update)
    box = W.VBox([W.HTML("<b>Where does an IL-6 concentration sit?</b>"), il6, kd, panel.widget])
    box.update = update
    box.panel = panel
    box.controls = (il6, kd)
    return box
