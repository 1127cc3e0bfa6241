"""Lesson 06 explorers: power by simulation, and a lab that runs one experiment at a time."""

from __future__ import annotations

import ipywidgets as W

from course_lib.figures.design import COMPARISONS, ExperimentFigure, PowerFigure
from course_lib.models.count_tests import TESTS
from course_lib.models.design import EXPERIMENT, RANDOMISATIONS, SEXES
from course_lib.widgets._panel import SLIDER_WIDTH, explorer

__all__ = ["experiment_explorer", "power_explorer"]

_LABEL_WIDTH = "230px"
_ROW = {"display": "flex", "flex_flow": "row", "align_items": "center"}


def _slider(kind, value, low, high, step, description) -> W.ValueWidget:
    return kind(value=value, min=low, max=high, step=step, description=description,
                continuous_update=True, layout=W.Layout(width=SLIDER_WIDTH))  # fmt: skip


def _buttons(options, value, description, width="150px") -> W.ToggleButtons:
    return W.ToggleButtons(options=options, value=value, description=description,
                           style={"button_width": width}, layout=W.Layout(**_ROW))  # fmt: skip


def power_explorer() -> W.VBox:
    """Lesson 06: simulated power against mice per group, for a true reduction and a test.

    Returns
    -------
    ipywidgets.VBox
        Sliders of the true reduction (%), the dispersion k, the control mean (tumours per
        liver) and the litter effect (CV), buttons for the test and the randomisation, above
        the `course_lib.figures.design.PowerFigure` (300 simulated experiments per n, cached
        by settings, so a move stays fast). ``update`` (keywords ``reduction_pct``, ``k``,
        ``test``, ``control_mean``, ``randomisation``, ``litter_cv``), ``controls`` and
        ``panel`` are exposed for tests.
    """
    reduction = _slider(W.IntSlider, 50, 0, 90, 10, "true reduction (%)")
    k = _slider(W.FloatSlider, EXPERIMENT.value("k"), 0.5, 10.0, 0.5,
                "dispersion, NB k (k)")  # fmt: skip
    test = _buttons(list(TESTS), "Mann-Whitney", "test (name)", "190px")
    mean = _slider(W.FloatSlider, EXPERIMENT.value("control_mean"), 2.0, 30.0, 0.2,
                   "control mean (tumours per liver)")  # fmt: skip
    scheme = _buttons(list(RANDOMISATIONS), "blocked by litter", "randomisation (scheme)")
    litter = _slider(W.FloatSlider, 0.0, 0.0, 1.0, 0.1, "litter effect (CV)")
    controls = (reduction, k, test, mean, scheme, litter)
    names = ("reduction_pct", "k", "test", "control_mean", "randomisation", "litter_cv")
    figure = PowerFigure(reduction.value / 100, test.value, k.value, mean.value,
                         scheme.value, litter.value)  # fmt: skip

    def convert(v: dict) -> dict:
        return {"reduction": v.pop("reduction_pct") / 100, **v}

    note = (f"Each point: {figure.n_experiments} simulated experiments per n (fast, so the "
            "band of ± 1 SE is visible); the notebook runs 2,000 for precise numbers. Male "
            "mice, blinded, no deaths.")  # fmt: skip
    return explorer("How many mice per group? (simulated)", controls, figure, names=names,
                    describe=lambda **v: figure.update(**convert(v)), note=note,
                    label_width=_LABEL_WIDTH)  # fmt: skip


def experiment_explorer() -> W.VBox:
    """Lesson 06: run one simulated DEN experiment, and see how often its repeats find p < 0.05.

    Returns
    -------
    ipywidgets.VBox
        A menu of comparisons (means from lesson 05's virtual liver), sliders of mice per
        group, the litter effect (CV), attrition (%) and the study seed, buttons for sex,
        randomisation and blinding, above the `course_lib.figures.design.ExperimentFigure`.
        ``update`` (keywords ``comparison``, ``n_per_group``, ``sex``, ``randomisation``,
        ``blinding``, ``litter_cv``, ``attrition_pct``, ``seed``), ``controls`` and ``panel``
        are exposed for tests.
    """
    comparison = W.Dropdown(options=list(COMPARISONS), value=next(iter(COMPARISONS)),
                            description="comparison (groups)",
                            layout=W.Layout(width=SLIDER_WIDTH))  # fmt: skip
    n = _slider(W.IntSlider, 10, 3, 30, 1, "mice per group (mice)")
    sex = _buttons(list(SEXES), "male", "sex (name)", "90px")
    scheme = _buttons(list(RANDOMISATIONS), "blocked by litter", "randomisation (scheme)")
    blinding = _buttons([("on", True), ("off", False)], True, "blinded counting (on/off)", "60px")
    litter = _slider(W.FloatSlider, EXPERIMENT.value("litter_cv"), 0.0, 1.0, 0.1,
                     "litter effect (CV)")  # fmt: skip
    attrition = _slider(W.IntSlider, round(100 * EXPERIMENT.value("attrition")), 0, 30, 1,
                        "died before harvest (%)")  # fmt: skip
    seed = _slider(W.IntSlider, 1, 1, 100, 1, "study seed (seed)")
    controls = (comparison, n, sex, scheme, blinding, litter, attrition, seed)
    names = ("comparison", "n_per_group", "sex", "randomisation", "blinding", "litter_cv",
             "attrition_pct", "seed")  # fmt: skip

    def convert(v: dict) -> dict:
        return {"attrition": v.pop("attrition_pct") / 100, **v}

    figure = ExperimentFigure(**convert({c: w.value for c, w in zip(names, controls, strict=True)}))
    note = (f"Mean tumours per liver at week 40 come from lesson 05's virtual liver. The "
            f"{figure.repeats} repeats rerun the same design with new mice and the same "
            "male and female means; an unblinded counter "
            f"misses {EXPERIMENT.value('observer_bias'):.0%} of tumours in the treated group "
            "(assumed).")  # fmt: skip
    return explorer("Run your experiment (simulated)", controls, figure, names=names,
                    describe=lambda **v: figure.update(**convert(v)), note=note,
                    label_width=_LABEL_WIDTH)  # fmt: skip
