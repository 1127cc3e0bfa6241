"""Student notebooks generated from instructor notebooks: ``solutions/`` -> ``exercises/``.

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

This module is the command line and the one place to import from; the work is done in
`course_lib.grading.nbgrader_cells` (one cell), `course_lib.grading.solutions` (one notebook)
and `course_lib.grading.exercise_files` (the exercises folder).

>>> write_exercises("no_such_folder", "exercises")
Traceback (most recent call last):
...
course_lib.errors.ExerciseFileError: solutions folder 'no_such_folder' does not exist or is not a folder; expected a folder of instructor notebooks named NN_*.ipynb. Check the path (from the repository root: python -m course_lib.grading.assign solutions exercises).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from course_lib.errors import ExerciseFileError
from course_lib.grading.exercise_files import (
    AssignReport,
    FileOutcome,
    check_exercises,
    write_exercises,
)
from course_lib.grading.solutions import generate_exercise, notebook_checksum

__all__ = [
    "AssignReport",
    "FileOutcome",
    "check_exercises",
    "generate_exercise",
    "main",
    "notebook_checksum",
    "write_exercises",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write (or, with ``--check``, compare) the exercises of a solutions folder.

    ``python -m course_lib.grading.assign SOLUTIONS_DIR EXERCISES_DIR [--force | --check]``
    prints the report.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        The exit status: 0 when all is written (or in sync), 1 when a file was refused (or, with
        ``--check``, an exercise is stale, missing or orphaned), 2 when a solution is malformed.
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
