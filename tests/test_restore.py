"""The notebook to run: the source's skeleton with a student's answers (grading.restore).

Built from exercises/00_start_here_exercises.ipynb and its source, solutions/00_start_here_exercises.ipynb:

    -  student-id ex00-setup ex00-numbers  -  ex00-q1 ex00-q1-check  -  ex00-q2 ex00-q2-check  -  ex00-q3 ex00-q3-check
    -  ex00-q4 ex00-q4-check  -

where ``-`` is an instruction (markdown) cell, and student-id the (ungraded) code cell in which
a student types their id.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_lib.errors import ExerciseFileError
from course_lib.grading.nbgrader_cells import student_source
from course_lib.grading.restore import restorable, restore_cells

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "solutions" / "00_start_here_exercises.ipynb"
EXERCISE = ROOT / "exercises" / "00_start_here_exercises.ipynb"
SKELETON = [
    "-",
    "-",  # STUDENT_ID = "": an ungraded cell, taken from the source like the instructions
    "ex00-setup",
    "ex00-numbers",
    "-",
    "ex00-q1",
    "ex00-q1-check",
    "-",
    "ex00-q2",
    "ex00-q2-check",
    "-",
    "ex00-q3",
    "ex00-q3-check",
    "-",
    "ex00-q4",
    "ex00-q4-check",
    "-",
]
ANSWERS = {
    "ex00-q1": "il6_pM = 0.247",
    "ex00-q2": "def pg_per_ml_to_pM(conc, molar_mass_kDa):\n    return conc / molar_mass_kDa",
    "ex00-q3": 'answer_03 = "b"',
    "ex00-q4": 'answer_04 = "a"',
}


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def gid(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def answered(drop=(), ids=True) -> nbformat.NotebookNode:
    """The exercise with ANSWERS filled in, cells whose grade_id is in ``drop`` deleted, and
    (``ids=False``) no cell ids, as in a submission saved as nbformat 4.4."""
    nb = read(EXERCISE)
    nb.cells = [c for c in nb.cells if gid(c) not in drop]
    for cell in nb.cells:
        cell.source = ANSWERS.get(gid(cell), cell.source)
        if not ids:
            cell.pop("id")
    return nb


def layout(nb) -> list[str]:
    """grade_id of each cell, "-" for an instruction cell, "own: SOURCE" for a student's cell."""
    return [
        gid(c) or (f"own: {c.source}" if c.id.startswith("student-") else "-") for c in nb.cells
    ]


def own(text: str):
    return new_code_cell(text)


def restore(sub):
    return restore_cells(sub, read(SOURCE), SOURCE)


def test_an_answered_exercise_runs_as_the_source_with_the_answers():
    sub = answered()
    before = copy.deepcopy(sub)
    nb, notes = restore(sub)
    assert sub == before  # the submission is not changed
    assert layout(nb) == SKELETON
    assert notes == []
    source = read(SOURCE)
    for ran, original in zip(nb.cells, source.cells, strict=True):
        if gid(ran) in ANSWERS:
            assert ran.source == ANSWERS[gid(ran)]
        else:  # tests with their hidden part, the locked set-up, the instructions
            assert ran.source == original.source
        assert ran.id == original.id
        assert ran.metadata.get("nbgrader") == original.metadata.get("nbgrader")
    assert "### BEGIN HIDDEN TESTS" in nb.cells[6].source
    nbformat.validate(nb)


def test_outputs_and_execution_counts_are_dropped():
    sub = answered()
    for cell in sub.cells:
        if cell.cell_type == "code":
            cell.execution_count = 7
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 1000)]
    nb, _ = restore(sub)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)


def test_deleted_test_cell_without_ids_goes_back_after_its_answer():
    nb, notes = restore(answered(drop={"ex00-q2-check"}, ids=False))
    assert layout(nb) == SKELETON
    assert notes == ["cell 'ex00-q2-check' was missing; it was put back"]
    nbformat.validate(nb)


def test_every_test_cell_deleted_without_ids():
    drop = {"ex00-setup", "ex00-q1-check", "ex00-q2-check", "ex00-q3-check", "ex00-q4-check"}
    nb, notes = restore(answered(drop=drop, ids=False))
    assert layout(nb) == SKELETON
    assert len(notes) == 5
    assert [c.source for c in nb.cells if gid(c) in ANSWERS] == list(ANSWERS.values())


def test_repeated_cell_ids_do_not_matter():
    sub = answered()
    for cell in sub.cells:
        cell.id = "same"
    nb, notes = restore(sub)
    assert layout(nb) == SKELETON
    assert notes == []
    assert len({c.id for c in nb.cells}) == len(nb.cells)


