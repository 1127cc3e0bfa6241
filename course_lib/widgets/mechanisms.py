"""Lesson 05 explorer: the tumour mechanisms behind the four mouse genotypes."""

from __future__ import annotations

import ipywidgets as W

from course_lib.figures.mechanisms import MechanismBars
from course_lib.models.mouse import DRIVERS, HARVEST_WEEKS, MECHANISMS, SEXES
from course_lib.widgets._controls import SLIDER_WIDTH, slider, switch, toggles
from course_lib.widgets._panel import explorer
from course_lib.widgets.scenarios import with_presets

__all__ = ["mechanism_explorer"]

_LABEL_WIDTH = "200px"
_MECHANISM_LABELS = {
    "apoptosis": "IL-6 protects from p53 apoptosis",
    "proliferation": "IL-6 drives beta-catenin proliferation",
    "angiogenesis": "IL-6 drives angiogenesis",
}
_DRIVER_LABELS = {"trans": "trans (Bergmann)", "classic": "classic (rival)"}


def mechanism_explorer(*, preset: str | None = None) -> W.VBox:
    """Lesson 05: switch Bergmann's mechanisms off, or let classic signalling drive them.

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

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
        box = switch(True, _MECHANISM_LABELS[name], width=SLIDER_WIDTH)
        box._course_name = name
        switches.append(box)
    driver = toggles(
        [(_DRIVER_LABELS[d], d) for d in DRIVERS],
        "trans",
        "hepatocyte driver",
        hint="hepatocyte driver: the pathway that drives the hepatocyte mechanisms",
    )
    sex = toggles(list(SEXES), "male", "sex of the mice")
    harvest = slider(
        40, int(HARVEST_WEEKS[0]), int(HARVEST_WEEKS[1]), 1, "harvest", "week of age", whole=True
    )
    for control, name in ((driver, "driver"), (sex, "sex"), (harvest, "harvest_week")):
        control._course_name = name
    controls = (*switches, driver, sex, harvest)
    figure = MechanismBars(**{c._course_name: c.value for c in controls})
    box = explorer(
        "What each mechanism adds, by genotype (simulated)",
        controls,
        figure,
        label_width=_LABEL_WIDTH,
    )
    return with_presets(box, "mechanism_explorer", preset)
