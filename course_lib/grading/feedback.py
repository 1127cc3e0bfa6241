"""Checks for exercises: specific feedback, never the expected value.

A check compares a student's answer with the course's own calculation. When the answer is
right it shows a short confirmation that also says hidden checks count toward the grade. When
it is wrong it raises `CheckFailed`, whose message names the likely misconception (a factor
1000 slip between pg/mL and ng/mL, a wrong cell type...) and how to look again. In Jupyter
the message appears without a traceback; to nbgrader or `course_lib.grading.autograde` the raised
error marks the test cell as failed.

Lesson-specific checks live in `course_lib.grading.checks`; they are built from the functions here.

>>> check_number("Exercise 9.9", 0.5, expected=0.5, unit="nM")
Exercise 9.9: correct. Hidden checks also count toward your grade.
>>> check_number("Exercise 9.9", 500.0, expected=0.5, unit="nM")
Traceback (most recent call last):
...
course_lib.grading.feedback.CheckFailed: Exercise 9.9: your value is about 1,000x too large. A factor of 1000 usually means a unit slip: pg/mL vs ng/mL, or pM vs nM. Check which unit the question asks for (nM).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from course_lib.errors import CourseLibError
from course_lib.grading.answers import Opaque

__all__ = [
    "HIDDEN_NOTE",
    "CheckFailed",
    "CheckResult",
    "Misconception",
    "answer_number",
    "check_choice",
    "check_number",
    "first_clause",
    "kind_of",
    "passed",
    "percent",
    "try_check",
    "unit_slip",
]

HIDDEN_NOTE = "Hidden checks also count toward your grade."

# (factor, what it usually means) for unit slips, searched in this order.
_UNIT_SLIPS = (
    (1e3, "A factor of 1000 usually means a unit slip: pg/mL vs ng/mL, or pM vs nM."),
    (1e6, "A factor of a million usually means two unit steps: pg/mL vs ug/mL, or pM vs uM."),
    (1e9, "A factor of 10^9 usually means grams vs nanograms, or mol vs nmol."),
    (1e12, "A factor of 10^12 usually means a conversion to M and back was missed."),
)


def unit_slip(ratio: float, rel_tol: float) -> tuple[float, str, str] | None:
    """(factor, "large" or "small", what it means) when ``ratio`` is a unit slip, else None."""
    for factor, meaning in _UNIT_SLIPS:
        for r, word in ((factor, "large"), (1 / factor, "small")):
            if math.isclose(ratio, r, rel_tol=rel_tol):
                return factor, word, meaning
    return None


class CheckFailed(CourseLibError, AssertionError):
    """A check that did not pass; its message is the feedback for the student.

    ``diagnosis`` is a short label of the mistake, the same for every student who makes it,
    so that a class report can count them (`course_lib.grading.batch`). By default it is the
    message's first clause without the question: "Exercise 0.1: you multiplied by the molar
    mass. Going from ..." is counted as "you multiplied by the molar mass".

    >>> CheckFailed("Exercise 2.1: you used 130 kDa, the membrane gp130. Use ...").diagnosis
    'you used 130 kDa'
    """

    def __init__(self, message: str, diagnosis: str | None = None) -> None:
        super().__init__(message)
        self.diagnosis = first_clause(message) if diagnosis is None else diagnosis

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of a traceback: the feedback is what matters.
        return [f"\x1b[1;31mNot yet.\x1b[0m {self}"]


def first_clause(message: str, limit: int = 80, *, prefixed: bool = True) -> str:
    """The gist of a feedback message: without its "Exercise N.M: " prefix (when ``prefixed``),
    up to the first stop.

    >>> first_clause("Exercise 4.2 (hidden): your value is about 1,000x too large. A factor ...")
    'your value is about 1,000x too large'
    """
    text = message.strip()
    if prefixed:
        text = re.sub(r"^(?:Exercise [^:]{1,30}|[^:.]{1,40}): ", "", text)
    cut = min(
        (i for i in (text.find(s) for s in (". ", ": ", "; ", ", ", " (")) if i > 0),
        default=len(text),
    )
    text = text[:cut].rstrip(".")
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + " ..."


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a check: a passed check returns one; a failed one raises `CheckFailed`.

    `try_check` turns a failure into a result with ``passed=False`` instead, for showing
    what feedback looks like without stopping the notebook.
    """

    question: str
    message: str
    passed: bool = True

    def __repr__(self) -> str:
        if self.passed:
            return f"{self.question}: {self.message}"
        return f"Not yet. {self.message}"

    def _ipython_display_(self) -> None:
        # display_data, not an execute_result: nbgrader reads a test cell's result as a score
        from IPython.display import display

        display({"text/plain": repr(self), "text/html": self._repr_html_()}, raw=True)

    def _repr_html_(self) -> str:
        if self.passed:
            return (
                '<div role="status" style="border-left:4px solid #009E73;padding:4px 8px">'
                f"<b>&#10003; {html.escape(self.question)}: correct.</b> "
                f"{html.escape(self.message.removeprefix('correct. '))}</div>"
            )
        return (
            '<div role="status" style="border-left:4px dashed #D55E00;padding:4px 8px">'
            f"<b>&#10007; Not yet.</b> {html.escape(self.message)}</div>"
        )


