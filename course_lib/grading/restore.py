"""Before grading: a submission rebuilt on its source's skeleton, with the source's tests.

The notebook that is run has the source's cells, in the source's order:

- each answer cell (``nbgrader.solution: true``) holds the text of the student's cell with the
  same grade_id, in the source's cell type and metadata; an answer cell the student deleted is
  the stub the exercise handed out;
- each test and locked cell (`restorable`) is the source's, hidden tests included, whatever the
  student did to it (edited, moved, deleted);
- every other cell (instructions) is the source's.

The student's own cells (those without a grade_id of the source, and copies of graded cells)
are kept, without their metadata, right after the graded cell (answer, test or locked) they
followed in the submission, in the submission's order; the ones above every graded cell go just
before the source's first answer cell. So each test sees what it saw when the student ran the
notebook top to bottom: the code written above it, not a scratch cell below it; and when a test
cell was deleted, the cells that followed its answer still run before the restored test. Cells are matched by ``nbgrader.grade_id``:
when one appears twice, the first cell wins unless a later one has the source's cell id. A cell
id is used only when it is text and unique in the submission. Outputs are never kept. Used by
`course_lib.grading.autograde` and `course_lib.grading.intake`.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

from course_lib.errors import ExerciseFileError
from course_lib.grading.nbgrader_cells import nbgrader_meta, role, student_source

__all__ = ["restorable", "restore_cells"]

_NEW_CELL = {"markdown": new_markdown_cell, "raw": new_raw_cell}


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


def _text(cell) -> str:
    """A cell's source as one string (nbformat also allows a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _grade_id(cell) -> str | None:
    """The cell's grade_id when it is non-empty text; metadata of any shape is tolerated."""
    meta = cell.get("metadata")
    grading = meta.get("nbgrader") if isinstance(meta, dict) else None
    gid = grading.get("grade_id") if isinstance(grading, dict) else None
    return gid if isinstance(gid, str) and gid else None


def _cell_id(cell) -> str | None:
    cid = cell.get("id")
    return cid if isinstance(cid, str) else None


def _graded_cells(src: nbformat.NotebookNode, where: Path) -> dict:
    """grade_id -> source cell, for answer and restorable cells (in the source's order).

    A repeated grade_id, or an answer cell without one, is refused: the student's answer could
    not be found (and the solution would be run in its place).
    """
    graded = {}
    for index, cell in enumerate(src.cells):
        if role(cell) != "answer" and not restorable(cell):
            continue
        gid = _grade_id(cell)
        if gid is None:
            raise ExerciseFileError(
                f"source notebook '{where}', cell index {index}: answer cell without a grade_id; "
                "expected one, or the student's answer could not be found. Set "
                "metadata.nbgrader.grade_id (e.g. 'ex00-q1') and regenerate the exercises."
            )
        if gid in graded:
            raise ExerciseFileError(
                f"source notebook '{where}' has two cells with grade_id {gid!r}; expected "
                "unique grade_ids. Rename one and regenerate the exercises."
            )
        graded[gid] = cell
    return graded


def _pick(cells: list, graded: dict) -> dict[str, int]:
    """grade_id -> index of the submission cell that stands for it.

    The first cell with the grade_id, unless a later one has the source's (unique) cell id.
    """
    counts = Counter(_cell_id(c) for c in cells)
    chosen: dict[str, int] = {}
    for i, cell in enumerate(cells):
        gid, cid = _grade_id(cell), _cell_id(cell)
        if gid not in graded:
            continue
        own = cid is not None and counts[cid] == 1 and cid == graded[gid].get("id")
        if own or gid not in chosen:
            chosen[gid] = i
    return chosen


def _instruction_keys(src: nbformat.NotebookNode, graded: dict) -> tuple[set, set]:
    """The ids, and the (cell type, text) pairs, of the source's ungraded cells."""
    plain = [c for c in src.cells if _grade_id(c) not in graded]
    ids = {c.get("id") for c in plain if c.get("id")}
    return ids, {(c.cell_type, _text(c)) for c in plain if _text(c).strip()}


def _sort(cells: list, src: nbformat.NotebookNode, graded: dict):
    """Split the submission: the cell picked per grade_id, and the student's own cells.

    Returns ``chosen`` (grade_id -> index), ``extras`` (grade_id of the graded cell each own
    cell followed, None above every graded cell -> cells) and notes on repeated answer cells. A copy
    of an instruction cell (same id and not code, or same type and text) is not an own cell.
    """
    chosen = _pick(cells, graded)
    plain_ids, plain_texts = _instruction_keys(src, graded)
    counts = Counter(_cell_id(c) for c in cells)
    extras: dict[str | None, list] = defaultdict(list)
    anchor, repeated = None, Counter()
    for i, cell in enumerate(cells):
        gid, cid = _grade_id(cell), _cell_id(cell)
        if gid in chosen and chosen[gid] == i:
            anchor = gid  # the student's next cells follow this one, as in their notebook
            continue
        if gid not in graded and (
            (cell.get("cell_type"), _text(cell)) in plain_texts
            or (cid in plain_ids and counts[cid] == 1 and cell.get("cell_type") != "code")
        ):
            continue
        extras[anchor].append(cell)
        if gid in graded and role(graded[gid]) == "answer":
            repeated[gid] += 1
    notes = [
        f"answer cell {gid!r} appears {n + 1} times; cell {chosen[gid] + 1} of the submission "
        "was graded as the answer, the other copies were run as ordinary cells after it"
        for gid, n in repeated.items()
    ]
    return chosen, extras, notes


