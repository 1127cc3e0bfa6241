"""The result of grading: one `QuestionScore` per test cell, a `NotebookScore` per submission.

Plain frozen records, shared by the single-notebook grader (`course_lib.grading.autograde`), the
sandboxed grader (`course_lib.grading.grader`) and the batch command
(`course_lib.grading.batch`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["NotebookScore", "QuestionScore"]


@dataclass(frozen=True)
class QuestionScore:
    """The result of one test cell.

    Examples
    --------
    >>> QuestionScore("ex00-q1-check", 0.0, 1.0, False, "NameError: name 'x' is not defined")
    QuestionScore(grade_id='ex00-q1-check', points=0.0, max_points=1.0, passed=False, feedback="NameError: name 'x' is not defined", diagnosis='')
    """

    grade_id: str
    """The test cell's ``nbgrader.grade_id``."""
    points: float
    """Points earned: ``max_points`` when passed, else 0."""
    max_points: float
    """The cell's ``nbgrader.points``."""
    passed: bool
    """True when the cell ran and raised nothing."""
    feedback: str
    """``"ename: evalue"`` of the error, the reason it did not run, or what a passing cell
    printed."""
    diagnosis: str = ""
    """A short, stable label of what went wrong, for counting across a class: the check's
    misconception (``"factor-1,000 unit slip (too large)"``), ``"no answer"``, ``"stopped"``
    ... ("" when passed or not recognised)."""


@dataclass(frozen=True)
class NotebookScore:
    """The autograded score of one submission.

    Examples
    --------
    >>> s = NotebookScore("alice/00_x.ipynb", "solutions/00_x.ipynb",
    ...                   (QuestionScore("q1", 1.0, 1.0, True, ""),
    ...                    QuestionScore("q2", 0.0, 2.0, False, "AssertionError: too large")))
    >>> s.points, s.max_points
    (1.0, 3.0)
    >>> print(s)
    alice/00_x.ipynb: 1 / 3 points
      grade_id  points  result
      q1         1 / 1  passed
      q2         0 / 2  failed: AssertionError: too large
    """

    submission: str
    """Path of the submitted notebook."""
    source: str
    """Path of the instructor notebook the tests came from."""
    questions: tuple[QuestionScore, ...]
    """One entry per test cell, in the source's order."""
    manual_grade_ids: tuple[str, ...] = ()
    """Answer cells graded by hand (``solution`` and ``grade`` both true); not in the totals."""
    notes: tuple[str, ...] = ()
    """What the grader did besides running: restored cells, a timeout, a dead kernel."""

    @property
    def points(self) -> float:
        """Total points earned."""
        return float(sum(q.points for q in self.questions))

    @property
    def max_points(self) -> float:
        """Total points available from test cells."""
        return float(sum(q.max_points for q in self.questions))

    def _rows(self) -> list[tuple[str, str, str]]:
        return [
            (
                q.grade_id,
                f"{q.points:g} / {q.max_points:g}",
                "passed" if q.passed else f"failed: {q.feedback}",
            )
            for q in self.questions
        ]

    def __str__(self) -> str:
        lines = [f"{self.submission}: {self.points:g} / {self.max_points:g} points"]
        rows = [("grade_id", "points", "result"), *self._rows()]
        width = [max(len(r[i]) for r in rows) for i in range(2)]
        lines += [f"  {a:<{width[0]}}  {b:>{width[1]}}  {c}" for a, b, c in rows]
        if self.manual_grade_ids:
            lines.append(f"  graded by hand, not included: {', '.join(self.manual_grade_ids)}")
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        body = "".join(
            f"<tr><td>{esc(a)}</td><td>{esc(b)}</td><td>{esc(c)}</td></tr>"
            for a, b, c in self._rows()
        )
        extra = [f"graded by hand, not included: {', '.join(self.manual_grade_ids)}"] * bool(
            self.manual_grade_ids
        ) + [f"note: {n}" for n in self.notes]
        return (
            f"<p><b>{esc(self.submission)}</b>: {self.points:g} / {self.max_points:g} points</p>"
            "<table><thead><tr><th>grade_id</th><th>points</th><th>result</th></tr></thead>"
            f"<tbody>{body}</tbody></table>" + "".join(f"<p>{esc(e)}</p>" for e in extra)
        )
