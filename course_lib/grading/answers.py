"""Answers as plain data: how a student's values cross from the sandbox to the grader.

The sandboxed kernel runs the student's cells; the grader never looks at the kernel's objects.
It asks for each answer by name, and the kernel sends it back as JSON built only from builtin
types (`encode`, run inside the sandbox). The grader rebuilds the value from that JSON with
strict checks (`decode`): a ``str`` subclass with a rigged ``__eq__`` arrives as a plain
``str``, a rigged ``__float__`` is never called in the grader, and anything that is not plain
data becomes an `Opaque` marker that no check accepts. A function answer arrives as a
`RemoteFunction`: calling it asks the sandbox to call the student's function with plain-data
arguments and returns plain data.

Every non-primitive value is a dict with one tag key, so the two sides cannot confuse data with
structure:

>>> import numpy as np
>>> payload = encode({"n": 8, "levels": np.array([1.0, 2.5]), "choice": "b"})
>>> value = decode(payload)
>>> value["n"], value["choice"], value["levels"].tolist()
(8, 'b', [1.0, 2.5])
>>> decode({"__callable__": "nope"})
Traceback (most recent call last):
...
course_lib.errors.CourseValueError: an answer's data is malformed: a callable needs a caller (the grader's link to the sandbox); got none. This is a grader error, not the student's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from course_lib.errors import CourseValueError
from course_lib.models.arrive import ArriveChecklist

__all__ = ["MAX_ITEMS", "Opaque", "RemoteFunction", "decode", "encode"]

#: Largest number of items (list elements, array values, dict keys) in one answer.
MAX_ITEMS = 1_000_000
_MAX_DEPTH = 20
_MAX_STR = 100_000
_ARRIVE_ITEMS = (
    "study_design",
    "sample_size",
    "inclusion_exclusion",
    "randomisation",
    "blinding",
    "outcome_measures",
    "statistical_methods",
    "experimental_animals",
    "experimental_procedures",
    "results",
)
_NUMERIC = {"b": "bool", "i": "int64", "u": "int64", "f": "float64"}


@dataclass(frozen=True)
class Opaque:
    """An answer that is not plain data (an object of the student's own making).

    No check accepts it; its ``type_name`` says what it was, for the feedback.
    """

    type_name: str

    def __repr__(self) -> str:
        return f"<an object of type {self.type_name}, which is not plain data>"


class RemoteFunction:
    """A student's function, left inside the sandbox: calling it sends plain-data arguments
    there and returns the plain-data result (or raises `CourseValueError` with the reason)."""

    def __init__(self, name: str, caller: Callable[[str, list, dict], object]) -> None:
        self.name, self._caller = name, caller
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        return self._caller(
            self.name, [encode(a) for a in args], {k: encode(v) for k, v in kwargs.items()}
        )

    def __repr__(self) -> str:
        return f"<the student's function {self.name!r}, run in the sandbox>"


def _float(x: float):
    return x if math.isfinite(x) else {"__float__": repr(x)}


def encode(value, _depth: int = 0):
    """``value`` as JSON-ready plain data, built with builtin conversions only.

    Runs inside the sandbox, on the student's objects: it converts with ``float``, ``str``,
    ``int`` and ``numpy.asarray`` and never trusts a type's own methods for the result's type.
    """
    if _depth > _MAX_DEPTH:
        return {"__opaque__": "a structure nested too deeply"}
    if value is None or type(value) is bool:
        return value
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int):
        return int.__int__(value)  # the value itself, not what a subclass's __int__ says
    if isinstance(value, np.integer):
        return int(np.asarray(value, dtype=np.int64))
    if isinstance(value, float):
        return _float(float.__float__(value))
    if isinstance(value, np.floating):
        return _float(float(np.asarray(value, dtype=np.float64)))
    if isinstance(value, str):
        return str.__str__(value)[:_MAX_STR]
    if value is Ellipsis:
        return {"__ellipsis__": True}
    if isinstance(value, np.ndarray):
        return _encode_array(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value)[:MAX_ITEMS]
        if isinstance(value, set | frozenset):
            tag, items = "__set__", sorted(items, key=repr)
        else:
            tag = "__tuple__" if isinstance(value, tuple) else "__list__"
        return {tag: [encode(item, _depth + 1) for item in items]}
    if isinstance(value, dict):
        keys = [k for k in list(value)[:MAX_ITEMS] if isinstance(k, str)]
        return {"__dict__": {str.__str__(k): encode(value[k], _depth + 1) for k in keys}}
    if type(value).__name__ == "ArriveChecklist":
        return {"__arrive__": {k: _text(value, k) for k in _ARRIVE_ITEMS}}
    if callable(value):
        return {"__callable__": True}
    return {"__opaque__": type(value).__name__[:100]}


def _text(obj, name: str) -> str:
    try:
        item = object.__getattribute__(obj, name)
    except AttributeError:
        return ""
    return str.__str__(item)[:_MAX_STR] if isinstance(item, str) else ""


def _encode_array(arr: np.ndarray):
    kind = _NUMERIC.get(arr.dtype.kind)
    if kind is None or arr.size > MAX_ITEMS:
        return {"__opaque__": f"numpy array of {arr.dtype} with {arr.size} values"}
    flat = np.asarray(arr, dtype=kind).ravel().tolist()
    if kind == "float64":
        flat = [_float(x) for x in flat]
    return {"__ndarray__": {"dtype": kind, "shape": list(arr.shape), "data": flat}}


def _bad(what: str, got) -> CourseValueError:
    return CourseValueError(
        f"an answer's data is malformed: {what}; got {str(got)[:80]}. This is a grader error, "
        "not the student's."
    )


def decode(payload, caller: Callable | None = None, *, name: str = "answer", _depth: int = 0):
    """Rebuild an answer from the plain data of `encode`, checking every part of it.

    Parameters
    ----------
    payload : JSON-ready data
        What the sandbox sent for one answer.
    caller : callable, optional
        ``caller(name, args, kwargs)`` calls a student's function in the sandbox; needed when
        the answer is a function (it becomes a `RemoteFunction`).
    name : str
        The answer's variable name (a function answer keeps it).
    """
    if _depth > _MAX_DEPTH:
        raise _bad("nested too deeply", "more levels")
    if payload is None or type(payload) in (bool, int):
        return payload
    if type(payload) is float:
        if not math.isfinite(payload):
            raise _bad("a non-finite float must be tagged", payload)
        return payload
    if type(payload) is str:
        return payload[:_MAX_STR]
    if type(payload) is not dict or len(payload) != 1:
        raise _bad("expected a primitive or a dict with one tag", type(payload).__name__)
    ((tag, body),) = payload.items()
    return _decode_tagged(tag, body, caller, name, _depth)


def _decode_tagged(tag: str, body, caller, name: str, depth: int):
    def inner(item):
        return decode(item, caller, name=name, _depth=depth + 1)

    if tag == "__float__" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag in ("__list__", "__tuple__", "__set__") and type(body) is list:
        items = [inner(item) for item in body[:MAX_ITEMS]]
        if tag == "__set__":
            return {i for i in items if isinstance(i, int | float | str | bool) or i is None}
        return items if tag == "__list__" else tuple(items)
    if tag == "__dict__" and type(body) is dict:
        return {str(k): inner(v) for k, v in list(body.items())[:MAX_ITEMS]}
    if tag == "__ndarray__" and type(body) is dict:
        return _decode_array(body)
    if tag == "__ellipsis__":
        return Ellipsis
    if tag == "__opaque__":
        return Opaque(str(body)[:100])
    if tag == "__arrive__" and type(body) is dict:
        items = {k: body[k] for k in _ARRIVE_ITEMS if type(body.get(k)) is str}
        return ArriveChecklist(**items)
    if tag == "__callable__":
        if caller is None:
            raise CourseValueError(
                "an answer's data is malformed: a callable needs a caller (the grader's link to "
                "the sandbox); got none. This is a grader error, not the student's."
            )
        return RemoteFunction(name, caller)
    raise _bad(f"unknown tag {tag!r} or a body of the wrong type", type(body).__name__)


def _decode_array(body: dict) -> np.ndarray:
    dtype, shape, data = body.get("dtype"), body.get("shape"), body.get("data")
    ok_shape = type(shape) is list and all(type(n) is int and n >= 0 for n in shape)
    if dtype not in _NUMERIC.values() or not ok_shape or type(data) is not list:
        raise _bad("an array needs a numeric dtype, a shape and a flat data list", body.keys())
    if math.prod(shape) != len(data) or len(data) > MAX_ITEMS:
        raise _bad("the array's data does not fill its shape", len(data))
    values = [decode(x) if type(x) is dict else x for x in data]
    if not all(type(v) in (int, float, bool) for v in values):
        raise _bad("an array holds only numbers", "other values")
    return np.asarray(values, dtype=dtype).reshape(shape)
