"""Lesson 07 explorer: plan a prevention study in DEN/TCPOBOP mice, from dose to mice per group."""

from __future__ import annotations

import ipywidgets as W

from course_lib.figures.prevention import PreventionStudy
from course_lib.models.count_tests import TESTS
from course_lib.models.hepatocarcinogenesis import MOUSE_MILIEU
from course_lib.models.prevention import (
    N_GRID,
    SERUM_RANGE_UG_ML,
    SIMULATED_EXPERIMENTS,
    START_WEEKS,
)
from course_lib.widgets._controls import choice_slider, log_slider, slider, toggles
from course_lib.widgets._panel import explorer
from course_lib.widgets.scenarios import with_presets

__all__ = ["prevention_study_planner"]

_LABEL_WIDTH = "260px"
_TEST_LABELS = {
    "Mann-Whitney": "Mann-Whitney",
    "negative binomial LRT": "negative binomial",
    "Welch t on log(count+1)": "t on log(count+1)",
}


def prevention_study_planner(*, preset: str | None = None) -> W.VBox:
    """Lesson 07: serum sgp130Fc -> liver signals -> tumours -> power, for one planned study.

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

    Returns
    -------
    ipywidgets.VBox
        A log slider of the serum sgp130Fc level while treated (µg/mL), a slider of the week
        of age at which treatment starts, a slider of mice per group and buttons for the
        statistical test, above the `course_lib.figures.prevention.PreventionStudy` figure
        and its description. ``update`` (keywords ``serum_ug_ml``, ``treatment_start``,
        ``n_per_group``, ``test``), ``controls`` and ``panel`` are exposed for tests.
    """
    serum = log_slider(
        MOUSE_MILIEU["sgp130fc_protein"],
        low=SERUM_RANGE_UG_ML[0],
        high=SERUM_RANGE_UG_ML[1],
        value=30.0,  # inside the selectivity window of the simulated mouse
        name="serum sgp130Fc while treated",
        unit="µg/mL",
    )
    start = slider(
        4, START_WEEKS[0], START_WEEKS[1], 1, "treatment start", "week of age", whole=True
    )
    mice = choice_slider(list(N_GRID), 10, "mice per group", "mice")
    test = toggles(
        [(_TEST_LABELS.get(name, name), name) for name in TESTS],
        "Mann-Whitney",
        "statistical test",
    )
    controls = (serum, start, mice, test)
    figure = PreventionStudy(serum.value, start.value, mice.value, test.value)
    note = (
        "Simulated: DEN/TCPOBOP males, harvest at week 40, power from "
        f"{SIMULATED_EXPERIMENTS} simulated experiments per group size (fixed seed) with the "
        "lesson 06 defaults (randomised within litters, blinded counting, litter effect, "
        "attrition). The serum level in mice is an assumption: "
        f"{MOUSE_MILIEU['sgp130fc_protein'].source}."
    )
    box = explorer(
        "Plan a prevention study: dose, start, mice per group (simulated)",
        controls,
        figure,
        names=("serum_ug_ml", "treatment_start", "n_per_group", "test"),
        note=note,
        label_width=_LABEL_WIDTH,
    )
    return with_presets(box, "prevention_study_planner", preset)
