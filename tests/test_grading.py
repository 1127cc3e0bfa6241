"""Checks: right answers pass with the hidden-checks note; wrong ones name the slip, never the value."""

from __future__ import annotations

import re

import numpy as np
import pytest

from course_lib.grading.feedback import (
    HIDDEN_NOTE,
    CheckFailed,
    CheckResult,
    Misconception,
    check_choice,
    check_number,
    percent,
    try_check,
)
from course_lib.grading.function_checks import check_callable


def _feedback(func, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as info:
        func(*args, **kwargs)
    return str(info.value)


def _never_shows(expected: float, text: str) -> None:
    for shown in {f"{expected}", f"{expected:g}", f"{expected:.2f}", f"{expected:.3g}"}:
        assert shown not in text, f"feedback gives the answer away ({shown}): {text}"


def test_failed_check_is_an_assertion_error_for_graders():
    assert issubclass(CheckFailed, AssertionError)
    text = _feedback(check_number, "Q1", 3.0, expected=7.25, unit="nM")
    assert text.startswith("Q1: ")


def test_passing_check_mentions_hidden_checks():
    result = check_number("Q1", 7.3, expected=7.25, unit="nM")
    assert isinstance(result, CheckResult) and result.passed
    assert HIDDEN_NOTE in repr(result) and HIDDEN_NOTE in result._repr_html_()


@pytest.mark.parametrize(
    ("factor", "words"),
    [
        (1e3, "about 1,000x too large. A factor of 1000"),
        (1e-3, "about 1,000x too small. A factor of 1000"),
        (1e6, "about 1,000,000x too large. A factor of a million"),
        (1e-9, "about 1,000,000,000x too small. A factor of 10^9"),
    ],
)
def test_unit_slips_are_named(factor, words):
    expected = 0.2471
    text = _feedback(check_number, "Q", expected * factor, expected=expected, unit="pM")
    assert words in text and "(pM)" in text
    _never_shows(expected, text)


def test_misconception_feedback_wins_over_generic_diagnosis():
    m = Misconception(0.2, "you used the glycosylated mass.")
    text = _feedback(check_number, "Q", 0.2, expected=0.247, unit="pM", misconceptions=[m])
    assert text == "Q: you used the glycosylated mass."


def test_generic_feedback_gives_direction_not_value():
    text = _feedback(check_number, "Q", 0.31, expected=0.247, unit="pM")
    assert "too large" in text and "2% either way" in text
    _never_shows(0.247, text)
    assert "too small" in _feedback(check_number, "Q", 0.2, expected=0.247, unit="pM")


def test_wrong_sign():
    assert "wrong sign" in _feedback(check_number, "Q", -0.247, expected=0.247, unit="pM")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (..., "no answer yet. Replace the ... with your number (in pM)"),
        (None, "no answer yet"),
        ("0.25", "should be a single number in pM; got a str"),
        ([0.25], "got a list"),
        (True, "got a bool"),
        (float("nan"), "not a finite number"),
    ],
)
def test_non_numbers_get_a_clear_message(value, words):
    assert words in _feedback(check_number, "Q", value, expected=0.247, unit="pM")


def test_numpy_scalars_and_one_element_arrays_are_accepted():
    assert check_number("Q", np.float32(0.247), expected=0.247, unit="pM").passed
    assert check_number("Q", np.array([0.247]), expected=0.247, unit="pM").passed


def test_tolerances_are_written_for_people():
    assert percent(0.138889) == "13.9%" and percent(0.02) == "2%"
    text = _feedback(check_number, "Q", 0.4, expected=0.247, unit="pM", rtol=0.138889)
    assert "within 13.9% either way" in text and "13.8889" not in text
    text = _feedback(check_number, "Q", 14, expected=8, unit="mice", rtol=0.3, allowance="2 mice")
    assert "within 2 mice either way" in text


def test_the_right_option_is_explained_after_the_attempt():
    why = {"a": "a is the healthy range.", "b": "b: 10 ng/mL is about 0.48 nM."}
    result = check_choice("Q", "b", correct="b", feedback=why)
    assert result.passed and "about 0.48 nM" in result.message
    assert "0.48" not in _feedback(check_choice, "Q", "a", correct="b", feedback=why)


def test_choice_is_case_and_space_insensitive_and_lists_options():
    options = {"a": "a is the healthy range.", "c": "c is a factor-1000 slip."}
    assert check_choice("Q", " B ", correct="b", feedback=options).passed
    assert _feedback(check_choice, "Q", "c", correct="b", feedback=options) == (
        "Q: c is a factor-1000 slip."
    )
    text = _feedback(check_choice, "Q", "d", correct="b", feedback=options)
    assert "'d' is not one of the options; answer with one of 'a', 'b', 'c'" in text
    assert "no answer yet" in _feedback(check_choice, "Q", ..., correct="b", feedback=options)


