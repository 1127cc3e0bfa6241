"""Lesson 05 explorers: a virtual liver cohort, and the mechanisms behind the genotypes."""

from __future__ import annotations

import ipywidgets as W

from course_lib.figures.liver import LiverCohort, MechanismBars
from course_lib.models.liver import DRIVERS, GENOTYPES, HARVEST_WEEKS, MECHANISMS, SEXES, TREATMENTS
from course_lib.widgets._panel import SLIDER_WIDTH, explorer

__all__ = ["mechanism_explorer", "virtual_liver_explorer"]

_LABEL_WIDTH = "200px"
_ROW = W.Layout(display="flex", flex_flow="row wrap", align_items="center")
_MECHANISM_LABELS = {
    "apoptosis": "IL-6 protects from p53 apoptosis (on when ticked)",
    "proliferation": "IL-6 drives beta-catenin proliferation (on when ticked)",
    "angiogenesis": "IL-6 drives angiogenesis (on when ticked)",
}
_TREATMENT_LABELS = {"sgp130Fc": "sgp130Fc protein"}
_DRIVER_LABELS = {"trans": "trans (Bergmann)", "classic": "classic (rival)"}


def _slider(value: int, low: int, high: int, description: str, step: int = 1) -> W.IntSlider:
    return W.IntSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=True, layout=W.Layout(width=SLIDER_WIDTH),
    )  # fmt: skip


def _toggles(options, value: str, description: str, width: str) -> W.ToggleButtons:
    return W.ToggleButtons(options=options, value=value, description=description,
                           style={"button_width": width}, layout=_ROW)  # fmt: skip


def virtual_liver_explorer() -> W.VBox:
    """Lesson 05: a simulated cohort of DEN/TCPOBOP mice, one liver drawn to scale.

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
    genotype = W.Dropdown(options=list(GENOTYPES), value="wild type",
                          description="genotype (mouse line)")  # fmt: skip
    sex = _toggles(list(SEXES), "male", "sex (of the mice)", "80px")
    treatment = _toggles(
        [(_TREATMENT_LABELS.get(t, t), t) for t in TREATMENTS],
        "none", "treatment (injected protein)", "130px",
    )  # fmt: skip
    start = _slider(24, 2, 58, "treatment start (week of age)")
    harvest = _slider(40, int(HARVEST_WEEKS[0]), int(HARVEST_WEEKS[1]), "harvest (week of age)")
    n = _slider(20, 5, 50, "mice per group (mice)")
    seed = _slider(1, 0, 99, "cohort seed (seed)")
    mouse = _slider(1, 1, n.value, "mouse drawn (mouse no.)")
    controls = (genotype, sex, treatment, start, harvest, n, seed, mouse)
    names = ("genotype", "sex", "treatment", "treatment_start", "harvest_week", "n", "seed",
             "mouse")  # fmt: skip
    for control, name in zip(controls, names, strict=True):
        control._course_name = name

    def follow(change: dict) -> None:  # registered before wire(): one redraw per move
        mouse.max = change["new"]

    n.observe(follow, names="value")
    figure = LiverCohort(**{c._course_name: c.value for c in controls})

    def update(**values) -> str:
        values["mouse"] = min(values["mouse"], values["n"])
        return figure.update(**values)

    return explorer("A virtual liver cohort under DEN/TCPOBOP (simulated)", controls, figure,
                    describe=update, label_width=_LABEL_WIDTH)  # fmt: skip


def mechanism_explorer() -> W.VBox:
    """Lesson 05: switch Bergmann's mechanisms off, or let classic signalling drive them.

    Returns
    -------
    ipywidgets.VBox
        A checkbox per mechanism, buttons for the driver hypothesis and the sex, and a slider
        of the harvest (week of age), above the `course_lib.figures.liver.MechanismBars`
        figure and its description. ``update`` (keywords ``apoptosis``, ``proliferation``,
        ``angiogenesis``, ``driver``, ``sex``, ``harvest_week``), ``controls`` and ``panel``
        are exposed for tests.
    """
    switches = []
    for name in MECHANISMS:
        box = W.Checkbox(value=True, description=_MECHANISM_LABELS[name], indent=False,
                         layout=W.Layout(width=SLIDER_WIDTH))  # fmt: skip
        box._course_name = name
        switches.append(box)
    driver = _toggles([(_DRIVER_LABELS[d], d) for d in DRIVERS], "trans",
                      "hepatocyte driver (pathway)", "130px")  # fmt: skip
    sex = _toggles(list(SEXES), "male", "sex (of the mice)", "80px")
    harvest = _slider(40, int(HARVEST_WEEKS[0]), int(HARVEST_WEEKS[1]), "harvest (week of age)")
    for control, name in ((driver, "driver"), (sex, "sex"), (harvest, "harvest_week")):
        control._course_name = name
    controls = (*switches, driver, sex, harvest)
    figure = MechanismBars(**{c._course_name: c.value for c in controls})
    return explorer("What each mechanism adds, by genotype (simulated)", controls, figure,
                    label_width=_LABEL_WIDTH)  # fmt: skip
