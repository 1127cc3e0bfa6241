"""The command line of batch grading: ``python -m course_lib.grading.batch SUBMISSIONS ...``.

Exit status: 0 when every notebook has a result (whatever its grade or status: a malformed file
is a row, not a failure), 1 when some notebook met a ``grader error`` (the outputs are written
all the same), 2 when nothing was graded: a missing folder or one without notebooks, an output
folder inside the submissions or equal to the sources, an unknown ``--assignment``, no sandbox
without ``--unsafe``, a Dask address without Dask installed, or bad options; 130 when
interrupted (Ctrl-C: what was graded is kept, and the next run resumes).
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack

from course_lib.errors import CourseLibError
from course_lib.grading.batch import GradeOptions, grade_class
from course_lib.grading.results import status_text

__all__ = ["dask_executor", "main", "parser"]


def parser() -> argparse.ArgumentParser:
    """The argument parser of the batch command."""
    cores = os.cpu_count() or 1
    p = argparse.ArgumentParser(
        prog="python -m course_lib.grading.batch",
        description="Grade a class's notebooks: grades.csv, a feedback page per student, a "
        "class report and a grading log in --out. Submissions are only read.",
    )
    p.add_argument(
        "submissions",
        help="the class folder: <student>/<assignment>/<notebook>.ipynb (nbgrader), "
        "<student>.ipynb, or <student>/<notebook>.ipynb",
    )
    p.add_argument("--source", default="solutions", help="instructor notebooks (solutions)")
    p.add_argument("--out", default="grading", help="output folder (grading)")
    p.add_argument(
        "--jobs", type=int, default=cores, help=f"notebooks graded at once ({cores} here)"
    )
    p.add_argument("--force", action="store_true", help="grade again what is already graded")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per cell (60)")
    p.add_argument(
        "--notebook-timeout", type=float, default=600.0, help="seconds per notebook (600)"
    )
    p.add_argument(
        "--unsafe",
        action="store_true",
        help="run student code WITHOUT the sandbox (only where bubblewrap cannot run); "
        "every output says so",
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="grade on a Dask cluster (e.g. tcp://scheduler:8786); needs the 'dask' extra",
    )
    p.add_argument(
        "--assignment",
        metavar="NAME",
        help="the exercise of notebooks that match none by file name or metadata, e.g. "
        "00_start_here",
    )
    return p


def dask_executor(address: str, stack: ExitStack):
    """A `concurrent.futures.Executor` on the Dask cluster at ``address``.

    The client is closed when ``stack`` closes.

    Raises
    ------
    CourseLibError
        The ``distributed`` package is not installed, or the scheduler cannot be reached.
    """
    try:
        from distributed import Client
    except ImportError:
        raise CourseLibError(
            "--dask needs the 'distributed' package, which is not installed; install the "
            "course's dask extra: pip install -e '.[dask]'"
        ) from None
    try:
        client = stack.enter_context(Client(address, timeout=30))
    except (OSError, TimeoutError) as exc:
        raise CourseLibError(
            f"cannot reach the Dask scheduler at {address!r} ({exc}); check the address "
            "(e.g. tcp://host:8786) and that the scheduler is running."
        ) from None
    return client.get_executor()


def main(argv: list[str] | None = None) -> int:
    """Run the batch; see the module docstring for the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        0, 1, 2 or 130 (module docstring).
    """
    args = parser().parse_args(argv)
    options = GradeOptions(args.timeout, args.notebook_timeout, args.unsafe)
    if args.unsafe:
        print(
            "WARNING: --unsafe: student code runs WITHOUT a sandbox, with your files and "
            "network; every output says so.",
            file=sys.stderr,
        )
    try:
        with ExitStack() as stack:
            executor = dask_executor(args.dask, stack) if args.dask else None
            result = grade_class(
                args.submissions,
                args.source,
                args.out,
                jobs=args.jobs,
                force=args.force,
                options=options,
                assignment=args.assignment,
                executor=executor,
            )
    except (CourseLibError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            f"\ninterrupted: the notebooks graded so far are kept in {args.out}/; run the same "
            "command again to grade the rest.",
            file=sys.stderr,
        )
        return 130
    if not result.records:
        print(
            f"error: no notebook (.ipynb) found in '{args.submissions}'; expected "
            "<student>/<assignment>/<notebook>.ipynb, <student>.ipynb or "
            "<student>/<notebook>.ipynb. Check the folder.",
            file=sys.stderr,
        )
        return 2
    counts = {}
    for record in result.records:
        counts[status_text(record)] = counts.get(status_text(record), 0) + 1
    shown = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no notebooks"
    print(
        f"{len(result.records)} notebook(s): {shown}; graded now {result.graded}, kept "
        f"{result.reused} unchanged. Results in {result.out}/ (report.html, grades.csv, "
        "feedback/, grading-log.json)."
    )
    return 1 if counts.get("grader error") else 0
