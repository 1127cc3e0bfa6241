"""Lesson 05 explorer: a virtual liver cohort of DEN/TCPOBOP mice."""

from __future__ import annotations

import ipywidgets as W

from course_lib.figures.liver import LiverCohort
from course_lib.models.mouse import GENOTYPES, HARVEST_WEEKS, SEXES, TREATMENTS
from course_lib.widgets._controls import menu, slider, toggles
from course_lib.widgets._panel import explorer
from course_lib.widgets.scenarios import with_presets

__all__ = ["virtual_liver_explorer"]

_LABEL_WIDTH = "200px"
_TREATMENT_LABELS = {"sgp130Fc": "sgp130Fc protein"}


def virtual_liver_explorer(*, preset: str | None = None) -> W.VBox:
    """Lesson 05: a simulated cohort of DEN/TCPOBOP mice, one liver drawn to scale.

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

    Returns
    -------
    ipywidgets.VBox
        Controls for the genotype, sex, treatment (sgp130Fc protein or its control), the
        treatment start and the harvest (weeks of age), the number of mice, the cohort's seed
        and which mouse to draw, above the `course_lib.figures.liver.LiverCohort` figure and
        its description. ``update`` (keywords ``genotype``, ``sex``, ``treatment``,
        ``treatment_start``, ``harvest_week``, ``n``, ``seed``, ``mouse``), ``controls`` and
        ``panel`` are exposed for tests. A mouse number above the cohort size draws the last
        mouse (the slider's maximum follows the cohort size).
    """
    genotype = menu(
        list(GENOTYPES), "wild type", "genotype", width="auto", hint="genotype: the mouse line"
    )
    sex = toggles(list(SEXES), "male", "sex of the mice")
    treatment = toggles(
        [(_TREATMENT_LABELS.get(t, t), t) for t in TREATMENTS],
        "none",
        "treatment",
        hint="treatment: the protein injected",
    )
    start = slider(24, 2, 58, 1, "treatment start", "week of age", whole=True)
    harvest = slider(
        40, int(HARVEST_WEEKS[0]), int(HARVEST_WEEKS[1]), 1, "harvest", "week of age", whole=True
    )
    n = slider(20, 5, 50, 1, "mice per group", "mice", whole=True)
    seed = slider(1, 0, 99, 1, "cohort seed", whole=True)
    mouse = slider(1, 1, n.value, 1, "mouse drawn, number", whole=True)
    controls = (genotype, sex, treatment, start, harvest, n, seed, mouse)
    names = (
        "genotype",
        "sex",
        "treatment",
        "treatment_start",
        "harvest_week",
        "n",
        "seed",
        "mouse",
    )
    for control, name in zip(controls, names, strict=True):
        control._course_name = name

    def follow(change: dict) -> None:  # registered before wire(): one redraw per move
        mouse.max = change["new"]

    n.observe(follow, names="value")

    def applies(change: dict) -> None:  # no treatment, no start to set (nor bar to draw)
        start.disabled = change["new"] == "none"

    treatment.observe(applies, names="value")
    start.disabled = treatment.value == "none"
    figure = LiverCohort(**{c._course_name: c.value for c in controls})

    def update(**values) -> str:
        values["mouse"] = min(values["mouse"], values["n"])
        return figure.update(**values)

    box = explorer(
        "A virtual liver cohort under DEN/TCPOBOP (simulated)",
        controls,
        figure,
        describe=update,
        label_width=_LABEL_WIDTH,
    )
    return with_presets(box, "virtual_liver_explorer", preset)
