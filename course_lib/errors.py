"""One error hierarchy for the course library, and the input checks that raise it.

Every message has four parts: what was wrong, what was received, what was expected, and how
to fix it. Unknown names list the valid ones and suggest the closest match.

Each error is also a built-in exception type, so ``except ValueError`` keeps working:

>>> from course_lib.errors import require_name
>>> require_name("molecule", "IL-7", ["IL-6", "sIL-6R"])
Traceback (most recent call last):
...
course_lib.errors.UnknownNameError: unknown molecule 'IL-7'; expected one of: 'IL-6', 'sIL-6R'. Did you mean 'IL-6'?
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable

import numpy as np

__all__ = [
    "CourseLibError",
    "CourseTypeError",
    "CourseValueError",
    "ExerciseFileError",
    "ParameterError",
    "ShapeError",
    "UnitError",
    "UnknownNameError",
    "as_nonnegative",
    "as_scalar",
    "require_in_range",
    "require_name",
]


class CourseLibError(Exception):
    """Base class of every error the course library raises on purpose."""


class CourseValueError(CourseLibError, ValueError):
    """A number that is negative, not finite, or outside the range a function accepts."""


class ParameterError(CourseValueError):
    """A `Parameter` or `ParameterSet` built or changed with an invalid value."""


class ShapeError(CourseValueError):
    """Arrays whose shapes cannot be used together."""


class UnitError(CourseValueError):
    """A unit the course does not know, or one that cannot convert to the unit asked for."""


class CourseTypeError(CourseLibError, TypeError):
    """An argument of the wrong type (a string where a number belongs, say)."""


class ExerciseFileError(CourseLibError):
    """An exercise or solution notebook that cannot be generated, read or overwritten safely."""


class UnknownNameError(CourseLibError, KeyError):
    """A name (molecule, cell type, drug, parameter...) the course does not define."""

    def __str__(self) -> str:  # KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


def _quote_all(names: Iterable[str]) -> str:
    return ", ".join(repr(n) for n in names)


def require_name(kind: str, name: object, valid: Iterable[str]) -> str:
    """Return the valid name that ``name`` stands for, or raise `UnknownNameError`.

    Matching ignores case, spaces, hyphens and underscores, so ``"il6"`` finds ``"IL-6"``
    only when no other name folds to the same text. A near miss gets a suggestion.

    Parameters
    ----------
    kind : str
        What the name names, for the message ("molecule", "cell type", ...).
    name : object
        What the caller passed.
    valid : iterable of str
        The names that exist.

    Returns
    -------
    str
        The canonical spelling from ``valid``.

    Examples
    --------
    >>> require_name("molecule", "sgp130fc", ["sgp130", "sgp130Fc"])
    'sgp130Fc'
    """
    valid = list(valid)
    if not isinstance(name, str):
        raise CourseTypeError(
            f"{kind} must be given by name (a str); got {name!r} of type "
            f"{type(name).__name__}. Use one of: {_quote_all(valid)}."
        )
    if name in valid:
        return name

    def fold(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    folded = [v for v in valid if fold(v) == fold(name)]
    if len(folded) == 1:
        return folded[0]
    if len(folded) > 1:
        raise UnknownNameError(
            f"{kind} {name!r} is ambiguous: it could mean {_quote_all(folded)}. "
            "Use the exact spelling."
        )
    lowered = {v.lower(): v for v in valid}
    close = [lowered[c] for c in difflib.get_close_matches(name.lower(), lowered, n=1, cutoff=0.6)]
    if not close:
        close = [v for v in valid if fold(v).startswith(fold(name)) and fold(name)][:1]
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise UnknownNameError(f"unknown {kind} {name!r}; expected one of: {_quote_all(valid)}.{hint}")


def as_nonnegative(
    name: str, value: object, unit: str, *, what: str = "a concentration"
) -> np.ndarray:
    """Return ``value`` as a float array after checking it is finite and not negative.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : float or array_like
        The number(s) to check.
    unit : str
        The unit the caller expects, for the message.
    what : str
        What the number is ("a concentration", "a dose"), for the message.

    Returns
    -------
    numpy.ndarray
        ``value`` as float64 (0-d for a scalar).

    Examples
    --------
    >>> as_nonnegative("il6", [0.1, 2.0], "nM")
    array([0.1, 2. ])
    >>> as_nonnegative("il6", -1, "nM")
    Traceback (most recent call last):
    ...
    course_lib.errors.CourseValueError: il6 must be a concentration >= 0 nM; got -1.0 nM. Concentrations cannot be negative: check the sign.
    """
    if isinstance(value, str | bytes | bool) or value is None:
        raise CourseTypeError(
            f"{name} must be a number or an array of numbers in {unit}; got {value!r}. "
            f"Pass the number itself, e.g. {name}=1.0 (meaning 1.0 {unit})."
        )
    try:
        raw = np.asarray(value)
        if raw.dtype.kind not in "iuf":  # text, objects, booleans, complex numbers
            raise TypeError
        arr = raw.astype(float, copy=False)
    except (TypeError, ValueError):
        raise CourseTypeError(
            f"{name} must be a number or an array of numbers in {unit}; got {value!r}. "
            f"Pass plain numbers, e.g. {name}=1.0 (meaning 1.0 {unit})."
        ) from None
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].flat[0]
        raise CourseValueError(
            f"{name} must be finite (in {unit}); got {bad} {unit}. "
            "Replace NaN or infinite values with a real concentration, e.g. 0 for none."
        )
    if np.any(arr < 0):
        bad = float(arr[arr < 0].flat[0])
        raise CourseValueError(
            f"{name} must be {what} >= 0 {unit}; got {bad} {unit}. "
            f"{what.split()[-1].capitalize()}s cannot be negative: check the sign."
        )
    return arr


def as_scalar(name: str, value: object, unit: str, *, what: str = "a concentration") -> float:
    """Like `as_nonnegative`, for places that take exactly one number (a figure's setting).

    Examples
    --------
    >>> as_scalar("il6", [1.0, 2.0], "nM")
    Traceback (most recent call last):
    ...
    course_lib.errors.ShapeError: il6 must be a single number in nM; got an array of shape (2,). The figure shows one condition at a time: pass one value.
    """
    arr = as_nonnegative(name, value, unit, what=what)
    if arr.ndim:
        raise ShapeError(
            f"{name} must be a single number in {unit}; got an array of shape {arr.shape}. "
            "The figure shows one condition at a time: pass one value."
        )
    return float(arr)


def require_in_range(name: str, value: object, low: float, high: float, unit: str) -> float:
    """Return ``value`` as a float when ``low <= value <= high``; raise otherwise.

    Examples
    --------
    >>> require_in_range("dpi", 80, 40, 200, "dots per inch")
    80.0
    >>> require_in_range("dpi", 500, 40, 200, "dots per inch")
    Traceback (most recent call last):
    ...
    course_lib.errors.CourseValueError: dpi must lie within [40, 200] dots per inch; got 500.0. Choose a value inside that range.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise CourseTypeError(
            f"{name} must be a number in {unit}; got {value!r} of type {type(value).__name__}. "
            f"Pass a number between {low:g} and {high:g}."
        )
    x = float(value)
    if not math.isfinite(x) or not low <= x <= high:
        raise CourseValueError(
            f"{name} must lie within [{low:g}, {high:g}] {unit}; got {x}. "
            "Choose a value inside that range."
        )
    return x
