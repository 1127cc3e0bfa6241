"""Per-student exercise numbers (course_lib.grading.variants) and their grading.

Fast tests: the draw (deterministic, in range, the lesson's numbers without an id), where the id
comes from, and every varied check against five ids: each id's right answer passes under that
id and fails under the others (a copied answer). Sandbox tests (slow): each exercise notebook
with varied items, graded under five ids: the solution scores full, the untouched exercise 0, an
answer copied from another id fails its items, and an id stated in the notebook is not trusted.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_lib.errors import CourseTypeError, CourseValueError
from course_lib.grading import checks
from course_lib.grading.grader import _namespace
from course_lib.grading.identity import id_note, stated_id
from course_lib.grading.variants import ENV, ITEMS, defaults, graded_as, normalise_id, variant
from course_lib.models.binding import receptor_occupancy, serum_equilibrium
from course_lib.models.liver import simulate_cohort
from course_lib.models.signaling import simulate
from course_lib.models.therapy import pk_profile
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import to_molar

ROOT = Path(__file__).resolve().parents[1]
IDS = ("s1000001", "s1000002", "s1000003", "s1000004", "s1000005")
NOTEBOOKS = {
    "00": "00_start_here_exercises.ipynb",
    "01": "01_two_pathways_exercises.ipynb",
    "02": "02_binding_and_buffer_exercises.ipynb",
    "03": "03_signalling_dynamics_exercises.ipynb",
    "04": "04_sgp130fc_mechanism_exercises.ipynb",
    "05": "05_il6_and_liver_cancer_exercises.ipynb",
    "06": "06_experimental_design_exercises.ipynb",
    "07": "07_capstone_exercises.ipynb",
}
#: The share of pairs of students who may share a right answer: 06 has six reductions (its
#: answer is a whole number of mice, accepted up to 2 above the smallest n).
MAX_SHARED = {"06": 0.25}


def _cohorts(my):
    wild = simulate_cohort(my.n_mice, genotype="wild type", sex="male", rng=my.seed)
    tg = simulate_cohort(my.n_mice, genotype="sgp130Fc transgenic", sex="male", rng=my.seed + 1)
    return float(tg.counts.mean() / wild.counts.mean())


def _reduction_check(value, *, numbers=None, rtol=None):
    """Exercise 7.1's hidden test on the reduction (its varied answer)."""
    control, treated = checks.capstone.scenario_tumours(numbers)
    assert abs(value - (1 - treated / control)) < 0.01, "reduction is 1 - treated / control"
    return checks.capstone.sample_size(_minimal_n(numbers), numbers=numbers)


def _minimal_n(numbers):
    return checks.capstone._minimal_n(float((numbers or defaults("07")).serum_ug_ml))


def _reduction(my):
    control, treated = checks.capstone.scenario_tumours(my)
    return 1 - treated / control


def _n_per_group(my):
    return checks.experimental_design._curve(my.reduction).sample_size(0.8)


