"""A submitted notebook, read, checked and prepared for running, without running anything.

`load_submission` reads a student's file (never writing it), refuses what cannot be graded with
a status from `STATUSES` and a message that says what was wrong, what was received and what to
do, and otherwise returns the notebook to run: the source's skeleton with the student's answers
and own cells and the source's test and locked cells (`course_lib.grading.restore`), without
outputs. A grader runs its non-test cells and evaluates the source's test cells itself.

Repairs are listed in `Intake.notes`: a UTF-16 or byte-order-marked file is decoded, outputs
(never graded) are dropped, unusable cell ids are ignored, and deleted or edited test cells and
deleted answer cells are put back.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course_lib.grading.restore import restore_cells
from course_lib.grading.solutions import read_solution

__all__ = ["MAX_BYTES", "STATUSES", "Intake", "load_submission"]

MAX_BYTES = 50_000_000
"""Largest submission read, in bytes (50 MB); a larger file gets the status ``too large``."""

STATUSES = {
    "ok": "the notebook is ready to run",
    "unreadable": "no file, a folder, no permission, text in no known encoding, or not JSON",
    "too large": f"the file is over MAX_BYTES ({MAX_BYTES // 1_000_000} MB)",
    "empty": "the file holds nothing but white space",
    "not a notebook": "JSON, but not an nbformat 4 notebook (a list, no cells, bad cells, "
    "nbformat 3 or none)",
    "wrong exercise": "metadata.course_lib.generated_from names another exercise, or none of "
    "its grade_ids is the source's while it has some",
    "not an exercise": "a notebook without any grade_id (its grading metadata was lost)",
    "wrong language": "its kernel is not Python (e.g. R)",
}
"""Every status `load_submission` gives, and when."""

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with a byte-order mark"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_JSON_KIND = {list: "list", str: "string", int: "number", float: "number", bool: "true/false"}


@dataclass(frozen=True)
class Intake:
    """A submission as received: its status and, when it can be graded, the notebook to run.

    Examples
    --------
    >>> Intake("empty", "'a.ipynb' is empty (0 bytes) ...", sha256="e3b0c442...")
    Intake(status='empty', message="'a.ipynb' is empty (0 bytes) ...", notes=(), exercise=None, sha256='e3b0c442...')
    """

    status: str
    """One of `STATUSES`."""
    message: str
    """One sentence for the student or instructor: what was wrong, what was received, what to
    do (for ``ok``: which exercise it is)."""
    notebook: nbformat.NotebookNode | None = field(default=None, repr=False)
    """The notebook to run (status ``ok``), else None."""
    notes: tuple[str, ...] = ()
    """What was repaired, e.g. ``cell 'ex00-q2-check' was missing; it was put back``."""
    exercise: str | None = None
    """The source it claims, ``metadata.course_lib.generated_from``, e.g.
    ``solutions/00_start_here_exercises.ipynb``; None when it has none."""
    sha256: str | None = None
    """sha256 (hex) of the file's bytes; None when it was not read (no file, too large)."""

    @property
    def ok(self) -> bool:
        """True when the notebook is ready to run."""
        return self.status == "ok"


class _Refused(Exception):
    """Raised inside this module to stop with a status other than ``ok``."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _redo(name: str) -> str:
    return (
        f"Open the notebook in JupyterLab, check that your answers are there, save it and submit "
        f"{name} again; if it does not open, ask your instructor for a fresh copy."
    )


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, at most `MAX_BYTES` (opened read-only)."""
    try:
        if not path.is_file():
            what = (
                "is a folder or a special file; expected a notebook file (.ipynb). Submit the "
                ".ipynb file itself."
                if path.exists()
                else "does not exist; expected the submitted notebook. Check the path, or "
                "whether anything was submitted."
            )
            raise _Refused("unreadable", f"'{path}' {what}")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
            size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise _Refused(
            "unreadable",
            f"'{path}' cannot be read ({exc.strerror}); expected a readable notebook file. "
            "Check its permissions, or submit it again.",
        ) from None
    if len(data) > MAX_BYTES:
        raise _Refused(
            "too large",
            f"'{path}' is {max(size, len(data)) / 1e6:.3g} MB, over the {MAX_BYTES / 1e6:g} MB "
            "limit; such a file usually holds large outputs (images, long printouts). In "
            "JupyterLab choose Edit > Clear Outputs of All Cells, save, and submit it again.",
        )
    return data


