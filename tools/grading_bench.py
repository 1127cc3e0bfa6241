"""A generated class for exercise 00, and the batch-grading benchmark `make bench ONLY=grading`.

`build_class` writes N submissions of ``exercises/00_start_here_exercises.ipynb`` in nbgrader's
layout (``<student>/00_start_here_exercises/00_start_here_exercises.ipynb``) with a realistic
mix: fully solved, half solved, wrong answers (each a misconception the checks recognise),
untouched, a few malformed files (empty, cut-short JSON, an R notebook, another exercise) and
one endless loop.

`bench_grading` grades such a class of 100 with ``--jobs 2`` into a temporary folder and
returns the total, the per-notebook and the per-question times from ``grading-log.json``.
tools/bench.py prints them next to the target (the whole class under 3 minutes on 2 cores).

    python tools/grading_bench.py CLASS_FOLDER [N]     # write a class to try `make grade` on
"""

from __future__ import annotations

import functools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXERCISE = "00_start_here_exercises"
#: The whole class of 100 must be graded within this (ms), on 2 cores with --jobs 2.
TARGET_MS = 180_000.0
#: Seconds one cell may run in the benchmark: the endless loop costs this once.
CELL_TIMEOUT = 10.0

ANSWERS = {  # grade_id -> (right, wrong) answer cell sources
    "ex00-q1": ("il6_pM = 5.19e-12 / 1e-3 / 21e3 / 1e-12", "il6_pM = 5.19 / 26.0"),
    "ex00-q2": (
        "def pg_per_ml_to_pM(conc, molar_mass_kDa):\n    return conc / molar_mass_kDa",
        "def pg_per_ml_to_pM(conc, molar_mass_kDa):\n    return conc * molar_mass_kDa",
    ),
    "ex00-q3": ('answer_03 = "b"', 'answer_03 = "c"'),
    "ex00-q4": ('answer_04 = "b"', 'answer_04 = "a"'),
}
ENDLESS = "while True:\n    pass"


def _notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _answered(exercise: dict, answers: dict[str, str]) -> str:
    nb = json.loads(json.dumps(exercise))
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    return json.dumps(nb, indent=1, ensure_ascii=False)


def _kinds(n: int) -> list[str]:
    """The mix of a class of ``n``: 40% solved, 25% half, 15% wrong, the rest untouched, then
    four malformed files and one endless loop (for n >= 10)."""
    special = ["empty", "cut short", "R kernel", "other exercise", "endless loop"] * (n >= 10)
    rest = n - len(special)
    solved, half, wrong = round(0.4 * rest), round(0.25 * rest), round(0.15 * rest)
    untouched = rest - solved - half - wrong
    return (
        ["solved"] * solved + ["half"] * half + ["wrong"] * wrong + ["untouched"] * untouched
    ) + special


def submission_text(kind: str, root: Path = ROOT) -> str:
    """The notebook text a student of ``kind`` hands in (see `_kinds` for the kinds)."""
    exercise = _notebook(root / "exercises" / f"{EXERCISE}.ipynb")
    right = {gid: pair[0] for gid, pair in ANSWERS.items()}
    wrong = {gid: pair[1] for gid, pair in ANSWERS.items()}
    if kind == "solved":
        return _answered(exercise, right)
    if kind == "half":
        return _answered(exercise, {"ex00-q1": right["ex00-q1"], "ex00-q3": right["ex00-q3"]})
    if kind == "wrong":
        return _answered(exercise, wrong)
    if kind == "endless loop":
        return _answered(exercise, {**right, "ex00-q3": ENDLESS})
    if kind == "empty":
        return ""
    if kind == "cut short":
        return _answered(exercise, right)[:500]
    if kind == "R kernel":
        nb = json.loads(_answered(exercise, right))
        nb["metadata"]["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
        return json.dumps(nb)
    if kind == "other exercise":
        return (root / "exercises" / "01_two_pathways_exercises.ipynb").read_text(encoding="utf-8")
    return json.dumps(exercise)  # untouched


def build_class(folder: Path, n: int = 100) -> dict[str, str]:
    """Write ``n`` submissions of exercise 00 in nbgrader's layout; return student -> kind."""
    kinds = {}
    for i, kind in enumerate(_kinds(n)):
        student = f"student{i + 1:03d}"
        path = folder / student / EXERCISE / f"{EXERCISE}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(submission_text(kind), encoding="utf-8")
        kinds[student] = kind
    return kinds


def bench_grading(n: int = 100, jobs: int = 2) -> dict:
    """Grade a generated class of ``n`` with ``jobs`` workers; times in ms.

    Returns
    -------
    dict
        ``total`` (one value: the whole batch, discovery to report), ``notebook`` (each graded
        notebook's time in its worker), ``question`` (each question's time), ``by_question``
        (the same by grade_id) and ``statuses`` (how many notebooks have each status).
    """
    from course_lib.grading.batch import GradeOptions, grade_class
    from course_lib.grading.sandbox import refuse_unless_sandboxed

    refuse_unless_sandboxed(False)
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        build_class(Path(tmp, "submitted"), n)
        start = time.perf_counter()
        result = grade_class(
            Path(tmp, "submitted"),
            ROOT / "solutions",
            Path(tmp, "grading"),
            jobs=jobs,
            options=GradeOptions(timeout=CELL_TIMEOUT),
            progress=False,
        )
        total = (time.perf_counter() - start) * 1e3
    graded = [r for r in result.records if r["status"] == "graded"]
    by_question: dict[str, list[float]] = {}
    for record in graded:
        for gid, seconds in record["question_seconds"].items():
            by_question.setdefault(gid, []).append(seconds * 1e3)
    return {
        "total": [total],
        "notebook": [r["seconds"] * 1e3 for r in graded],
        "question": [t for times in by_question.values() for t in times],
        "by_question": by_question,
        "statuses": result.statuses,
    }


@functools.cache
def _measured() -> dict:
    result = bench_grading()
    medians = ", ".join(
        f"{gid} {statistics.median(times):.0f} ms" for gid, times in result["by_question"].items()
    )
    print(f"  (grading: statuses {result['statuses']}; median per question: {medians};", flush=True)
    print("   the first question of a notebook includes starting its sandboxed kernel)", flush=True)
    return result


def grading_total() -> list[float]:
    """The whole batch of 100, in ms (one value)."""
    return _measured()["total"]


def grading_notebook() -> list[float]:
    """Each graded notebook's time in its worker, in ms."""
    return _measured()["notebook"]


def grading_question() -> list[float]:
    """Each question's time (run its cells, fetch the answers, check), in ms."""
    return _measured()["question"]


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    made = build_class(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) == 3 else 100)
    print(f"{len(made)} submissions in {sys.argv[1]}: {statistics.mode(made.values())} most")