#: exercise -> (answer cell, answer name, check, the right answer from the numbers, as the
#: solution computes it, the hidden test's tolerance)
ANSWERS = {
    "00": (
        "ex00-q1",
        "il6_pM",
        checks.start_here.il6_healthy_pM,
        lambda my: my.il6_pg_ml * 1e-12 / 1e-3 / 21_000 / 1e-12,
        0.002,
    ),
    "01": (
        "ex01-q3",
        "trans_endothelial",
        checks.two_pathways.trans_endothelial,
        lambda my: (
            receptor_occupancy(
                "endothelial cell",
                serum_equilibrium(
                    il6=to_molar(my.il6_ng_ml, "ng/mL", "IL-6"),
                    sil6r=to_molar(my.sil6r_ng_ml, "ng/mL", "sIL-6R"),
                ),
            ).trans
        ),
        1e-3,
    ),
    "02": (
        "ex02-q1",
        "sgp130_nM",
        checks.binding_and_buffer.sgp130_nM,
        lambda my: my.sgp130_ng_ml * 1e-9 / 1e-3 / 100_000 / 1e-9,
        0.002,
    ),
    "03": (
        "ex03-q1",
        "peak_min",
        checks.signalling_dynamics.peak_time_min,
        lambda my: simulate("hepatocyte", il6=to_molar(my.il6_ng_ml, "ng/mL", "IL-6")).peak_time(),
        0.02,
    ),
    "04": (
        "ex04-q4",
        "trough_300_nM",
        checks.sgp130fc_mechanism.trough_nM,
        lambda my: pk_profile(
            "sgp130Fc", dose=my.dose_mg, unit="mg", interval_days=14, n_doses=6
        ).trough(),
        0.002,
    ),
    "05": ("ex05-q1", "fraction_kept", checks.liver_cancer.transgenic_fraction, _cohorts, 1e-9),
    "06": ("ex06-q1", "n_per_group_80", checks.experimental_design.sample_size_70, _n_per_group, 0),
    "07": ("ex07-q1", "reduction", _reduction_check, _reduction, 0.01),
}


def _hidden(exercise: str) -> dict:
    tolerance = ANSWERS[exercise][4]
    return {"above": 1} if exercise == "06" else {"rtol": tolerance}


def test_every_exercise_with_numbers_has_a_checked_answer():
    assert set(ANSWERS) == set(ITEMS) == set(NOTEBOOKS)


def test_the_same_id_gives_the_same_numbers_and_ids_differ():
    for exercise in ITEMS:
        assert variant(exercise, "Alice") == variant(exercise, " alice ")
        drawn = {tuple(variant(exercise, f"student{i}").values()) for i in range(200)}
        possible = np.prod(
            [len(d.choices) or round((d.high - d.low) / d.step) + 1 for d in ITEMS[exercise]]
        )
        assert len(drawn) >= min(10, possible), f"exercise {exercise}: too few variants"


@pytest.mark.parametrize("exercise", sorted(ITEMS))
def test_numbers_stay_in_their_sensible_range(exercise):
    for i in range(300):
        my = variant(exercise, f"id-{i}")
        for draw in ITEMS[exercise]:
            value = my[draw.name]
            assert draw.low <= value <= draw.high, (exercise, draw.name, value)
            if draw.choices:
                assert value in draw.choices
            else:
                k = (value - draw.low) / draw.step
                assert abs(k - round(k)) < 1e-6, (exercise, draw.name, value)


def test_without_an_id_the_numbers_are_the_lessons():
    assert defaults("00").il6_pg_ml == SERUM_HUMAN.value("il6_healthy")
    assert defaults("01").il6_ng_ml == checks.two_pathways.Q3_IL6_NG_ML
    assert defaults("02").sgp130_ng_ml == SERUM_HUMAN.value("sgp130")
    assert to_molar(defaults("03").il6_ng_ml, "ng/mL", "IL-6") == pytest.approx(
        checks.signalling_dynamics.STANDARD_IL6_NM
    )
    assert defaults("04").dose_mg == checks.sgp130fc_mechanism.REGIMEN["dose"]
    trial = checks.liver_cancer.TRANSGENE_TRIAL
    assert (defaults("05").n_mice, defaults("05").seed) == (trial["n"], trial["wild type"])
    assert all(variant(ex) == defaults(ex) == variant(ex, "  ") for ex in ITEMS)


def test_the_environment_wins_over_the_typed_id(monkeypatch):
    monkeypatch.setenv(ENV, "bob")
    assert variant("01", "alice") == variant("01", "bob")
    assert "'alice', is not used" in repr(variant("01", "alice"))  # the student is told
    assert "is not used" not in repr(variant("01", "Bob"))
    monkeypatch.setenv(ENV, "")  # the grader's "no id": the defaults, whatever is typed
    assert variant("01", "alice").is_default
    with graded_as("carol"):  # the grader's own process: only the id it knows
        assert variant("01", "alice") == _without_env(monkeypatch, "01", "carol")