def try_check(check: Callable[..., CheckResult], *args: object, **kwargs: object) -> CheckResult:
    """Run ``check`` and return its result even when it fails (nothing is raised).

    Examples
    --------
    >>> try_check(check_number, "Q", 5.0, expected=0.005, unit="nM")
    Not yet. Q: your value is about 1,000x too large. A factor of 1000 usually means a unit slip: pg/mL vs ng/mL, or pM vs nM. Check which unit the question asks for (nM).
    """
    try:
        return check(*args, **kwargs)
    except CheckFailed as failed:
        return CheckResult("", str(failed), passed=False)


@dataclass(frozen=True)
class Misconception:
    """A wrong answer we can recognise, and what to say about it.

    Parameters
    ----------
    value : float
        What a student who holds the misconception would answer.
    feedback : str
        What to tell them: name the misconception and where to look, without the right value.
    rtol : float
        Relative tolerance for recognising ``value``.
    """

    value: float
    feedback: str
    rtol: float = 0.02


def passed(question: str, explanation: str = "") -> CheckResult:
    """The result of a passed check: "correct", why (when given), and that hidden checks count.

    >>> passed("Q", "Endothelial cells have gp130 but no IL-6R.")
    Q: correct. Endothelial cells have gp130 but no IL-6R. Hidden checks also count toward your grade.
    """
    why = f"{explanation.strip()} " if explanation.strip() else ""
    return CheckResult(question, f"correct. {why}{HIDDEN_NOTE}")


def percent(fraction: float) -> str:
    """A relative tolerance as people write it: at most 3 significant figures.

    >>> percent(0.138889), percent(0.02), percent(0.5)
    ('13.9%', '2%', '50%')
    """
    return f"{fraction * 100:.3g}%"


def kind_of(value: object) -> str:
    """The name of ``value``'s type, for feedback; an answer that reached the grader as an
    `~course_lib.grading.answers.Opaque` marker keeps the name of the student's type."""
    return value.type_name if isinstance(value, Opaque) else type(value).__name__


def answer_number(question: str, value: object, unit: str, *, positive: bool = False) -> float:
    """A student's numeric answer as a float, or `CheckFailed` saying what is wrong with it.

    ``...`` or None means no answer yet; text, lists and booleans are not one number; NaN and
    infinity are not finite; with ``positive`` zero and negative numbers are refused too.

    >>> answer_number("Exercise 4.2", -3.0, "nM", positive=True)
    Traceback (most recent call last):
    ...
    course_lib.grading.feedback.CheckFailed: Exercise 4.2: the answer should be a positive, finite number in nM; got -3.0.
    """
    if value is ... or value is None:
        raise CheckFailed(
            f"{question}: no answer yet. Replace the ... with your number (in {unit})."
        )
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        if isinstance(value, np.ndarray) and value.size == 1:
            return float(value.reshape(()))
        raise CheckFailed(
            f"{question}: the answer should be a single number in {unit}; got a "
            f"{kind_of(value)}. Assign a number, e.g. answer = 1.5",
            "not a number",
        )
    x = float(value)
    if not math.isfinite(x):
        raise CheckFailed(
            f"{question}: the answer is {x}, not a finite number. Look for a division by zero "
            "or a missing value.",
            "not a finite number",
        )
    if positive and x <= 0:
        raise CheckFailed(
            f"{question}: the answer should be a positive, finite number in {unit}; got {x}.",
            "not a positive number",
        )
    return x