def _ref(c, m):
    return c / m


CASES = [(5.0, 21.0), (np.array([0.0, 1.0, 10.0]), 50.0)]


def test_callable_passes_and_fails_with_the_failing_input_named():
    assert check_callable("Q", _ref, reference=_ref, cases=CASES, unit="pM").passed
    text = _feedback(
        check_callable, "Q", lambda c, m: c / m + 1, reference=_ref, cases=CASES, unit="pM"
    )
    assert "with (5.0, 21.0) the result is not right yet" in text


def test_callable_diagnoses():
    def stub(c, m):
        raise NotImplementedError("Exercise 0.2: ...")

    assert "still raises NotImplementedError" in _feedback(
        check_callable, "Q", stub, reference=_ref, cases=CASES, unit="pM"
    )
    assert "expected a function" in _feedback(
        check_callable, "Q", 3.0, reference=_ref, cases=CASES, unit="pM"
    )
    assert "raised ZeroDivisionError" in _feedback(
        check_callable, "Q", lambda c, m: c / 0, reference=_ref, cases=CASES, unit="pM"
    )
    assert "returned shape ()" in _feedback(
        check_callable, "Q", lambda c, m: 1.0, reference=_ref, cases=CASES[1:], unit="pM"
    )
    assert "1,000x too large" in _feedback(
        check_callable, "Q", lambda c, m: 1e3 * c / m, reference=_ref, cases=CASES, unit="pM"
    )
    assert "which is not a number" in _feedback(
        check_callable, "Q", lambda c, m: "x", reference=_ref, cases=CASES, unit="pM"
    )
    wrong = [(lambda c, m: c * m, "divide, do not multiply.")]
    text = _feedback(
        check_callable,
        "Q",
        lambda c, m: c * m,
        reference=_ref,
        cases=CASES,
        unit="pM",
        misconceptions=wrong,
    )
    assert text.endswith("divide, do not multiply.")


def test_try_check_returns_failures_instead_of_raising():
    result = try_check(check_number, "Q", 247.0, expected=0.247, unit="pM")
    assert not result.passed
    assert repr(result).startswith("Not yet. Q: your value is about 1,000x too large")
    assert "Not yet." in result._repr_html_()


def test_ipython_shows_feedback_without_traceback():
    err = CheckFailed("Q: look again.")
    lines = err._render_traceback_()
    assert len(lines) == 1 and re.search(r"Not yet\..*Q: look again\.", lines[0])


@pytest.mark.parametrize(
    ("check", "args", "kwargs", "label"),
    [
        (
            check_number,
            ("Exercise 2.1", 5.0),
            {"expected": 0.005, "unit": "nM"},
            "factor-1,000 unit slip (too large)",
        ),
        (
            check_number,
            ("Q", 0.3),
            {"expected": 0.247, "unit": "pM"},
            "value too large, no known slip",
        ),
        (check_number, ("Q", ...), {"expected": 0.247, "unit": "pM"}, "no answer yet"),
        (check_number, ("Q", "0.2"), {"expected": 0.247, "unit": "pM"}, "not a number"),
        (
            check_number,
            ("Q", 0.2),
            {
                "expected": 0.247,
                "unit": "pM",
                "misconceptions": [Misconception(0.2, "you used 26 kDa. Use 21.")],
            },
            "you used 26 kDa",
        ),
        (
            check_choice,
            ("Q", "a"),
            {"correct": "b", "feedback": {"a": "no: endothelial cells lack IL-6R."}},
            "chose 'a': no",
        ),
        (
            check_choice,
            ("Q", "z"),
            {"correct": "b", "feedback": {"a": "..."}},
            "not one of the options",
        ),
        (
            check_callable,
            ("Q", lambda c, m: 1e3 * c / m),
            {"reference": _ref, "cases": CASES, "unit": "pM"},
            "factor-1,000 unit slip (too large)",
        ),
        (
            check_callable,
            ("Q", lambda c, m: c / 0),
            {"reference": _ref, "cases": CASES, "unit": "pM"},
            "function raised ZeroDivisionError",
        ),
    ],
)
def test_each_failure_carries_a_label_for_the_class_report(check, args, kwargs, label):
    """The label is the same for every student who makes the mistake: no values in it."""
    with pytest.raises(CheckFailed) as info:
        check(*args, **kwargs)
    assert info.value.diagnosis == label


def test_a_custom_failure_is_labelled_by_its_first_clause():
    failed = CheckFailed("Exercise 7.1: this looks like the TOTAL of both groups. The question ...")
    assert failed.diagnosis == "this looks like the TOTAL of both groups"
    assert CheckFailed("Q: anything", diagnosis="mine").diagnosis == "mine"
