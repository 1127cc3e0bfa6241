"""The records of a graded class: the resume state, ``grades.csv`` and ``grading-log.json``.

A record is a plain dict (JSON) per submitted notebook, made by `course_lib.grading.batch`:
who sent it (``student``, ``file``), which exercise it is (``assignment``), its ``status``
(``graded``, an intake status such as ``unreadable``, ``unknown exercise`` or ``grader error``)
with a ``message``, the ``questions`` (one dict per `QuestionScore`), the ``notes``, the hashes
of the file before and after grading, timings and the kernels' exits.

`ResultStore` keeps the records of finished submissions in ``grading-state.jsonl`` (one line
each, appended as soon as a submission is done), so an interrupted batch resumes where it
stopped. Everything else in the output folder is rebuilt from the records on every run.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "RETRIED",
    "STATE_FILE",
    "UNSAFE_NOTE",
    "ResultStore",
    "csv_rows",
    "status_text",
    "write_csv",
    "write_log",
    "write_text",
]

RETRIED = frozenset({"grader error"})
"""Statuses that are never reused: such a submission is graded again on the next run."""

STATE_FILE = "grading-state.jsonl"
"""The resume state's file name in the output folder."""

UNSAFE_NOTE = "UNSAFE: graded without a sandbox (--unsafe)"
"""The note on every notebook graded with ``unsafe=True``."""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8", newline="")
    os.replace(partial, path)


class ResultStore:
    """The finished submissions of earlier runs, one JSON line each, keyed by ``file``.

    Examples
    --------
    >>> import tempfile
    >>> store = ResultStore(Path(tempfile.mkdtemp()))
    >>> store.add({"file": "a.ipynb", "status": "graded"})
    >>> ResultStore(store.folder).records["a.ipynb"]["status"]
    'graded'
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / STATE_FILE
        self.records: dict[str, dict] = {}
        with contextlib.suppress(FileNotFoundError):
            for line in self.path.read_text(encoding="utf-8").splitlines():
                with contextlib.suppress(ValueError):  # a line cut short by an interruption
                    record = json.loads(line)
                    if isinstance(record, dict) and isinstance(record.get("file"), str):
                        self.records[record["file"]] = record

    def reusable(self, file: str, key: dict) -> dict | None:
        """The stored record of ``file`` when it was graded with the same ``key``, else None."""
        record = self.records.get(file)
        if record is None or record.get("key") != key or record.get("status") in RETRIED:
            return None
        if record.get("sha256_before") != record.get("sha256_after"):
            return None  # the file changed while it was graded: grade it again
        return record

    def add(self, record: dict) -> None:
        """Keep ``record`` and append it to the state file at once (flushed to disk)."""
        self.records[record["file"]] = record
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def compact(self, records: Iterable[dict]) -> None:
        """Rewrite the state file with ``records`` only (the current submissions)."""
        lines = [json.dumps(r, ensure_ascii=False) for r in records if r.get("key")]
        write_text(self.path, "".join(line + "\n" for line in lines))


def status_text(record: dict) -> str:
    """The status as the CSV shows it; a submission graded without a sandbox says so.

    Examples
    --------
    >>> status_text({"status": "graded", "unsafe": True})
    'graded UNSAFE (no sandbox)'
    """
    status = record["status"]
    return (
        f"{status} UNSAFE (no sandbox)" if record.get("unsafe") and status == "graded" else status
    )


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (a student chose the name)."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_rows(records: list[dict], questions: dict[str, list[tuple[str, float]]]) -> list[list]:
    """The rows of ``grades.csv``, header first.

    Columns: student, assignment, the points of each question (one column per grade_id, the
    assignments in name order), total, maximum, status, file. A submission that was not graded
    leaves its points and total empty.
    """
    gids = [gid for exercise in sorted(questions) for gid, _ in questions[exercise]]
    rows = [["student", "assignment", *gids, "total", "maximum", "status", "file"]]
    for record in records:
        points = {q["grade_id"]: q["points"] for q in record.get("questions") or []}
        graded = record["status"] == "graded"
        maximum = sum(p for _, p in questions.get(record.get("assignment") or "", []))
        rows.append(
            [
                _cell(record["student"]),
                record.get("assignment") or "",
                *(_number(points.get(gid)) if graded else "" for gid in gids),
                _number(record.get("points")) if graded else "",
                _number(maximum) if record.get("assignment") in questions else "",
                status_text(record),
                _cell(record["file"]),
            ]
        )
    return rows


def write_csv(
    path: Path, records: list[dict], questions: dict[str, list[tuple[str, float]]]
) -> None:
    """Write `csv_rows` to ``path`` (UTF-8, comma-separated, quoted where needed)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(csv_rows(records, questions))
    write_text(path, buffer.getvalue())


def write_log(path: Path, records: list[dict], run: dict) -> None:
    """Write ``grading-log.json``: this run's facts (``run``) and every submission's record."""
    counts: dict[str, int] = {}
    for record in records:
        counts[record["status"]] = counts.get(record["status"], 0) + 1
    log = {**run, "counts": dict(sorted(counts.items())), "submissions": records}
    write_text(path, json.dumps(log, indent=1, ensure_ascii=False) + "\n")
