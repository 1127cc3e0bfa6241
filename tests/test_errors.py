"""Tests for course_lib.errors: the error hierarchy and the shared input checks.

Student-facing messages are asserted verbatim where the whole text is fixed, otherwise by their
four parts: what was wrong, what was received, what was expected, and how to fix it.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from course_lib import errors
from course_lib.errors import (
    CourseLibError,
    CourseTypeError,
    CourseValueError,
    ExerciseFileError,
    ParameterError,
    ShapeError,
    UnitError,
    UnknownNameError,
    as_nonnegative,
    require_in_range,
    require_name,
)

MOLECULES = ["IL-6", "sIL-6R", "sgp130", "sgp130Fc"]

# --------------------------------------------------------------------------------------------
# The hierarchy


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (CourseValueError, ValueError),
        (ParameterError, ValueError),
        (ShapeError, ValueError),
        (UnitError, ValueError),
        (CourseTypeError, TypeError),
        (UnknownNameError, KeyError),
    ],
)
def test_each_course_error_is_also_the_builtin_it_claims(error, builtin):
    assert issubclass(error, CourseLibError)
    assert issubclass(error, builtin)
    with pytest.raises(builtin):
        raise error("message")


@pytest.mark.parametrize(
    ("error", "builtin"),
    [(CourseValueError, ValueError), (CourseTypeError, TypeError), (UnknownNameError, KeyError)],
)
def test_except_builtin_catches_course_error(error, builtin):
    caught = None
    try:
        raise error("boom")
    except builtin as exc:  # the point of the hierarchy: old except clauses keep working
        caught = exc
    assert isinstance(caught, CourseLibError)


def test_value_type_and_key_branches_do_not_cross():
    assert not issubclass(CourseValueError, TypeError)
    assert not issubclass(CourseTypeError, ValueError)
    assert not issubclass(UnknownNameError, ValueError)
    assert not issubclass(ExerciseFileError, ValueError | TypeError | KeyError)
    assert issubclass(ExerciseFileError, CourseLibError)


def test_course_lib_error_is_a_plain_exception_subclass():
    assert issubclass(CourseLibError, Exception)
    assert not issubclass(CourseLibError, ValueError | TypeError | KeyError)


def test_unknown_name_error_str_is_not_wrapped_in_quotes():
    # A bare KeyError would print "'unknown ...'" with quotes.
    assert str(UnknownNameError("unknown thing 'x'")) == "unknown thing 'x'"
    assert str(UnknownNameError()) == ""


def test_every_exported_error_is_in_the_hierarchy():
    exported = [getattr(errors, n) for n in errors.__all__]
    classes = [obj for obj in exported if isinstance(obj, type)]
    assert len(classes) == 8
    for cls in classes:
        assert issubclass(cls, CourseLibError), cls


# --------------------------------------------------------------------------------------------
# require_name


def test_require_name_exact_match_returns_name():
    assert require_name("molecule", "sIL-6R", MOLECULES) == "sIL-6R"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("il-6", "IL-6"),
        ("il6", "IL-6"),
        ("IL_6", "IL-6"),
        ("il 6", "IL-6"),
        ("SIL6R", "sIL-6R"),
        ("sgp130fc", "sgp130Fc"),
        ("SGP130", "sgp130"),
    ],
)
def test_require_name_folds_case_hyphens_underscores_and_spaces(typed, expected):
    assert require_name("molecule", typed, MOLECULES) == expected


def test_require_name_accepts_any_iterable_including_dict_keys():
    assert require_name("drug", "Tocilizumab", {"tocilizumab": 1, "siltuximab": 2}) == (
        "tocilizumab"
    )
    assert require_name("drug", "siltuximab", (n for n in ["tocilizumab", "siltuximab"])) == (
        "siltuximab"
    )


def test_require_name_exact_match_wins_even_when_folding_is_ambiguous():
    assert require_name("name", "IL6", ["IL-6", "IL6"]) == "IL6"
    assert require_name("name", "IL-6", ["IL-6", "IL6"]) == "IL-6"


def test_require_name_ambiguous_fold_raises_and_lists_both():
    # "il6" folds to both names: the function must not pick one silently.
    with pytest.raises(UnknownNameError) as info:
        require_name("name", "il6", ["IL-6", "IL6"])
    assert str(info.value) == (
        "name 'il6' is ambiguous: it could mean 'IL-6', 'IL6'. Use the exact spelling."
    )


def test_require_name_unknown_with_suggestion_full_message():
    with pytest.raises(UnknownNameError) as info:
        require_name("molecule", "IL-7", MOLECULES)
    assert str(info.value) == (
        "unknown molecule 'IL-7'; expected one of: 'IL-6', 'sIL-6R', 'sgp130', 'sgp130Fc'. "
        "Did you mean 'IL-6'?"
    )


def test_require_name_prefix_gets_a_suggestion():
    with pytest.raises(UnknownNameError, match=r"Did you mean 'sIL-6R'\?$"):
        require_name("molecule", "sIL", ["IL-6", "sIL-6R"])


def test_require_name_far_miss_has_no_suggestion_but_lists_valid_names():
    with pytest.raises(UnknownNameError) as info:
        require_name("cell type", "neuron", ["hepatocyte", "endothelial"])
    assert str(info.value) == (
        "unknown cell type 'neuron'; expected one of: 'hepatocyte', 'endothelial'."
    )
    assert "Did you mean" not in str(info.value)


def test_require_name_empty_string_is_unknown_without_suggestion():
    with pytest.raises(UnknownNameError) as info:
        require_name("molecule", "", MOLECULES)
    assert str(info.value) == (
        "unknown molecule ''; expected one of: 'IL-6', 'sIL-6R', 'sgp130', 'sgp130Fc'."
    )


def test_require_name_unknown_is_caught_as_key_error():
    with pytest.raises(KeyError):
        require_name("molecule", "TNF", MOLECULES)


@pytest.mark.parametrize("bad", [6, None, 6.0, b"IL-6", ["IL-6"]])
def test_require_name_non_str_is_course_type_error(bad):
    with pytest.raises(CourseTypeError) as info:
        require_name("molecule", bad, MOLECULES)
    assert str(info.value) == (
        f"molecule must be given by name (a str); got {bad!r} of type {type(bad).__name__}. "
        "Use one of: 'IL-6', 'sIL-6R', 'sgp130', 'sgp130Fc'."
    )
    assert isinstance(info.value, TypeError)


# --------------------------------------------------------------------------------------------
# as_nonnegative


def test_as_nonnegative_scalar_returns_0d_float_array():
    out = as_nonnegative("il6", 2, "nM")
    assert isinstance(out, np.ndarray)
    assert out.shape == ()
    assert out.dtype == np.float64
    assert float(out) == 2.0


def test_as_nonnegative_array_keeps_shape_and_values():
    data = np.arange(6, dtype=np.int64).reshape(2, 3)
    out = as_nonnegative("il6", data, "nM")
    assert out.shape == (2, 3)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, data)


def test_as_nonnegative_accepts_lists_0d_arrays_zero_and_empty():
    np.testing.assert_array_equal(as_nonnegative("x", [0.0, 1.5], "nM"), [0.0, 1.5])
    assert as_nonnegative("x", np.array(3.5), "nM").shape == ()
    assert float(as_nonnegative("x", 0, "nM")) == 0.0
    assert as_nonnegative("x", [], "nM").shape == (0,)


def test_as_nonnegative_negative_full_message():
    with pytest.raises(CourseValueError) as info:
        as_nonnegative("il6", -1, "nM")
    assert str(info.value) == (
        "il6 must be a concentration >= 0 nM; got -1.0 nM. "
        "Concentrations cannot be negative: check the sign."
    )


def test_as_nonnegative_reports_the_first_negative_entry():
    with pytest.raises(CourseValueError, match=r"got -2\.5 pM"):
        as_nonnegative("doses", [1.0, -2.5, -7.0], "pM")


@pytest.mark.parametrize(
    ("bad", "shown"),
    [(float("nan"), "nan"), (np.inf, "inf"), ([1.0, -np.inf], "-inf"), ([[0.0, np.nan]], "nan")],
)
def test_as_nonnegative_non_finite_full_message(bad, shown):
    with pytest.raises(CourseValueError) as info:
        as_nonnegative("sil6r", bad, "ng/mL")
    assert str(info.value) == (
        f"sil6r must be finite (in ng/mL); got {shown} ng/mL. "
        "Replace NaN or infinite values with a real concentration, e.g. 0 for none."
    )


@pytest.mark.parametrize("bad", ["1.0", "abc", b"1", None])
def test_as_nonnegative_strings_and_none_are_type_errors(bad):
    with pytest.raises(CourseTypeError) as info:
        as_nonnegative("il6", bad, "pg/mL")
    assert str(info.value) == (
        f"il6 must be a number or an array of numbers in pg/mL; got {bad!r}. "
        "Pass the number itself, e.g. il6=1.0 (meaning 1.0 pg/mL)."
    )


@pytest.mark.parametrize("bad", [[[1, 2], [3]], [1, "x"], 1 + 2j, {"a": 1}])
def test_as_nonnegative_ragged_or_non_numeric_is_type_error(bad):
    with pytest.raises(CourseTypeError) as info:
        as_nonnegative("il6", bad, "nM")
    assert str(info.value) == (
        f"il6 must be a number or an array of numbers in nM; got {bad!r}. "
        "Pass plain numbers, e.g. il6=1.0 (meaning 1.0 nM)."
    )


def test_as_nonnegative_rejects_a_list_of_numeric_strings():
    # BUG: a bare "1.0" is rejected, but ["1.0", "2.0"] is silently converted by numpy.
    # Strings typed into a list (e.g. from input() or a CSV read as text) should be reported
    # the same way as a bare string.
    with pytest.raises(CourseTypeError, match=r"must be a number or an array of numbers in nM"):
        as_nonnegative("il6", ["1.0", "2.0"], "nM")


def test_as_nonnegative_does_not_mutate_its_input():
    data = np.array([1.0, 2.0])
    out = as_nonnegative("x", data, "nM")
    out_copy = out.copy()
    np.testing.assert_array_equal(data, [1.0, 2.0])
    np.testing.assert_array_equal(out, out_copy)


# --------------------------------------------------------------------------------------------
# require_in_range


@pytest.mark.parametrize("value", [40, 40.0, 200, 200.0, 120, np.int64(80), np.float32(50.0)])
def test_require_in_range_bounds_are_inclusive(value):
    out = require_in_range("dpi", value, 40, 200, "dots per inch")
    assert type(out) is float
    assert out == float(value)


@pytest.mark.parametrize("value", [39.999, 200.001, -1, 1e9])
def test_require_in_range_outside_full_message(value):
    with pytest.raises(CourseValueError) as info:
        require_in_range("dpi", value, 40, 200, "dots per inch")
    assert str(info.value) == (
        f"dpi must lie within [40, 200] dots per inch; got {float(value)}. "
        "Choose a value inside that range."
    )


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
def test_require_in_range_rejects_non_finite_even_with_infinite_bounds(value):
    with pytest.raises(CourseValueError, match=re.escape(f"got {value}.")):
        require_in_range("t_end", value, -np.inf, np.inf, "min")


@pytest.mark.parametrize("value", [True, False])
def test_require_in_range_rejects_bool(value):
    with pytest.raises(CourseTypeError) as info:
        require_in_range("n_mice", value, 0, 1, "mice")
    assert str(info.value) == (
        f"n_mice must be a number in mice; got {value!r} of type bool. "
        "Pass a number between 0 and 1."
    )


@pytest.mark.parametrize("value", ["80", None, [80], np.array([80.0])])
def test_require_in_range_rejects_non_numbers(value):
    with pytest.raises(CourseTypeError) as info:
        require_in_range("dpi", value, 40, 200, "dots per inch")
    message = str(info.value)
    assert message.startswith(f"dpi must be a number in dots per inch; got {value!r} of type ")
    assert message.endswith("Pass a number between 40 and 200.")
