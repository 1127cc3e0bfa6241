"""Lesson 06 explorer: power by simulation, against mice per group."""

from __future__ import annotations

from collections import Counter

import ipywidgets as W

from course_lib.figures.power import PowerFigure
from course_lib.models.count_tests import TESTS
from course_lib.models.design import EXPERIMENT, RANDOMISATIONS
from course_lib.models.power import INTERACTIVE_EXPERIMENTS
from course_lib.widgets._controls import slider, toggles
from course_lib.widgets._panel import explorer
from course_lib.widgets.scenarios import with_presets

__all__ = ["power_explorer"]

_LABEL_WIDTH = "230px"


def _experiments_per_point() -> str:
    """How many simulated experiments each point of the interactive curve rests on, by test
    (`course_lib.models.power.INTERACTIVE_EXPERIMENTS`), e.g. "200 (100 with the NB LRT)".

    >>> _experiments_per_point()
    '200 (100 with the negative binomial LRT)'
    """
    counts = Counter(INTERACTIVE_EXPERIMENTS.values())
    usual = counts.most_common(1)[0][0]
    others = [f"{n:,} with the {t}" for t, n in INTERACTIVE_EXPERIMENTS.items() if n != usual]
    return f"{usual:,}" + (f" ({'; '.join(others)})" if others else "")


def power_explorer(*, preset: str | None = None) -> W.VBox:
    """Lesson 06: simulated power against mice per group, for a true reduction and a test.

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

    Returns
    -------
    ipywidgets.VBox
        Sliders of the true reduction (%), the dispersion k, the control mean (tumours per
        liver) and the litter effect (CV), buttons for the test and the randomisation, above
        the `course_lib.figures.power.PowerFigure` (a few hundred simulated experiments per n,
        remembered by setting, so a move stays fast). ``update`` (keywords ``reduction_pct``, ``k``,
        ``test``, ``control_mean``, ``randomisation``, ``litter_cv``), ``controls`` and
        ``panel`` are exposed for tests.
    """
    reduction = slider(50, 0, 90, 10, "true reduction", "%", whole=True)
    k = slider(EXPERIMENT.value("k"), 0.5, 10.0, 0.5, "dispersion, negative binomial k")
    test = toggles(list(TESTS), "Mann-Whitney", "statistical test")
    mean = slider(
        EXPERIMENT.value("control_mean"), 2.0, 30.0, 0.2, "control mean", "tumours per liver"
    )
    scheme = toggles(list(RANDOMISATIONS), "blocked by litter", "randomisation")
    litter = slider(0.0, 0.0, 1.0, 0.1, "litter effect, as a CV")
    controls = (reduction, k, test, mean, scheme, litter)
    names = ("reduction_pct", "k", "test", "control_mean", "randomisation", "litter_cv")
    figure = PowerFigure(
        reduction.value / 100, test.value, k.value, mean.value, scheme.value, litter.value
    )

    def convert(v: dict) -> dict:
        return {"reduction": v.pop("reduction_pct") / 100, **v}

    note = (
        f"Each point: {_experiments_per_point()} simulated experiments per n (fast, so the "
        "band of ± 1 SE is visible); the notebook runs 2,000 for precise numbers. Male "
        "mice, blinded, no deaths."
    )
    box = explorer(
        "How many mice per group? (simulated)",
        controls,
        figure,
        names=names,
        describe=lambda **v: figure.update(**convert(v)),
        note=note,
        label_width=_LABEL_WIDTH,
    )
    return with_presets(box, "power_explorer", preset)
