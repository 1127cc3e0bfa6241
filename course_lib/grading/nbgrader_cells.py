"""nbgrader-format cells: their role, their marked regions, and the version a student gets.

Shared by `course_lib.grading.solutions` (which generates student notebooks) and
`course_lib.grading.restore` (which recognises a handed-out test cell as unedited). Errors name
the notebook, cell and line.

>>> from nbformat.v4 import new_code_cell
>>> role(new_code_cell("assert x > 0", metadata={"nbgrader": {"grade": True}}))
'test'
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from course_lib.errors import ExerciseFileError

__all__ = ["label", "nbgrader_meta", "role", "student_cell", "student_source"]

_PAIRS = {
    "answer": ("BEGIN SOLUTION", "END SOLUTION"),
    "test": ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"),
}
_MARKERS = {name for pair in _PAIRS.values() for name in pair}
_KIND = {
    "SOLUTION": "an answer cell (nbgrader solution: true)",
    "HIDDEN TESTS": "a test cell (nbgrader grade: true, solution: false)",
}
_EXERCISE = re.compile(r"^\s*#\s*(Exercise\s+\d+(?:\.\d+)*\s*:\s*\S.*?)\s*$")
_HIDDEN_ONLY = "# Hidden tests for this exercise run when your notebook is graded."


def nbgrader_meta(cell) -> dict:
    """Return the cell's nbgrader metadata.

    Parameters
    ----------
    cell : nbformat.NotebookNode
        A notebook cell.

    Returns
    -------
    dict
        ``metadata["nbgrader"]``; empty when it is absent or not a dict.
    """
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def role(cell) -> str:
    """Return what a cell is to nbgrader.

    Parameters
    ----------
    cell : nbformat.NotebookNode
        A notebook cell.

    Returns
    -------
    str
        ``"answer"`` (nbgrader solution: true), ``"test"`` (grade: true) or ``"other"``.
    """
    meta = nbgrader_meta(cell)
    return "answer" if meta.get("solution") else "test" if meta.get("grade") else "other"


def _regions(lines: list[str], where: str, kind: str) -> list[tuple[int, int]]:
    """(begin, end) line indices of the marked regions, after checking they are well formed."""
    begin_name, end_name = _PAIRS.get(kind, (None, None))
    regions: list[tuple[int, int]] = []
    start = None
    for i, line in enumerate(lines):
        text = line.strip()
        name = " ".join(text.lstrip("#").split()).upper()
        at = f"{where}, line {i + 1}"
        if name not in _MARKERS:
            continue
        if text != f"### {name}":
            raise ExerciseFileError(
                f"{at}: malformed marker {text!r}; expected exactly '### {name}' on a line of its "
                "own. Fix the spelling, or the region would not be recognised."
            )
        if name not in (begin_name, end_name):
            family = name.split(" ", 1)[1]
            raise ExerciseFileError(
                f"{at}: '### {name}' in a cell whose metadata does not make it {_KIND[family]}; "
                f"expected {family} markers only there. Set the cell's nbgrader metadata "
                "(nbgrader's Create Assignment toolbar, or the JupyterLab property inspector), or "
                "remove the marker."
            )
        if name == begin_name and start is not None:
            raise ExerciseFileError(
                f"{at}: '### {begin_name}' inside the region opened on line {start + 1}; expected "
                f"regions that do not nest. Close the first region with '### {end_name}' before "
                "opening another."
            )
        if name == end_name and start is None:
            raise ExerciseFileError(
                f"{at}: '### {end_name}' without a '### {begin_name}' above it; expected markers "
                "in pairs. Add the missing BEGIN line or delete this one."
            )
        if name == end_name:
            regions.append((start, i))
        start = i if name == begin_name else None
    if start is not None:
        raise ExerciseFileError(
            f"{where}, line {start + 1}: '### {begin_name}' is never closed; expected a "
            f"'### {end_name}' line after it. Add it where the region ends."
        )
    return regions


def _task(lines: list[str], regions: list[tuple[int, int]], where: str) -> str:
    """The ``Exercise N.M: ...`` text of an answer cell (outside its solution regions)."""
    inside = {i for begin, end in regions for i in range(begin, end + 1)}
    tasks = {i: m.group(1) for i, line in enumerate(lines) if (m := _EXERCISE.match(line))}
    outside = [" ".join(task.split()) for i, task in tasks.items() if i not in inside]
    if len(outside) == 1:
        return outside[0]
    if outside:
        raise ExerciseFileError(
            f"{where}: {len(outside)} '# Exercise N.M:' comments; expected one per answer cell. "
            "Split the cell so that each exercise has its own answer cell."
        )
    extra = " (the one inside the solution region would be removed with it)" if tasks else ""
    raise ExerciseFileError(
        f"{where}: no '# Exercise N.M: <what to do>' comment outside the solution region{extra}; "
        "expected one, because the student's stub repeats it. Add a line such as "
        "'# Exercise 0.1: convert 5 pg/mL IL-6 to pM' above '### BEGIN SOLUTION'."
    )


def student_source(cell, where: str) -> str:
    """Return the cell's source as the student gets it: answers stubbed, hidden tests removed.

    Parameters
    ----------
    cell : nbformat.NotebookNode
        A cell of an instructor notebook.
    where : str
        How error messages name the cell (notebook, cell index, grade_id).

    Returns
    -------
    str
        The new source; a cell without markers is returned unchanged.

    Raises
    ------
    ExerciseFileError
        A marker is misspelt, misplaced, nested or unbalanced, or a code answer lacks its
        region or its ``# Exercise N.M:`` comment.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell
    >>> answer = new_code_cell(
    ...     "# Exercise 0.1: convert 5 pg/mL IL-6 (21 kDa) to pM\\n### BEGIN SOLUTION\\n"
    ...     "il6_pM = 5 / 21\\n### END SOLUTION", metadata={"nbgrader": {"solution": True}})
    >>> print(student_source(answer, "cell 1"))
    # Exercise 0.1: convert 5 pg/mL IL-6 (21 kDa) to pM
    # YOUR CODE HERE
    raise NotImplementedError("Exercise 0.1: convert 5 pg/mL IL-6 (21 kDa) to pM")
    >>> answer.source = "### BEGIN SOLUTION\\nil6_pM = 5 / 21"
    >>> student_source(answer, "cell 1")
    Traceback (most recent call last):
    ...
    course_lib.errors.ExerciseFileError: cell 1, line 1: '### BEGIN SOLUTION' is never closed; expected a '### END SOLUTION' line after it. Add it where the region ends.
    """
    kind, code = role(cell), cell.cell_type == "code"
    lines = cell.source.split("\n")
    regions = _regions(lines, where, kind if kind == "answer" or (kind == "test" and code) else "")
    if kind == "answer" and not code and not regions:  # as nbgrader does: all of it is answer
        return "YOUR ANSWER HERE"
    if not regions and kind != "answer":
        return cell.source
    stub = _answer_stub(lines, regions, where, code) if kind == "answer" else []
    result = _replace_regions(lines, regions, stub, indent=code)
    return (result.rstrip() or _HIDDEN_ONLY) if kind == "test" else result


def _answer_stub(
    lines: list[str], regions: list[tuple[int, int]], where: str, code: bool
) -> list[str]:
    """What replaces each solution region: the stub that repeats the task, or YOUR ANSWER HERE."""
    if not code:
        return ["YOUR ANSWER HERE"]
    if not regions:
        raise ExerciseFileError(
            f"{where}: answer cell without a '### BEGIN SOLUTION' ... '### END SOLUTION' "
            "region; expected the solution code between these markers, or students would be "
            "given it. Put the markers around the solution."
        )
    task = _task(lines, regions, where)
    literal = f'"{task}"' if '"' not in task and "\\" not in task else repr(task)
    return ["# YOUR CODE HERE", f"raise NotImplementedError({literal})"]


def _replace_regions(
    lines: list[str], regions: list[tuple[int, int]], stub: list[str], *, indent: bool
) -> str:
    """The lines with each region (markers included) replaced by ``stub``, at its indentation."""
    out, previous = [], 0
    for begin, end in regions:
        margin = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())] if indent else ""
        out += lines[previous:begin] + [margin + line for line in stub]
        previous = end + 1
    return "\n".join(out + lines[previous:])


def student_cell(cell, where: str):
    """Return the student's copy of one instructor cell.

    The source is `student_source`; outputs, execution counts and JupyterLab's timing record
    are cleared, the cell id is kept, and test and locked cells are made read-only.

    Parameters
    ----------
    cell : nbformat.NotebookNode
        A cell of an instructor notebook (left unchanged).
    where : str
        How error messages name the cell (notebook, cell index, grade_id).

    Returns
    -------
    nbformat.NotebookNode
        A new cell.

    Raises
    ------
    ExerciseFileError
        As `student_source`.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell
    >>> test = new_code_cell(
    ...     "assert x > 0", execution_count=4, metadata={"nbgrader": {"grade": True}})
    >>> given = student_cell(test, "cell 2")
    >>> given.execution_count, given.metadata["editable"], given.metadata["deletable"]
    (None, False, False)
    """
    kind, locked = role(cell), nbgrader_meta(cell).get("locked")
    new = copy.deepcopy(cell)
    new.source = student_source(cell, where)
    new.metadata.pop("execution", None)  # JupyterLab's timing record
    if new.cell_type == "code":
        new.outputs, new.execution_count = [], None
    if kind == "test" or (kind == "other" and locked):
        new.metadata.update(editable=False, deletable=False)
    return new


def label(path: Path) -> str:
    """Return how messages and ``generated_from`` name a notebook.

    Parameters
    ----------
    path : Path
        The notebook.

    Returns
    -------
    str
        ``folder/NAME.ipynb``.

    Examples
    --------
    >>> label(Path("/home/me/course/solutions/00_start_here_exercises.ipynb"))
    'solutions/00_start_here_exercises.ipynb'
    """
    return f"{path.parent.name}/{path.name}"
