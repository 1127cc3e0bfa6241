"""Score one student notebook against its instructor source (the core of batch grading).

`score_notebook` copies the submission in memory, puts back every test cell and locked cell
from the source notebook (`course_lib.grading.restore`: hidden tests return; a test cell the
student edited or deleted is restored at its place), runs the result in a fresh ``python3``
kernel started in the submission's folder, and scores each test cell: full points when it raised
nothing, 0 otherwise.
A cell that times out or kills the kernel fails, with the reason, as do the test cells after it.

Markdown answers and other cells marked ``solution: true, grade: true`` are graded by hand; they
are listed in `NotebookScore.manual_grade_ids` and do not count in the totals.

From a shell:
``python -m course_lib.grading.autograde SUBMISSION.ipynb SOURCE.ipynb [--timeout S]``.
"""

from __future__ import annotations

import argparse
import html
import math
import re
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from course_lib.errors import CourseTypeError, CourseValueError, ExerciseFileError
from course_lib.grading.nbgrader_cells import nbgrader_meta
from course_lib.grading.restore import restorable, restore_cells

__all__ = ["NotebookScore", "QuestionScore", "main", "score_notebook"]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_FEEDBACK_CHARS = 500


@dataclass(frozen=True)
class QuestionScore:
    """The result of one test cell.

    Examples
    --------
    >>> QuestionScore("ex00-q1-check", 0.0, 1.0, False, "NameError: name 'x' is not defined")
    QuestionScore(grade_id='ex00-q1-check', points=0.0, max_points=1.0, passed=False, feedback="NameError: name 'x' is not defined")
    """

    grade_id: str
    """The test cell's ``nbgrader.grade_id``."""
    points: float
    """Points earned: ``max_points`` when passed, else 0."""
    max_points: float
    """The cell's ``nbgrader.points``."""
    passed: bool
    """True when the cell ran and raised nothing."""
    feedback: str
    """``"ename: evalue"`` of the error, the reason it did not run, or what a passing cell
    printed."""


@dataclass(frozen=True)
class NotebookScore:
    """The autograded score of one submission.

    Examples
    --------
    >>> s = NotebookScore("alice/00_x.ipynb", "solutions/00_x.ipynb",
    ...                   (QuestionScore("q1", 1.0, 1.0, True, ""),
    ...                    QuestionScore("q2", 0.0, 2.0, False, "AssertionError: too large")))
    >>> s.points, s.max_points
    (1.0, 3.0)
    >>> print(s)
    alice/00_x.ipynb: 1 / 3 points
      grade_id  points  result
      q1         1 / 1  passed
      q2         0 / 2  failed: AssertionError: too large
    """

    submission: str
    """Path of the submitted notebook."""
    source: str
    """Path of the instructor notebook the tests came from."""
    questions: tuple[QuestionScore, ...]
    """One entry per test cell, in the source's order."""
    manual_grade_ids: tuple[str, ...] = ()
    """Answer cells graded by hand (``solution`` and ``grade`` both true); not in the totals."""
    notes: tuple[str, ...] = ()
    """What the grader did besides running: restored cells, a timeout, a dead kernel."""

    @property
    def points(self) -> float:
        """Total points earned."""
        return float(sum(q.points for q in self.questions))

    @property
    def max_points(self) -> float:
        """Total points available from test cells."""
        return float(sum(q.max_points for q in self.questions))

    def _rows(self) -> list[tuple[str, str, str]]:
        return [
            (
                q.grade_id,
                f"{q.points:g} / {q.max_points:g}",
                "passed" if q.passed else f"failed: {q.feedback}",
            )
            for q in self.questions
        ]

    def __str__(self) -> str:
        lines = [f"{self.submission}: {self.points:g} / {self.max_points:g} points"]
        rows = [("grade_id", "points", "result"), *self._rows()]
        width = [max(len(r[i]) for r in rows) for i in range(2)]
        lines += [f"  {a:<{width[0]}}  {b:>{width[1]}}  {c}" for a, b, c in rows]
        if self.manual_grade_ids:
            lines.append(f"  graded by hand, not included: {', '.join(self.manual_grade_ids)}")
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        body = "".join(
            f"<tr><td>{esc(a)}</td><td>{esc(b)}</td><td>{esc(c)}</td></tr>"
            for a, b, c in self._rows()
        )
        extra = [f"graded by hand, not included: {', '.join(self.manual_grade_ids)}"] * bool(
            self.manual_grade_ids
        ) + [f"note: {n}" for n in self.notes]
        return (
            f"<p><b>{esc(self.submission)}</b>: {self.points:g} / {self.max_points:g} points</p>"
            "<table><thead><tr><th>grade_id</th><th>points</th><th>result</th></tr></thead>"
            f"<tbody>{body}</tbody></table>" + "".join(f"<p>{esc(e)}</p>" for e in extra)
        )


