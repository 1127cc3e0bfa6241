"""Whose notebook is it: the id a submission states, against the id the grader knows.

The grader takes a student's id from where the notebook was submitted (the batch's folder or
file name, or ``--student``) and checks every varied number (`course_lib.grading.variants`)
against that id. The id typed in the notebook (``STUDENT_ID = "..."``) is never trusted; when
it names someone else, the grading notes say so.

>>> import json
>>> nb = json.dumps({"cells": [{"cell_type": "code", "source": 'STUDENT_ID = "Bob"'}]})
>>> stated_id(nb.encode())
'Bob'
>>> id_note("Bob", "alice")
"the notebook states student id 'Bob', but it was submitted as 'alice': every varied number was checked against alice's"
>>> id_note("ALICE", "alice"), id_note("", "alice"), id_note(None, None)
('', '', '')
"""

from __future__ import annotations

import ast
import json

from course_lib.errors import CourseLibError
from course_lib.grading.variants import normalise_id

__all__ = ["id_note", "stated_id"]

NAME = "STUDENT_ID"


def _assigned(source: str) -> str | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == NAME for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    return None


def stated_id(notebook: bytes) -> str | None:
    """The id the first ``STUDENT_ID = "..."`` line of a notebook's code cells states.

    Parameters
    ----------
    notebook : bytes
        The submitted file (read as JSON, never run).

    Returns
    -------
    str or None
        The text assigned (as typed); None when there is no such line or the file is not a
        notebook.
    """
    try:
        cells = json.loads(notebook.decode("utf-8", errors="replace")).get("cells", [])
    except (ValueError, AttributeError):
        return None
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        found = _assigned("".join(source) if isinstance(source, list) else str(source))
        if found is not None:
            return found
    return None


def id_note(stated: str | None, student: str | None) -> str:
    """A grading note when the stated id is not the submission's student; '' otherwise.

    Parameters
    ----------
    stated : str or None
        What the notebook states (`stated_id`).
    student : str or None
        The id the grader knows (None: none known, the default numbers were used).
    """
    try:
        said = normalise_id(stated)
    except CourseLibError:
        return f"the notebook states an invalid student id {str(stated)[:80]!r}; it was ignored"
    known = normalise_id(student)
    if said is None or said == known:
        return ""
    whose = f"submitted as {known!r}" if known else "graded without a student id"
    numbers = f"{known}'s" if known else "the default ones"
    return (
        f"the notebook states student id {stated!r}, but it was {whose}: every varied number "
        f"was checked against {numbers}"
    )