def test_cells_moved_by_the_student_go_back_to_the_source_order():
    sub = answered(ids=False)
    sub.cells = sub.cells[::-1]  # every cell in reverse
    nb, notes = restore(sub)
    assert layout(nb) == SKELETON
    assert notes == []
    assert [c.source for c in nb.cells if gid(c) in ANSWERS] == list(ANSWERS.values())


def test_a_question_moved_above_another_keeps_its_own_cells():
    sub = answered()
    q2_block = sub.cells[7:10]  # instructions, answer and test of question 0.2
    sub.cells = sub.cells[:4] + q2_block + [own("scratch_q2 = 2")] + sub.cells[4:7] + sub.cells[10:]
    nb, _ = restore(sub)
    expected = [*SKELETON]
    expected.insert(expected.index("ex00-q2-check") + 1, "own: scratch_q2 = 2")
    assert layout(nb) == expected


def test_students_cells_stay_after_the_graded_cell_they_followed():
    """As in the student's notebook: a test does not see a scratch cell written below it."""
    sub = answered()
    sub.cells.insert(16, own("print('done')"))  # after ex00-q4-check, before the last text
    sub.cells.insert(6, own("print(il6_pM)"))  # between ex00-q1 and its test
    sub.cells.insert(1, own("import math"))  # above the id and set-up cells
    sub.cells.insert(0, new_markdown_cell("my notes"))  # above everything
    nb, notes = restore(sub)
    assert layout(nb) == [
        *SKELETON[:5],
        "own: my notes",
        "own: import math",
        "ex00-q1",
        "own: print(il6_pM)",
        "ex00-q1-check",
        *SKELETON[7:14],
        "ex00-q4",
        "ex00-q4-check",
        "own: print('done')",
        "-",
    ]
    assert notes == []
    assert [c.id for c in nb.cells if c.id.startswith("student-")] == [
        "student-1",
        "student-2",
        "student-3",
        "student-4",
    ]
    assert all(c.metadata == {} for c in nb.cells if c.id.startswith("student-"))
    nbformat.validate(nb)


def test_students_cell_without_ids_and_a_deleted_test_cell():
    sub = answered(drop={"ex00-q1-check"}, ids=False)
    sub.cells.insert(6, own("il6_pM = round(il6_pM, 2)"))  # where the test cell was
    nb, notes = restore(sub)
    assert layout(nb)[5:8] == ["ex00-q1", "own: il6_pM = round(il6_pM, 2)", "ex00-q1-check"]
    assert notes == ["cell 'ex00-q1-check' was missing; it was put back"]


def test_edited_test_and_setup_cells_are_replaced_by_the_source():
    sub = answered()
    by_gid = {gid(c): c for c in sub.cells}
    by_gid["ex00-q1-check"].source = "pass"
    by_gid["ex00-setup"].source = "checks = None"
    nb, notes = restore(sub)
    source = {gid(c): c.source for c in read(SOURCE).cells}
    ran = {gid(c): c.source for c in nb.cells}
    assert ran["ex00-q1-check"] == source["ex00-q1-check"]
    assert ran["ex00-setup"] == source["ex00-setup"]
    assert notes == [
        "cell 'ex00-setup' had been edited; the original was used",
        "cell 'ex00-q1-check' had been edited; the original was used",
    ]


def test_deleted_answer_cell_becomes_the_handed_out_stub():
    nb, notes = restore(answered(drop={"ex00-q3"}))
    assert layout(nb) == SKELETON
    original = next(c for c in read(SOURCE).cells if gid(c) == "ex00-q3")
    stub = next(c for c in nb.cells if gid(c) == "ex00-q3")
    assert stub.source == student_source(original, "q3")
    assert "raise NotImplementedError" in stub.source
    assert notes == ["answer cell 'ex00-q3' was missing; the unanswered version was put back"]


def test_copied_answer_cell_runs_after_the_graded_one():
    sub = answered()
    copy_of_q1 = nbformat.from_dict(copy.deepcopy(sub.cells[5]))
    copy_of_q1.update(id="my-copy", source="il6_pM = 0.25")
    sub.cells.insert(6, copy_of_q1)
    nb, notes = restore(sub)
    assert layout(nb)[5:8] == ["ex00-q1", "own: il6_pM = 0.25", "ex00-q1-check"]
    assert nb.cells[5].source == ANSWERS["ex00-q1"]
    assert notes == [
        "answer cell 'ex00-q1' appears 2 times; cell 6 of the submission was graded as the "
        "answer, the other copies were run as ordinary cells after it"
    ]


