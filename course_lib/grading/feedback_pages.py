"""One feedback page per student: each assignment, each question, its points and feedback.

A page shows only what the grader says to the student: each question's points and
`QuestionScore.feedback`, the notes, and for a notebook that could not be graded the message
saying why and what to do. It never shows the tests (hidden or visible) or an expected value.
Everything a student chose (folder and file names, their code's error messages) is
HTML-escaped, and the page's file name is made from the student's name with only letters,
digits, ``.``, ``_`` and ``-`` (plus a short hash when anything had to change), so no name can
leave the ``feedback`` folder or inject markup.

>>> page_name("alice")
'alice'
>>> page_name("../<b>eve</b>")
'b_eve_b-0eb753d1'
"""

from __future__ import annotations

import hashlib
import html
import re
import time
from collections.abc import Iterable
from pathlib import Path

from course_lib.grading.results import UNSAFE_NOTE, write_text

__all__ = ["PAGE_STYLE", "page", "page_name", "student_page", "write_feedback_pages"]

PAGE_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.5;
       max-width: 62rem; margin: 1.5rem auto; padding: 0 1rem; color: #1a1a1a; background: #fff; }
h1, h2, h3 { line-height: 1.25; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border: 1px solid #999; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.nowrap, caption { white-space: nowrap; }
.figure { display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; align-items: flex-start; }
.feedback { white-space: pre-wrap; overflow-wrap: anywhere; }
.warning { border: 3px solid #b00020; background: #fff0f0; padding: 0.5rem 1rem; }
.passed { color: #005a3c; font-weight: 600; }
.failed { color: #8f2a00; font-weight: 600; }
.muted { color: #555; }
a { color: #0050a0; }
"""
"""The CSS of every page (inline: the pages work offline and load nothing)."""


def page_name(student: str) -> str:
    """The file name (without ``.html``) of a student's page: safe, and unique per name.

    Parameters
    ----------
    student : str
        The student's name as found (a folder or file name).

    Returns
    -------
    str
        Letters, digits, ``.``, ``_``, ``-``; a hash of the name is added when anything was
        changed, so two different names never share a page.
    """
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", student).strip("._-")[:60] or "student"
    if safe == student:
        return safe
    return f"{safe}-{hashlib.sha256(student.encode('utf-8', 'replace')).hexdigest()[:8]}"


def page(title: str, body: str) -> str:
    """A complete, self-contained HTML page (``lang``, charset, inline style, no scripts).

    ``title`` is escaped here; ``body`` must already be HTML.
    """
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _questions_table(record: dict) -> str:
    rows = []
    for q in record["questions"]:
        result = (
            '<span class="passed">&#10003; passed</span>'
            if q["passed"]
            else '<span class="failed">&#10007; not yet</span>'
        )
        rows.append(
            f'<tr><th scope="row" class="nowrap">{_e(q["grade_id"])}</th>'
            f'<td class="num">{q["points"]:g} / {q["max_points"]:g}</td>'
            f'<td class="nowrap">{result}</td>'
            f'<td class="feedback">{_e(q["feedback"]) or "&nbsp;"}</td></tr>'
        )
    return (
        f"<table><caption>Questions of {_e(record['assignment'])}</caption><thead><tr>"
        '<th scope="col">Question</th><th scope="col" class="num">Points</th>'
        '<th scope="col">Result</th><th scope="col">Feedback</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _section(record: dict) -> str:
    title = record["assignment"] or "Unrecognised notebook"
    parts = [f"<section>\n<h2>{_e(title)}</h2>", f"<p>File: <code>{_e(record['file'])}</code></p>"]
    status = record["status"]
    if status == "graded":
        parts.append(
            f"<p><strong>{record['points']:g} of {record['max_points']:g} points</strong> "
            "from the automatic checks.</p>"
        )
        if record.get("unsafe"):
            parts.append(f'<p class="warning">{_e(UNSAFE_NOTE)}</p>')
        parts.append(_questions_table(record))
        if record["manual_grade_ids"]:
            parts.append(
                "<p>Graded by hand by your instructor (not in the points above): "
                f"{_e(', '.join(record['manual_grade_ids']))}.</p>"
            )
    elif status == "grader error":
        parts.append(
            "<p><strong>Not graded yet:</strong> the automatic grader failed on this notebook "
            "(a problem of the grader, not of your work). Your instructor will grade it.</p>"
        )
    else:
        parts.append(f"<p><strong>Not graded: {_e(status)}.</strong> {_e(record['message'])}</p>")
    notes = [n for n in record.get("notes") or [] if n != UNSAFE_NOTE]
    if notes:
        items = "".join(f"<li>{_e(note)}</li>" for note in notes)
        parts.append(f"<p>Notes from the grader:</p><ul>{items}</ul>")
    return "\n".join(parts) + "\n</section>"


def student_page(student: str, records: Iterable[dict], when: str = "") -> str:
    """The HTML feedback page of one student, from their records.

    Parameters
    ----------
    student : str
        The name (escaped here).
    records : iterable of dict
        The student's records (`course_lib.grading.results`), one per notebook.
    when : str
        When the grading ran, shown on the page.

    Returns
    -------
    str
        A complete HTML page.
    """
    ordered = sorted(records, key=lambda r: (r["assignment"] or "~", r["file"]))
    body = [
        f"<header><h1>Feedback for {_e(student)}</h1>",
        "<p>Points and feedback from the automatic checks of your exercise notebooks"
        f"{' (' + _e(when) + ')' if when else ''}. A question that is not yet passed says what "
        "went wrong; hidden checks also count, so a check that passed in your notebook can "
        "still fail here.</p></header>",
        "<main>",
        *(_section(r) for r in ordered),
        "</main>",
    ]
    return page(f"Feedback for {student}", "\n".join(body))


def write_feedback_pages(folder: Path, records: Iterable[dict]) -> dict:
    """Write ``folder/<page_name(student)>.html`` for every student; remove stale pages.

    Parameters
    ----------
    folder : Path
        The feedback folder (created when missing).
    records : iterable of dict
        Every notebook's record.

    Returns
    -------
    dict of str to str
        Page file name (``alice.html``) by student.
    """
    by_student: dict[str, list[dict]] = {}
    for record in records:
        by_student.setdefault(record["student"], []).append(record)
    when = time.strftime("%Y-%m-%d %H:%M")
    written = {}
    folder.mkdir(parents=True, exist_ok=True)
    for student, own in sorted(by_student.items()):
        name = f"{page_name(student)}.html"
        write_text(folder / name, student_page(student, own, when))
        written[student] = name
    for stale in set(p.name for p in folder.glob("*.html")) - set(written.values()):
        (folder / stale).unlink()
    return written
