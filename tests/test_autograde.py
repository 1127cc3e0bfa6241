"""Scoring one submission against its instructor notebook (course_lib.grading.autograde).

Each test that scores starts one sandboxed kernel (about half a second). The attacks on the
grader are in tests/test_grading_attacks.py.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_lib.errors import CourseValueError, ExerciseFileError
from course_lib.grading.assign import write_exercises
from course_lib.grading.autograde import (
    NotebookScore,
    QuestionScore,
    SandboxUnavailable,
    main,
    score_notebook,
)

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
TASK = "Exercise 0.1: convert 5 pg/mL IL-6 (21 kDa) to pM and store it in il6_pM"
TASK2 = "Exercise 0.2: return the fraction of receptors bound at ligand L and Kd (both nM)"


def _grader(**kw) -> dict:
    return {"nbgrader": {"schema_version": 3, **kw}}


def _answer(gid: str, source: str):
    return new_code_cell(source, metadata=_grader(grade_id=gid, solution=True, grade=False))


def _check(gid: str, source: str, points: float):
    meta = _grader(grade_id=gid, grade=True, solution=False, locked=True, points=points)
    return new_code_cell(source, metadata=meta)


def solution_notebook() -> nbformat.NotebookNode:
    """Two exercises (IL-6 unit conversion, fractional occupancy), visible and hidden tests."""
    cells = [
        new_markdown_cell("# Warm-up: IL-6 in serum"),
        _answer("ex00-q1", f"# {TASK}\n### BEGIN SOLUTION\nil6_pM = 5 / 21\n### END SOLUTION"),
        _check(
            "ex00-q1-check",
            'assert 0.01 < il6_pM < 10, "il6_pM is far off: pg/mL vs ng/mL?"\n'
            'print("Plausible. Hidden checks also count.")\n'
            "### BEGIN HIDDEN TESTS\n"
            'assert abs(il6_pM - 5 / 21) < 1e-3, "il6_pM is not 5 pg/mL in pM"\n'
            "### END HIDDEN TESTS",
            points=1,
        ),
        _answer(
            "ex00-q2",
            f"# {TASK2}\ndef fraction_bound(ligand_nM, kd_nM):\n    ### BEGIN SOLUTION\n"
            "    return ligand_nM / (ligand_nM + kd_nM)\n    ### END SOLUTION",
        ),
        _check("ex00-q2-check", "assert fraction_bound(1.0, 1.0) == 0.5", points=2),
        _check(
            "ex00-q2-hidden",
            "### BEGIN HIDDEN TESTS\nassert fraction_bound(3.0, 1.0) == 0.75\n### END HIDDEN TESTS",
            points=1,
        ),
        new_markdown_cell(
            "Why do endothelial cells ignore IL-6 alone?\n\n### BEGIN SOLUTION\n"
            "They carry gp130 but no IL-6R.\n### END SOLUTION",
            metadata=_grader(grade_id="ex00-q3", solution=True, grade=True, points=2),
        ),
    ]
    for i, cell in enumerate(cells):
        cell.id = f"cell-{i}"
    return new_notebook(cells=cells, metadata={"kernelspec": KERNEL})


@pytest.fixture
def course(tmp_path):
    """solutions/00_warmup.ipynb and the generated exercises/00_warmup.ipynb."""
    src, dst = tmp_path / "solutions", tmp_path / "exercises"
    src.mkdir()
    nbformat.write(solution_notebook(), src / "00_warmup.ipynb")
    write_exercises(src, dst)
    return src / "00_warmup.ipynb", dst / "00_warmup.ipynb"


def submit(exercise: Path, folder: Path, answers: dict[str, str], drop=(), edit=None) -> Path:
    """A student's copy: answer cells replaced by grade_id, test cells dropped or edited."""
    nb = nbformat.read(exercise, as_version=4)
    cells = []
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in drop:
            continue
        if gid in answers:
            cell.source = answers[gid]
        if edit and gid in edit:
            cell.source = edit[gid]
        cells.append(cell)
    nb.cells = cells
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / exercise.name
    nbformat.write(nb, path)
    return path


RIGHT_Q2 = "def fraction_bound(ligand_nM, kd_nM):\n    return ligand_nM / (ligand_nM + kd_nM)"


