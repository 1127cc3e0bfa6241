"""Lesson 07, "From mouse to patient" (capstone): the planner, its numbers, checks, notebooks.

The planner is driven over every control's extremes and its description is recomputed here
from `course_lib.models.liver` and `course_lib.models.design` directly. Each exercise check passes the
library's own answer, recognises each named misconception and never prints the expected value;
the free-text answer stays a hand-graded cell in the generated exercise.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import nbformat
import numpy as np
import pytest
from course_testing import control_values, fails, thin_code_cells

from course_lib._text import format_number as f
from course_lib.errors import CourseLibError
from course_lib.figures.prevention import PreventionStudy
from course_lib.grading.assign import generate_exercise
from course_lib.grading.autograde import score_notebook
from course_lib.grading.checks import capstone as checks
from course_lib.models.hepatocarcinogenesis import MOUSE_MILIEU
from course_lib.models.liver import expected_tumours
from course_lib.models.mouse import signals
from course_lib.models.power import power
from course_lib.models.prevention import (
    N_GRID,
    SEED,
    SIMULATED_EXPERIMENTS,
    selectivity_window,
    study_numbers,
)
from course_lib.models.therapy import inhibition
from course_lib.units import convert

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "07_capstone_exercises.ipynb"


def _recompute(level: float, start: float, test: str):
    milieu = MOUSE_MILIEU.with_values(sgp130fc_protein=level)
    sig = signals(treatment="sgp130Fc", treatment_start=start, milieu=milieu)
    control, treated = (
        expected_tumours(treatment=t, treatment_start=start, milieu=milieu, harvest_week=40)
        for t in ("control Fc", "sgp130Fc")
    )
    treated = min(treated, control)
    reduction = min(1 - treated / control, 0.99)
    curve = power(control, reduction, N_GRID, test=test, n_experiments=SIMULATED_EXPERIMENTS,
                  rng=SEED)  # fmt: skip
    return sig, control, treated, reduction, curve


@pytest.mark.slow
def test_planner_over_every_extreme_agrees_with_the_model():
    from course_lib.widgets import prevention_study_planner

    box = prevention_study_planner()
    fig = box.figure
    serum, start, mice, test = box.controls
    for level, week, n, name in itertools.product(
        control_values(serum),
        control_values(start),
        control_values(mice),
        sorted(set(control_values(test))),
    ):
        box.update(serum_ug_ml=level, treatment_start=week, n_per_group=n, test=name)
        text = box.panel.text.value
        assert "nan" not in text.lower() and "inf" not in text.lower(), text
        assert text.count("Simulated") == 1
        sig, control, treated, reduction, curve = _recompute(level, week, name)
        assert f"trans-signalling is at {f(100 * sig.hepatocyte_trans[1])}% (hepatocyte)" in text
        assert f"classic signalling at {f(100 * sig.hepatocyte_classic[1])}%" in text
        assert f"fall from {f(control)} (control Fc) to {f(treated)} (sgp130Fc)" in text
        assert f"a {f(100 * reduction)}% reduction" in text
        np.testing.assert_allclose(fig._curve.get_ydata(), 100 * curve.power)
        at_n = curve.power[list(N_GRID).index(n)]
        assert f"in {f(100 * at_n)}% of {SIMULATED_EXPERIMENTS} simulated experiments" in text
        need = curve.sample_size(0.8)
        assert (f"first needs {need} mice" if need else "is not reached") in text


def test_early_treatment_protects_more_and_needs_fewer_mice():
    early, late = study_numbers(10.0, 2), study_numbers(10.0, 20)
    assert early.treated_tumours < late.treated_tumours < late.control_tumours
    assert early.control_tumours == pytest.approx(late.control_tumours)
    assert early.n_for_80 is not None
    assert late.n_for_80 is None or late.n_for_80 > early.n_for_80
    low = study_numbers(0.01, 2)
    assert low.reduction < 0.05 and low.hepatocyte_trans > 0.95


def test_the_planner_shows_the_window_at_its_default_and_says_where_a_level_sits():
    # In blood (an open system) the trap spares classic signalling: the window exists, the
    # default level sits inside it, and the description names it with the model's numbers.
    fig = PreventionStudy()
    low, high = selectivity_window()
    assert low < fig.numbers.serum_ug_ml <= high and fig.numbers.in_window
    assert fig.numbers.hepatocyte_classic >= 0.9 and fig.numbers.endothelial_trans <= 0.1
    assert f"inside the window of {f(low)} to {f(high)} µg/mL" in fig.description
    fig.update(1.0, 4, 10, "Mann-Whitney")
    assert "below the window" in fig.description
    assert fig.numbers.hepatocyte_classic >= 0.9 and fig.numbers.endothelial_trans > 0.1


def test_figure_rejects_bad_settings():
    fig = PreventionStudy()
    with pytest.raises(CourseLibError, match="n_per_group must be one of 3, 4"):
        fig.update(10.0, 4, 7, "Mann-Whitney")
    with pytest.raises(CourseLibError, match="serum_ug_ml must lie within"):
        fig.update(1e4, 4, 10, "Mann-Whitney")
    with pytest.raises(CourseLibError, match="treatment_start must lie within"):
        fig.update(10.0, 50, 10, "Mann-Whitney")
    with pytest.raises(CourseLibError, match="t-test"):
        fig.update(10.0, 4, 10, "t-test")


# --------------------------------------------------------------------------------------------
# Exercise checks


def _minimal_n() -> int:
    control, treated = checks.scenario_tumours()
    for n in range(2, 60):
        curve = power(control, 1 - treated / control, n, test="Mann-Whitney",
                      n_experiments=1000, rng=checks.SEED)  # fmt: skip
        if curve.power[0] >= 0.8:
            return n
    raise AssertionError("no n reaches 80%")


def test_sample_size_check():
    n = _minimal_n()
    assert checks.sample_size(n).passed
    assert checks.sample_size(float(n)).passed
    assert checks.sample_size(int(1.5 * n)).passed
    too_few = fails(checks.sample_size, 3, "misses the effect too often")
    assert f"{n} " not in too_few.replace("0.", "")
    fails(checks.sample_size, 2 * n, "TOTAL of both groups")
    fails(checks.sample_size, 4 * n, "fraction of tumours LEFT")
    fails(checks.sample_size, ..., "no answer yet")
    fails(checks.sample_size, "ten", "a whole number of mice per group")


def test_serum_level_check():
    conc = np.logspace(-3, 4, 400)
    res = inhibition("sgp130Fc", conc, background=checks.FLARE, affinities=checks.FLARE_AFFINITIES)
    low, high = res.window()
    assert low < high < 1e4  # a two-sided window: both misconceptions can occur
    inside = float(convert(np.sqrt(low * high), "nM", "ug/mL", "olamkicept"))
    assert checks.serum_level_in_window(inside).passed
    low_ug = float(convert(low, "nM", "ug/mL", "olamkicept"))
    fails(checks.serum_level_in_window, low_ug / 10, "more than 10% of trans-signalling")
    fails(checks.serum_level_in_window, 200.0, "peak plasma level after a 600 mg dose")
    fails(checks.serum_level_in_window, 2000.0, "classic signalling loses more than 10%")
    # 100 read as nM is inside the window; as µg/mL it is too high (and not a clinical peak)
    assert low < 100 < high
    fails(checks.serum_level_in_window, 100.0, "inside the window if it is read as nM")
    fails(checks.serum_level_in_window, -1.0, "positive, finite")


def test_choice_checks_name_the_misconceptions():
    assert checks.study_controls("b").passed and checks.mouse_drug("B").passed
    fails(checks.study_controls, "a", "an uninjected group leaves uncontrolled")
    fails(checks.study_controls, "c", "Naugler 2007")
    fails(checks.mouse_drug, "a", "'tocilizumab works in mice' is a common misconception")
    fails(checks.mouse_drug, "c", "classic signalling")


def test_a_power_where_mice_are_asked_is_named():
    fails(checks.sample_size, 0.83, "looks like a power or a reduction")


# --------------------------------------------------------------------------------------------
# Notebooks


def test_lesson_is_thin_and_uses_the_planner():
    lesson = json.loads((ROOT / "notebooks" / "07_capstone.ipynb").read_text("utf-8"))
    sources = thin_code_cells(ROOT / "notebooks" / "07_capstone.ipynb")
    assert any("prevention_study_planner()" in s for s in sources)
    assert any("ArriveChecklist" in s for s in sources)
    text = " ".join("".join(c["source"]) for c in lesson["cells"] if c["cell_type"] == "markdown")
    for phrase in ("Objectives", "Prerequisites", "Time", "Key points", "References", "Predict",
                   "Explain", "58.6%", "44%", "tocilizumab", "pSTAT3", "simulated"):  # fmt: skip
        assert phrase.lower() in text.lower(), phrase


def _grader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def test_solution_has_four_auto_graded_questions_and_one_written_answer():
    nb = nbformat.read(SOLUTION, as_version=4)
    auto = [c for c in nb.cells if _grader(c).get("grade") and not _grader(c).get("solution")]
    assert len(auto) >= 4 and all(c.cell_type == "code" for c in auto)
    manual = [c for c in nb.cells if _grader(c).get("grade") and _grader(c).get("solution")]
    assert [(c.cell_type, _grader(c)["grade_id"], _grader(c)["points"]) for c in manual] == [
        ("markdown", "ex07-q5", 4)
    ]
    assert "Rubric" in manual[0].source
    assert "SEED" in "".join(c.source for c in nb.cells)


@pytest.mark.sandbox
@pytest.mark.notebooks
def test_generated_exercise_keeps_the_written_answer_for_hand_grading(tmp_path):
    exercise = generate_exercise(SOLUTION)
    cell = next(c for c in exercise.cells if _grader(c).get("grade_id") == "ex07-q5")
    assert cell.cell_type == "markdown" and cell.source.strip() == "YOUR ANSWER HERE"
    meta = _grader(cell)
    assert meta["solution"] and meta["grade"] and meta["points"] == 4
    assert "Rubric" not in json.dumps(exercise.cells)
    # a student writes an answer (and nothing else): it is listed for hand grading, not scored
    cell.source = "Littermate controls with control Fc; pSTAT3 and CRP as biomarkers."
    submission = tmp_path / "07_capstone.ipynb"
    nbformat.write(exercise, submission)
    score = score_notebook(submission, SOLUTION)
    assert score.manual_grade_ids == ("ex07-q5",)
    assert "ex07-q5" not in [q.grade_id for q in score.questions]
    assert sum(q.max_points for q in score.questions) == 7
