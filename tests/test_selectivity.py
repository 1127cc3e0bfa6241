"""Lesson 04, "In a dish and in a living animal": the selectivity figure and its explorer.

Every expected number is recomputed here with `course_lib.models.selectivity` directly; the
figure must plot and describe what the model returns.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from course_testing import assert_finite, control_values

from course_lib._text import format_number as f
from course_lib.errors import CourseLibError
from course_lib.figures.selectivity import SettingsFigure
from course_lib.models import selectivity
from course_lib.models.milieu import MILIEU_KINETICS
from course_lib.models.selectivity import SERA, compare_settings, time_scales

MOUSE = "mouse (DEN/TCPOBOP)"
CLEAR = MILIEU_KINETICS.value("clear_trapped")
KOFF = MILIEU_KINETICS.value("koff_sgp130fc")


def _curve(fig: SettingsFigure, label: str):
    (line,) = [c for c in fig._curves if c.get_label() == label]
    return np.asarray(line.get_xdata()), np.asarray(line.get_ydata())


def test_defaults_show_a_window_in_blood_and_none_in_the_dish():
    fig = SettingsFigure()
    c = compare_settings(MOUSE, 30.0, CLEAR, KOFF, False)
    low, high = c.window_ug_ml("blood")
    assert not math.isnan(low) and math.isnan(c.window_ug_ml("dish")[0])
    assert fig._window.get_visible()
    assert fig._window.get_x() == pytest.approx(low)
    assert fig._window.get_width() == pytest.approx(high - low)
    text = fig.description
    levels = SERA[MOUSE]
    assert text.startswith(
        f"Simulated in {MOUSE} serum ({f(levels['il6_ng_ml'])} ng/mL IL-6, "
        f"{f(levels['sil6r_ng_ml'])} ng/mL sIL-6R, {f(levels['sgp130_ng_ml'])} ng/mL sgp130) "
        "with 30 µg/mL sgp130Fc: "
    )
    assert f"in blood the hatched window spans from {f(low)} to {f(high)} µg/mL" in text
    assert "in the dish there is no such window" in text
    here = c.at_level()
    for setting, where in (
        ("dish", "in a dish (closed, at equilibrium)"),
        ("blood", "in blood (open system)"),
    ):
        x = here[setting]
        assert (
            f"{where} classic signalling (hepatocyte) keeps {f(100 * x['classic'])}% and "
            f"trans-signalling (endothelial cell) {f(100 * x['trans'])}% of their drug-free "
            f"levels, with free IL-6 at {f(100 * x['free_il6'])}% of no drug"
        ) in text
    rates = time_scales(MOUSE, 30.0, CLEAR, KOFF)
    ratio = rates["IL-6 removed"] / rates["IL-6 meets sIL-6R"]
    assert ratio > 100 and f"IL-6 is removed {f(ratio)} times faster" in text
    assert f"removed at {f(CLEAR)} per hour, slower than the trap lets go ({f(KOFF)}" in text
    assert text.endswith("(Widjaja & Cook 2024) is off.") and text.count("Simulated") == 1


def test_the_curves_and_marks_are_the_models_numbers():
    fig = SettingsFigure("human, high IL-6", 3.0, 1.0, 0.1, False)
    c = compare_settings("human, high IL-6", 3.0, 1.0, 0.1, False)
    for setting, pathway in itertools.product(("blood", "dish"), ("classic", "trans")):
        x, y = _curve(fig, f"{setting}: {pathway}")
        np.testing.assert_allclose(x, c.levels_ug_ml)
        np.testing.assert_allclose(y, 100 * c.remaining[setting][pathway])
    for point, setting, pathway in zip(
        fig._points,
        ("blood", "blood", "dish", "dish"),
        ("classic", "trans", "classic", "trans"),
        strict=True,
    ):
        assert point.get_ydata()[0] == pytest.approx(100 * c.at_level()[setting][pathway])
        assert point.get_xdata()[0] == 3.0
    rates = time_scales("human, high IL-6", 3.0, 1.0, 0.1)
    widths = [bar.get_width() + fig.rates_ax.get_xlim()[0] for bar in fig._bars]
    assert sorted(widths) == pytest.approx(sorted(rates.values()))


def test_slow_removal_of_the_captured_complex_leaves_trans_in_blood_and_no_window():
    slow = MILIEU_KINETICS["clear_trapped"].bounds[0]
    fig = SettingsFigure(MOUSE, 10.0, slow, KOFF, False)
    x, y = _curve(fig, "blood: trans")
    assert y[np.argmin(np.abs(np.log(x / 10.0)))] > 80
    assert fig.here["blood"]["trans"] > 0.8
    assert "in blood there is no such window" in fig.description
    assert not fig._window.get_visible()
    assert f"removed at {f(slow)} per hour, slower than" in fig.description


def test_the_disputed_cis_binding_view_blocks_classic_signalling_in_blood():
    fig = SettingsFigure(MOUSE, 30.0, CLEAR, KOFF, True)
    assert fig.here["blood"]["classic"] < 0.5
    x, y = _curve(fig, "blood: classic")
    assert y[np.argmin(np.abs(np.log(x / 30.0)))] < 50
    assert fig.description.endswith("(Widjaja & Cook 2024) is on.")
    assert "on (disputed)" in fig._context.get_text()


def test_the_cis_binding_view_reuses_the_settings_and_gives_what_a_fresh_model_gives():
    # the explorer's checkbox recomputes only the signals (the equilibria are shared)
    for serum in SERA:
        toggled = [compare_settings(serum, 3.0, cis_binding=cis) for cis in (False, True)]
        selectivity._compare.cache_clear()
        selectivity._settings.cache_clear()
        fresh = compare_settings(serum, 3.0, cis_binding=True)
        for setting in ("dish", "blood"):
            for pathway in ("classic", "trans"):
                now, alone = toggled[1].remaining[setting], fresh.remaining[setting]
                assert np.array_equal(now[pathway], alone[pathway])
            assert np.array_equal(toggled[1].free_il6[setting], toggled[0].free_il6[setting])
        classic = [t.remaining["blood"]["classic"] for t in toggled]
        assert not np.array_equal(*classic)  # the view changes the answer


@pytest.mark.slow
def test_no_nan_reaches_the_plot_over_every_extreme_of_the_explorer():
    from course_lib.widgets import selectivity_explorer

    box = selectivity_explorer()
    names = [c._course_name for c in box.controls]
    for values in itertools.product(*(control_values(c) for c in box.controls)):
        settings = dict(zip(names, values, strict=True))
        box.update(**settings)
        assert_finite(box.figure)
        for bar in box.figure._bars:
            assert np.isfinite(bar.get_width()) and bar.get_width() > 0, settings
        text = box.panel.text.value
        assert "nan" not in text.lower() and "inf" not in text.lower(), (settings, text)


def test_the_explorer_starts_inside_the_window_in_blood():
    from course_lib.widgets import selectivity_explorer

    box = selectivity_explorer()
    serum, level, clear, koff, cis = box.controls
    assert (serum.value, level.value, cis.value) == (MOUSE, 30.0, False)
    assert (clear.value, koff.value) == (CLEAR, KOFF)
    low, high = compare_settings(MOUSE, level.value).window_ug_ml("blood")
    assert low < level.value < high and box.figure._window.get_visible()
    assert "hatched window spans" in box.panel.text.value
    assert "nobody has measured" in box.children[len(box.controls) + 1].value
    assert list(serum._options_values) == list(SERA)


def test_each_rate_slider_spans_what_the_model_accepts():
    from course_lib.widgets import selectivity_explorer

    box = selectivity_explorer()
    default = {c._course_name: c.value for c in box.controls}
    for control in box.controls[1:4]:
        ends = (control.base**control.min, control.base**control.max)
        if control._course_name in MILIEU_KINETICS:
            bounds = MILIEU_KINETICS[control._course_name].bounds
            assert bounds[0] <= ends[0] < ends[1] <= bounds[1] * (1 + 1e-9)
        for end in ends:  # the browser's rounding of an end must stay valid, too
            for nudge in (1 - 1e-12, 1 + 1e-12):
                box.update(**{**default, control._course_name: end * nudge})
                assert "nan" not in box.panel.text.value


def test_bad_settings_raise_course_errors_that_say_what_was_wrong():
    fig = SettingsFigure()
    with pytest.raises(CourseLibError, match=r"unknown serum 'rat'; expected one of: 'mouse"):
        fig.update("rat", 30.0, CLEAR, KOFF, False)
    with pytest.raises(
        CourseLibError, match=r"level_ug_ml must lie within \[0.001, 300\] ug/mL; got 1000.0"
    ):
        fig.update(MOUSE, 1000.0, CLEAR, KOFF, False)
    with pytest.raises(CourseLibError, match=r"level_ug_ml must lie within .*; got 0.0"):
        fig.update(MOUSE, 0.0, CLEAR, KOFF, False)
    with pytest.raises(
        CourseLibError, match=r"clear_trapped must lie within \[0.0018, 2\] per hour; got 5.0"
    ):
        fig.update(MOUSE, 30.0, 5.0, KOFF, False)
    with pytest.raises(CourseLibError, match=r"level_ug_ml must be a number in ug/mL"):
        fig.update(MOUSE, "30", CLEAR, KOFF, False)
