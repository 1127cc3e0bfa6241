"""Score one student notebook against its instructor source (the core of batch grading).

`score_notebook` reads the submission (never writing it; `course_lib.grading.intake` says what
is wrong with a file that is not a usable notebook), puts back every test cell and locked cell
from the source notebook (`course_lib.grading.restore`: hidden tests return; a test cell the
student edited or deleted is restored at its place), runs the student's cells in a
sandboxed kernel and runs the source's tests in the grader's own process on the answers,
fetched as plain data (`course_lib.grading.grader`). A test cell scores full points when it
raises nothing, 0 otherwise. A cell that runs too long or kills the kernel costs only the
question it answers.

Markdown answers and other cells marked ``solution: true, grade: true`` are graded by hand; they
are listed in `NotebookScore.manual_grade_ids` and do not count in the totals.

Exercise items with per-student numbers (`course_lib.grading.variants`) are checked against
the numbers of ``student``, the id the grader is told, never the one the notebook states.

From a shell: ``python -m course_lib.grading.autograde SUBMISSION.ipynb SOURCE.ipynb
[--student ID] [--timeout S] [--unsafe]``.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from course_lib.errors import CourseTypeError, CourseValueError, ExerciseFileError
from course_lib.grading.grader import grade_prepared
from course_lib.grading.intake import load_submission
from course_lib.grading.sandbox import SandboxUnavailable, refuse_unless_sandboxed
from course_lib.grading.scores import NotebookScore, QuestionScore
from course_lib.grading.solutions import read_solution
from course_lib.grading.variants import normalise_id

__all__ = ["NotebookScore", "QuestionScore", "SandboxUnavailable", "main", "score_notebook"]


def score_notebook(
    submission_path: str | Path,
    source_path: str | Path,
    *,
    timeout: float = 60,
    notebook_timeout: float | None = None,
    unsafe: bool = False,
    student: str | None = None,
) -> NotebookScore:
    """Grade a submission in a sandbox and score each test cell of its source.

    The student's cells run in a sandboxed kernel; the source's tests (hidden ones included)
    run in this process on the answers fetched as plain data (`course_lib.grading.grader`).

    Parameters
    ----------
    submission_path : str or Path
        The student's notebook; it is read, never written.
    source_path : str or Path
        The instructor notebook (``solutions/NN_*.ipynb``) with the visible and hidden tests.
    timeout : float
        Seconds each cell may run; a cell that runs longer is stopped and costs only the
        question it answers.
    notebook_timeout : float, optional
        Seconds the whole notebook may run (default: no limit beyond ``timeout`` per cell).
    unsafe : bool
        Run the student's code WITHOUT the sandbox. Only for machines where bubblewrap cannot
        run (macOS); the score's notes say so.
    student : str, optional
        The student whose notebook this is (as the batch takes it from the folder or file
        name). Varied items are checked against this student's numbers; None: the default
        numbers. A different id stated in the notebook is noted, never used.

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
    SandboxUnavailable
        bubblewrap cannot run here and ``unsafe`` was not given.

    Examples
    --------
    >>> score_notebook("missing.ipynb", "solutions/00_start_here_exercises.ipynb")
    Traceback (most recent call last):
    ...
    course_lib.errors.ExerciseFileError: submission notebook 'missing.ipynb' does not exist; expected the path of an .ipynb file. Check the spelling and the folder.
    >>> score_notebook("a.ipynb", "b.ipynb", timeout=0)
    Traceback (most recent call last):
    ...
    course_lib.errors.CourseValueError: timeout must be a positive number of seconds; got 0. Give the time one cell may take, e.g. timeout=60.
    """
    _check_timeout(timeout)
    if notebook_timeout is not None:
        _check_timeout(notebook_timeout, "notebook_timeout")
    student = normalise_id(student)  # a malformed id is an error before anything runs
    submission, source = Path(submission_path), Path(source_path)
    if not submission.is_file():
        raise ExerciseFileError(
            f"submission notebook '{submission}' does not exist; expected the path of an .ipynb "
            "file. Check the spelling and the folder."
        )
    src = read_solution(source)  # the instructor's notebook: errors here are the course's
    intake = load_submission(submission, source)
    if not intake.ok:
        raise ExerciseFileError(f"cannot grade '{submission}' ({intake.status}): {intake.message}")
    refuse_unless_sandboxed(unsafe)
    notes, prepared = list(intake.notes), intake.notebook
    score, _ = grade_prepared(
        prepared,
        src,
        submission=str(submission),
        source_label=str(source),
        sandbox=not unsafe,
        cell_timeout=float(timeout),
        notebook_timeout=notebook_timeout,
        files={submission.name: submission.read_bytes()},
        student=student,
    )
    unsafe_note = ["UNSAFE: graded without a sandbox (unsafe=True)"] if unsafe else []
    return replace(score, notes=(*unsafe_note, *notes, *score.notes))


def _check_timeout(timeout: object, name: str = "timeout") -> None:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise CourseTypeError(
            f"{name} must be a number of seconds; got {timeout!r}. Pass e.g. {name}=60."
        )
    if not (math.isfinite(timeout) and timeout > 0):
        raise CourseValueError(
            f"{name} must be a positive number of seconds; got {timeout!r}. Give the time one "
            f"cell may take, e.g. {name}=60."
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print the score table of one submission.

    ``python -m course_lib.grading.autograde SUBMISSION.ipynb SOURCE.ipynb [--student ID]
    [--timeout S] [--unsafe]``.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        The exit status: 0 when scored (whatever the score), 2 on a file error, a bad timeout
        or no sandbox.
    """
    parser = argparse.ArgumentParser(
        prog="python -m course_lib.grading.autograde",
        description="Score one student notebook against its instructor source notebook.",
    )
    parser.add_argument("submission", help="the student's notebook (.ipynb)")
    parser.add_argument("source", help="the instructor notebook with the tests (solutions/...)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per cell (default 60)")
    parser.add_argument(
        "--student",
        default=None,
        help="the student's id: varied numbers are checked for it (default: no id)",
    )
    parser.add_argument(
        "--unsafe",
        action="store_true",
        help="run the student's code WITHOUT a sandbox (only where bubblewrap cannot run)",
    )
    args = parser.parse_args(argv)
    try:
        score = score_notebook(
            args.submission,
            args.source,
            timeout=args.timeout,
            unsafe=args.unsafe,
            student=args.student,
        )
    except (ExerciseFileError, CourseValueError, SandboxUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(score)
    return 0


if __name__ == "__main__":
    sys.exit(main())