def _read(path: Path, role: str) -> nbformat.NotebookNode:
    if not path.is_file():
        raise ExerciseFileError(
            f"{role} notebook '{path}' does not exist; expected the path of an .ipynb file. "
            "Check the spelling and the folder."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return nbformat.read(path, as_version=4)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ExerciseFileError(
            f"cannot read the {role} notebook '{path}': {exc}. Expected a Jupyter notebook "
            "(nbformat 4 JSON). Open it in JupyterLab to repair it, or ask for a fresh copy."
        ) from None


def _feedback(cell) -> tuple[bool, str]:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            text = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
            return False, _ANSI.sub("", text).rstrip(": ")[:_FEEDBACK_CHARS]
    printed = "".join(
        out.get("text", "") for out in cell.get("outputs", []) if out.get("name") == "stdout"
    )
    return True, _ANSI.sub("", printed).strip()[:_FEEDBACK_CHARS]


def score_notebook(
    submission_path: str | Path, source_path: str | Path, *, timeout: float = 60
) -> NotebookScore:
    """Run a submission with the source's tests restored, and score its test cells.

    Parameters
    ----------
    submission_path : str or Path
        The student's notebook; it is read, never written.
    source_path : str or Path
        The instructor notebook (``solutions/NN_*.ipynb``) with the visible and hidden tests.
    timeout : float
        Seconds each cell may run before it is stopped and counted as failed.

    Returns
    -------
    NotebookScore
        One `QuestionScore` per test cell of the source, in order, with totals.

    Raises
    ------
    ExerciseFileError
        A notebook is missing or unreadable, or the source repeats a grade_id.
    CourseValueError
        ``timeout`` is not a positive number of seconds.

    Examples
    --------
    >>> score_notebook("missing.ipynb", "solutions/00_start_here.ipynb")
    Traceback (most recent call last):
    ...
    course_lib.errors.ExerciseFileError: submission notebook 'missing.ipynb' does not exist; expected the path of an .ipynb file. Check the spelling and the folder.
    >>> score_notebook("a.ipynb", "b.ipynb", timeout=0)
    Traceback (most recent call last):
    ...
    course_lib.errors.CourseValueError: timeout must be a positive number of seconds; got 0. Give the time one cell may take, e.g. timeout=60.
    """
    _check_timeout(timeout)
    submission, source = Path(submission_path), Path(source_path)
    sub = _read(submission, "submission")
    src = _read(source, "source")
    nb, notes = restore_cells(sub, src, source)
    stopped_at, reason = _run(nb, submission.resolve().parent, timeout)
    if reason:
        notes.append(f"{reason}; the cells after it were not run")
    questions, manual = _score(src, nb, stopped_at, reason)
    return NotebookScore(
        str(submission), str(source), tuple(questions), tuple(manual), tuple(notes)
    )


def _check_timeout(timeout: object) -> None:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise CourseTypeError(
            f"timeout must be a number of seconds; got {timeout!r}. Pass e.g. timeout=60."
        )
    if not (math.isfinite(timeout) and timeout > 0):
        raise CourseValueError(
            f"timeout must be a positive number of seconds; got {timeout!r}. Give the time one "
            "cell may take, e.g. timeout=60."
        )


def _run(nb: nbformat.NotebookNode, folder: Path, timeout: float) -> tuple[int, str]:
    """Run ``nb`` in place in a fresh kernel started in ``folder``, until a cell stops it.

    Returns the index of the cell that timed out or killed the kernel (``len(nb.cells)`` when
    none did) and why, or "".
    """
    client = NotebookClient(
        nb,
        timeout_func=lambda cell: timeout,
        kernel_name="python3",
        allow_errors=True,
        record_timing=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(folder)}},
    )
    total = len(nb.cells)
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            try:
                client.execute_cell(cell, index)
            except CellTimeoutError:
                return index, (
                    f"cell {index + 1} of {total} ran longer than {timeout:g} s (endless loop?)"
                )
            except DeadKernelError:
                return index, (
                    f"Python stopped in cell {index + 1} of {total} (a crash, or out of memory)"
                )
    return total, ""


def _score(
    src: nbformat.NotebookNode, nb: nbformat.NotebookNode, stopped_at: int, reason: str
) -> tuple[list[QuestionScore], list[str]]:
    """The score of each code test cell of ``src`` in the run ``nb``, and the hand-graded ids."""
    questions, manual = [], []
    positions = {nbgrader_meta(c).get("grade_id"): i for i, c in enumerate(nb.cells)}
    for cell in src.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and meta.get("grade") and meta.get("grade_id"):
            manual.append(meta["grade_id"])
        if cell.cell_type != "code" or not (restorable(cell) and meta.get("grade")):
            continue  # only code test cells are scored here
        gid, index = meta["grade_id"], positions[meta["grade_id"]]
        max_points = float(meta.get("points", 0) or 0)
        if index < stopped_at:
            passed, feedback = _feedback(nb.cells[index])
        else:
            passed = False
            feedback = reason if index == stopped_at else f"not run: {reason}"
        questions.append(QuestionScore(gid, max_points * passed, max_points, passed, feedback))
    return questions, manual


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print the score table of one submission.

    ``python -m course_lib.grading.autograde SUBMISSION.ipynb SOURCE.ipynb [--timeout S]``.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        The exit status: 0 when scored (whatever the score), 2 on a file error or a bad timeout.
    """
    parser = argparse.ArgumentParser(
        prog="python -m course_lib.grading.autograde",
        description="Score one student notebook against its instructor source notebook.",
    )
    parser.add_argument("submission", help="the student's notebook (.ipynb)")
    parser.add_argument("source", help="the instructor notebook with the tests (solutions/...)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per cell (default 60)")
    args = parser.parse_args(argv)
    try:
        score = score_notebook(args.submission, args.source, timeout=args.timeout)
    except (ExerciseFileError, CourseValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(score)
    return 0


if __name__ == "__main__":
    sys.exit(main())