def _without_env(monkeypatch, exercise, student):
    with monkeypatch.context() as m:
        m.delenv(ENV)
        return variant(exercise, student)


def test_bad_ids_and_names_say_how_to_fix_them():
    with pytest.raises(CourseTypeError, match="in quotes"):
        normalise_id(1234567)
    with pytest.raises(CourseValueError, match="printable"):
        normalise_id("x" * 101)
    with pytest.raises(CourseValueError, match="two-digit number"):
        variant("99", "alice")
    with pytest.raises(AttributeError, match="has no varied number 'dose'"):
        _ = variant("01", "alice").dose
    shown = repr(variant("01", "alice"))
    assert "your numbers (student id 'alice')" in shown and "my.il6_ng_ml =" in shown
    assert "STUDENT_ID" in repr(defaults("01"))  # without an id it says how to get one
    assert "<li>" in variant("01", "alice")._repr_html_()


#: 06 simulates a power curve (2000 experiments x 39 group sizes) per reduction: slow.
CHECKED = [pytest.param(ex, marks=[pytest.mark.slow] if ex == "06" else []) for ex in ANSWERS]


@pytest.mark.parametrize("exercise", CHECKED)
def test_a_right_answer_passes_only_for_its_own_id(exercise):
    """Each of five ids: its answer passes its check (visible and hidden tolerance) and fails
    the check of every other id, with feedback that never shows the expected value."""
    _, _, check, answer, _ = ANSWERS[exercise]
    right = {sid: float(answer(variant(exercise, sid))) for sid in IDS}
    assert len({round(v, 9) for v in right.values()}) >= len(IDS) - 1, right
    for own, other in itertools.product(IDS, IDS):
        numbers = variant(exercise, own)
        if own == other or np.isclose(right[own], right[other], rtol=1e-12):
            # the same right answer (two peak times on the same minute): nothing to tell apart
            assert check(right[other], numbers=numbers).passed
            assert check(right[other], numbers=numbers, **_hidden(exercise)).passed
            continue
        with pytest.raises(AssertionError) as failed:  # CheckFailed is an AssertionError
            check(right[other], numbers=numbers, **_hidden(exercise))
        shown = re.escape(f"{right[own]:.4g}")
        assert not re.search(rf"(?<![\d.]){shown}(?!\d)", str(failed.value)), failed.value


@pytest.mark.parametrize("exercise", CHECKED)
def test_two_students_rarely_share_a_right_answer(exercise):
    """Over 40 ids, fewer than 1 pair in 10 has the same right answer (a copy that passes)."""
    answer = ANSWERS[exercise][3]
    right = [float(answer(variant(exercise, f"student-{i}"))) for i in range(40)]
    pairs = list(itertools.combinations(right, 2))
    tolerance = {"06": 0, "07": 0}.get(exercise, ANSWERS[exercise][4])
    shared = sum(np.isclose(a, b, rtol=tolerance, atol=0.01 * (exercise == "07")) for a, b in pairs)
    limit = MAX_SHARED.get(exercise, 0.1)
    assert shared / len(pairs) < limit, f"{shared} of {len(pairs)} pairs share a right answer"


def test_the_default_check_is_the_lessons():
    for exercise, (_, _, check, answer, _) in ANSWERS.items():
        if exercise == "06":  # the lesson's curve is checked in tests/test_lesson06.py
            continue
        assert check(answer(defaults(exercise)), **_hidden(exercise)).passed


def test_the_stated_id_is_read_without_running_anything():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell('STUDENT_ID = "not code"'),
            nbformat.v4.new_code_cell('import os\nSTUDENT_ID = "Bob"'),
            nbformat.v4.new_code_cell('STUDENT_ID = "second"'),
        ]
    )
    assert stated_id(nbformat.writes(nb).encode()) == "Bob"
    assert stated_id(b"not a notebook") is None
    assert "checked against alice's" in id_note("Bob", "alice")
    assert "without a student id" in id_note("Bob", None)
    assert "invalid" in id_note("x" * 200, "alice")


