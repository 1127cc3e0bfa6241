"""Lesson 03, "Signalling dynamics": its figures, explorers and checks.

The figures are driven over every control's extremes; their numbers are recomputed here with
`course_lib.models.signaling` directly. Each exercise check passes the solution's answer, recognises
each named misconception, and never prints the expected value.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from course_testing import assert_finite, thin_code_cells

from course_lib._text import format_number
from course_lib.errors import CourseValueError, ShapeError, UnknownNameError
from course_lib.figures.dynamics import DoseResponseView, TimeCourseView
from course_lib.grading.checks import signalling_dynamics as checks
from course_lib.grading.feedback import CheckFailed
from course_lib.models.culture import DOSES_NG_ML, LESSON_CELLS
from course_lib.models.signaling import STIMULI, dose_response, simulate
from course_lib.models.stimuli import stimulus_nM
from course_lib.units import to_molar

ROOT = Path(__file__).resolve().parents[1]
F = format_number


@pytest.fixture(scope="module")
def time_box():
    from course_lib.widgets import time_course_explorer

    return time_course_explorer()


@pytest.fixture(scope="module")
def dose_box():
    from course_lib.widgets import dose_response_explorer

    return dose_response_explorer()


@pytest.mark.slow
def test_time_course_over_every_extreme(time_box):
    cell, dose, sil6r, stim, _feedback, ratio = time_box.controls
    ends = [[c.base**c.min, c.base**c.max] for c in (dose, sil6r)]
    view = time_box.figure
    for values in itertools.product(list(cell._options_values), list(stim._options_values),
                                     *ends, [True, False], list(ratio._options_values)):  # fmt: skip
        text = view.update(*values)
        assert_finite(view)
        c, s, d, r, fb, q = values
        gp130 = 5000.0
        run = simulate(c, **stimulus_nM(s, d, r), socs3_feedback=fb,
                       il6r=None if q == "cell" else q * gp130)  # fmt: skip
        assert text.startswith(f"Simulated {c}, {F(d)} ng/mL") and "nan" not in text.lower()
        if run.peak() > 0:
            assert f"peaks at {F(100 * run.peak())}% of STAT3 at {F(run.peak_time())} min" in text
            assert f"is {F(100 * run.pstat3[-1])}% at 4 h" in text
        else:
            assert "no pSTAT3 at any time" in text


def test_time_course_marks_the_peak_and_shows_feedback():
    view = TimeCourseView()
    view.update("hepatocyte", "IL-6", 40.0, 40.0, True, "cell")
    assert view._peak.get_xdata()[0] == view.run.peak_time()
    assert 15 <= view.run.peak_time() <= 30
    assert "SOCS3 feedback on" in view.description
    view.update("hepatocyte", "IL-6", 40.0, 40.0, False, "cell")
    assert "SOCS3 feedback off" in view.description
    assert view.run.pstat3[-1] > 0.7 * view.run.peak()  # sustained
    view.update("endothelial cell", "IL-6", 40.0, 40.0, True, "cell")
    assert "no pSTAT3 at any time over 4 h" in view.description


@pytest.mark.slow
@pytest.mark.parametrize("cell", LESSON_CELLS)
@pytest.mark.parametrize("stimulus", list(STIMULI))
@pytest.mark.parametrize("feedback", [True, False])
def test_dose_response_description_agrees_with_the_model(cell, stimulus, feedback):
    view = DoseResponseView()
    text = view.update(cell, stimulus, feedback)
    assert_finite(view)
    mass = "Hyper-IL-6" if stimulus == "Hyper-IL-6" else "IL-6"
    dr = dose_response(cell, to_molar(DOSES_NG_ML, "ng/mL", mass), stimulus=stimulus,
                       socs3_feedback=feedback)  # fmt: skip
    assert np.allclose(view._curve.get_ydata(), 100 * dr.peak)
    assert text.startswith(f"Simulated {cell}") and "nan" not in text.lower()
    if cell == "endothelial cell" and stimulus == "IL-6":
        assert "no EC50" in text and view.ec50_ng_ml is None
    else:
        ec50_ng = dr.ec50() / to_molar(1.0, "ng/mL", mass)
        assert f"EC50 of {F(ec50_ng)} ng/mL ({F(dr.ec50() * 1e3)} pM)" in text
        assert view._ec50.get_xdata()[0] == pytest.approx(ec50_ng)
        assert view._ec50_text.get_text() == f"EC50 {F(ec50_ng)} ng/mL"


def test_views_reject_bad_input():
    view = TimeCourseView()
    with pytest.raises(UnknownNameError, match=r"unknown stimulus 'IL-7'"):
        view.update("hepatocyte", "IL-7", 1.0, 40.0, True, "cell")
    with pytest.raises(CourseValueError, match=r"dose_ng_ml must be a concentration >= 0"):
        view.update("hepatocyte", "IL-6", -1.0, 40.0, True, "cell")
    with pytest.raises(ShapeError, match=r"sil6r_ng_ml must be a single number in ng/mL"):
        view.update("hepatocyte", "IL-6", 1.0, [1.0, 2.0], True, "cell")
    with pytest.raises(CourseValueError, match=r"il6r_per_gp130 must be at most 1000.*got 5000"):
        view.update("hepatocyte", "IL-6", 1.0, 40.0, True, 5000.0)
    with pytest.raises(UnknownNameError, match=r"unknown cell type 'liver'"):
        DoseResponseView().update("liver", "IL-6", True)


@pytest.mark.parametrize("box_name", ["time_box", "dose_box"])
def test_each_stimulus_change_redraws_once(box_name, request):
    # Timing is measured by `make bench` (tools/bench.py), not asserted here.
    box = request.getfixturevalue(box_name)
    first = box.controls[-3 if box_name == "time_box" else 1]  # the stimulus buttons
    for value in list(first._options_values) * 2:
        renders, text = box.panel.renders, box.panel.text.value
        changed = value != first.value
        first.value = value
        assert box.panel.renders == renders + changed, f"stimulus {value!r}"
        assert (box.panel.text.value != text) == changed, f"stimulus {value!r}"


# --------------------------------------------------------------------------------------------
# Notebook


def test_dose_response_explorer_has_every_setting_ready_when_built(monkeypatch):
    # The explorer simulates its 9 (cell, stimulus) pairs when it is built, so no button
    # waits for the integrator: with the batched run disabled, every setting still draws.
    from course_lib.models import culture
    from course_lib.widgets import dose_response_explorer

    culture._both_feedback_curves.cache_clear()
    box = dose_response_explorer()
    assert culture._both_feedback_curves.cache_info().currsize == 9

    def no_run(*args, **kwargs):
        raise AssertionError(f"simulated again after the explorer was built: {args}")

    monkeypatch.setattr(culture, "feedback_dose_responses", no_run)
    cell, stim, _feedback = box.controls
    view = DoseResponseView()
    for values in itertools.product(
        list(cell._options_values), list(stim._options_values), [True, False]
    ):
        assert view.update(*values).startswith("Simulated")


def test_notebook_is_thin_and_shows_both_explorers():
    nb = json.loads((ROOT / "notebooks" / "03_signalling_dynamics.ipynb").read_text("utf-8"))
    sources = thin_code_cells(ROOT / "notebooks" / "03_signalling_dynamics.ipynb")
    assert any(s.strip().endswith("widgets.time_course_explorer()") for s in sources)
    assert any(s.strip().endswith("widgets.dose_response_explorer()") for s in sources)
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "doi:10.1186/s12964-019-0356-0" in text and "simulated" in text.lower()


# --------------------------------------------------------------------------------------------
# Exercise checks


def _feedback(check, answer) -> str:
    with pytest.raises(CheckFailed) as failed:
        check(answer)
    return str(failed.value)


STANDARD = to_molar(40, "ng/mL", "IL-6")


def test_peak_time_check():
    run = simulate("hepatocyte", il6=STANDARD)
    off = simulate("hepatocyte", il6=STANDARD, socs3_feedback=False)
    assert checks.peak_time_min(run.peak_time(), rtol=0.002).passed
    cases = [
        (run.peak(), "HEIGHT of the peak"),
        (100 * run.peak(), "in % of STAT3"),
        (run.peak_time() / 60, "HOURS"),
        (run.t[np.argmax(run.socs3)], "when SOCS3 peaks"),
        (off.peak_time(), "WITHOUT SOCS3 feedback"),
        (run.t[np.argmax(run.pstat3_nuclear)], "NUCLEAR pSTAT3"),
    ]
    for answer, words in cases:
        text = _feedback(checks.peak_time_min, float(answer))
        assert words in text and F(run.peak_time()) not in text


def test_remaining_without_socs3_check():
    off = simulate("hepatocyte", il6=STANDARD, socs3_feedback=False)
    on = simulate("hepatocyte", il6=STANDARD)
    kept = off.pstat3[-1] / off.peak()
    assert kept > 0.7 and checks.remaining_without_socs3(kept, rtol=0.002).passed
    on_kept = on.pstat3[-1] / on.peak()
    for answer, words in [(on_kept, "WITH SOCS3 feedback"), (1 - on_kept, "fraction LOST"),
                          (off.pstat3[-1], "fraction of ALL STAT3"), (100 * kept, "percentage")]:  # fmt: skip
        assert words in _feedback(checks.remaining_without_socs3, float(answer))


def test_ec50_check():
    doses = np.logspace(-5, 2, 50)
    ec50 = dose_response("hepatocyte", doses).ec50()
    assert checks.il6_ec50_pM(ec50 * 1000, rtol=0.002).passed
    no_fb = dose_response("hepatocyte", doses, socs3_feedback=False).ec50()
    hyper = dose_response("hepatocyte", doses, stimulus="Hyper-IL-6").ec50()
    mix = dose_response("hepatocyte", doses, stimulus="IL-6 + sIL-6R").ec50()
    for answer, words in [(ec50, "in nM"), (ec50 / to_molar(1, "ng/mL", "IL-6"), "in ng/mL"),
                          (no_fb * 1e3, "WITHOUT SOCS3"), (hyper * 1e3, "Hyper-IL-6"),
                          (mix * 1e3, "WITH sIL-6R")]:  # fmt: skip
        text = _feedback(checks.il6_ec50_pM, float(answer))
        assert words in text and F(ec50 * 1000) not in text


def test_choice_checks():
    assert checks.il6_alone_responders("b").passed
    assert "no IL-6R" in _feedback(checks.il6_alone_responders, "a")
    assert "mirror image" in _feedback(checks.il6_alone_responders, "c")
    assert "carries both IL-6R and gp130" in _feedback(checks.il6_alone_responders, "d")
    assert checks.receptor_ratio("B").passed
    assert "the SAME in both" in _feedback(checks.receptor_ratio, "a")
    assert "not always stronger" in _feedback(checks.receptor_ratio, "c")
    assert "whichever way it was formed" in _feedback(checks.receptor_ratio, "d")