def _encoding(data: bytes) -> tuple[str, str]:
    """(codec, description) of a notebook's bytes: a byte-order mark, or JSON's zero bytes."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return codec, name
    head = data[:4]
    if len(head) == 4 and head[1:3] == b"\0\0":
        return ("utf-32-le", "UTF-32") if head[3] == 0 else ("utf-16-le", "UTF-16")
    if len(head) >= 2 and head[0] == 0:
        return ("utf-32-be", "UTF-32") if head[:3] == b"\0\0\0" else ("utf-16-be", "UTF-16")
    if len(head) >= 2 and head[1] == 0:
        return "utf-16-le", "UTF-16"
    return "utf-8", ""


def _decode(data: bytes, path: Path, name: str) -> tuple[str, list[str]]:
    """The file's text, and a note when it was not plain UTF-8."""
    codec, described = _encoding(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _Refused(
            "unreadable",
            f"'{path}' is not text in UTF-8 or UTF-16 (byte 0x{exc.object[exc.start]:02x} at "
            f"position {exc.start} cannot be read); expected a notebook as JupyterLab saves it. "
            + _redo(name),
        ) from None
    if not text.strip():
        raise _Refused(
            "empty",
            f"'{path}' is empty ({len(data)} bytes{', only white space' * bool(data)}); expected "
            f"the saved notebook. Open {name} in JupyterLab, save it and submit it again; if it "
            "is empty there too, the work was not saved: ask your instructor.",
        )
    return text, [f"the file was saved as {described}; it was read as such"] * bool(described)


def _parse(text: str, path: Path, name: str) -> dict:
    """The notebook's JSON object, after checking the parts the grader reads."""
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as exc:  # ValueError: also an integer too long
        where = ""
        if isinstance(exc, json.JSONDecodeError):
            where = f" ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        raise _Refused(
            "unreadable",
            f"'{path}' is not a notebook file: its text is not valid JSON{where}; perhaps it was "
            "cut short or edited as text. " + _redo(name),
        ) from None
    problem = _structure_problem(raw)
    if problem:
        raise _Refused("not a notebook", f"'{path}' {problem}. " + _redo(name))
    return raw


def _kind(value: object) -> str:
    return "null" if value is None else _JSON_KIND.get(type(value), "object")


def _structure_problem(raw: object) -> str:
    """What makes ``raw`` no nbformat 4 notebook ("" when nothing does)."""
    if not isinstance(raw, dict):
        return (
            f"holds a JSON {_kind(raw)}, not a notebook; expected a JSON object with 'cells', "
            "'metadata' and 'nbformat'"
        )
    version, cells = raw.get("nbformat"), raw.get("cells")
    if "nbformat" in raw and version != 4:
        return (
            f"is in notebook format {version!r}; expected nbformat 4 (JupyterLab saves it when "
            "it opens an older notebook)"
        )
    if cells is None:
        return f"is a JSON object without 'cells' (keys: {', '.join(sorted(raw)) or 'none'})"
    if version is None:
        return "has no 'nbformat' version; expected nbformat 4"
    if not isinstance(cells, list):
        return f"has 'cells' that are a JSON {_kind(cells)}, not a list of cells"
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            return f"has a cell {number} that is a JSON {_kind(cell)}, not a cell"
        if cell.get("cell_type") not in ("code", "markdown", "raw"):
            return (
                f"has a cell {number} of type {cell.get('cell_type')!r}; expected 'code', "
                "'markdown' or 'raw'"
            )
        source = cell.get("source")
        if not isinstance(source, str) and not (
            isinstance(source, list) and all(isinstance(line, str) for line in source)
        ):
            return f"has a cell {number} whose text ('source') is a JSON {_kind(source)}"
    return ""


def _metadata(raw: dict, *keys: str) -> object:
    """``raw["metadata"][key1][key2]...``, or None where a level is missing or not an object."""
    value: object = raw
    for key in ("metadata", *keys):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _grade_ids(cells: list) -> set[str]:
    meta = (c.get("metadata") for c in cells)
    grading = (m.get("nbgrader") if isinstance(m, dict) else None for m in meta)
    gids = (g.get("grade_id") if isinstance(g, dict) else None for g in grading)
    return {gid for gid in gids if isinstance(gid, str) and gid}


def _check_exercise(raw: dict, src, path: Path, source: Path) -> list[str]:
    """Refuse a notebook of another exercise; a note when it was recognised by grade_ids."""
    claimed, expected = _metadata(raw, "course_lib", "generated_from"), source.stem
    name = Path(claimed.replace("\\", "/")).stem if isinstance(claimed, str) else expected
    if name != expected:
        raise _Refused(
            "wrong exercise",
            f"'{path}' is exercise {name} (generated from "
            f"{claimed}); expected {expected}. Submit your copy of {source.name} here, and this "
            "file to its own assignment.",
        )
    found, known = _grade_ids(raw["cells"]), _grade_ids(src.cells)
    if found and not found & known:
        shown = ", ".join(sorted(found)[:4]) + ", ..." * (len(found) > 4)
        raise _Refused(
            "wrong exercise",
            f"'{path}' has none of the grade_ids of {expected} (it has {shown}; expected e.g. "
            f"{', '.join(sorted(known)[:2])}): it is another exercise. Submit your copy of "
            f"{source.name}.",
        )
    if not found:
        raise _Refused(
            "not an exercise",
            f"'{path}' is a notebook, but none of its cells carries the grading metadata "
            f"(nbgrader grade_id) of {expected}, so its answers cannot be found; perhaps the cells "
            f"were copied into a new notebook. Download a fresh {source.name}, copy your "
            "answers into its answer cells, save it and submit it.",
        )
    if isinstance(claimed, str):
        return []
    return ["it has no metadata.course_lib.generated_from; it was recognised by its grade_ids"]


