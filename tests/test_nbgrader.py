"""nbgrader 0.9 as a second grader: ``solutions/`` used, as it is, as an nbgrader course.

In a temporary nbgrader course (``source/ps/NN_name.ipynb`` copied from ``solutions/``):

- ``nbgrader generate_assignment`` gives the notebooks of ``exercises/``: the same cells in the
  same order with the same ids, grade_ids and points, the same sources once the stub's message is
  set aside (nbgrader writes ``raise NotImplementedError()``, we repeat the task in it), hidden
  tests removed. Metadata differs only as `normalised_metadata` lists;
- ``nbgrader autograde`` gives every test cell the points `score_notebook` gives it, for three
  submissions of each exercise built from ``exercises/``: untouched, fully solved, and half
  solved (the solution put back in every other answer cell); it warns about no test cell's
  output, and no test cell writes to stderr (nbgrader scores such a cell 0).

These tests skip, with the reason, when nbgrader is not installed (it is in the ``test`` extras).
The autograde comparison runs 48 notebooks (24 in each grader); the module takes about 2.5
minutes on two cores (the autograde tests are marked ``slow``).

Two properties nbgrader relies on are tested without it: no check writes to stderr, on a pass or
a failure, and a passing check is shown as display output (``display_data``), not as the cell's
result (an ``execute_result``, which nbgrader reads as partial credit).
"""

from __future__ import annotations

import inspect
import os
import re
import shutil
import subprocess
import sys
import typing
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from course_lib.grading import checks
from course_lib.grading.autograde import score_notebook
from course_lib.grading.feedback import CheckFailed, CheckResult, check_number, try_check

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS, EXERCISES = ROOT / "solutions", ROOT / "exercises"
NAMES = sorted(p.name for p in SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))
ASSIGNMENT, COURSE_ID = "ps", "il6-course"
CELL_TIMEOUT = 300  # seconds, for nbgrader and for score_notebook alike
STUDENTS = ("untouched", "full", "half")
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
STUB = re.compile(r"^(\s*)raise NotImplementedError\(.*\)$", re.MULTILINE)
# What nbgrader adds that exercises/ does not have, and the other way round.
NBGRADER_ONLY_KEYS = ("checksum", "cell_type")  # in metadata.nbgrader of every nbgrader cell
OURS_ONLY_NOTEBOOK_KEYS = ("course_lib",)  # generated_from and checksum, in notebook metadata


def _nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _read(path: Path) -> nbformat.NotebookNode:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nbformat.read(path, as_version=4)


# --------------------------------------------------------------------------------------------
# Without nbgrader: what it relies on


def _check_functions() -> list:
    """Every check of `course_lib.grading.checks` (a public function returning CheckResult)."""
    found = []
    for module_name in checks.__all__:
        module = getattr(checks, module_name)
        for name in module.__all__:
            func = getattr(module, name)
            if (
                inspect.isfunction(func)
                and typing.get_type_hints(func).get("return") is CheckResult
            ):
                found.append(pytest.param(func, id=f"{module_name}.{name}"))
    return found


def _raises(*args):
    raise ValueError("the student's function fails")


def _warns_then(value):
    def func(*args):
        warnings.warn("a student's warning", RuntimeWarning, stacklevel=1)
        return value(*args) if callable(value) else value

    return func


