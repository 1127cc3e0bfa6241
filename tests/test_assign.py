"""Student notebooks generated from instructor notebooks (course_lib.grading.assign)."""

from __future__ import annotations

import hashlib
import json

import nbformat
import pytest
from assign_notebooks import (
    KERNEL,
    TASK,
    TASK2,
    VISIBLE,
    answer,
    cells_by_id,
    check_cell,
    grader,
    solution_folders,
    solution_notebook,
    write_solution,
)
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_lib.errors import ExerciseFileError
from course_lib.grading.assign import (
    generate_exercise,
    notebook_checksum,
    write_exercises,
)


@pytest.fixture
def dirs(tmp_path):
    return solution_folders(tmp_path)


# ---- generate_exercise: what the student gets -------------------------------------------------


def test_answer_cell_becomes_a_stub_that_repeats_the_task(dirs):
    cells = cells_by_id(generate_exercise(dirs[0] / "00_warmup.ipynb"))
    assert cells["cell-2"].source == (
        f'# {TASK}\n# YOUR CODE HERE\nraise NotImplementedError("{TASK}")'
    )


def test_stub_keeps_the_indentation_of_the_region(dirs):
    cells = cells_by_id(generate_exercise(dirs[0] / "00_warmup.ipynb"))
    assert cells["cell-4"].source == (
        f"# {TASK2}\ndef fraction_bound(ligand_nM, kd_nM):\n"
        f'    # YOUR CODE HERE\n    raise NotImplementedError("{TASK2}")'
    )


def test_task_with_quotes_stays_valid_python(tmp_path):
    nb = new_notebook(
        cells=[
            answer(
                "q",
                '# Exercise 1.2: name the "classic" pathway\n### BEGIN SOLUTION\n'
                'x = "classic"\n### END SOLUTION',
            )
        ]
    )
    exercise = generate_exercise(write_solution(tmp_path / "solutions", "01_x.ipynb", nb))
    stub = exercise.cells[0].source.splitlines()[-1]
    assert stub == "raise NotImplementedError('Exercise 1.2: name the \"classic\" pathway')"
    compile(exercise.cells[0].source, "cell", "exec")


def test_hidden_tests_are_removed(dirs):
    cells = cells_by_id(generate_exercise(dirs[0] / "00_warmup.ipynb"))
    assert cells["cell-3"].source == VISIBLE
    assert cells["cell-6"].source == (
        "# Hidden tests for this exercise run when your notebook is graded."
    )
    assert all("5 / 21" not in c.source and "0.75" not in c.source for c in cells.values())


def test_markdown_answer_region_becomes_your_answer_here(dirs, tmp_path):
    cells = cells_by_id(generate_exercise(dirs[0] / "00_warmup.ipynb"))
    assert cells["cell-7"].source == (
        "Why do endothelial cells ignore IL-6 alone?\n\nYOUR ANSWER HERE"
    )
    whole = new_markdown_cell("They carry gp130 but no IL-6R.", metadata=cells["cell-7"].metadata)
    path = write_solution(tmp_path / "other", "01_md.ipynb", new_notebook(cells=[whole]))
    assert generate_exercise(path).cells[0].source == "YOUR ANSWER HERE"


def test_other_cells_are_copied_with_outputs_cleared_and_ids_kept(dirs):
    solution = nbformat.read(dirs[0] / "00_warmup.ipynb", as_version=4)
    exercise = generate_exercise(dirs[0] / "00_warmup.ipynb")
    assert [c.id for c in exercise.cells] == [c.id for c in solution.cells]
    assert [c.cell_type for c in exercise.cells] == [c.cell_type for c in solution.cells]
    assert exercise.cells[0].source == solution.cells[0].source
    assert exercise.cells[1].source == solution.cells[1].source
    for cell in exercise.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
    # test cells and locked cells are read-only in JupyterLab; answer cells are not
    assert exercise.cells[1].metadata["editable"] is False
    assert exercise.cells[3].metadata["deletable"] is False
    assert "editable" not in exercise.cells[2].metadata
    assert exercise.cells[3].metadata["nbgrader"] == solution.cells[3].metadata["nbgrader"]


def test_metadata_records_source_and_a_checksum_of_types_and_sources(dirs):
    exercise = generate_exercise(dirs[0] / "00_warmup.ipynb")
    info = exercise.metadata["course_lib"]
    assert info["generated_from"] == "solutions/00_warmup.ipynb"
    payload = json.dumps([[c.cell_type, c.source] for c in exercise.cells], ensure_ascii=False)
    assert info["checksum"] == hashlib.sha256(payload.encode()).hexdigest()
    assert info["checksum"] == notebook_checksum(exercise)
    assert exercise.metadata["kernelspec"] == KERNEL


