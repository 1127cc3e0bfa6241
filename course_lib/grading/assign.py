"""Student notebooks generated from instructor notebooks: ``solutions/NN_*.ipynb`` -> ``exercises/``.

An instructor notebook uses nbgrader's cell metadata and markers, so nbgrader can use it as is:

- answer cells (``nbgrader.solution: true``): a code cell holds one ``# Exercise N.M: <task>``
  comment and the answer between ``### BEGIN SOLUTION`` and ``### END SOLUTION``; the student gets
  ``# YOUR CODE HERE`` and ``raise NotImplementedError("Exercise N.M: <task>")`` at the region's
  indentation. In a markdown answer the region (or, without markers, the whole cell) becomes
  ``YOUR ANSWER HERE``;
- test cells (``nbgrader.grade: true, solution: false``): a region between
  ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` is removed;
- other cells are copied. Outputs and execution counts are cleared, cell ids kept; test and
  locked cells are made read-only in JupyterLab (``editable``/``deletable`` false).

``metadata["course_lib"]`` of the copy records ``generated_from`` and a ``checksum`` of its cells;
a notebook that was run, edited, or not generated here is never overwritten without ``force``.

>>> write_exercises("no_such_folder", "exercises")
Traceback (most recent call last):
...
course_lib.errors.ExerciseFileError: solutions folder 'no_such_folder' does not exist or is not a folder; expected a folder of instructor notebooks named NN_*.ipynb. Check the path (from the repository root: python -m course_lib.grading.assign solutions exercises).
"""

from __future__ import annotations

import argparse
import copy
import datetime
import hashlib
import json
import os
import re
import shutil
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_lib.errors import ExerciseFileError
from course_lib.grading._nbgrader import label, nbgrader_meta, role, student_source

__all__ = [
    "AssignReport",
    "FileOutcome",
    "check_exercises",
    "generate_exercise",
    "main",
    "notebook_checksum",
    "write_exercises",
]

_SOLUTION_NAME = re.compile(r"^\d\d_.+\.ipynb$")
_FIX_FORCE = (
    "Nothing was changed. To replace it anyway, run again with --force (make exercises FORCE=1): "
    "the old file is first saved as NAME.ipynb.bak-<time>."
)


def notebook_checksum(nb: nbformat.NotebookNode) -> str:
    """Return the sha256 (hex) of a notebook's cell types and sources, in order.

    Outputs, metadata and ids do not count: running a notebook keeps it, editing a cell changes it.

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


def _read(path: Path) -> nbformat.NotebookNode:
    if not path.is_file():
        raise ExerciseFileError(
            f"solution notebook '{path}' does not exist; expected an instructor notebook such as "
            "solutions/00_start_here.ipynb. Check the path."
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


def generate_exercise(solution_path: str | os.PathLike) -> nbformat.NotebookNode:
    """Return the student notebook generated from one instructor notebook.

    Parameters
    ----------
    solution_path : str or path-like
        An instructor notebook, e.g. ``solutions/00_start_here.ipynb``.

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
    course_lib.errors.ExerciseFileError: solution notebook 'solutions/99_missing.ipynb' does not exist; expected an instructor notebook such as solutions/00_start_here.ipynb. Check the path.
    """
    path = Path(solution_path)
    nb = _read(path)
    cells, seen = [], {}
    for index, cell in enumerate(nb.cells):
        meta, kind = nbgrader_meta(cell), role(cell)
        grade_id = meta.get("grade_id")
        where = f"{label(path)}, cell index {index} (grade_id {grade_id!r})"
        if kind != "other" or meta.get("locked"):
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
        new = copy.deepcopy(cell)
        new.source = student_source(cell, where)
        new.metadata.pop("execution", None)  # JupyterLab's timing record
        if new.cell_type == "code":
            new.outputs, new.execution_count = [], None
        if kind == "test" or (kind == "other" and meta.get("locked")):
            new.metadata.update(editable=False, deletable=False)
        cells.append(new)
    exercise = copy.deepcopy(nb)
    exercise.cells = cells
    checksum = notebook_checksum(exercise)
    exercise.metadata["course_lib"] = {"generated_from": label(path), "checksum": checksum}
    return exercise


def _serialize(nb: nbformat.NotebookNode) -> bytes:
    text = nbformat.writes(nb)  # exactly what nbformat.write puts in a file
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def _write(nb: nbformat.NotebookNode, path: Path) -> None:
    """nbformat.write, atomically (a crash never leaves half a notebook) and with LF endings."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("w", encoding="utf-8", newline="\n") as handle:
        nbformat.write(nb, handle)
    os.replace(tmp, path)