# Answers of every kind: missing, wrong type, every option letter, numbers over 30 decades and
# both signs, non-finite numbers, complex numbers, and functions that fail, warn or return junk.
ANSWERS = [
    ..., None, True, "z", *"abcde", [1.0, 2.0], 1 + 2j, np.array([0.5 + 0j]), np.array([[0.5]]),
    0, 1, 2, 5, 12, 30, 60, 150, 250, -1.0, 0.0, float("nan"), float("inf"), -float("inf"),
    *(10.0**k for k in range(-12, 13, 2)), *(3 * 10.0**k for k in range(-5, 6)),
    _raises, _warns_then(np.nan), _warns_then("x"), _warns_then(lambda *a: np.zeros(7)),
    lambda *a: 1j * np.ones_like(np.asarray(a[0], dtype=float)),
    lambda *a: np.asarray(a[0], dtype=float) * (1 + 0j),
    lambda *a: np.inf * np.ones_like(np.asarray(a[0], dtype=float)),
    lambda *a: -np.asarray(a[0], dtype=float),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("check", _check_functions())
def test_no_check_writes_to_stderr(check, capfd):
    """Every check, on answers that pass and many that fail: no warning, nothing on stderr."""
    outcomes = set()
    for answer in ANSWERS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                outcomes.add(check(answer).passed)
            except CheckFailed:
                outcomes.add(False)
            except (TypeError, ValueError, OverflowError):  # an error, not stderr: both score 0
                outcomes.add(None)
        shown = [f"{w.category.__name__}: {w.message}" for w in caught]
        assert not shown, f"{check.__name__}({answer!r}) warned (on stderr in a kernel): {shown}"
    assert capfd.readouterr().err == "", f"{check.__name__} wrote to stderr"
    assert False in outcomes, f"no answer made {check.__name__} fail; the test tried nothing"


def test_student_function_warnings_stay_off_stderr(capfd):
    """A right function that warns passes silently; complex results fail with a reason."""
    noisy = _warns_then(lambda conc, mass: conc / mass)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert checks.start_here.pg_per_ml_to_pM(noisy).passed
        text = str(try_check(checks.start_here.pg_per_ml_to_pM, lambda c, m: (c / m) + 0j))
    assert not caught and capfd.readouterr().err == ""
    assert "returned complex numbers" in text, text


@pytest.mark.notebooks
def test_passing_check_is_displayed_not_returned(tmp_path):
    """In a kernel: a passing check gives display_data (HTML and text), no execute_result."""
    code = "from course_lib.grading.feedback import check_number, try_check\n"
    cells = [
        new_code_cell(code + 'check_number("Q", 1.0, expected=1.0, unit="nM")'),
        new_code_cell(code + 'try_check(check_number, "Q", 9.0, expected=1.0, unit="nM")'),
        new_code_cell(code + 'check_number("Q", 9.0, expected=1.0, unit="nM")'),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNEL})
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    passed, shown, failed = ([o.output_type for o in c.outputs] for c in nb.cells)
    assert passed == ["display_data"] and shown == ["display_data"], (passed, shown)
    assert failed == ["error"], failed
    data = nb.cells[0].outputs[0].data
    assert data["text/plain"] == repr(check_number("Q", 1.0, expected=1.0, unit="nM"))
    assert "correct." in data["text/html"]
    assert "Not yet." in nb.cells[1].outputs[0].data["text/plain"]


# --------------------------------------------------------------------------------------------
# With nbgrader: generate_assignment and autograde in a temporary course


