"""Student notebooks generated from instructor notebooks (course_lib.grading.assign)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_lib.errors import ExerciseFileError
from course_lib.grading.assign import (
    check_exercises,
    generate_exercise,
    main,
    notebook_checksum,
    write_exercises,
)

TASK = "Exercise 0.1: convert 5 pg/mL IL-6 (21 kDa) to pM and store it in il6_pM"
TASK2 = "Exercise 0.2: return the fraction of receptors bound at ligand L and Kd (both nM)"
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
VISIBLE = (
    'assert 0.01 < il6_pM < 10, "il6_pM should be a fraction of a pM: pg/mL vs ng/mL?"\n'
    'print("Plausible. Hidden checks also count.")'
)


def _grader(**kw) -> dict:
    return {"nbgrader": {"schema_version": 3, **kw}}


def answer(gid: str, source: str, **kw):
    meta = _grader(grade_id=gid, solution=True, grade=False, locked=False)
    return new_code_cell(source, metadata=meta, **kw)


def check_cell(gid: str, source: str, points: float = 1):
    meta = _grader(grade_id=gid, grade=True, solution=False, locked=True, points=points)
    return new_code_cell(source, metadata=meta)


def solution_notebook() -> nbformat.NotebookNode:
    """A small lesson-00-like instructor notebook: unit conversion and fractional occupancy."""
    cells = [
        new_markdown_cell("# Warm-up: IL-6 in serum\n\nHealthy serum holds about 5 pg/mL IL-6."),
        new_code_cell(
            "PG_PER_ML_PER_KDA_IN_PM = 1.0",
            metadata=_grader(grade_id="setup", locked=True, solution=False, grade=False),
        ),
        answer(
            "ex00-q1",
            f"# {TASK}\n### BEGIN SOLUTION\nil6_pM = 5 / 21  # pg/mL / kDa = pM\n### END SOLUTION",
            execution_count=3,
            outputs=[new_output("stream", name="stdout", text="0.238\n")],
        ),
        check_cell(
            "ex00-q1-check",
            f"{VISIBLE}\n### BEGIN HIDDEN TESTS\n"
            'assert abs(il6_pM - 5 / 21) < 1e-3, "not 5/21 pM"\n### END HIDDEN TESTS',
        ),
        answer(
            "ex00-q2",
            f"# {TASK2}\ndef fraction_bound(ligand_nM, kd_nM):\n    ### BEGIN SOLUTION\n"
            "    return ligand_nM / (ligand_nM + kd_nM)\n    ### END SOLUTION",
        ),
        check_cell("ex00-q2-check", "assert fraction_bound(1.0, 1.0) == 0.5", points=2),
        check_cell(
            "ex00-q2-hidden",
            "### BEGIN HIDDEN TESTS\nassert fraction_bound(3.0, 1.0) == 0.75\n### END HIDDEN TESTS",
        ),
        new_markdown_cell(
            "Why do endothelial cells ignore IL-6 alone?\n\n### BEGIN SOLUTION\n"
            "They carry gp130 but no IL-6R.\n### END SOLUTION",
            metadata=_grader(grade_id="ex00-q3", solution=True, grade=True, locked=False, points=2),
        ),
    ]
    for i, cell in enumerate(cells):
        cell.id = f"cell-{i}"
    return new_notebook(cells=cells, metadata={"kernelspec": KERNEL})


def write_solution(folder: Path, name: str = "00_warmup.ipynb", nb=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(nb if nb is not None else solution_notebook(), path)
    return path


@pytest.fixture
def dirs(tmp_path):
    src, dst = tmp_path / "solutions", tmp_path / "exercises"
    write_solution(src)
    return src, dst


def cells_by_id(nb):
    return {c.id: c for c in nb.cells}


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
        new_code_cell("assert True", metadata=_grader(grade_id="t", grade=True, solution=False)),
        f"{W} (grade_id 't'): graded cell with points None; expected a number >= 0. "
        "Set metadata.nbgrader.points, e.g. 1.",
    ),
    "answer without grade_id": (
        new_code_cell("x = 1", metadata=_grader(solution=True, grade=False)),
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


# ---- write_exercises: never lose student work ---------------------------------------------------


def test_unchanged_files_are_not_rewritten(dirs):
    src, dst = dirs
    assert [p.name for p in write_exercises(src, dst).written] == ["00_warmup.ipynb"]
    target = dst / "00_warmup.ipynb"
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    before = target.read_bytes()
    report = write_exercises(src, dst)
    assert report.unchanged == (target,)
    assert report.written == report.refused == ()
    assert report.ok
    assert target.stat().st_mtime_ns == 1_000_000_000
    assert target.read_bytes() == before


def test_stale_untouched_exercise_is_regenerated(dirs):
    src, dst = dirs
    write_exercises(src, dst)
    nb = solution_notebook()
    nb.cells[0].source += "\n\nNew paragraph."
    write_solution(src, nb=nb)
    report = write_exercises(src, dst)
    assert report.written == (dst / "00_warmup.ipynb",)
    assert "New paragraph." in (dst / "00_warmup.ipynb").read_text()
    assert not list(dst.glob("*.bak-*"))


def _ran(nb):
    nb.cells[2].execution_count = 1
    nb.cells[2].outputs = [new_output("error", ename="NotImplementedError", evalue="x")]


def _edited(nb):
    nb.cells[2].source = "il6_pM = 5 / 21"


def _foreign(nb):
    del nb.metadata["course_lib"]


REFUSALS = {
    "ran": (_ran, "it has outputs or execution counts in 1 cell(s), so it was run"),
    "edited": (_edited, "its cells were edited since it was generated (checksum mismatch)"),
    "not ours": (_foreign, "it has no course_lib checksum, so it was not generated by this tool"),
}


def _with_new_intro():
    nb = solution_notebook()
    nb.cells[0].source = "# Warm-up, revised"
    return nb


@pytest.mark.parametrize("reason", list(REFUSALS))
def test_student_work_is_refused_without_force(dirs, reason):
    src, dst = dirs
    write_solution(src, "01_second.ipynb")
    write_exercises(src, dst)
    target = dst / "00_warmup.ipynb"
    change, why = REFUSALS[reason]
    nb = nbformat.read(target, as_version=4)
    change(nb)
    nbformat.write(nb, target)
    student_bytes = target.read_bytes()
    for name in ("00_warmup.ipynb", "01_second.ipynb"):  # both exercises become stale
        write_solution(src, name, _with_new_intro())

    report = write_exercises(src, dst)

    assert report.refused == (target,)
    assert report.written == (dst / "01_second.ipynb",)
    assert not report.ok
    assert target.read_bytes() == student_bytes
    assert report.outcomes[0].detail == why
    assert str(report).splitlines()[0] == f"refused    {target}: {why}"


def test_unreadable_exercise_is_refused(dirs):
    src, dst = dirs
    dst.mkdir()
    (dst / "00_warmup.ipynb").write_text("my notes, not JSON")
    report = write_exercises(src, dst)
    assert report.outcomes[0].detail == "it is not a notebook this tool can read (NotJSONError)"
    assert (dst / "00_warmup.ipynb").read_text() == "my notes, not JSON"


def test_all_reasons_are_listed(dirs):
    src, dst = dirs
    write_exercises(src, dst)
    target = dst / "00_warmup.ipynb"
    nb = nbformat.read(target, as_version=4)
    _ran(nb)
    _edited(nb)
    nbformat.write(nb, target)
    write_solution(src, nb=_with_new_intro())
    assert write_exercises(src, dst).outcomes[0].detail == "; ".join(
        [REFUSALS["ran"][1], REFUSALS["edited"][1]]
    )


def test_force_backs_up_then_overwrites(dirs):
    src, dst = dirs
    write_exercises(src, dst)
    target = dst / "00_warmup.ipynb"
    nb = nbformat.read(target, as_version=4)
    _edited(nb)
    nbformat.write(nb, target)
    student_bytes = target.read_bytes()

    report = write_exercises(src, dst, force=True)

    (backup,) = dst.glob("00_warmup.ipynb.bak-*")
    assert re.fullmatch(r"00_warmup\.ipynb\.bak-\d{8}-\d{6}", backup.name)
    assert backup.read_bytes() == student_bytes
    assert report.written == (target,)
    assert report.outcomes[0].backup == backup
    assert report.outcomes[0].detail == (
        f"the old file ({REFUSALS['edited'][1]}) was saved as {backup}"
    )
    regenerated = generate_exercise(src / "00_warmup.ipynb")
    assert target.read_bytes() == nbformat.writes(regenerated).encode() + b"\n"
    # a second forced run in the same second does not overwrite the first backup
    _edited(nb)
    nbformat.write(nb, target)
    write_exercises(src, dst, force=True)
    assert len(list(dst.glob("00_warmup.ipynb.bak-*"))) == 2


def test_exercise_without_solution_is_left_alone_and_reported(dirs):
    src, dst = dirs
    dst.mkdir()
    (dst / "09_removed.ipynb").write_text("{}")
    report = write_exercises(src, dst)
    assert report.ok
    assert (dst / "09_removed.ipynb").read_text() == "{}"
    assert report.outcomes[-1].status == "orphan"
    assert report.outcomes[-1].detail == "no solutions/09_removed.ipynb generates it; left as it is"
    assert not check_exercises(src, dst).ok


# ---- check mode and the command line -----------------------------------------------------------


def test_check_writes_nothing_and_lists_missing_and_stale(dirs):
    src, dst = dirs
    report = check_exercises(src, dst)
    assert not report.ok
    assert [(o.target.name, o.status) for o in report.outcomes] == [("00_warmup.ipynb", "missing")]
    assert not dst.exists()
    write_exercises(src, dst)
    assert check_exercises(src, dst).ok
    write_solution(src, nb=_with_new_intro())
    report = check_exercises(src, dst)
    assert [o.status for o in report.outcomes] == ["stale"]


def test_cli_writes_and_reports(dirs, capsys):
    src, dst = dirs
    assert main([str(src), str(dst)]) == 0
    assert capsys.readouterr().out == (
        f"written    {dst / '00_warmup.ipynb'}\n1 written, 0 unchanged, 0 refused.\n"
    )
    assert main([str(src), str(dst)]) == 0
    assert capsys.readouterr().out.startswith("unchanged  ")


def test_cli_refuses_with_status_1_and_force_overwrites(dirs, capsys):
    src, dst = dirs
    main([str(src), str(dst)])
    target = dst / "00_warmup.ipynb"
    nb = nbformat.read(target, as_version=4)
    _ran(nb)
    nbformat.write(nb, target)
    write_solution(src, nb=_with_new_intro())
    capsys.readouterr()
    assert main([str(src), str(dst)]) == 1
    assert capsys.readouterr().out == (
        f"refused    {target}: {REFUSALS['ran'][1]}\n"
        "0 written, 0 unchanged, 1 refused. Nothing was changed. To replace it anyway, run "
        "again with --force (make exercises FORCE=1): the old file is first saved as "
        "NAME.ipynb.bak-<time>.\n"
    )
    assert main([str(src), str(dst), "--force"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"written    {target}: the old file (it has outputs")
    assert "was saved as" in out
    assert len(list(dst.glob("*.bak-*"))) == 1


def test_cli_check_exits_1_when_out_of_sync(dirs, capsys):
    src, dst = dirs
    assert main([str(src), str(dst), "--check"]) == 1
    assert capsys.readouterr().out == (
        f"missing    {dst / '00_warmup.ipynb'}: not generated yet\n"
        "exercises are out of sync with solutions; regenerate them with `make exercises` and "
        "commit the result (delete an orphan, or restore its solution).\n"
    )
    assert not dst.exists()
    main([str(src), str(dst)])
    capsys.readouterr()
    assert main([str(src), str(dst), "--check"]) == 0
    assert capsys.readouterr().out.endswith("all 1 exercise notebook(s) are up to date.\n")


def test_cli_error_exits_2_with_the_message(tmp_path, capsys):
    assert main([str(tmp_path / "nope"), str(tmp_path / "exercises")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: solutions folder '{tmp_path / 'nope'}' does not exist")
    with pytest.raises(SystemExit):
        main([str(tmp_path), str(tmp_path), "--check", "--force"])


@pytest.mark.slow
def test_cli_runs_as_a_module(dirs):
    src, _ = dirs
    run = subprocess.run(
        [sys.executable, "-m", "course_lib.grading.assign", "solutions", "exercises"],
        cwd=src.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "written    exercises/00_warmup.ipynb"