def test_generation_is_deterministic_to_the_byte(dirs, tmp_path):
    src, dst = dirs
    write_exercises(src, dst)
    write_exercises(src, tmp_path / "again")
    first = (dst / "00_warmup.ipynb").read_bytes()
    assert first == (tmp_path / "again" / "00_warmup.ipynb").read_bytes()
    assert first == nbformat.writes(generate_exercise(src / "00_warmup.ipynb")).encode() + b"\n"
    assert first.startswith(b'{\n "cells": [\n  {\n')  # nbformat.write: indent=1
    assert first.endswith(b"}\n")


def test_files_not_named_nn_underscore_are_ignored(dirs):
    src, dst = dirs
    for name in ("draft.ipynb", "0_short.ipynb", "README.ipynb"):
        write_solution(src, name)
    (src / "00_notes.txt").write_text("not a notebook")
    report = write_exercises(src, dst)
    assert [p.name for p in report.written] == ["00_warmup.ipynb"]
    assert sorted(p.name for p in dst.iterdir()) == ["00_warmup.ipynb"]


# ---- errors in instructor notebooks -------------------------------------------------------------

W = "solutions/01_bad.ipynb, cell index 0"
ERROR_CASES = {
    "no exercise comment": (
        answer("ex01-q1", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"),
        f"{W} (grade_id 'ex01-q1'): no '# Exercise N.M: <what to do>' comment outside the "
        "solution region; expected one, because the student's stub repeats it. Add a line such "
        "as '# Exercise 0.1: convert 5 pg/mL IL-6 to pM' above '### BEGIN SOLUTION'.",
    ),
    "exercise comment only inside the region": (
        answer("ex01-q1", "### BEGIN SOLUTION\n# Exercise 1.1: do it\nx = 1\n### END SOLUTION"),
        f"{W} (grade_id 'ex01-q1'): no '# Exercise N.M: <what to do>' comment outside the "
        "solution region (the one inside the solution region would be removed with it); "
        "expected one, because the student's stub repeats it. Add a line such as "
        "'# Exercise 0.1: convert 5 pg/mL IL-6 to pM' above '### BEGIN SOLUTION'.",
    ),
    "begin without end": (
        answer("ex01-q1", "# Exercise 1.1: do it\n### BEGIN SOLUTION\nx = 1"),
        f"{W} (grade_id 'ex01-q1'), line 2: '### BEGIN SOLUTION' is never closed; expected a "
        "'### END SOLUTION' line after it. Add it where the region ends.",
    ),
    "end without begin": (
        answer("ex01-q1", "# Exercise 1.1: do it\nx = 1\n### END SOLUTION"),
        f"{W} (grade_id 'ex01-q1'), line 3: '### END SOLUTION' without a '### BEGIN SOLUTION' "
        "above it; expected markers in pairs. Add the missing BEGIN line or delete this one.",
    ),
    "nested": (
        answer(
            "ex01-q1",
            "# Exercise 1.1: do it\n### BEGIN SOLUTION\n### BEGIN SOLUTION\nx = 1\n"
            "### END SOLUTION\n### END SOLUTION",
        ),
        f"{W} (grade_id 'ex01-q1'), line 3: '### BEGIN SOLUTION' inside the region opened on "
        "line 2; expected regions that do not nest. Close the first region with "
        "'### END SOLUTION' before opening another.",
    ),
    "marker without nbgrader metadata": (
        new_code_cell("# Exercise 1.1: do it\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION"),
        f"{W} (grade_id None), line 2: '### BEGIN SOLUTION' in a cell whose metadata does not "
        "make it an answer cell (nbgrader solution: true); expected SOLUTION markers only "
        "there. Set the cell's nbgrader metadata (nbgrader's Create Assignment toolbar, or the "
        "JupyterLab property inspector), or remove the marker.",
    ),
    "hidden tests in an answer cell": (
        answer("ex01-q1", "# Exercise 1.1: do it\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS"),
        f"{W} (grade_id 'ex01-q1'), line 2: '### BEGIN HIDDEN TESTS' in a cell whose metadata "
        "does not make it a test cell (nbgrader grade: true, solution: false); expected HIDDEN "
        "TESTS markers only there. Set the cell's nbgrader metadata (nbgrader's Create "
        "Assignment toolbar, or the JupyterLab property inspector), or remove the marker.",
    ),
    "misspelt marker": (
        answer("ex01-q1", "# Exercise 1.1: do it\n# BEGIN SOLUTION\nx = 1\n# END SOLUTION"),
        f"{W} (grade_id 'ex01-q1'), line 2: malformed marker '# BEGIN SOLUTION'; expected "
        "exactly '### BEGIN SOLUTION' on a line of its own. Fix the spelling, or the region "
        "would not be recognised.",
    ),
    "answer without a region": (
        answer("ex01-q1", "# Exercise 1.1: do it\nx = 1"),
        f"{W} (grade_id 'ex01-q1'): answer cell without a '### BEGIN SOLUTION' ... "
        "'### END SOLUTION' region; expected the solution code between these markers, or "
        "students would be given it. Put the markers around the solution.",
    ),
    "test cell without points": (
        new_code_cell("assert True", metadata=grader(grade_id="t", grade=True, solution=False)),
        f"{W} (grade_id 't'): graded cell with points None; expected a number >= 0. "
        "Set metadata.nbgrader.points, e.g. 1.",
    ),
    "answer without grade_id": (
        new_code_cell("x = 1", metadata=grader(solution=True, grade=False)),
        f"{W} (grade_id None): nbgrader cell without a grade_id; expected a unique name such "
        "as 'ex00-q1'. Set metadata.nbgrader.grade_id.",
    ),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_malformed_solution_is_an_error_that_names_cell_and_fix(tmp_path, case):
    cell, message = ERROR_CASES[case]
    path = write_solution(tmp_path / "solutions", "01_bad.ipynb", new_notebook(cells=[cell]))
    with pytest.raises(ExerciseFileError) as info:
        generate_exercise(path)
    assert str(info.value) == message


def test_duplicate_grade_id_is_an_error(tmp_path):
    cells = [check_cell("ex01-q1-check", "pass"), check_cell("ex01-q1-check", "pass")]
    path = write_solution(tmp_path / "solutions", "01_bad.ipynb", new_notebook(cells=cells))
    with pytest.raises(ExerciseFileError) as info:
        generate_exercise(path)
    assert str(info.value) == (
        "solutions/01_bad.ipynb, cell index 1 (grade_id 'ex01-q1-check'): grade_id already used "
        "by cell index 0; expected unique grade_ids (the grader matches cells by them). "
        "Rename one of them."
    )


def test_a_bad_solution_stops_before_anything_is_written(dirs):
    src, dst = dirs
    bad = new_notebook(cells=[answer("q", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION")])
    write_solution(src, "01_bad.ipynb", bad)
    with pytest.raises(ExerciseFileError, match=r"01_bad\.ipynb, cell index 0"):
        write_exercises(src, dst)
    assert not dst.exists()


def test_solution_cells_without_ids_are_an_error(tmp_path):
    nb = json.loads(nbformat.writes(solution_notebook()))
    del nb["cells"][2]["id"]
    path = tmp_path / "solutions" / "00_noid.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(nb))
    with pytest.raises(ExerciseFileError) as info:
        generate_exercise(path)
    assert str(info.value) == (
        "solutions/00_noid.ipynb, cell index 2: the cell has no id, so the exercise would change "
        "on every run; expected an id on every cell (nbformat 4.5). Save the notebook once in "
        "JupyterLab 4 (or with nbformat.write) and commit it."
    )


def test_unreadable_solution_is_an_error(tmp_path):
    path = tmp_path / "solutions" / "01_broken.ipynb"
    path.parent.mkdir()
    path.write_text("{ not json")
    with pytest.raises(ExerciseFileError) as info:
        generate_exercise(path)
    assert str(info.value).startswith(f"cannot read the solution notebook '{path}': ")
    assert str(info.value).endswith(
        "Expected a Jupyter notebook (nbformat 4 JSON). Open it in JupyterLab to repair it, "
        "or restore it from git."
    )


def test_missing_source_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ExerciseFileError) as info:
        write_exercises(tmp_path / "solutoins", tmp_path / "exercises")
    assert str(info.value) == (
        f"solutions folder '{tmp_path / 'solutoins'}' does not exist or is not a folder; "
        "expected a folder of instructor notebooks named NN_*.ipynb. Check the path (from the "
        "repository root: python -m course_lib.grading.assign solutions exercises)."
    )