def _nbgrader(course: Path, *args: str) -> str:
    """Run ``nbgrader ARGS`` in the course folder; its log (stderr) when it succeeds."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # alembic
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, "--force"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "ERROR" not in result.stderr, (
        f"nbgrader {' '.join(args)} failed (exit {result.returncode}):\n{result.stderr[-3000:]}"
    )
    return result.stderr


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """An nbgrader course made from solutions/, with the assignment generated in release/."""
    pytest.importorskip(
        "nbgrader",
        minversion="0.9",
        reason="nbgrader 0.9 is not installed; pip install -e '.[test]' installs it",
    )
    course = tmp_path_factory.mktemp("nbgrader-course")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Execute.timeout = {CELL_TIMEOUT}\n"
    )
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    for name in NAMES:
        shutil.copyfile(SOLUTIONS / name, source / name)
    _nbgrader(course, "generate_assignment", ASSIGNMENT)
    return course


def normalised_metadata(cell, ours: bool) -> dict:
    """Cell metadata without what only one side writes.

    nbgrader adds ``checksum`` and ``cell_type`` to the nbgrader metadata of every nbgrader cell,
    and ``deletable: false`` to answer cells (ours leaves them deletable: a deleted answer is
    simply missing, and `score_notebook` restores only test and locked cells).
    """
    meta = {k: v for k, v in cell.metadata.items() if k != "nbgrader"}
    grader = {k: v for k, v in _nbgrader_meta(cell).items() if k not in NBGRADER_ONLY_KEYS}
    if grader:
        meta["nbgrader"] = grader
        if grader.get("solution") and not ours:
            assert meta.pop("deletable", None) is False, "nbgrader left an answer cell deletable"
    return meta


@pytest.mark.notebooks
@pytest.mark.parametrize("name", NAMES)
def test_generated_assignment_matches_exercises(course, name):
    ours = _read(EXERCISES / name)
    theirs = _read(course / "release" / ASSIGNMENT / name)
    cells = [[(c.cell_type, c.get("id")) for c in nb.cells] for nb in (ours, theirs)]
    assert cells[0] == cells[1], f"{name}: cells differ in number, type, order or id"
    for index, (a, b) in enumerate(zip(ours.cells, theirs.cells, strict=True)):
        where = f"{name}, cell index {index} ({_nbgrader_meta(a).get('grade_id')})"
        assert normalised_metadata(a, True) == normalised_metadata(b, False), where
        assert set(_nbgrader_meta(b)) - set(_nbgrader_meta(a)) <= set(NBGRADER_ONLY_KEYS), where
        assert STUB.sub(r"\1raise NotImplementedError()", a.source) == b.source, where
        assert (a.source == b.source) == (STUB.search(b.source) is None), where
        assert a.get("outputs", []) == b.get("outputs", []) == [], where
    for text in (nbformat.writes(ours), nbformat.writes(theirs)):
        assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    assert {k: v for k, v in ours.metadata.items() if k not in OURS_ONLY_NOTEBOOK_KEYS} == (
        theirs.metadata
    )


def submission(name: str, student: str) -> nbformat.NotebookNode:
    """exercises/NAME as handed out, with the solution put back in all ("full") or every other
    ("half") answer cell, the solution markers dropped."""
    exercise, solution = _read(EXERCISES / name), _read(SOLUTIONS / name)
    assert len(exercise.cells) == len(solution.cells), f"exercises/{name} is out of date"
    answers = [i for i, c in enumerate(exercise.cells) if _nbgrader_meta(c).get("solution")]
    step = {"untouched": None, "full": 1, "half": 2}[student]
    for i in answers[::step] if step else []:
        lines = solution.cells[i].source.split("\n")
        exercise.cells[i].source = "\n".join(x for x in lines if not MARKER.match(x))
    return exercise


@pytest.fixture(scope="module")
def autograded(course) -> dict:
    """(student, notebook) -> {grade_id: (score, max_score)} of nbgrader's code test cells;
    key "log" -> nbgrader's log."""
    from nbgrader.api import Gradebook

    for student in STUDENTS:
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for name in NAMES:
            nbformat.write(submission(name, student), folder / name)
    result = {"log": _nbgrader(course, "autograde", ASSIGNMENT)}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        for student in STUDENTS:
            for name in NAMES:
                notebook = gradebook.find_submission_notebook(Path(name).stem, ASSIGNMENT, student)
                result[student, name] = {
                    g.name: (g.score, g.max_score)
                    for g in notebook.grades
                    if g.cell.cell_type == "code"
                }
    return result


@pytest.mark.notebooks
@pytest.mark.slow
@pytest.mark.parametrize("student", STUDENTS)
@pytest.mark.parametrize("name", NAMES)
def test_autograde_gives_the_same_scores(course, autograded, name, student):
    path = course / "submitted" / student / ASSIGNMENT / name
    ours = score_notebook(path, SOLUTIONS / name, timeout=CELL_TIMEOUT)
    mine = {q.grade_id: (q.points, q.max_points) for q in ours.questions}
    assert mine == autograded[student, name], (
        f"\nours:\n{ours}\nnbgrader: {autograded[student, name]}"
    )
    expected = {"untouched": 0, "full": ours.max_points}.get(student)
    if expected is None:  # half: some but not all points, or the submission was not half solved
        assert 0 < ours.points < ours.max_points, f"\n{ours}"
    else:
        assert ours.points == expected, f"\n{ours}"


@pytest.mark.notebooks
@pytest.mark.slow
def test_autograde_reads_no_test_cell_output_and_sees_no_stderr(course, autograded):
    assert "cannot be converted" not in autograded["log"], autograded["log"][-3000:]
    for student in STUDENTS:
        for name in NAMES:
            nb = _read(course / "autograded" / student / ASSIGNMENT / name)
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                where = f"{student}/{name}, {_nbgrader_meta(cell).get('grade_id')}"
                kinds = [o.output_type for o in cell.outputs]
                streams = [o.name for o in cell.outputs if o.output_type == "stream"]
                assert "stderr" not in streams, f"{where} wrote to stderr: {cell.outputs}"
                if _nbgrader_meta(cell).get("grade"):
                    assert "execute_result" not in kinds, f"{where}: {cell.outputs}"