def check_number(
    question: str,
    value: object,
    *,
    expected: float,
    unit: str,
    rtol: float = 0.02,
    misconceptions: Sequence[Misconception] = (),
    allowance: str | None = None,
) -> CheckResult:
    """Check a numeric answer against ``expected`` within a relative tolerance.

    Parameters
    ----------
    question : str
        E.g. ``"Exercise 0.1"``; starts every message.
    value : object
        The student's answer.
    expected : float
        The course's value (never shown).
    unit : str
        The unit the question asks for, named in the feedback.
    rtol : float
        Relative tolerance.
    misconceptions : sequence of Misconception
        Wrong answers with specific feedback, tried before the generic diagnoses.
    allowance : str, optional
        How the feedback names the tolerance, e.g. ``"2 mice"``; by default ``rtol`` as a
        percentage with at most 3 significant figures ("within 13.9% either way").

    Returns
    -------
    CheckResult
        When the answer is right.

    Raises
    ------
    CheckFailed
        With feedback when it is not.
    """
    x = answer_number(question, value, unit)
    if math.isclose(x, expected, rel_tol=rtol, abs_tol=1e-300):
        return passed(question)
    for m in misconceptions:
        if math.isclose(x, m.value, rel_tol=m.rtol, abs_tol=1e-300):
            raise CheckFailed(f"{question}: {m.feedback}", first_clause(m.feedback, prefixed=False))
    if expected != 0 and x != 0:
        ratio = x / expected
        if ratio < 0:
            raise CheckFailed(
                f"{question}: your value has the wrong sign. A concentration or a time is never "
                "negative: look for a subtraction the wrong way round."
            )
        if slip := unit_slip(ratio, max(rtol, 0.05)):
            factor, word, meaning = slip
            raise CheckFailed(
                f"{question}: your value is about {factor:,.0f}x too {word}. {meaning} "
                f"Check which unit the question asks for ({unit}).",
                f"factor-{factor:,.0f} unit slip (too {word})",
            )
    direction = "too large" if x > expected else "too small"
    raise CheckFailed(
        f"{question}: not yet: your value is {direction} (the check accepts values within "
        f"{allowance or percent(rtol)} either way). Recheck each step and its unit ({unit}).",
        f"value {direction}, no known slip",
    )


def check_choice(
    question: str,
    answer: object,
    *,
    correct: str,
    feedback: Mapping[str, str],
) -> CheckResult:
    """Check a multiple-choice answer given as an option letter or key.

    Every option carries its own explanation, shown after the attempt: a wrong option's says
    why that option fails (the misconception it reveals) without naming the right one; the right
    option's is shown with "correct", so a student who guessed learns why.

    Parameters
    ----------
    answer : object
        The student's choice, e.g. ``"b"`` (case and spaces ignored).
    correct : str
        The right option.
    feedback : mapping
        Every option -> its explanation. Its keys and ``correct`` are the valid options (an
        older check may leave out the right option's explanation).

    Examples
    --------
    >>> why = {"a": "a is wrong because ...", "b": "b holds because ..."}
    >>> check_choice("Q", "B", correct="b", feedback=why)
    Q: correct. b holds because ... Hidden checks also count toward your grade.
    >>> check_choice("Q", "z", correct="b", feedback=why)
    Traceback (most recent call last):
    ...
    course_lib.grading.feedback.CheckFailed: Q: 'z' is not one of the options; answer with one of 'a', 'b' (as a string, e.g. answer = "a").
    """
    options = sorted({*feedback, correct})
    listed = ", ".join(repr(o) for o in options)
    if answer is ... or answer is None:
        raise CheckFailed(f"{question}: no answer yet. Set it to one of {listed}.")
    key = str(answer).strip().lower()
    if key not in options:
        raise CheckFailed(
            f"{question}: {answer!r} is not one of the options; answer with one of "
            f'{listed} (as a string, e.g. answer = "{options[0]}").',
            "not one of the options",
        )
    if key == correct:
        return passed(question, feedback.get(correct, ""))
    raise CheckFailed(
        f"{question}: {feedback[key]}",
        f"chose {key!r}: {first_clause(feedback[key], prefixed=False)}",
    )