def test_the_grader_runs_the_setup_with_the_known_id(monkeypatch):
    monkeypatch.setenv(ENV, "mallory")  # whatever the grader's own environment says
    setup = ('from course_lib.grading.variants import variant\nmy = variant("02", STUDENT_ID)',)
    ns = _namespace(setup, "alice")
    assert ns["my"] == _without_env(monkeypatch, "02", "alice")
    assert _namespace(setup, None)["my"].is_default


# -- graded in the sandbox ---------------------------------------------------------------


def _with_answer(path: Path, folder: Path, gid: str, source: str, student_id: str) -> Path:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == gid:
            cell.source = source
        if cell.cell_type == "code" and cell.source.rstrip().endswith('STUDENT_ID = ""'):
            cell.source = cell.source.replace('STUDENT_ID = ""', f"STUDENT_ID = {student_id!r}")
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / path.name)
    return folder / path.name


def _score(path: Path, solution: Path, student: str | None):
    from course_lib.grading.autograde import score_notebook

    return score_notebook(path, solution, timeout=300, student=student)


CASES = [pytest.param(ex, sid, id=f"{ex}-{sid}") for ex in sorted(NOTEBOOKS) for sid in IDS]


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.notebooks
@pytest.mark.parametrize(("exercise", "student"), CASES)
def test_solution_full_and_untouched_zero_for_each_id(exercise, student):
    solution = ROOT / "solutions" / NOTEBOOKS[exercise]
    full = _score(solution, solution, student)
    assert full.points == full.max_points, f"\n{full}"
    untouched = _score(ROOT / "exercises" / NOTEBOOKS[exercise], solution, student)
    assert untouched.points == 0, f"\n{untouched}"


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.notebooks
@pytest.mark.parametrize("exercise", sorted(NOTEBOOKS))
def test_a_copied_answer_fails_and_the_stated_id_is_not_trusted(exercise, tmp_path):
    """A student submits under IDS[0], states IDS[1] in the notebook and pastes IDS[1]'s right
    answer: the varied item fails (checked against IDS[0]'s numbers), the rest still pass, and
    the notes name both ids."""
    gid, name, _, answer, _ = ANSWERS[exercise]
    solution = ROOT / "solutions" / NOTEBOOKS[exercise]
    theirs = variant(exercise, IDS[1])
    source = f"{name} = {float(answer(theirs))!r}"
    if exercise == "07":  # the answer cell sets two names
        source += f"\nn_per_group = {_minimal_n(theirs)}"
    path = _with_answer(solution, tmp_path, gid, source, IDS[1])
    score = _score(path, solution, IDS[0])
    failed = {q.grade_id for q in score.questions if not q.passed}
    assert failed == {f"{gid}-check"}, f"\n{score}"
    assert any(f"states student id '{IDS[1]}'" in n and IDS[0] in n for n in score.notes)
    honest = _with_answer(solution, tmp_path / "own", gid, source, IDS[1])
    assert _score(honest, solution, IDS[1]).points == score.max_points


@pytest.mark.sandbox
@pytest.mark.notebooks
def test_a_solution_that_states_another_id_is_graded_for_its_own(tmp_path):
    """Code that computes from ``my`` gets the submission's numbers in the sandbox, whatever
    STUDENT_ID it states: it scores full for its own student, and the notes say so."""
    solution = ROOT / "solutions" / NOTEBOOKS["01"]
    path = _with_answer(solution, tmp_path, "none", "", "mallory")
    score = _score(path, solution, "alice")
    assert score.points == score.max_points, f"\n{score}"
    assert any("states student id 'mallory'" in n for n in score.notes)
    assert np.isfinite(score.points)
