"""Grade a whole class: every submitted notebook, in parallel, resumable, with reports.

From a shell (or ``make grade SUBMISSIONS=submitted``)::

    python -m course_lib.grading.batch SUBMISSIONS [--source solutions] [--out grading]
        [--jobs N] [--force] [--timeout S] [--notebook-timeout S] [--unsafe]
        [--dask ADDRESS] [--assignment NAME]

`grade_class` finds the notebooks (`course_lib.grading.discover`: nbgrader's
``<student>/<assignment>/<notebook>.ipynb``, a flat ``<student>.ipynb`` folder, or
``<student>/<anything>.ipynb``), grades each one like `course_lib.grading.autograde` does, in a
sandbox, several at a time (a `concurrent.futures.Executor`: processes by default, or a Dask
cluster), and writes into the output folder:

- ``grades.csv``: one row per notebook, the points of each question, total, maximum, status;
- ``feedback/<student>.html``: each student's questions, points and feedback
  (`course_lib.grading.feedback_pages`);
- ``report.html``: the class report (`course_lib.grading.report`);
- ``grading-log.json``: per notebook the file's sha256 before and after grading, the times,
  the cells, the kernels' exits and the grader's version;
- ``grading-state.jsonl``: what is already graded (`course_lib.grading.results`). An unchanged
  notebook graded with the same source, options and grader is not graded again (``--force``
  does); an interrupted run resumes.

A malformed notebook gets its status (`course_lib.grading.intake`) and the batch goes on; an
unexpected error while grading one becomes status ``grader error``. Submissions are only read.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

from course_lib.errors import CourseValueError
from course_lib.grading.batch_worker import (
    GradeOptions,
    code_sha256,
    grade_submission,
    grader_info,
    new_record,
    sha256_of,
    source_questions,
)
from course_lib.grading.discover import (
    Submission,
    find_sources,
    find_submissions,
    resolve_assignment,
)
from course_lib.grading.feedback_pages import write_feedback_pages
from course_lib.grading.report import write_report
from course_lib.grading.results import ResultStore, write_csv, write_log
from course_lib.grading.sandbox import refuse_unless_sandboxed, require_timeout

__all__ = ["ClassResult", "GradeOptions", "grade_class", "grade_submission", "main"]


@dataclass(frozen=True)
class ClassResult:
    """What `grade_class` did: one record per notebook (sorted by student, file) and counts."""

    records: tuple[dict, ...]
    """One dict per notebook, as in ``grading-log.json``."""
    graded: int
    """Notebooks graded in this run."""
    reused: int
    """Unchanged notebooks whose earlier result was kept."""
    out: Path = field(default=Path("grading"))
    """The output folder."""

    @property
    def statuses(self) -> dict[str, int]:
        """How many notebooks have each status."""
        counts: dict[str, int] = {}
        for record in self.records:
            counts[record["status"]] = counts.get(record["status"], 0) + 1
        return counts


def _unknown(sub: Submission, source_dir: Path, sources: dict, options: GradeOptions) -> dict:
    record = new_record(sub, None, options, {})
    example = next(iter(sources.values())).name
    unread = "" if _readable_json(sub.path) else " (it cannot be read as a notebook either)"
    record.update(
        status="unknown exercise",
        message=(
            f"'{sub.file}' matches no exercise in '{source_dir}': neither its name nor its "
            f"folder names one (such as {example}), and its metadata.course_lib.generated_from "
            f"names none{unread}. Rename it to its exercise's file name, or grade it with "
            "--assignment NAME."
        ),
        sha256_before=sha256_of(sub.path),
    )
    record["sha256_after"] = record["sha256_before"]
    return record


def _readable_json(path: Path) -> bool:
    try:
        json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, ValueError):
        return False
    return True


def _check_folders(submissions: Path, source: Path, out: Path) -> None:
    """Refuse an output folder that would write into the submissions or the sources."""
    sub, src, dst = submissions.resolve(), source.resolve(), out.resolve()
    if dst == sub or sub in dst.parents:
        raise CourseValueError(
            f"the output folder '{out}' is inside the submissions folder '{submissions}'; "
            "submissions are never written to. Choose another --out, e.g. --out grading."
        )
    if dst == src or src in dst.parents:
        raise CourseValueError(
            f"the output folder '{out}' is the source folder '{source}' (or inside it); it "
            "holds the instructor notebooks. Choose another --out, e.g. --out grading."
        )
    feedback = dst / "feedback"
    if sub == feedback or feedback in sub.parents:
        raise CourseValueError(
            f"the submissions folder '{submissions}' is inside '{feedback}', where the "
            "feedback pages are written. Choose another --out."
        )


def _run(tasks: list, executor: Executor | None, jobs: int, done: Callable[[dict], None]):
    """Grade ``tasks`` (argument tuples of `grade_submission`) and pass each record to ``done``."""
    if not tasks:
        return
    if executor is None and jobs == 1:
        for task in tasks:
            done(grade_submission(*task))
        return
    own = None
    if executor is None:
        own = executor = ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=get_context("spawn"))
    futures = {}
    try:
        futures = {executor.submit(grade_submission, *task): task for task in tasks}
        for future in as_completed(futures):
            try:
                record = future.result()
            except Exception as exc:  # the worker died, or the executor broke
                sub, source, options, key = futures[future]
                record = new_record(sub, source, options, key)
                record.update(status="grader error", message=f"{type(exc).__name__}: {exc}")
                record["sha256_before"] = record["sha256_after"] = sha256_of(sub.path)
            done(record)
    finally:
        for future in futures:
            future.cancel()
        if own is not None:
            own.shutdown(wait=True, cancel_futures=True)


def grade_class(
    submissions: str | os.PathLike,
    source: str | os.PathLike = "solutions",
    out: str | os.PathLike = "grading",
    *,
    jobs: int | None = None,
    force: bool = False,
    options: GradeOptions | None = None,
    assignment: str | None = None,
    executor: Executor | None = None,
    progress: bool = True,
) -> ClassResult:
    """Grade every notebook of a class folder and write grades, feedback, report and log.

    Parameters
    ----------
    submissions : str or path-like
        The class folder (read only).
    source : str or path-like
        The folder of instructor notebooks (``solutions``).
    out : str or path-like
        Where the results go; not inside ``submissions`` nor the source folder.
    jobs : int, optional
        Notebooks graded at once (default: the number of cores); 1 grades in this process.
    force : bool
        Grade every notebook again, even when an earlier result could be reused.
    options : GradeOptions, optional
        Time limits and the unsafe flag (default: 60 s per cell, 600 s per notebook, sandbox).
    assignment : str, optional
        The exercise of notebooks that match none by name or metadata (``00_start_here``).
    executor : concurrent.futures.Executor, optional
        Run the grading there (e.g. a Dask client's ``get_executor()``); it is not shut down.
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    ClassResult

    Raises
    ------
    SandboxUnavailable
        bubblewrap cannot run here and ``options.unsafe`` is False.
    ExerciseFileError, CourseValueError, UnknownNameError
        A missing folder, an output folder inside the submissions, an unknown assignment.
    """
    options = options or GradeOptions()
    require_timeout("timeout", options.timeout)
    if options.notebook_timeout is not None:
        require_timeout("notebook_timeout", options.notebook_timeout)
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if not isinstance(jobs, int) or jobs < 1:
        raise CourseValueError(f"jobs must be a whole number of at least 1; got {jobs!r}.")
    root, source_dir, out_dir = Path(submissions), Path(source), Path(out)
    if not root.is_dir():
        find_submissions(root, {})  # raises the error that says what is expected
    _check_folders(root, source_dir, out_dir)
    refuse_unless_sandboxed(options.unsafe)
    sources = find_sources(source_dir)
    questions = {stem: source_questions(path) for stem, path in sources.items()}
    wanted = resolve_assignment(assignment, sources) if assignment else None
    found = find_submissions(root, sources, wanted)
    store, fingerprint = ResultStore(out_dir), code_sha256()
    source_sha = {stem: sha256_of(path) for stem, path in sources.items()}
    records: dict[str, dict] = {}
    tasks = []
    for sub in found:
        if sub.exercise is None:
            records[sub.file] = _unknown(sub, source_dir, sources, options)
            continue
        key = {
            "sha256": sha256_of(sub.path),
            "source": sub.exercise,
            "source_sha256": source_sha[sub.exercise],
            "options": asdict(options),
            "code_sha256": fingerprint,
        }
        kept = None if force else store.reusable(sub.file, key)
        if kept is not None:
            records[sub.file] = {**kept, "path": str(sub.path)}  # the folder may have moved
        else:
            tasks.append((sub, sources[sub.exercise], options, key))
    started = time.monotonic()
    bar = _progress_bar(len(tasks), progress)

    def done(record: dict) -> None:
        store.add(record)
        records[record["file"]] = record
        bar(record)

    _run(tasks, executor, jobs, done)
    ordered = [records[sub.file] for sub in found]
    used = {r["assignment"]: questions[r["assignment"]] for r in ordered if r["assignment"]}
    run = {
        "submissions_folder": str(root.resolve()),
        "source_folder": str(source_dir.resolve()),
        "unsafe": options.unsafe,
        "options": asdict(options),
        "jobs": jobs if executor is None else type(executor).__name__,
        "graded_this_run": len(tasks),
        "reused": len(found) - len(tasks) - sum(s.exercise is None for s in found),
        "seconds": round(time.monotonic() - started, 3),
        "finished": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "grader": grader_info(),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out_dir / "grades.csv", ordered, used)
    write_feedback_pages(out_dir / "feedback", ordered)
    write_log(out_dir / "grading-log.json", ordered, run)
    write_report(out_dir / "report.html", ordered, used, run)
    store.compact(ordered)
    return ClassResult(tuple(ordered), len(tasks), run["reused"], out_dir)


def _progress_bar(total: int, show: bool) -> Callable[[dict], None]:
    """A callable that advances a progress bar on stderr by one notebook (tqdm when present)."""
    if not show or total == 0:
        return lambda record: None
    try:
        from tqdm import tqdm
    except ImportError:  # a plain line per notebook instead
        count = [0]

        def line(record: dict) -> None:
            count[0] += 1
            print(f"graded {count[0]}/{total}: {record['status']}", file=sys.stderr, flush=True)

        return line
    bar = tqdm(total=total, desc="grading", unit="notebook", file=sys.stderr)

    def step(record: dict) -> None:
        bar.update(1)
        if bar.n >= total:
            bar.close()

    return step


def main(argv: list[str] | None = None) -> int:
    """Command line; see `course_lib.grading.batch_cli`."""
    from course_lib.grading.batch_cli import main as cli

    return cli(argv)


if __name__ == "__main__":
    sys.exit(main())
