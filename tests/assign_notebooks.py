"""Small instructor notebooks for the tests of course_lib.grading.assign (tests/test_assign.py,
tests/test_assign_files.py): a lesson-00-like warm-up with answer, check and hidden-test cells."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

TASK = "Exercise 0.1: convert 5 pg/mL IL-6 (21 kDa) to pM and store it in il6_pM"
TASK2 = "Exercise 0.2: return the fraction of receptors bound at ligand L and Kd (both nM)"
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
VISIBLE = (
    'assert 0.01 < il6_pM < 10, "il6_pM should be a fraction of a pM: pg/mL vs ng/mL?"\n'
    'print("Plausible. Hidden checks also count.")'
)


def grader(**kw) -> dict:
    return {"nbgrader": {"schema_version": 3, **kw}}


def answer(gid: str, source: str, **kw):
    meta = grader(grade_id=gid, solution=True, grade=False, locked=False)
    return new_code_cell(source, metadata=meta, **kw)


def check_cell(gid: str, source: str, points: float = 1):
    meta = grader(grade_id=gid, grade=True, solution=False, locked=True, points=points)
    return new_code_cell(source, metadata=meta)


def solution_notebook() -> nbformat.NotebookNode:
    """A small lesson-00-like instructor notebook: unit conversion and fractional occupancy."""
    cells = [
        new_markdown_cell("# Warm-up: IL-6 in serum\n\nHealthy serum holds about 5 pg/mL IL-6."),
        new_code_cell(
            "PG_PER_ML_PER_KDA_IN_PM = 1.0",
            metadata=grader(grade_id="setup", locked=True, solution=False, grade=False),
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
            metadata=grader(grade_id="ex00-q3", solution=True, grade=True, locked=False, points=2),
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


def cells_by_id(nb):
    return {c.id: c for c in nb.cells}


def solution_folders(tmp_path: Path) -> tuple[Path, Path]:
    """``tmp_path/solutions`` holding the warm-up (`write_solution`), and the path of an
    exercises folder not created yet."""
    src = tmp_path / "solutions"
    write_solution(src)
    return src, tmp_path / "exercises"
