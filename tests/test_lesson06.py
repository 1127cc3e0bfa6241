"""Lesson 06, "Designing the experiment": its figures, explorers and checks.

Figure numbers are recomputed here with `course_lib.models.design` directly (same seeds); each
exercise check passes the library's own answer, recognises each named misconception, and
never prints the expected value.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from course_lib._text import format_number as f
from course_lib.errors import CourseLibError
from course_lib.figures.design import ExperimentFigure, _p
from course_lib.figures.power import PowerFigure
from course_lib.grading.checks import experimental_design as checks
from course_lib.grading.feedback import CheckFailed, try_check
from course_lib.models.arrive import ITEMS, ArriveChecklist
from course_lib.models.design import simulate_experiment
from course_lib.models.liver import expected_tumours
from course_lib.models.power import (
    COMPARISONS,
    INTERACTIVE_EXPERIMENTS,
    POWER_N,
    comparison_groups,
    power,
)


def _feedback(check, *args) -> str:
    result = try_check(check, *args)
    assert not result.passed, f"{check.__name__}{args} should fail"
    return result.message


# --------------------------------------------------------------------------------------------
# Figures


def test_comparisons_come_from_the_virtual_liver():
    groups = comparison_groups("wild type vs sgp130Fc transgenic")
    assert groups["wild type"][0] == pytest.approx(expected_tumours(), abs=0.01)
    assert groups["sgp130Fc transgenic"][0] == pytest.approx(
        expected_tumours(genotype="sgp130Fc transgenic"), abs=0.01
    )
    null = comparison_groups("wild type vs wild type (no true difference)")
    assert len(set(null.values())) == 1 and len(null) == 2
    for name in COMPARISONS:  # the control is first, and every mean is finite
        assert all(np.isfinite(v).all() for v in comparison_groups(name).values())
    with pytest.raises(CourseLibError, match="unknown comparison 'wild type vs mutant'"):
        comparison_groups("wild type vs mutant")


def test_power_figure_plots_the_library_curve():
    fig = PowerFigure(0.7, "Mann-Whitney", 3.0, 14.6)
    curve = power(14.6, 0.7, POWER_N, k=3.0, litter_cv=0.0, attrition=0.0,
                  n_experiments=INTERACTIVE_EXPERIMENTS["Mann-Whitney"], rng=fig.seed)  # fmt: skip
    np.testing.assert_allclose(fig._curve.get_ydata(), curve.power)
    n80 = curve.sample_size(0.8)
    assert fig.n80 == n80
    text = fig.description
    assert text.startswith("Simulated") and f"first reached at {n80} mice per group" in text
    assert f"power is {f(curve.power[0])} at 3 mice per group" in text
    assert fig._target.get_visible()


def test_power_figure_shows_the_false_positive_rate_without_an_effect():
    fig = PowerFigure(0.0, "negative binomial LRT", 3.0, 14.6, "whole litters", 0.8)
    assert not fig._target.get_visible() and fig._alpha.get_visible()
    assert fig.n80 is None and "false-positive rate lies between" in fig.description
    assert max(fig.result.power) > 0.1  # whole litters with a strong litter effect
    assert fig.result.n_experiments == INTERACTIVE_EXPERIMENTS["negative binomial LRT"]


def test_power_figure_caches_and_rejects_bad_settings():
    fig = PowerFigure()
    first = fig.result
    fig.update(0.3, "Mann-Whitney", 3.0, 14.6)
    fig.update(0.5, "Mann-Whitney", 3.0, 14.6)
    assert fig.result is first
    with pytest.raises(CourseLibError, match="reduction must lie within"):
        fig.update(1.5, "Mann-Whitney", 3.0, 14.6)
    with pytest.raises(CourseLibError, match="unknown test 't-test'"):
        fig.update(0.5, "t-test", 3.0, 14.6)


def test_experiment_figure_matches_simulate_experiment():
    fig = ExperimentFigure("control Fc vs sgp130Fc protein from week 24", 12, "male",
                           "simple", False, 0.3, 0.1, 5)  # fmt: skip
    exp = simulate_experiment(comparison_groups("control Fc vs sgp130Fc protein from week 24"),
                              12, sex="male", randomisation="simple", blinding=False,
                              litter_cv=0.3, attrition=0.1, rng=5)  # fmt: skip
    c = exp.analysis[0]
    text = fig.description
    assert f"Mann-Whitney p = {c.p_mann_whitney:.2g}" in text
    assert f"mean {f(c.mean_control)} and {f(c.mean_group)}" in text
    assert "unblinded counting" in text and text.startswith("Simulated experiment (seed 5)")
    plotted = sum(len(line.get_xdata()) for line in fig._dots.values())
    assert plotted == exp.group.size  # every mouse, the dead ones too
    dead = sum(len(line.get_xdata()) for (_, _, d), line in fig._dots.items() if d)
    assert dead == int(exp.excluded.sum())


def test_repeats_of_a_flawed_null_design_find_false_positives():
    fig = ExperimentFigure("wild type vs wild type (no true difference)", 15, "male",
                           "whole litters", True, 0.8, 0.0, 1)  # fmt: skip
    assert fig.reduction == 0 and "(false positives)" in fig.description
    assert fig.rates["Mann-Whitney"] > 0.1
    fig.update("wild type vs wild type (no true difference)", 15, "male", "blocked by litter",
               True, 0.8, 0.0, 1)  # fmt: skip
    assert fig.rates["Mann-Whitney"] <= 0.08


def test_experiment_figure_never_prints_nan():
    fig = ExperimentFigure("wild type vs sgp130Fc transgenic", 3, "female", "simple", True,
                           0.0, 0.3, 2)  # fmt: skip
    assert "nan" not in fig.description.lower()
    with pytest.raises(CourseLibError, match="unknown comparison"):
        fig.update("mutant", 10, "male", "simple", True, 0.2, 0.0, 1)
    with pytest.raises(CourseLibError, match="n_per_group must be a whole number >= 2"):
        fig.update("wild type vs sgp130Fc transgenic", 1, "male", "simple", True, 0.2, 0.0, 1)


def _old_readout(fig) -> str:
    """The readout as one text, as the figure wrote it before its row names became static."""
    exp, c = fig.experiment, fig.experiment.analysis[0]
    ratio = fig._ratio(c).replace(" (", "\n(", 1)
    return (
        f"Mann-Whitney {_p(c.p_mann_whitney)}\nNB LRT {_p(c.p_nb_lrt)}\nratio {ratio}\n"
        f"died {int(exp.excluded.sum())} of {exp.excluded.size} "
        f"(risk {f(100 * fig.settings['attrition'])}%)"
    )


@pytest.mark.parametrize(
    "settings",
    [
        ("wild type vs sgp130Fc transgenic", 10, "male", "blocked by litter", True, 0.2, 0.07, 1),
        ("control Fc vs sgp130Fc protein from week 24", 4, "female", "simple", False, 0.0, 0.3, 9),
        ("wild type vs wild type (no true difference)", 30, "mixed", "whole litters", True, 1.0,
         0.0, 100),
    ],
)  # fmt: skip
def test_the_readout_rows_read_as_the_one_text_they_replace(settings):
    # row names drawn once, values drawn at each update: name + value, row by row, must read
    # as the readout did, and each value must sit on its name's baseline, right of it
    fig = ExperimentFigure(*settings)
    first = fig.figure.texts.index(fig._readout[0])
    pairs = [fig.figure.texts[first - 1 + 2 * i : first + 1 + 2 * i] for i in range(5)]
    assert [v for _, v in pairs] == list(fig._readout)
    rows = [" ".join(t.get_text() for t in pair if t.get_text()) for pair in pairs]
    assert "\n".join(rows) == _old_readout(fig)
    assert [v.get_text() for v in fig._readout] == list(fig.readout_values())
    renderer = FigureCanvasAgg(fig.figure).get_renderer()
    for name, value in pairs:
        (_, y_name), (_, y_value) = (
            t.get_transform().transform(t.get_position()) for t in (name, value)
        )
        assert name.get_va() == value.get_va() == "baseline" and y_name == y_value
        if name.get_text() and value.get_text():
            gap = value.get_window_extent(renderer).x0 - name.get_window_extent(renderer).x1
            assert gap > 0
    widest, value = pairs[0]  # "Mann-Whitney" and its p-value: a space apart
    gap = value.get_window_extent(renderer).x0 - widest.get_window_extent(renderer).x1
    assert 0 < gap < 0.5 * fig.figure.dpi * value.get_fontsize() / 72


@pytest.mark.parametrize("factory", ["power_explorer", "experiment_explorer"])
def test_each_slider_step_redraws_once(factory):
    # Timing is measured by `make bench` (tools/bench.py), not asserted here.
    from course_lib import widgets

    box = getattr(widgets, factory)()
    slider = next(c for c in box.controls if hasattr(c, "step") and c.max - c.min > 4 * c.step)
    for i in range(6):
        renders, text = box.panel.renders, box.panel.text.value
        value = slider.min + (i + 1) * slider.step
        changed = value != slider.value
        slider.value = value
        assert box.panel.renders == renders + changed, f"{slider.description} = {value}"
        if changed:
            assert box.panel.text.value != text, f"{slider.description} = {value}: same text"


# --------------------------------------------------------------------------------------------
# Exercise checks


def test_sample_size_check():
    curve = power(**checks.POWER_SETTINGS)
    right = curve.sample_size(0.8)
    assert checks.sample_size_70(right).passed
    assert checks.sample_size_70(right + 2).passed  # rounding up a little is accepted
    assert "TOTAL" in _feedback(checks.sample_size_70, 2 * right)
    # a power (or any fraction) where a number of mice is asked gets its own message
    assert "looks like a power" in _feedback(checks.sample_size_70, 0.82)
    assert "whole number" in _feedback(checks.sample_size_70, right + 0.5)
    assert "50% reduction" in _feedback(checks.sample_size_70, checks._curve(0.5).sample_size(0.8))
    assert "below 0.8" in _feedback(checks.sample_size_70, right - 2)
    assert "no answer yet" in _feedback(checks.sample_size_70, ...)
    with pytest.raises(CheckFailed) as info:
        checks.sample_size_70(right + 7)
    assert str(right) not in str(info.value).replace("6.1", "")


def test_litter_design_check():
    rates = {k: checks.design_false_positive_rate(k) for k in "abcd"}
    assert rates["b"] <= 0.05 < min(rates["a"], rates["c"], rates["d"])
    assert checks.litter_design("b", rates["b"]).passed
    assert "blinding protects the counting" in _feedback(checks.litter_design, "a", rates["a"])
    assert "more mice do not help" in _feedback(checks.litter_design, "c", rates["c"])
    assert "belongs to another design" in _feedback(checks.litter_design, "b", rates["a"])
    assert "percentage" in _feedback(checks.litter_design, "b", 100 * rates["b"])
    assert "not a number of mice" in _feedback(checks.litter_design, "b", 15)


@pytest.mark.parametrize(
    ("func", "wrong"),
    [
        (
            checks.experimental_unit,
            {"a": "same bottle", "c": "what you count", "d": "whole litters"},
        ),
        (checks.count_test, {"a": "skewed", "c": "overdispersion", "d": "incidence"}),
    ],
)
def test_choices(func, wrong):
    assert func("b").passed
    for option, words in wrong.items():
        assert words in _feedback(func, option)


def test_arrive_check():
    assert "no answer yet" in _feedback(checks.arrive_complete, ...)
    assert "expected an ArriveChecklist" in _feedback(checks.arrive_complete, {"a": 1})
    text = _feedback(checks.arrive_complete, ArriveChecklist(sample_size="10 mice per group"))
    assert "still empty: Study design" in text and "incomplete: Sample size" in text
    assert len(ITEMS) == 10
