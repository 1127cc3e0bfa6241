"""Checks of a student's function: call it at the course's inputs, compare with the reference.

`check_callable` calls the function on a few cases (arrays included) and says, for the first
case that is wrong, what went wrong: the function still raises ``NotImplementedError``, it
raised another error, it returned something that is not a real number or has the wrong shape,
or a wrong value (a known misconception, a unit slip, or neither). The checks' feedback engine
is `course_lib.grading.feedback`.

>>> check_callable("Q", lambda c, m: c / m, reference=lambda c, m: c / m, cases=[(5.0, 21.0)],
...                unit="pM")
Q: correct. Hidden checks also count toward your grade.
>>> check_callable("Q", lambda c, m: 1e3 * c / m, reference=lambda c, m: c / m,
...                cases=[(5.0, 21.0)], unit="pM")
Traceback (most recent call last):
...
course_lib.grading.feedback.CheckFailed: Q: with (5.0, 21.0) the result is about 1,000x too large. A factor of 1000 usually means a unit slip: pg/mL vs ng/mL, or pM vs nM. The function should return pM.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np

from course_lib.grading.feedback import (
    CheckFailed,
    CheckResult,
    first_clause,
    kind_of,
    passed,
    unit_slip,
)

__all__ = ["check_callable"]


def check_callable(
    question: str,
    func: object,
    *,
    reference: Callable[..., object],
    cases: Sequence[tuple],
    unit: str,
    rtol: float = 1e-6,
    misconceptions: Sequence[tuple[Callable[..., object], str]] = (),
) -> CheckResult:
    """Check a student's function by calling it on ``cases`` and comparing with ``reference``.

    Parameters
    ----------
    func : callable
        The student's function.
    reference : callable
        The course's function with the same signature (never shown).
    cases : sequence of tuple
        Positional arguments for each call.
    unit : str
        The unit of the return value, for the feedback.
    misconceptions : sequence of (callable, str)
        Functions that compute what a misconception would give, and what to say about it.

    Returns
    -------
    CheckResult
        When every case gives the reference's result.

    Raises
    ------
    CheckFailed
        With feedback for the first case that does not: ``func`` is not a function, raises,
        returns something that is not a real number or has the wrong shape, or a wrong value (a
        known misconception, a unit slip, or neither). Its warnings are not shown (on stderr they
        would cost the points under nbgrader).
    """
    if func is ... or not callable(func):
        raise CheckFailed(
            f"{question}: expected a function (def ...), got {kind_of(func)}. Run the "
            "cell that defines it first.",
            "not a function",
        )
    for args in cases:
        shown = ", ".join(repr(a) for a in args)
        got = _call(question, func, args, shown)
        want = np.asarray(reference(*args), dtype=float)
        have = _as_numbers(question, got, want.shape, shown)
        if not np.allclose(have, want, rtol=rtol, atol=0):
            raise _wrong_result(question, have, want, args, shown, unit, misconceptions)
    return passed(question)


def _call(question: str, func: Callable[..., object], args: tuple, shown: str) -> object:
    """What the student's function returns for ``args``; its errors become feedback."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return func(*args)
    except NotImplementedError:
        raise CheckFailed(
            f"{question}: the function still raises NotImplementedError. Replace that line "
            "with your code.",
            "function not written yet",
        ) from None
    except Exception as exc:
        raise CheckFailed(
            f"{question}: calling it with ({shown}) raised {type(exc).__name__}: {exc}",
            f"function raised {type(exc).__name__}",
        ) from None


def _as_numbers(question: str, got: object, shape: tuple[int, ...], shown: str) -> np.ndarray:
    """``got`` as a float array of the expected ``shape``, or `CheckFailed` saying why not."""
    try:
        if np.iscomplexobj(got):  # not cast to float: that would warn on stderr
            raise CheckFailed(
                f"{question}: with ({shown}) it returned complex numbers. A square root (or a "
                "power) of a negative number? The function should return real numbers.",
                "function returns complex numbers",
            )
        have = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(
            f"{question}: with ({shown}) it returned {got!r}, which is not a number.",
            "function returns something that is not a number",
        ) from None
    if have.shape != shape:
        raise CheckFailed(
            f"{question}: with ({shown}) it returned shape {have.shape}, expected shape "
            f"{shape}. Use numpy arithmetic so arrays work as well as single numbers.",
            "function returns the wrong shape (arrays not handled)",
        )
    return have


def _wrong_result(
    question: str,
    have: np.ndarray,
    want: np.ndarray,
    args: tuple,
    shown: str,
    unit: str,
    misconceptions: Sequence[tuple[Callable[..., object], str]],
) -> CheckFailed:
    """The feedback for a wrong result: a known misconception, a unit slip, or a generic hint."""
    for wrong, feedback in misconceptions:
        if np.allclose(have, np.asarray(wrong(*args), dtype=float), rtol=1e-3, atol=0):
            return CheckFailed(
                f"{question}: with ({shown}): {feedback}", first_clause(feedback, prefixed=False)
            )
    ratio = float(np.median(have / np.where(want == 0, np.nan, want)))
    if slip := unit_slip(ratio, 0.05):
        factor, word, meaning = slip
        return CheckFailed(
            f"{question}: with ({shown}) the result is about {factor:,.0f}x too {word}. "
            f"{meaning} The function should return {unit}.",
            f"factor-{factor:,.0f} unit slip (too {word})",
        )
    return CheckFailed(
        f"{question}: with ({shown}) the result is not right yet. Work one case through by "
        f"hand and compare; the function should return {unit}.",
        "function gives wrong results, no known slip",
    )
