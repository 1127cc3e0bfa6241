"""A submission of exercise 00 for the intake tests (tests/test_intake.py,
tests/test_intake_refused.py): written as given, loaded with the checks every test makes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat

from course_lib.grading.intake import STATUSES, Intake, load_submission

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "solutions" / "00_start_here_exercises.ipynb"
EXERCISE = ROOT / "exercises" / "00_start_here_exercises.ipynb"
OTHER = ROOT / "exercises" / "02_binding_and_buffer_exercises.ipynb"
REDO = "Open the notebook in JupyterLab, check that your answers are there, save it and submit "
TESTS = ["ex00-setup", "ex00-q1-check", "ex00-q2-check", "ex00-q3-check", "ex00-q4-check"]
ANSWERS = ["ex00-q1", "ex00-q2", "ex00-q3", "ex00-q4"]


def exercise() -> dict:
    """The handed-out notebook as plain JSON."""
    return json.loads(EXERCISE.read_text(encoding="utf-8"))


def put(folder: Path, content, name: str = "00_start_here_exercises.ipynb") -> Path:
    """Write a submission: bytes as they are, str as UTF-8, anything else as JSON."""
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, indent=1), encoding="utf-8")
    return path


def load(path: Path) -> Intake:
    """load_submission, checking that the file is unchanged and the status is documented."""
    before = path.read_bytes() if path.is_file() else None
    result = load_submission(path, SOURCE)
    assert result.status in STATUSES
    if before is not None:
        assert path.read_bytes() == before
    if before is not None and result.status != "too large":  # a file too large is not read
        assert result.sha256 == hashlib.sha256(before).hexdigest()
    return result


def refused(result: Intake, status: str, *phrases: str) -> None:
    assert (result.status, result.ok, result.notebook) == (status, False, None)
    for phrase in phrases:
        assert phrase in result.message


def grade_ids(nb) -> list[str]:
    return [c.metadata.get("nbgrader", {}).get("grade_id", "-") for c in nb.cells]


SKELETON = grade_ids(nbformat.read(SOURCE, as_version=4))