def test_the_cell_with_the_source_id_wins_over_an_earlier_copy():
    sub = answered()
    earlier = nbformat.from_dict(copy.deepcopy(sub.cells[5]))
    earlier.update(id="pasted-above", source="il6_pM = 99")
    sub.cells.insert(5, earlier)
    nb, _ = restore(sub)
    assert nb.cells[6].source == ANSWERS["ex00-q1"]
    assert layout(nb)[3:7] == ["ex00-numbers", "own: il6_pM = 99", "-", "ex00-q1"]


def test_copied_test_cell_and_invented_grading_metadata_are_never_tests():
    sub = answered()
    fake = {"grade_id": "ex00-bonus", "grade": True, "solution": False, "points": 100}
    sub.cells.insert(7, new_code_cell("assert True", metadata={"nbgrader": fake}))
    copied = nbformat.from_dict(copy.deepcopy(sub.cells[6]))
    copied.update(id="check-copy", source="raise ValueError")
    sub.cells.insert(7, copied)
    nb, notes = restore(sub)
    assert layout(nb)[5:9] == [
        "ex00-q1",
        "ex00-q1-check",
        "own: raise ValueError",
        "own: assert True",
    ]
    tests = [gid(c) for c in nb.cells if restorable(c)]
    assert tests == [g for g in SKELETON if g.endswith(("-check", "-setup", "-numbers"))]
    assert notes == []


def test_answer_cell_turned_into_markdown_is_run_as_code():
    sub = answered()
    sub.cells[5] = nbformat.from_dict({**sub.cells[5], "cell_type": "markdown"})
    del sub.cells[5]["outputs"], sub.cells[5]["execution_count"]
    nb, notes = restore(sub)
    assert nb.cells[5].cell_type == "code"
    assert nb.cells[5].source == ANSWERS["ex00-q1"]
    assert notes == [
        "answer cell 'ex00-q1' had been changed from markdown to code; it was used as code, "
        "as in the exercise"
    ]


def test_instruction_cells_are_not_doubled():
    sub = answered(ids=False)
    nb, _ = restore(sub)
    assert layout(nb).count("-") == SKELETON.count("-")
    edited = answered()
    edited.cells[4].source = "my own reading of question 0.1"  # same id: still that cell
    nb, _ = restore(edited)
    assert layout(nb) == SKELETON
    assert nb.cells[4].source == read(SOURCE).cells[4].source


def test_source_without_ids_gives_numbered_ids(tmp_path):
    source = read(SOURCE)
    for cell in source.cells:
        cell.pop("id")
    source.nbformat_minor = 4
    nb, _ = restore_cells(answered(ids=False), source, SOURCE)
    assert [c.id for c in nb.cells] == [f"source-{k}" for k in range(1, 18)]
    nbformat.validate(nb)


def test_source_with_an_answer_cell_without_grade_id_is_an_error():
    source = read(SOURCE)
    del source.cells[5].metadata["nbgrader"]["grade_id"]
    with pytest.raises(ExerciseFileError) as info:
        restore_cells(answered(), source, SOURCE)
    assert str(info.value) == (
        f"source notebook '{SOURCE}', cell index 5: answer cell without a grade_id; expected "
        "one, or the student's answer could not be found. Set metadata.nbgrader.grade_id "
        "(e.g. 'ex00-q1') and regenerate the exercises."
    )


def test_source_with_a_repeated_answer_grade_id_is_an_error():
    source = read(SOURCE)
    source.cells[8].metadata["nbgrader"]["grade_id"] = "ex00-q1"
    with pytest.raises(ExerciseFileError, match="two cells with grade_id 'ex00-q1'"):
        restore_cells(answered(), source, SOURCE)


def test_plain_dict_cells_with_list_sources_are_read():
    sub = {"cells": [dict(c, source=c.source.splitlines(True)) for c in answered().cells]}
    nb, notes = restore_cells(sub, read(SOURCE), SOURCE)
    assert layout(nb) == SKELETON
    assert [c.source for c in nb.cells if gid(c) in ANSWERS] == list(ANSWERS.values())
    assert notes == []


def test_empty_submission_gives_the_handed_out_exercise_with_the_tests():
    nb, notes = restore(new_notebook())
    assert layout(nb) == SKELETON
    assert len(notes) == 4 + 6  # four answers; the set-up, the numbers and four tests