def scores(result: NotebookScore) -> dict[str, float]:
    return {q.grade_id: q.points for q in result.questions}


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_solution_scores_full_marks(course):
    solution, _ = course
    result = score_notebook(solution, solution)
    assert (result.points, result.max_points) == (4.0, 4.0)
    assert all(q.passed for q in result.questions)
    assert [q.grade_id for q in result.questions] == [
        "ex00-q1-check",
        "ex00-q2-check",
        "ex00-q2-hidden",
    ]
    assert result.questions[0].feedback == "Plausible. Hidden checks also count."
    assert result.manual_grade_ids == ("ex00-q3",)
    assert result.notes == (  # the source itself was not generated from anything
        "it has no metadata.course_lib.generated_from; it was recognised by its grade_ids",
    )


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_untouched_exercise_scores_zero(course):
    solution, exercise = course
    result = score_notebook(exercise, solution)
    assert (result.points, result.max_points) == (0.0, 4.0)
    assert [q.feedback for q in result.questions] == [
        f"no answer: il6_pM is not defined. Cell ex00-q1 raised NotImplementedError: {TASK}",
        f"NotImplementedError: {TASK2}",  # the function exists; calling it raises
        f"NotImplementedError: {TASK2}",
    ]
    assert result.notes == ()  # the handed-out test cells are not reported as edited


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_hidden_test_counts(course, tmp_path):
    solution, exercise = course
    answers = {
        "ex00-q1": "il6_pM = 0.3  # plausible, passes the visible check",
        "ex00-q2": RIGHT_Q2,
    }
    result = score_notebook(submit(exercise, tmp_path / "alice", answers), solution)
    assert scores(result) == {"ex00-q1-check": 0, "ex00-q2-check": 2, "ex00-q2-hidden": 1}
    assert result.questions[0].feedback == "AssertionError: il6_pM is not 5 pg/mL in pM"


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_answers_are_taken_where_the_test_stands(course, tmp_path):
    """A test sees the answer as it was at its place in the notebook, as when run top to
    bottom: a later cell that reuses the name does not change an earlier question's score."""
    solution, exercise = course
    answers = {"ex00-q1": "il6_pM = 5 / 21", "ex00-q2": RIGHT_Q2 + "\nil6_pM = 'reused'"}
    result = score_notebook(submit(exercise, tmp_path / "amy", answers), solution)
    assert result.points == 4


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_edited_and_deleted_test_cells_are_restored(course, tmp_path):
    solution, exercise = course
    answers = {
        "ex00-q1": "il6_pM = 5000 / 21  # ng/mL slip",
        "ex00-q2": "def fraction_bound(ligand_nM, kd_nM):\n    return 0.5",
    }
    sub = submit(
        exercise, tmp_path / "bob", answers, drop={"ex00-q2-hidden"}, edit={"ex00-q1-check": "pass"}
    )
    nb = nbformat.read(sub, as_version=4)  # a copied test cell (same metadata, new id) is ignored
    copied = nbformat.from_dict({**nb.cells[4], "id": "copy", "source": "raise ValueError"})
    nb.cells.append(copied)
    nbformat.write(nb, sub)
    result = score_notebook(sub, solution)
    assert scores(result) == {"ex00-q1-check": 0, "ex00-q2-check": 2, "ex00-q2-hidden": 0}
    assert result.questions[0].feedback == "AssertionError: il6_pM is far off: pg/mL vs ng/mL?"
    assert result.questions[2].feedback == "AssertionError"  # the source's test, not hers
    assert result.notes == (
        "cell 'ex00-q1-check' had been edited; the original was used",
        "cell 'ex00-q2-hidden' was missing; it was put back",
    )


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_an_endless_loop_costs_only_its_question(course, tmp_path):
    solution, exercise = course
    answers = {"ex00-q1": "while True:\n    pass", "ex00-q2": RIGHT_Q2}
    result = score_notebook(submit(exercise, tmp_path / "carol", answers), solution, timeout=2)
    assert scores(result) == {"ex00-q1-check": 0, "ex00-q2-check": 2, "ex00-q2-hidden": 1}
    reason = "ran longer than 2 s (an endless loop?)"
    assert result.questions[0].feedback == (
        f"no answer: il6_pM is not defined. Cell ex00-q1 was stopped: {reason}"
    )
    assert result.notes == (f"ex00-q1: {reason}",)
    assert result.questions[0].diagnosis == "stopped (time limit or crash)"


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_an_endless_loop_in_a_function_answer_costs_its_checks(course, tmp_path):
    solution, exercise = course
    loop = "def fraction_bound(ligand_nM, kd_nM):\n    while True:\n        pass"
    answers = {"ex00-q1": "il6_pM = 5 / 21", "ex00-q2": loop}
    result = score_notebook(submit(exercise, tmp_path / "cleo", answers), solution, timeout=2)
    assert scores(result) == {"ex00-q1-check": 1, "ex00-q2-check": 0, "ex00-q2-hidden": 0}
    assert result.questions[1].feedback == (
        "the kernel stopped while this question was checked: ran longer than 2 s (an endless loop?)"
    )


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_a_dead_kernel_costs_only_its_question(course, tmp_path):
    solution, exercise = course
    answers = {"ex00-q1": "import os\nos._exit(1)", "ex00-q2": RIGHT_Q2}
    result = score_notebook(submit(exercise, tmp_path / "dan", answers), solution, timeout=10)
    assert scores(result) == {"ex00-q1-check": 0, "ex00-q2-check": 2, "ex00-q2-hidden": 1}
    assert result.questions[0].feedback == (
        "no answer: il6_pM is not defined. Cell ex00-q1 was stopped: the kernel died "
        "(a crash, or out of memory)"
    )


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_the_notebook_time_limit_stops_the_rest(course, tmp_path):
    solution, exercise = course
    answers = {"ex00-q1": "import time\ntime.sleep(3)\nil6_pM = 5 / 21", "ex00-q2": RIGHT_Q2}
    sub = submit(exercise, tmp_path / "eve", answers)
    result = score_notebook(sub, solution, timeout=10, notebook_timeout=2)
    assert result.points == 0
    assert "the notebook's time limit was used up" in result.questions[1].feedback


