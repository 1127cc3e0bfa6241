"""The course's own notebooks: stored clean, exercises in sync, exercises and solutions graded.

Runs over the real folders ``notebooks/``, ``solutions/`` and ``exercises/``. A folder without
notebooks gives one skipped case that says so. That lessons and solutions execute without error
is checked by nbval (``pytest --nbval-lax notebooks solutions``, run by ``make test``).
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import nbformat
import pytest
from course_testing import thin_code_cells
from nbclient import NotebookClient

from course_lib.grading.assign import check_exercises
from course_lib.grading.autograde import score_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS, SOLUTIONS, EXERCISES = (ROOT / name for name in ("notebooks", "solutions", "exercises"))
LESSON = re.compile(r"^\d\d_.+\.ipynb$")  # the names course_lib.grading.assign generates from
CELL_TIMEOUT = 300  # seconds; a lesson cell that needs longer is a bug in itself


def _cases(folder: Path, lessons_only: bool = False) -> list:
    paths = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    paths = [p for p in paths if LESSON.match(p.name) or not lessons_only]
    if not paths:
        skip = pytest.mark.skip(reason=f"no notebooks in {folder.name}/ yet")
        return [pytest.param(None, id=f"{folder.name}/(none)", marks=skip)]
    return [pytest.param(p, id=f"{folder.name}/{p.name}") for p in paths]


ALL_NOTEBOOKS = _cases(NOTEBOOKS) + _cases(SOLUTIONS) + _cases(EXERCISES)
SOLUTION_NOTEBOOKS = _cases(SOLUTIONS, lessons_only=True)
EXERCISE_NOTEBOOKS = _cases(EXERCISES)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


@pytest.mark.parametrize("path", ALL_NOTEBOOKS)
def test_stored_without_outputs(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    dirty = [
        i
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    fix = (
        "regenerate it with `make exercises`"
        if path.parent == EXERCISES
        else "clear them (JupyterLab: Edit > Clear Outputs of All Cells; also restart the kernel "
        "so no execution counts remain) and save"
    )
    assert not dirty, (
        f"{_rel(path)}: cells at index {dirty} have outputs or execution counts; expected "
        f"notebooks stored without them (small diffs, no stale results). To fix: {fix}."
    )


@pytest.mark.parametrize("path", ALL_NOTEBOOKS)
def test_stored_as_nbformat_4_5_with_cell_ids(path):
    """JupyterLab 4 writes nbformat 4.5 and gives every cell an id; a file stored without them
    is rewritten on its first save (a diff of ids in every cell), and cell links and the
    graders' restore of a submission (`course_lib.grading.restore`) go by id."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    ids = [cell.get("id") for cell in raw["cells"]]
    missing = [i for i, cid in enumerate(ids) if not cid]
    repeated = sorted({cid for cid in ids if cid and ids.count(cid) > 1})
    assert (raw["nbformat"], raw["nbformat_minor"]) >= (4, 5) and not missing and not repeated, (
        f"{_rel(path)}: nbformat {raw['nbformat']}.{raw['nbformat_minor']}, cells without an id "
        f"at index {missing}, ids used twice {repeated}; expected nbformat 4.5 with a unique id "
        "on every cell. Save it once in JupyterLab 4 (exercises: `make exercises`)."
    )


def test_every_exercise_has_a_solution():
    exercises = sorted(EXERCISES.glob("*.ipynb")) if EXERCISES.is_dir() else []
    orphans = [_rel(p) for p in exercises if not (SOLUTIONS / p.name).is_file()]
    assert not orphans, (
        f"exercise notebooks without a solution: {orphans}; expected every exercises/NAME.ipynb "
        "to be generated from solutions/NAME.ipynb. Delete them, or restore their solutions "
        "and run `make exercises`."
    )


def test_exercises_are_in_sync_with_solutions():
    report = check_exercises(SOLUTIONS, EXERCISES)
    assert report.ok, f"\n{report}"


def _execute(path: Path) -> nbformat.NotebookNode:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=True,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return nb


@pytest.mark.notebooks
@pytest.mark.parametrize("path", EXERCISE_NOTEBOOKS)
def test_exercise_runs_with_only_not_implemented_error(path):
    """Answer cells raise NotImplementedError; tests may fail; nothing else may raise.

    An answer whose stub sits inside a function body (``def f(): raise NotImplementedError``)
    raises only when called, so such a cell may also run without error.
    """
    problems = []
    for index, cell in enumerate(_execute(path).cells):
        if cell.cell_type != "code":
            continue
        errors = [out for out in cell.outputs if out.output_type == "error"]
        raised = errors[0].ename if errors else None
        where = f"cell index {index} (grade_id {_nbgrader(cell).get('grade_id')!r})"
        if _nbgrader(cell).get("solution"):
            top_level = re.search(r"^raise NotImplementedError\(", cell.source, re.MULTILINE)
            allowed = {"NotImplementedError"} if top_level else {"NotImplementedError", None}
            if raised not in allowed:
                problems.append(
                    f"{where}: answer cell raised {raised or 'nothing'}; expected "
                    "NotImplementedError from its stub"
                )
        elif not _nbgrader(cell).get("grade") and errors:
            problems.append(
                f"{where}: {raised}: {errors[0].evalue}; expected no error in a cell that is "
                "neither an answer nor a test (it must not use a student's answer)"
            )
    assert not problems, f"{_rel(path)}:\n" + "\n".join(problems)


@pytest.mark.sandbox
@pytest.mark.notebooks
@pytest.mark.parametrize("path", SOLUTION_NOTEBOOKS)
def test_solution_scores_full_marks(path):
    score = score_notebook(path, path, timeout=CELL_TIMEOUT)
    assert score.questions, (
        f"{_rel(path)} has no test cells (nbgrader grade: true, solution: false); expected at "
        "least one visible check per exercise."
    )
    assert score.points == score.max_points, f"\n{score}"


@pytest.mark.sandbox
@pytest.mark.notebooks
@pytest.mark.parametrize("path", EXERCISE_NOTEBOOKS)
def test_untouched_exercise_scores_zero(path):
    solution = SOLUTIONS / path.name
    if not solution.is_file():
        pytest.skip(f"{_rel(path)} has no solution (test_every_exercise_has_a_solution fails)")
    score = score_notebook(path, solution, timeout=CELL_TIMEOUT)
    assert score.points == 0, (
        f"a student who did nothing would get points; expected 0 (every test cell must depend "
        f"on an answer).\n{score}"
    )


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(NOTEBOOKS.glob("*.ipynb")) if LESSON.match(p.name)],  # not references.ipynb
    ids=lambda p: p.name,
)
def test_lessons_are_thin(path):
    assert thin_code_cells(path), f"{path.name} has no code cell"


MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("path", ALL_NOTEBOOKS)
def test_every_relative_link_opens_a_file_that_exists(path):
    # A renamed exercise or lesson must not leave a link that opens "file not found".
    nb = nbformat.read(path, as_version=4)
    broken = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for target in MARKDOWN_LINK.findall(cell.source):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue  # a web address or a place in this notebook
            file = target.split("#", 1)[0]
            if not (path.parent / file).exists():
                broken.append(target)
    assert not broken, f"{path.name} links to files that do not exist: {broken}"
