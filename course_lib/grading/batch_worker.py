"""Grading one notebook of a batch, in a worker process: the record it returns, never raising.

`grade_submission` is what `course_lib.grading.batch` sends to its executor (a process pool or
a Dask cluster): it reads the notebook (`course_lib.grading.intake`), grades it in a sandbox
(`course_lib.grading.grader`) and returns a plain dict, the record kept in the resume state and
written to ``grading-log.json``: status, message, notes, questions, the file's sha256 before
and after grading, timings, the cells, the kernels' exits and the grader's version. Any
unexpected exception becomes status ``grader error`` with its message.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

import course_lib
from course_lib.grading.discover import Submission
from course_lib.grading.grader import grade_prepared, plan
from course_lib.grading.intake import load_submission
from course_lib.grading.results import UNSAFE_NOTE
from course_lib.grading.sandbox import refuse_unless_sandboxed
from course_lib.grading.solutions import read_solution

__all__ = [
    "GradeOptions",
    "code_sha256",
    "grade_submission",
    "grader_info",
    "new_record",
    "sha256_of",
    "source_questions",
]


@dataclass(frozen=True)
class GradeOptions:
    """How each notebook is graded; part of what decides whether a result can be reused."""

    timeout: float = 60.0
    """Seconds one cell may run."""
    notebook_timeout: float | None = 600.0
    """Seconds one notebook may run (None: no limit)."""
    unsafe: bool = False
    """Run student code WITHOUT the sandbox (every output says so)."""


def sha256_of(path: Path) -> str | None:
    """The sha256 (hex) of a file's bytes; None when it cannot be read.

    Examples
    --------
    >>> sha256_of(Path("no such file")) is None
    True
    """
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@functools.cache
def code_sha256() -> str:
    """sha256 of the course library's code: a new grader or new checks grade everything again."""
    digest = hashlib.sha256()
    package = Path(course_lib.__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def grader_info() -> dict:
    """The grader's version: the course library's, Python's and a hash of the library's code."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("il6-course")
    except PackageNotFoundError:
        release = "unknown"
    return {
        "course_lib": release,
        "code_sha256": code_sha256(),
        "python": sys.version.split()[0],
        "host": os.uname().nodename if hasattr(os, "uname") else "",
    }


def new_record(sub: Submission, source: Path | None, options: GradeOptions, key: dict) -> dict:
    """The record of a notebook before grading: who, which exercise, how; nothing graded yet.

    Parameters
    ----------
    sub : Submission
        The notebook.
    source : Path or None
        Its instructor notebook (None: no exercise matched).
    options : GradeOptions
        How it is graded.
    key : dict
        What a result depends on (for resuming); empty when it is not graded.

    Returns
    -------
    dict
        Every field of a record (`course_lib.grading.results`), status "".
    """
    return {
        "file": sub.file,
        "path": str(sub.path),
        "student": sub.student,
        "assignment": sub.exercise or "",
        "layout": sub.layout,
        "matched_by": sub.matched_by,
        "source": None if source is None else str(source),
        "status": "",
        "message": "",
        "notes": [],
        "questions": [],
        "manual_grade_ids": [],
        "points": None,
        "max_points": None,
        "sha256_before": None,
        "sha256_after": None,
        "seconds": 0.0,
        "question_seconds": {},
        "cells": [],
        "kernel_exits": [],
        "unsafe": options.unsafe,
        "options": asdict(options),
        "key": key,
    }


def grade_submission(sub: Submission, source: Path, options: GradeOptions, key: dict) -> dict:
    """Grade one notebook in a sandbox and return its record (never raises).

    Runs in a worker process (or on a Dask worker): the submission and source paths must be
    readable there. The file is only read; its sha256 is taken before and after grading.

    Parameters
    ----------
    sub : Submission
        The notebook, from `course_lib.grading.discover.find_submissions`.
    source : Path
        Its instructor notebook.
    options : GradeOptions
        Time limits and the unsafe flag.
    key : dict
        What the result depends on (stored with it, for resuming).

    Returns
    -------
    dict
        The record (see `course_lib.grading.results`).
    """
    record, started = new_record(sub, source, options, key), time.monotonic()
    try:
        data = sub.path.read_bytes()
        record["sha256_before"] = hashlib.sha256(data).hexdigest()
    except OSError:
        data = b""
    try:
        record["grader"] = grader_info()
        refuse_unless_sandboxed(options.unsafe)
        src = read_solution(Path(source))
        intake = load_submission(sub.path, source)
        shown = intake.message.replace(str(sub.path), sub.file)
        record.update(status=intake.status, message=shown, notes=list(intake.notes))
        record["sha256_before"] = intake.sha256 or record["sha256_before"]
        if intake.ok:
            score, log = grade_prepared(
                intake.notebook,
                src,
                submission=sub.file,
                source_label=str(source),
                sandbox=not options.unsafe,
                cell_timeout=options.timeout,
                notebook_timeout=options.notebook_timeout,
                files={sub.path.name: data},
                student=sub.student,  # from the folder or file name, never from the notebook
            )
            unsafe = [UNSAFE_NOTE] if options.unsafe else []
            record.update(
                status="graded",
                message=f"{sub.file}: {score.points:g} of {score.max_points:g} points",
                notes=[*unsafe, *intake.notes, *score.notes],
                questions=[asdict(q) for q in score.questions],
                manual_grade_ids=list(score.manual_grade_ids),
                points=score.points,
                max_points=score.max_points,
                question_seconds=log["question_seconds"],
                cells=log["cells"],
                kernel_exits=log["kernel_exits"],
            )
    except Exception as exc:  # the batch goes on; the instructor sees what happened
        record.update(
            status="grader error",
            message=f"{type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(limit=8),
        )
    record["sha256_after"] = sha256_of(sub.path)
    record["seconds"] = round(time.monotonic() - started, 3)
    return record


def source_questions(source: Path) -> list[tuple[str, float]]:
    """(grade_id, points) of each test cell of an instructor notebook, in order."""
    nb = read_solution(source)
    return [(gid, points) for gid, points, _, _ in plan(nb, nb).tests]