def _clean(cell) -> nbformat.NotebookNode:
    """A copy of a source cell without outputs, execution count or timing record."""
    new = nbformat.from_dict(copy.deepcopy(dict(cell)))
    new.metadata.pop("execution", None)
    new.pop("id", None)
    if new.cell_type == "code":
        new.outputs, new.execution_count = [], None
    return new


def _own_cell(cell) -> nbformat.NotebookNode:
    """A student's own cell: its type and text only (no metadata, so never a test)."""
    return _NEW_CELL.get(cell.get("cell_type"), new_code_cell)(_text(cell))


def _answer(original, given, gid: str, where: Path) -> tuple[nbformat.NotebookNode, str]:
    """The answer cell to run, and a note ("" when the student's cell was used as it is)."""
    new = _clean(original)
    if given is None:
        new.source = student_source(original, f"{where}, grade_id {gid!r}")
        return new, f"answer cell {gid!r} was missing; the unanswered version was put back"
    new.source = _text(given)
    kind = given.get("cell_type")
    if kind != original.cell_type:
        return new, (
            f"answer cell {gid!r} had been changed from {kind} to {original.cell_type}; it was "
            f"used as {original.cell_type}, as in the exercise"
        )
    return new, ""


def _restored(original, given, gid: str, where: Path) -> tuple[nbformat.NotebookNode, str]:
    """The source's test or locked cell, and a note when the student had edited or deleted it."""
    if given is None:
        return _clean(original), f"cell {gid!r} was missing; it was put back"
    handed_out = student_source(original, f"{where}, grade_id {gid!r}")
    if given.get("cell_type") != original.cell_type or _text(given) not in (
        _text(original),
        handed_out,
    ):
        return _clean(original), f"cell {gid!r} had been edited; the original was used"
    return _clean(original), ""


def _with_ids(cells: list[tuple[nbformat.NotebookNode, str]]) -> list[nbformat.NotebookNode]:
    """Give every cell its wanted id, or that id with a number added when it is taken."""
    used: set[str] = set()
    for cell, wanted in cells:
        cid, n = wanted, 1
        while cid in used:
            n += 1
            cid = f"{wanted}-{n}"
        used.add(cid)
        cell["id"] = cid
    return [cell for cell, _ in cells]


def _assemble(src, graded: dict, cells: list, chosen: dict, extras: dict, where: Path):
    """The cells to run, in the source's order with the student's cells after their answers."""
    out, notes = [], []
    answers = [k for k, c in enumerate(src.cells) if role(c) == "answer"]
    own = iter(range(1, len(cells) + 1))

    def add_own(anchor):
        out.extend((_own_cell(c), f"student-{next(own)}") for c in extras.pop(anchor, []))

    for k, cell in enumerate(src.cells):
        if k == (answers[0] if answers else None):
            add_own(None)
        gid, wanted = _grade_id(cell), cell.get("id") or f"source-{k + 1}"
        given = cells[chosen[gid]] if gid in chosen else None
        if gid in graded:
            build = _answer if role(cell) == "answer" else _restored
            new, note = build(cell, given, gid, where)
            out.append((new, wanted))
            notes += [note] * bool(note)
            add_own(gid)
        else:
            new = _clean(cell)
            new.source = student_source(cell, f"{where}, cell index {k}")
            out.append((new, wanted))
    add_own(None)  # a source without answer cells
    return _with_ids(out), notes


def restore_cells(
    sub, src: nbformat.NotebookNode, where: Path
) -> tuple[nbformat.NotebookNode, list[str]]:
    """Return the notebook to run: the source's skeleton with the student's answers and cells.

    See the module docstring for the placement rule.

    Parameters
    ----------
    sub : nbformat.NotebookNode or dict
        The student's notebook (left unchanged); only its cells are read, and of each cell only
        ``cell_type``, ``source``, ``id`` and ``metadata.nbgrader.grade_id``.
    src : nbformat.NotebookNode
        The instructor notebook.
    where : Path
        The source's path, for messages.

    Returns
    -------
    nbformat.NotebookNode
        The notebook to run (nbformat 4.5, the source's metadata, no outputs). Cells keep the
        source's ids, else get ``source-N``; the student's own cells get ``student-N``.
    list of str
        What was repaired, e.g. ``cell 'ID' had been edited; the original was used``,
        ``cell 'ID' was missing; it was put back`` or ``answer cell 'ID' was missing; ...``.

    Raises
    ------
    ExerciseFileError
        The source repeats a grade_id or has an answer cell without one.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> def graded(gid, text, **kw):
    ...     return new_code_cell(text, metadata={"nbgrader": {"grade_id": gid, **kw}})
    >>> src = new_notebook(cells=[
    ...     graded("q1", "# Exercise 0.1: set x\\n### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION",
    ...            solution=True),
    ...     graded("q1-check", "assert x == 1", grade=True, points=1)])
    >>> sub = new_notebook(cells=[graded("q1", "x = 1", solution=True), new_code_cell("x += 0")])
    >>> nb, notes = restore_cells(sub, src, Path("solutions/00_x.ipynb"))
    >>> [c.source for c in nb.cells]
    ['x = 1', 'x += 0', 'assert x == 1']
    >>> notes
    ["cell 'q1-check' was missing; it was put back"]
    """
    graded = _graded_cells(src, where)
    cells = list(sub["cells"])
    chosen, extras, notes = _sort(cells, src, graded)
    run, more = _assemble(src, graded, cells, chosen, extras, where)
    return new_notebook(cells=run, metadata=copy.deepcopy(src.metadata)), notes + more