def _student_work(path: Path) -> list[str]:
    """Why ``path`` may hold student work (empty when it is safe to overwrite)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # whatever it is, it is not ours to overwrite
        return [f"it is not a notebook this tool can read ({type(exc).__name__})"]
    ran = sum(
        c.cell_type == "code" and bool(c.get("outputs") or c.get("execution_count") is not None)
        for c in nb.cells
    )
    stored = nb.metadata.get("course_lib", {}).get("checksum")
    reasons = [f"it has outputs or execution counts in {ran} cell(s), so it was run"] * bool(ran)
    if stored is None:
        reasons.append("it has no course_lib checksum, so it was not generated by this tool")
    elif stored != notebook_checksum(nb):
        reasons.append("its cells were edited since it was generated (checksum mismatch)")
    return reasons


def _backup(path: Path) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup, n = path.with_name(f"{path.name}.bak-{stamp}"), 1
    while backup.exists():
        n += 1
        backup = path.with_name(f"{path.name}.bak-{stamp}-{n}")
    shutil.copy2(path, backup)
    return backup


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one exercise notebook."""

    target: Path
    """The exercise notebook."""
    status: str
    """``written``, ``unchanged``, ``refused``, ``orphan`` (no solution; never touched); when
    checking: ``up to date``, ``stale``, ``missing`` or ``orphan``."""
    detail: str = ""
    """Why it was refused, is stale or orphaned, or where the old file was saved."""
    backup: Path | None = None
    """The copy of the old file that ``force=True`` made."""


@dataclass(frozen=True)
class AssignReport:
    """The outcome of `write_exercises` or (``check=True``) `check_exercises`."""

    outcomes: tuple[FileOutcome, ...]
    """One entry per exercise notebook, solutions first (sorted), then orphans."""
    check: bool = False
    """True for `check_exercises`, which writes nothing."""

    def _with(self, status: str) -> tuple[Path, ...]:
        return tuple(o.target for o in self.outcomes if o.status == status)

    written = property(lambda self: self._with("written"), doc="Notebooks (re)written.")
    unchanged = property(lambda self: self._with("unchanged"), doc="Already up to date.")
    refused = property(lambda self: self._with("refused"), doc="Not overwritten: student work.")

    @property
    def ok(self) -> bool:
        """False when a file was refused, or (check) when exercises are stale/missing/orphaned."""
        bad = {"stale", "missing", "orphan"} if self.check else {"refused"}
        return not any(o.status in bad for o in self.outcomes)

    def __str__(self) -> str:
        lines = [
            f"{o.status:<10} {_show(o.target)}" + f": {o.detail}" * bool(o.detail)
            for o in self.outcomes
        ]
        if self.check and not self.ok:
            lines.append(
                "exercises are out of sync with solutions; regenerate them with `make exercises` "
                "and commit the result (delete an orphan, or restore its solution)."
            )
        elif self.check:
            lines.append(f"all {len(self.outcomes)} exercise notebook(s) are up to date.")
        else:
            groups = {"written": self.written, "unchanged": self.unchanged, "refused": self.refused}
            counts = ", ".join(f"{len(v)} {k}" for k, v in groups.items())
            lines.append(f"{counts}." + f" {_FIX_FORCE}" * (not self.ok))
        return "\n".join(lines)


def _generate_all(src_dir: Path, dst_dir: Path):
    if not src_dir.is_dir():
        raise ExerciseFileError(
            f"solutions folder '{src_dir}' does not exist or is not a folder; expected a folder of "
            "instructor notebooks named NN_*.ipynb. Check the path (from the repository root: "
            "python -m course_lib.grading.assign solutions exercises)."
        )
    sources = sorted(p for p in src_dir.iterdir() if p.is_file() and _SOLUTION_NAME.match(p.name))
    generated = [(dst_dir / p.name, generate_exercise(p)) for p in sources]
    names = {p.name for p in sources}
    existing = sorted(dst_dir.glob("*.ipynb")) if dst_dir.is_dir() else []
    orphans = [p for p in existing if p.name not in names]
    return generated, [(p, f"no {label(src_dir / p.name)} generates it") for p in orphans]


