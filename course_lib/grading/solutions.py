"""Instructor notebooks: reading and validating one, and the student notebook it generates.

Everything here works in memory; `course_lib.grading.exercise_files` writes the results to the
exercises folder, and `course_lib.grading.assign` describes the notebook format and holds the
command line.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import warnings
from pathlib import Path

import nbformat

from course_lib.errors import ExerciseFileError
from course_lib.grading.nbgrader_cells import label, nbgrader_meta, role, student_cell

__all__ = ["generate_exercise", "notebook_checksum", "read_solution"]


def notebook_checksum(nb: nbformat.NotebookNode) -> str:
    """Return the sha256 (hex) of a notebook's cell types and sources, in order.

    Outputs, metadata and ids do not count: running a notebook keeps it, editing a cell changes it.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        Any notebook.

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> ran = new_notebook(cells=[new_code_cell("x = 1", execution_count=3)])
    >>> notebook_checksum(ran) == notebook_checksum(new_notebook(cells=[new_code_cell("x = 1")]))
    True
    >>> notebook_checksum(ran)[:12]
    'b8516f9495fe'
    """
    payload = json.dumps([[c.cell_type, c.source] for c in nb.cells], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def read_solution(path: Path) -> nbformat.NotebookNode:
    """Read an instructor notebook, refusing one that is not a notebook or lacks cell ids.

    Parameters
    ----------
    path : Path
        E.g. ``solutions/00_start_here_exercises.ipynb``.

    Returns
    -------
    nbformat.NotebookNode
        The notebook (nbformat 4).

    Raises
    ------
    ExerciseFileError
        The file is missing or not a notebook, or (nbformat 4.5 and later) a cell has no id, so
        the exercise would change on every run.
    """
    if not path.is_file():
        raise ExerciseFileError(
            f"solution notebook '{path}' does not exist; expected an instructor notebook such as "
            "solutions/00_start_here_exercises.ipynb. Check the path."
        )
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text)
        with warnings.catch_warnings():  # nbformat warns about (and invents) missing cell ids
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ExerciseFileError(
            f"cannot read the solution notebook '{path}': {exc}. Expected a Jupyter notebook "
            "(nbformat 4 JSON). Open it in JupyterLab to repair it, or restore it from git."
        ) from None
    missing = [i for i, c in enumerate(raw.get("cells", [])) if "id" not in c]
    if raw.get("nbformat_minor", 0) >= 5 and missing:
        raise ExerciseFileError(
            f"{label(path)}, cell index {missing[0]}: the cell has no id, so the exercise would "
            "change on every run; expected an id on every cell (nbformat 4.5). Save the notebook "
            "once in JupyterLab 4 (or with nbformat.write) and commit it."
        )
    return nb


def _check_grading(cell, where: str, index: int, seen: dict[str, int]) -> None:
    """Refuse a graded or locked cell without a unique grade_id, or with invalid points.

    ``seen`` maps the grade_ids of the cells before this one to their index; this one is added.
    """
    meta = nbgrader_meta(cell)
    grade_id = meta.get("grade_id")
    if role(cell) != "other" or meta.get("locked"):
        if not isinstance(grade_id, str) or not grade_id:
            raise ExerciseFileError(
                f"{where}: nbgrader cell without a grade_id; expected a unique name such as "
                "'ex00-q1'. Set metadata.nbgrader.grade_id."
            )
        if grade_id in seen:
            raise ExerciseFileError(
                f"{where}: grade_id already used by cell index {seen[grade_id]}; expected "
                "unique grade_ids (the grader matches cells by them). Rename one of them."
            )
        seen[grade_id] = index
    points = meta.get("points")
    if meta.get("grade") and (
        isinstance(points, bool) or not isinstance(points, int | float) or points < 0
    ):
        raise ExerciseFileError(
            f"{where}: graded cell with points {points!r}; expected a number >= 0. "
            "Set metadata.nbgrader.points, e.g. 1."
        )


def generate_exercise(solution_path: str | os.PathLike) -> nbformat.NotebookNode:
    """Return the student notebook generated from one instructor notebook.

    Parameters
    ----------
    solution_path : str or path-like
        An instructor notebook, e.g. ``solutions/00_start_here_exercises.ipynb``.

    Returns
    -------
    nbformat.NotebookNode
        The exercise; ``metadata["course_lib"]`` holds ``generated_from``
        (``"solutions/NAME.ipynb"``) and ``checksum`` (`notebook_checksum` of the exercise).

    Raises
    ------
    ExerciseFileError
        The file is not a notebook; a marker is misplaced, misspelt, unbalanced or nested; an
        answer cell lacks its ``# Exercise N.M:`` comment; grade metadata is incomplete.

    Examples
    --------
    >>> generate_exercise("solutions/99_missing.ipynb")
    Traceback (most recent call last):
    ...
    course_lib.errors.ExerciseFileError: solution notebook 'solutions/99_missing.ipynb' does not exist; expected an instructor notebook such as solutions/00_start_here_exercises.ipynb. Check the path.
    """
    path = Path(solution_path)
    nb = read_solution(path)
    cells, seen = [], {}
    for index, cell in enumerate(nb.cells):
        grade_id = nbgrader_meta(cell).get("grade_id")
        where = f"{label(path)}, cell index {index} (grade_id {grade_id!r})"
        _check_grading(cell, where, index, seen)
        cells.append(student_cell(cell, where))
    exercise = copy.deepcopy(nb)
    exercise.cells = cells
    checksum = notebook_checksum(exercise)
    exercise.metadata["course_lib"] = {"generated_from": label(path), "checksum": checksum}
    return exercise