def test_score_table_text_and_html():
    result = NotebookScore(
        "alice/00_warmup.ipynb",
        "solutions/00_warmup.ipynb",
        (
            QuestionScore("ex00-q1-check", 1.0, 1.0, True, "Plausible."),
            QuestionScore("ex00-q2-check", 0.0, 2.0, False, "AssertionError: a < b"),
        ),
        manual_grade_ids=("ex00-q3",),
        notes=("cell 'ex00-q1-check' had been edited; the original was used",),
    )
    assert str(result) == (
        "alice/00_warmup.ipynb: 1 / 3 points\n"
        "  grade_id       points  result\n"
        "  ex00-q1-check   1 / 1  passed\n"
        "  ex00-q2-check   0 / 2  failed: AssertionError: a < b\n"
        "  graded by hand, not included: ex00-q3\n"
        "  note: cell 'ex00-q1-check' had been edited; the original was used"
    )
    page = result._repr_html_()
    assert "<td>failed: AssertionError: a &lt; b</td>" in page
    assert "<b>alice/00_warmup.ipynb</b>: 1 / 3 points" in page


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_cli_prints_the_table(course, capsys):
    solution, exercise = course
    assert main([str(exercise), str(solution), "--timeout", "20"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{exercise}: 0 / 4 points"
    assert out.splitlines()[1:] == [
        "  grade_id        points  result",
        "  ex00-q1-check    0 / 1  failed: no answer: il6_pM is not defined. Cell ex00-q1 "
        f"raised NotImplementedError: {TASK}",
        f"  ex00-q2-check    0 / 2  failed: NotImplementedError: {TASK2}",
        f"  ex00-q2-hidden   0 / 1  failed: NotImplementedError: {TASK2}",
        "  graded by hand, not included: ex00-q3",
    ]


def test_cli_reports_a_missing_file_with_status_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["nope.ipynb", "src.ipynb"]) == 2
    assert capsys.readouterr().err == (
        "error: submission notebook 'nope.ipynb' does not exist; expected the path of an .ipynb "
        "file. Check the spelling and the folder.\n"
    )


def test_unreadable_submission_is_an_error(course, tmp_path):
    solution, _ = course
    bad = tmp_path / "broken.ipynb"
    bad.write_text("{ not json")
    with pytest.raises(ExerciseFileError) as info:
        score_notebook(bad, solution)
    assert str(info.value).startswith(f"cannot grade '{bad}' (unreadable): '{bad}' is not a ")
    assert "its text is not valid JSON" in str(info.value)


@pytest.mark.parametrize("timeout", [0, -1, float("nan")])
def test_timeout_must_be_positive(course, timeout):
    solution, _ = course
    with pytest.raises(CourseValueError) as info:
        score_notebook(solution, solution, timeout=timeout)
    assert str(info.value) == (
        f"timeout must be a positive number of seconds; got {timeout!r}. Give the time one "
        "cell may take, e.g. timeout=60."
    )


def test_duplicate_grade_id_in_source_is_an_error(tmp_path):
    source = tmp_path / "00_src.ipynb"
    cells = [_check("q", "pass", points=1), _check("q", "pass", points=1)]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": KERNEL}), source)
    with pytest.raises(ExerciseFileError) as info:
        score_notebook(source, source)
    assert str(info.value) == (
        f"source notebook '{source}' has two cells with grade_id 'q'; expected unique "
        "grade_ids. Rename one and regenerate the exercises."
    )


def test_no_sandbox_means_no_grading_unless_asked(course, monkeypatch, capsys):
    from course_lib.grading import sandbox

    solution, exercise = course
    monkeypatch.setattr(sandbox, "check_sandbox", lambda: "bubblewrap is not installed")
    with pytest.raises(SandboxUnavailable) as info:
        score_notebook(exercise, solution)
    assert str(info.value).startswith("cannot grade safely: bubblewrap is not installed. ")
    assert "unsafe=True" in str(info.value)
    assert main([str(exercise), str(solution)]) == 2
    assert "--unsafe" in capsys.readouterr().err


@pytest.mark.notebooks
def test_unsafe_grading_says_so(course, monkeypatch):
    from course_lib.grading import sandbox

    solution, _ = course
    monkeypatch.setattr(sandbox, "check_sandbox", lambda: "bubblewrap is not installed")
    result = score_notebook(solution, solution, unsafe=True)
    assert result.points == 4
    assert result.notes[0] == "UNSAFE: graded without a sandbox (unsafe=True)"