def check_exercises(src_dir: str | os.PathLike, dst_dir: str | os.PathLike) -> AssignReport:
    """Compare ``dst_dir`` byte for byte with what ``src_dir`` generates; write nothing.

    ``ok`` is False when an exercise is ``stale``, ``missing`` or an ``orphan`` (no solution).
    Raises `ExerciseFileError` like `write_exercises`.

    Examples
    --------
    >>> check_exercises("no_such_folder", "exercises")
    Traceback (most recent call last):
    ...
    course_lib.errors.ExerciseFileError: solutions folder 'no_such_folder' does not exist or is not a folder; expected a folder of instructor notebooks named NN_*.ipynb. Check the path (from the repository root: python -m course_lib.grading.assign solutions exercises).
    """
    generated, orphans = _generate_all(Path(src_dir), Path(dst_dir))
    outcomes = []
    for target, nb in generated:
        if not target.exists():
            outcomes.append(FileOutcome(target, "missing", "not generated yet"))
        elif target.read_bytes() != _serialize(nb):
            outcomes.append(FileOutcome(target, "stale", "differs from what its solution gives"))
        else:
            outcomes.append(FileOutcome(target, "up to date"))
    outcomes += [FileOutcome(path, "orphan", why) for path, why in orphans]
    return AssignReport(tuple(outcomes), check=True)


def write_exercises(
    src_dir: str | os.PathLike, dst_dir: str | os.PathLike, *, force: bool = False
) -> AssignReport:
    """Generate ``dst_dir/NN_*.ipynb`` from every ``src_dir/NN_*.ipynb``, never losing student work.

    All solutions are generated before anything is written, so an error leaves ``dst_dir`` as it
    was. A file whose bytes would not change is not rewritten. A file that was run, edited or not
    generated here is refused unless ``force``, which first copies it to
    ``NAME.ipynb.bak-<YYYYmmdd-HHMMSS>``. Exercises without a solution are reported, not deleted.

    Parameters
    ----------
    src_dir, dst_dir : str or path-like
        The instructor notebooks, and the folder for the student notebooks (created if missing).
    force : bool
        Overwrite refused files after backing them up.

    Returns
    -------
    AssignReport
        ``written``, ``unchanged`` and ``refused`` files; ``ok`` is False if any was refused.

    Raises
    ------
    ExerciseFileError
        ``src_dir`` is missing, or a solution notebook is malformed (see `generate_exercise`).
    """
    generated, orphans = _generate_all(Path(src_dir), Path(dst_dir))
    Path(dst_dir).mkdir(parents=True, exist_ok=True)
    outcomes = []
    for target, nb in generated:
        if target.exists() and target.read_bytes() == _serialize(nb):
            outcomes.append(FileOutcome(target, "unchanged"))
            continue
        reasons = "; ".join(_student_work(target) if target.exists() else [])
        if reasons and not force:
            outcomes.append(FileOutcome(target, "refused", reasons))
            continue
        backup = _backup(target) if reasons else None
        _write(nb, target)
        saved = f"the old file ({reasons}) was saved as {_show(backup)}" if backup else ""
        outcomes.append(FileOutcome(target, "written", saved, backup))
    outcomes += [FileOutcome(path, "orphan", why + "; left as it is") for path, why in orphans]
    return AssignReport(tuple(outcomes))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m course_lib.grading.assign SOLUTIONS_DIR EXERCISES_DIR [--force|--check]``.

    Prints the report. Returns 0 when all is written (or in sync), 1 when a file was refused (or,
    with ``--check``, an exercise is stale, missing or orphaned), 2 when a solution is malformed.
    """
    parser = argparse.ArgumentParser(
        prog="python -m course_lib.grading.assign",
        description="Generate student notebooks (exercises) from instructor notebooks (solutions).",
    )
    parser.add_argument("solutions_dir", help="folder of instructor notebooks NN_*.ipynb")
    parser.add_argument("exercises_dir", help="folder to write the student notebooks to")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--force", action="store_true", help="overwrite student work after a backup")
    mode.add_argument("--check", action="store_true", help="write nothing; exit 1 if out of sync")
    args = parser.parse_args(argv)
    try:
        if args.check:
            report = check_exercises(args.solutions_dir, args.exercises_dir)
        else:
            report = write_exercises(args.solutions_dir, args.exercises_dir, force=args.force)
    except ExerciseFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
