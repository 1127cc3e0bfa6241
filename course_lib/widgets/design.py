"""Lesson 06 explorer: a lab that runs one simulated experiment at a time, and its repeats."""

from __future__ import annotations

import ipywidgets as W

from course_lib.figures.design import ExperimentFigure
from course_lib.models.design import EXPERIMENT, SEXES
from course_lib.models.power import COMPARISONS, comparison_groups
from course_lib.widgets._controls import menu, slider, toggles
from course_lib.widgets._panel import explorer
from course_lib.widgets.scenarios import with_presets

__all__ = ["experiment_explorer"]

_LABEL_WIDTH = "230px"


#: Labels that read true for both kinds of comparison: a treatment is randomised, a genotype
#: is inherited (the figure's description says which, for the comparison chosen).
_SCHEMES = [
    ("balanced within litters", "blocked by litter"),
    ("mouse by mouse", "simple"),
    ("whole litters per group", "whole litters"),
]


def experiment_explorer(*, preset: str | None = None) -> W.VBox:
    """Lesson 06: run one simulated DEN experiment, and see how often its repeats find p < 0.05.

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

    Returns
    -------
    ipywidgets.VBox
        A menu of comparisons (means from lesson 05's virtual liver), sliders of mice per
        group, the litter effect (CV), attrition (%) and the study seed, buttons for sex,
        allocation and blinding, above the `course_lib.figures.design.ExperimentFigure`. A
        genotype is inherited, never randomised: for a genotype comparison the allocation
        buttons choose how littermates are used, and the description says so.
        ``update`` (keywords ``comparison``, ``n_per_group``, ``sex``, ``randomisation``,
        ``blinding``, ``litter_cv``, ``attrition_pct``, ``seed``), ``controls`` and ``panel``
        are exposed for tests.
    """
    comparison = menu(
        list(COMPARISONS),
        next(iter(COMPARISONS)),
        "comparison",
        hint="comparison: the two groups of mice, control first",
    )
    n = slider(10, 3, 30, 1, "mice per group", "mice", whole=True)
    sex = toggles(list(SEXES), "male", "sex")
    scheme = toggles(
        _SCHEMES,
        "blocked by litter",
        "allocation",
        hint="allocation: a treatment is randomised, a genotype is inherited",
    )
    blinding = toggles([("on", True), ("off", False)], True, "blinded counting")
    litter = slider(EXPERIMENT.value("litter_cv"), 0.0, 1.0, 0.1, "litter effect, as a CV")
    deaths = round(100 * EXPERIMENT.value("attrition"))
    attrition = slider(deaths, 0, 30, 1, "died before harvest", "%", whole=True)
    seed = slider(1, 1, 100, 1, "study seed", whole=True)
    controls = (comparison, n, sex, scheme, blinding, litter, attrition, seed)
    names = (
        "comparison",
        "n_per_group",
        "sex",
        "randomisation",
        "blinding",
        "litter_cv",
        "attrition_pct",
        "seed",
    )

    for name in COMPARISONS:  # the menu's few choices: their means (memoised) once, up front
        comparison_groups(name)

    def convert(v: dict) -> dict:
        return {"attrition": v.pop("attrition_pct") / 100, **v}

    figure = ExperimentFigure(**convert({c: w.value for c, w in zip(names, controls, strict=True)}))
    note = (
        f"Mean tumours per liver at week 40 come from lesson 05's virtual liver. The "
        f"{figure.repeats} repeats rerun the same design with new mice and the same "
        "male and female means; an unblinded counter "
        f"misses {EXPERIMENT.value('observer_bias'):.0%} of tumours in the treated group "
        "(assumed)."
    )
    box = explorer(
        "Run your experiment (simulated)",
        controls,
        figure,
        names=names,
        describe=lambda **v: figure.update(**convert(v)),
        note=note,
        label_width=_LABEL_WIDTH,
    )
    return with_presets(box, "experiment_explorer", preset)
