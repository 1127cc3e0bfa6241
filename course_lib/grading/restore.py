"""Before grading: the source notebook's test and locked cells put back into a submission.

Hidden tests return; a test cell the student edited is replaced by the original, a deleted one
is put back at its place, and a copy of a test cell becomes an ordinary cell. Cells are matched
by ``nbgrader.grade_id`` (the one with the source's cell id wins), then placed in the source's
order. Used by `course_lib.grading.autograde`.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from course_lib.errors import ExerciseFileError
from course_lib.grading.nbgrader_cells import nbgrader_meta, student_source

__all__ = ["restorable", "restore_cells"]


def restorable(cell) -> bool:
    """Tell whether a source cell is taken from the source, whatever the student did.

    Parameters
    ----------
    cell : nbformat.NotebookNode
        A cell of the instructor notebook.

    Returns
    -------
    bool
        True for test cells and locked non-answer cells that have a grade_id.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell
    >>> test = new_code_cell("assert x", metadata={"nbgrader": {"grade_id": "t", "grade": True}})
    >>> restorable(test), restorable(new_code_cell("x = 1"))
    (True, False)
    """
    meta = nbgrader_meta(cell)
    return (
        bool(meta.get("grade_id"))
        and not meta.get("solution")
        and bool(meta.get("grade") or meta.get("locked"))
    )


def _restorable_by_grade_id(src: nbformat.NotebookNode, where: Path) -> dict:
    """grade_id -> cell, for the restorable cells of the source (a repeated grade_id is refused)."""
    wanted = {}
    for cell in src.cells:
        if restorable(cell):
            gid = nbgrader_meta(cell)["grade_id"]
            if gid in wanted:
                raise ExerciseFileError(
                    f"source notebook '{where}' has two cells with grade_id {gid!r}; expected "
                    "unique grade_ids. Rename one and regenerate the exercises."
                )
            wanted[gid] = cell
    return wanted


def _keep_one_per_grade_id(cells: list, wanted: dict) -> dict[str, int]:
    """grade_id -> index of the submission cell that stands for it; copies lose their metadata.

    The first cell with the grade_id is chosen, unless a later one has the source's cell id.
    """
    chosen: dict[str, int] = {}
    for i, cell in enumerate(cells):
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in wanted:
            same_id = cell.get("id") == wanted[gid].get("id")
            if gid not in chosen or (same_id and cells[chosen[gid]].get("id") != cell.get("id")):
                chosen[gid] = i
    for i, cell in enumerate(cells):  # duplicates (a copied test cell) become ordinary cells
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in wanted and chosen[gid] != i:
            cell.metadata.pop("nbgrader", None)
    return chosen


def _replace_chosen(cells: list, chosen: dict[str, int], wanted: dict, where: Path) -> list[str]:
    """Put the source's version in place of each chosen cell; a note for each edited one."""
    notes = []
    for gid, i in chosen.items():
        original = wanted[gid]
        handed_out = student_source(original, f"{where}, grade_id {gid!r}")
        if cells[i].cell_type != original.cell_type or cells[i].source not in (
            original.source,
            handed_out,
        ):
            notes.append(f"cell {gid!r} had been edited; the original was used")
        cells[i] = copy.deepcopy(wanted[gid])
    return notes


def _insert_missing(
    cells: list, src: nbformat.NotebookNode, wanted: dict, chosen: dict[str, int]
) -> list[str]:
    """Insert each restorable cell the submission lacks after the cell it follows in the source."""
    by_key = {}
    for cell in cells:
        gid = nbgrader_meta(cell).get("grade_id")
        by_key.setdefault(("gid", gid) if gid in chosen else ("id", cell.get("id")), cell)
    notes, position = [], -1
    for cell in src.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        key = ("gid", gid) if gid in wanted else ("id", cell.get("id"))
        match = by_key.get(key) if key[1] is not None else None
        if match is not None:
            position = next(k for k, c in enumerate(cells) if c is match)
        elif gid in wanted:
            position += 1
            cells.insert(position, copy.deepcopy(cell))
            notes.append(f"cell {gid!r} was missing; it was put back")
    return notes


def restore_cells(
    sub: nbformat.NotebookNode, src: nbformat.NotebookNode, where: Path
) -> tuple[nbformat.NotebookNode, list[str]]:
    """Return a copy of the submission with every `restorable` cell taken from the source.

    Parameters
    ----------
    sub : nbformat.NotebookNode
        The student's notebook (left unchanged).
    src : nbformat.NotebookNode
        The instructor notebook.
    where : Path
        The source's path, for messages.

    Returns
    -------
    nbformat.NotebookNode
        The notebook to run.
    list of str
        What was restored: ``cell 'ID' had been edited ...`` or ``... was missing ...``.

    Raises
    ------
    ExerciseFileError
        Two restorable cells of the source share a grade_id.
    """
    wanted = _restorable_by_grade_id(src, where)
    cells = [copy.deepcopy(c) for c in sub.cells]
    chosen = _keep_one_per_grade_id(cells, wanted)
    notes = _replace_chosen(cells, chosen, wanted, where)
    notes += _insert_missing(cells, src, wanted, chosen)
    nb = copy.deepcopy(sub)
    nb.cells = cells
    return nb, notes