def _check_language(raw: dict, path: Path, name: str) -> None:
    """Refuse a notebook whose kernel is not Python."""
    language = _metadata(raw, "kernelspec", "language") or _metadata(raw, "language_info", "name")
    if isinstance(language, str) and not language.lower().startswith("python"):
        kernel = _metadata(raw, "kernelspec", "display_name") or _metadata(
            raw, "kernelspec", "name"
        )
        raise _Refused(
            "wrong language",
            f"'{path}' is written for the {language} language (kernel {kernel!r}); expected "
            "Python 3, the language of the exercise. Open it in JupyterLab, choose Kernel > "
            "Change Kernel... > Python 3, check that your answers are Python code, save it and "
            f"submit {name} again.",
        )


def _repair_notes(cells: list) -> list[str]:
    """Notes on what the notebook to run leaves out: unusable cell ids, and outputs."""
    notes = []
    ids = [c.get("id") for c in cells if "id" in c]
    odd = [cid for cid in ids if not isinstance(cid, str)]
    if odd:
        notes.append(f"{len(odd)} cell id(s) are not text (e.g. {odd[0]!r}); they were ignored")
    twice = sorted(cid for cid, n in Counter(i for i in ids if isinstance(i, str)).items() if n > 1)
    if twice:
        shown = ", ".join(repr(cid) for cid in twice[:3]) + ", ..." * (len(twice) > 3)
        notes.append(f"cell id(s) {shown} are used more than once; they were not used to match")
    ran = [c["outputs"] for c in cells if c.get("outputs")]
    if ran:
        size = sum(len(json.dumps(out, ensure_ascii=False)) for out in ran) / 1e6
        notes.append(
            f"the outputs of {len(ran)} cell(s) ({size:.1f} MB) were removed; outputs are never "
            "graded, the notebook is run again"
        )
    return notes


def load_submission(path: str | os.PathLike, source_path: str | os.PathLike) -> Intake:
    """Read a submitted notebook and prepare the notebook to run, or say why it cannot be.

    Nothing is run and the file is never written. Every problem of the submission gives a
    status (`STATUSES`); only a bad source raises.

    Parameters
    ----------
    path : str or path-like
        The student's notebook.
    source_path : str or path-like
        The instructor notebook, e.g. ``solutions/00_start_here_exercises.ipynb``.

    Returns
    -------
    Intake
        ``status``, ``message``, the notebook to run (status ``ok``), ``notes``, the
        exercise it claims and the sha256 of its bytes.

    Raises
    ------
    ExerciseFileError
        The source is missing or malformed (see `course_lib.grading.solutions.read_solution`
        and `course_lib.grading.restore.restore_cells`).

    Examples
    --------
    >>> from pathlib import Path
    >>> import course_lib
    >>> root = Path(course_lib.__file__).parent.parent
    >>> intake = load_submission(root / "exercises/00_start_here_exercises.ipynb",
    ...                          root / "solutions/00_start_here_exercises.ipynb")
    >>> intake.status, intake.exercise, intake.notes
    ('ok', 'solutions/00_start_here_exercises.ipynb', ())
    >>> load_submission(root / "missing.ipynb", root / "solutions/00_start_here_exercises.ipynb").status
    'unreadable'
    """
    source, submission = Path(source_path), Path(path)
    src = read_solution(source)
    sha256 = exercise = None
    try:
        data = _read_bytes(submission)
        sha256 = hashlib.sha256(data).hexdigest()
        text, notes = _decode(data, submission, source.name)
        raw = _parse(text, submission, source.name)
        claimed = _metadata(raw, "course_lib", "generated_from")
        exercise = claimed if isinstance(claimed, str) else None
        notes += _check_exercise(raw, src, submission, source)
        _check_language(raw, submission, source.name)
    except _Refused as refused:
        return Intake(refused.status, refused.message, None, (), exercise, sha256)
    notebook, restored = restore_cells(raw, src, source)
    notes += _repair_notes(raw["cells"]) + restored
    message = f"'{submission}' is exercise {source.stem}; it is ready to run" + (
        f" ({len(notes)} repair(s): see the notes)" if notes else ""
    )
    return Intake("ok", message, notebook, tuple(notes), exercise, sha256)
