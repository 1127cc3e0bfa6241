"""The class report: what an instructor reads before the next class.

``report.html`` is one self-contained page (no scripts, no external files: it works offline)
with, for each assignment, the distribution of the total points, and for each question the
distribution of its points, the pass rate, and the mistakes the checks recognised
(`QuestionScore.diagnosis`), counted per student and sorted by frequency, phrased like
``ex02-q1-check: factor-1,000 unit slip (too large): 11 of 40``. It also counts the notebooks of
each status and lists those that could not be graded, with the reason.

Charts are hand-written SVG (the grading layer does not import matplotlib): each has a
``<title>`` and a ``<desc>``, every bar carries its number as text (colour is never the only
cue), and a table with the same numbers follows it.

>>> mistakes([{"status": "graded", "student": "a", "assignment": "ex",
...            "questions": [{"grade_id": "q1", "diagnosis": "no answer"}]}])
[('q1', 'no answer', 1, 1)]
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from course_lib.grading.feedback_pages import page, page_name
from course_lib.grading.intake import STATUSES
from course_lib.grading.results import status_text, write_text
from course_lib.grading.svg_chart import bar_chart

__all__ = ["STATUS_MEANING", "class_report", "mistakes", "write_report"]

STATUS_MEANING = {
    "graded": "graded: the points are in grades.csv",
    **{k: v for k, v in STATUSES.items() if k != "ok"},
    "unknown exercise": "matches no source notebook by file name, folder or metadata",
    "grader error": "the grader failed on it (see grading-log.json); it is tried again next run",
}
"""What each status means, as the report explains it."""

_FULL, _NONE, _PART, _TOTAL = "#009E73", "#D55E00", "#E69F00", "#0072B2"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _graded(records: list[dict], exercise: str) -> list[dict]:
    return [r for r in records if r["status"] == "graded" and r["assignment"] == exercise]


def mistakes(records: list[dict], exercise: str | None = None) -> list[tuple[str, str, int, int]]:
    """(grade_id, diagnosis, students who made it, students graded), most frequent first.

    A student counts once per question and mistake, however many notebooks they sent; only
    graded notebooks count, and only failures with a diagnosis.
    """
    graded = [r for r in records if r["status"] == "graded"]
    if exercise is not None:
        graded = [r for r in graded if r["assignment"] == exercise]
    who: dict[tuple[str, str], set[str]] = {}
    for record in graded:
        for q in record["questions"]:
            if q.get("diagnosis") and not q.get("passed"):
                who.setdefault((q["grade_id"], q["diagnosis"]), set()).add(record["student"])
    totals: dict[str, int] = {}
    for exercise_name in {r["assignment"] for r in graded}:
        totals[exercise_name] = len({r["student"] for r in _graded(graded, exercise_name)})
    exercise_of = {q["grade_id"]: r["assignment"] for r in graded for q in r["questions"]}
    found = [(gid, label, len(s), totals[exercise_of[gid]]) for (gid, label), s in who.items()]
    return sorted(found, key=lambda m: (-m[2], m[0], m[1]))


def _points(value: float) -> str:
    return f"{value:g} point{'s' * (value != 1)}"


def _phrase(m: tuple[str, str, int, int]) -> str:
    return f"{m[0]}: {m[1]}: {m[2]} of {m[3]}"


def _table(caption: str, head: list[str], rows: list[list[str]], numeric=()) -> str:
    """A table; cells are HTML already; columns in ``numeric`` are right-aligned."""
    cls = [' class="num"' if i in numeric else "" for i in range(len(head))]
    th = "".join(f'<th scope="col"{c}>{h}</th>' for h, c in zip(head, cls, strict=True))
    body = "".join(
        "<tr>" + "".join(f"<td{c}>{v}</td>" for v, c in zip(row, cls, strict=True)) + "</tr>"
        for row in rows
    )
    return f"<table><caption>{caption}</caption><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _share(n: int, total: int) -> str:
    return f"{n} of {total} ({100 * n / total:.0f}%)" if total else "0"


def _question_section(exercise: str, gid: str, maximum: float, graded: list[dict]) -> str:
    points = [q["points"] for r in graded for q in r["questions"] if q["grade_id"] == gid]
    counts = Counter(points)
    values = sorted({0.0, float(maximum), *counts})
    n = len(points)
    bars = [
        (
            f"{v:g} of {_points(maximum)}",
            counts.get(v, 0),
            _FULL if v == maximum else (_NONE if v == 0 else _PART),
        )
        for v in values
    ]
    passed = sum(q["passed"] for r in graded for q in r["questions"] if q["grade_id"] == gid)
    chart = bar_chart(
        f"{gid}: points per notebook",
        f"How many of the {n} graded notebooks of {exercise} scored each number of points on "
        f"question {gid}: " + "; ".join(f"{label}: {c}" for label, c, _ in bars) + ".",
        bars,
        unit="notebook",
    )
    table = _table(
        f"{_e(gid)}: notebooks by points",
        ["Points", "Notebooks"],
        [[_e(label), _share(c, n)] for label, c, _ in bars],
        numeric={1},
    )
    found = [m for m in mistakes(graded) if m[0] == gid]
    failed_unlabelled = sum(
        1
        for r in graded
        for q in r["questions"]
        if q["grade_id"] == gid and not q["passed"] and not q.get("diagnosis")
    )
    items = [f"<li>{_e(_phrase(m))}</li>" for m in found]
    if failed_unlabelled:
        items.append(f"<li>failed without a recognised mistake: {failed_unlabelled} of {n}</li>")
    listed = f"<ul>{''.join(items)}</ul>" if items else "<p>No failures.</p>"
    return (
        f'<section><h4 id="{_e(quote(gid))}">{_e(gid)}</h4>'
        f'<p>Passed: {_share(passed, n)}.</p><div class="figure">{chart}{table}</div>'
        f"<p>Mistakes:</p>{listed}</section>"
    )


def _exercise_section(exercise: str, questions: list[tuple[str, float]], records: list) -> str:
    graded = _graded(records, exercise)
    sent = [r for r in records if r["assignment"] == exercise]
    maximum = sum(p for _, p in questions)
    parts = [f'<section><h2 id="{_e(quote(exercise))}">{_e(exercise)}</h2>']
    parts.append(
        f"<p>{len(graded)} of {len(sent)} notebook(s) graded, from "
        f"{len({r['student'] for r in graded})} student(s); {maximum:g} points available.</p>"
    )
    if not graded:
        return "\n".join([*parts, "<p>No notebook of this assignment could be graded.</p>"])
    totals = Counter(r["points"] for r in graded)
    steps = range(int(maximum) + 1) if float(maximum).is_integer() and maximum <= 40 else []
    values = sorted({*map(float, steps), *totals})
    bars = [(_points(v), totals.get(v, 0), _TOTAL) for v in values]
    mean = sum(r["points"] for r in graded) / len(graded)
    parts.append(f"<p>Mean total: {mean:.3g} of {maximum:g} points.</p>")
    chart = bar_chart(
        f"{exercise}: total points",
        f"How many of the {len(graded)} graded notebooks of {exercise} reached each total: "
        + "; ".join(f"{label}: {c}" for label, c, _ in bars)
        + ".",
        bars,
        unit="notebook",
    )
    table = _table(
        f"{_e(exercise)}: notebooks by total",
        ["Total", "Notebooks"],
        [[_e(label), _share(c, len(graded))] for label, c, _ in bars],
        numeric={1},
    )
    parts.append(f'<div class="figure">{chart}{table}</div>')
    rows = []
    for gid, points in questions:
        passed = sum(q["passed"] for r in graded for q in r["questions"] if q["grade_id"] == gid)
        top = [m for m in mistakes(graded) if m[0] == gid][:2]
        rows.append(
            [
                f'<a class="nowrap" href="#{_e(quote(gid))}">{_e(gid)}</a>',
                f"{points:g}",
                _share(passed, len(graded)),
                _e("; ".join(f"{m[1]} ({m[2]})" for m in top)) or "&ndash;",
            ]
        )
    parts.append("<h3>Questions</h3>")
    parts.append(
        _table(
            f"{_e(exercise)}: pass rate per question",
            ["Question", "Points", "Passed", "Most frequent mistakes (students)"],
            rows,
            numeric={1, 2},
        )
    )
    parts += [_question_section(exercise, gid, p, graded) for gid, p in questions]
    return "\n".join(parts) + "</section>"


def class_report(records: list[dict], questions: dict[str, list], run: dict) -> str:
    """The report page (HTML) for ``records`` (`course_lib.grading.results`).

    ``questions`` maps each assignment to its (grade_id, points); ``run`` is the run's facts
    as written to ``grading-log.json`` (``unsafe``, ``finished``, ``submissions_folder``).
    """
    students = {r["student"] for r in records}
    folder = Path(run.get("submissions_folder", "")).name
    body = [f"<header><h1>Class report: {_e(folder)}</h1>"]
    if run.get("unsafe") or any(r.get("unsafe") for r in records):
        body.append(
            '<p class="warning" role="alert"><strong>UNSAFE GRADING:</strong> student code ran '
            "WITHOUT the sandbox (--unsafe), with the grader's files and network.</p>"
        )
    counts = Counter(r["status"] for r in records)
    failed = [r for r in records if r["status"] != "graded"]
    not_graded = (
        f' <a href="#statuses">{len(failed)} could not be graded</a>: they need the students\' '
        "attention." * bool(failed)
    )
    body.append(
        f"<p>{len(records)} notebook(s) from {len(students)} student(s), graded "
        f"{_e(run.get('finished', ''))}; {counts['graded']} graded.{not_graded} Points come "
        "from the automatic checks only; answers graded by hand are not included.</p>"
    )
    contents = [f'<li><a href="#{_e(quote(x))}">{_e(x)}</a></li>' for x in sorted(questions)]
    body.append(
        '<nav aria-label="Contents"><ul><li><a href="#mistakes">Most frequent mistakes</a></li>'
        f"{''.join(contents)}"
        '<li><a href="#statuses">Notebooks by status</a></li>'
        '<li><a href="#all">All notebooks</a></li></ul></nav></header><main>'
    )
    body.append('<section><h2 id="mistakes">Most frequent mistakes</h2>')
    found = mistakes(records)
    body.append(
        "<p>How many students made each mistake the checks recognise, of the students whose "
        "notebook of that assignment was graded.</p>"
        + (
            "<ol>" + "".join(f"<li>{_e(_phrase(m))}</li>" for m in found) + "</ol>"
            if found
            else "<p>No recognised mistakes.</p>"
        )
        + "</section>"
    )
    body += [_exercise_section(x, questions[x], records) for x in sorted(questions)]
    body.append('<section><h2 id="statuses">Notebooks by status</h2>')
    body.append(
        _table(
            "Notebooks by status",
            ["Status", "Notebooks", "Meaning"],
            [[_e(s), str(n), _e(STATUS_MEANING.get(s, ""))] for s, n in counts.most_common()],
            numeric={1},
        )
    )
    if failed:
        rows = [
            [_e(r["student"]), f"<code>{_e(r['file'])}</code>", _e(r["status"]), _e(r["message"])]
            for r in failed
        ]
        body.append(
            _table("Notebooks that were not graded", ["Student", "File", "Status", "Why"], rows)
        )
    body.append("</section>")
    rows = [
        [
            f'<a href="feedback/{quote(page_name(r["student"]))}.html">{_e(r["student"])}</a>',
            _e(r["assignment"] or "?"),
            f"{r['points']:g} / {r['max_points']:g}" if r["status"] == "graded" else "&ndash;",
            _e(status_text(r)),
        ]
        for r in records
    ]
    body.append('<section><h2 id="all">All notebooks</h2>')
    head = ["Student", "Assignment", "Points", "Status"]
    body.append(_table("Every notebook, with the student's feedback page", head, rows, {2}))
    grader = run.get("grader", {})
    body.append(
        f'</section></main><footer><p class="muted">Grader: course_lib '
        f"{_e(grader.get('course_lib', '?'))}, Python {_e(grader.get('python', '?'))}, code "
        f"{_e(str(grader.get('code_sha256', ''))[:12])}. Details in grading-log.json.</p></footer>"
    )
    return page(f"Class report: {folder}", "\n".join(body))


def write_report(path: Path, records: list[dict], questions: dict[str, list], run: dict) -> None:
    """Write `class_report` to ``path``."""
    write_text(path, class_report(records, questions, run))
