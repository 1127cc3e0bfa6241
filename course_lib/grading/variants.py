"""Per-student numbers for the exercises: each student's own concentrations, doses and seeds.

An exercise item can draw its numbers from the student's id, so two students' right answers
differ and a copied answer fails. The numbers are drawn deterministically (a hash of the
course's salt, the exercise and the id seeds a `numpy.random.Generator`) from sensible ranges
(`ITEMS`): the same id always gets the same numbers. Without an id, every item keeps the number
the lessons use (its default).

Where the id comes from, first match wins:

1. ``COURSE_STUDENT_ID`` in the environment: a JupyterHub sets it for each student, and the
   grader sets it in the sandbox to the id of the submission's folder or file name (an empty
   value means "no id": the default numbers);
2. the id typed in the notebook's first code cell (``STUDENT_ID = "..."``), for a student who
   works alone.

The grader never trusts the id a notebook states: it recomputes every expected value for the
id it knows from where the notebook was submitted.

>>> my = variant("01", "s1234567")
>>> my == variant("01", " S1234567 ")  # the same id, the same numbers
True
>>> variant("01").il6_ng_ml, variant("01", "").is_default  # no id: the lesson's numbers
(1.0, True)
>>> 0.5 <= my.il6_ng_ml <= 5.0
True
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from course_lib.errors import CourseTypeError, CourseValueError

__all__ = ["ENV", "ITEMS", "Draw", "Variant", "defaults", "normalise_id", "variant"]

#: The environment variable that carries the student's id (set by a hub or by the grader).
ENV = "COURSE_STUDENT_ID"
#: Mixed into every draw, so this course's numbers differ from another course's.
SALT = "il6-liver-course/variants/v1"
_ID = re.compile(r"^[^\x00-\x1f\x7f]{1,100}$")
_FORCED: contextvars.ContextVar[str | None] = contextvars.ContextVar("forced_id", default=None)


@dataclass(frozen=True)
class Draw:
    """One varied number: its default and the grid it is drawn from (``low`` to ``high`` in
    steps of ``step``), or the listed ``choices`` when there are any."""

    name: str
    default: float
    low: float
    high: float
    step: float
    unit: str
    what: str
    choices: tuple[float, ...] = ()

    def pick(self, rng: np.random.Generator) -> float | int:
        """A value of the grid ``low, low + step, ..., high`` (or a choice), drawn with ``rng``."""
        if self.choices:
            return self.typed(self.choices[int(rng.integers(0, len(self.choices)))])
        k = int(rng.integers(0, round((self.high - self.low) / self.step) + 1))
        return self.typed(self.low + k * self.step)

    def typed(self, value: float) -> float | int:
        """``value`` rounded to the grid's precision: an int when the step is whole."""
        return round(float(value)) if float(self.step).is_integer() else round(float(value), 6)


#: The varied numbers of each exercise notebook (by its number), with their sources:
#: 00 serum IL-6 within healthy-to-inflamed levels (SERUM_HUMAN il6_healthy, 0-43.5 pg/mL);
#: 01 a dish stimulus of IL-6 (STIMULUS_DOSES il6) and sIL-6R in the adult range (20-80 ng/mL);
#: 02 serum sgp130 in the adult range (SERUM_HUMAN sgp130, up to 400 ng/mL);
#: 03 an IL-6 dose of cell culture (STIMULUS_DOSES il6), chosen so each gives its own peak time;
#: 04 the olamkicept doses of the trials (75-600 mg);
#: 05 the cohort's size and seed (DEN study sizes, 30-50 mice per group);
#: 06 the reduction a lab hopes for, 40-70% (the lesson's examples are 50 and 70%), chosen so
#: that the sample sizes lie more than the check's tolerance (2 mice) apart;
#: 07 the serum level of sgp130Fc in the mouse study, 1.5-5 µg/mL (the lesson's is 3 µg/mL),
#: chosen so that the reductions lie more than the hidden test's tolerance (0.01) apart.
ITEMS: dict[str, tuple[Draw, ...]] = {
    "00": (Draw("il6_pg_ml", 5.19, 2.0, 15.0, 0.01, "pg/mL", "serum IL-6, Exercise 0.1"),),
    "01": (
        Draw("il6_ng_ml", 1.0, 0.5, 5.0, 0.1, "ng/mL", "IL-6 in the dish, Exercise 1.3"),
        Draw("sil6r_ng_ml", 40.0, 20.0, 80.0, 1.0, "ng/mL", "sIL-6R in the dish, Exercise 1.3"),
    ),
    "02": (Draw("sgp130_ng_ml", 300.0, 200.0, 400.0, 5.0, "ng/mL", "serum sgp130, Exercise 2.1"),),
    "03": (
        Draw(
            "il6_ng_ml",
            *(40.0, 0.05, 10.0, 0.01, "ng/mL", "IL-6 dose, Exercise 3.1"),
            choices=(
                0.05,
                0.07,
                0.1,
                0.12,
                0.2,
                0.25,
                0.3,
                0.4,
                0.5,
                0.7,
                1,
                1.5,
                2,
                2.5,
                4,
                5,
                10,
            ),
        ),
    ),
    "04": (Draw("dose_mg", 300.0, 75.0, 600.0, 25.0, "mg", "olamkicept dose, Exercise 4.4"),),
    "05": (
        Draw("n_mice", 40.0, 30.0, 50.0, 1.0, "mice per genotype", "cohort size, Exercise 5.1"),
        Draw("seed", 52.0, 1.0, 9998.0, 1.0, "", "seed of the wild-type cohort, Exercise 5.1"),
    ),
    "06": (
        Draw(
            "reduction",
            *(0.7, 0.4, 0.7, 0.05, "(a fraction)", "the hoped-for reduction, Exercise 6.1"),
            choices=(0.4, 0.45, 0.5, 0.55, 0.6, 0.7),
        ),
    ),
    "07": (
        Draw(
            "serum_ug_ml",
            *(3.0, 1.5, 5.0, 0.25, "µg/mL", "sgp130Fc in serum, Exercise 7.1"),
            choices=(1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5, 3.75, 4.0, 4.5, 5.0),
        ),
    ),
}


class Variant(Mapping):
    """The numbers of one exercise notebook for one student (or the defaults, without an id).

    Read a number as an attribute (``my.il6_ng_ml``) or by name (``my["il6_ng_ml"]``).
    """

    def __init__(self, exercise: str, student: str | None, numbers: dict, note: str = "") -> None:
        self.exercise, self.student, self._numbers = exercise, student, dict(numbers)
        self.note = note  # why the id typed in the notebook is not used, if it is not

    @property
    def is_default(self) -> bool:
        """True when no id was given: the numbers the lessons use."""
        return self.student is None

    def __getitem__(self, name: str):
        return self._numbers[name]

    def __getattr__(self, name: str):
        numbers = self.__dict__.get("_numbers", {})
        if name in numbers:
            return numbers[name]
        raise AttributeError(
            f"exercise {self.__dict__.get('exercise')} has no varied number {name!r}; it has "
            f"{sorted(numbers)}. Use one of these names."
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Variant):
            return NotImplemented
        return (self.exercise, self.student, self._numbers) == (
            other.exercise,
            other.student,
            other._numbers,
        )

    def __hash__(self) -> int:
        return hash((self.exercise, self.student, tuple(self._numbers.items())))

    def _lines(self) -> list[str]:
        draws = {d.name: d for d in ITEMS.get(self.exercise, ())}
        return [
            " ".join(x for x in (f"{name} =", f"{value:g}", draws[name].unit) if x)
            + f" ({draws[name].what})"
            for name, value in self._numbers.items()
        ]

    def _title(self) -> str:
        if self.is_default:
            return (
                f"Exercises {self.exercise}, the course's default numbers (no student id: put "
                'yours in the first code cell, STUDENT_ID = "...", and run all cells)'
            )
        return f"Exercises {self.exercise}, your numbers (student id {self.student!r})"

    def __repr__(self) -> str:
        note = [f"  ({self.note})"] if self.note else []
        lines = [f"  my.{line}" for line in self._lines()]
        return "\n".join([self._title() + ":", *lines, *note])

    def _repr_html_(self) -> str:
        from html import escape

        items = "".join(f"<li><code>my.{escape(line)}</code></li>" for line in self._lines())
        note = f"<p>{escape(self.note)}</p>" if self.note else ""
        return f"<p><b>{escape(self._title())}</b></p><ul>{items}</ul>{note}"


def normalise_id(student_id: object) -> str | None:
    """A student id as the course compares it (trimmed, lower case); None for no id.

    >>> normalise_id(" Alice  Smith "), normalise_id(""), normalise_id(None)
    ('alice smith', None, None)
    >>> normalise_id("x" * 101)
    Traceback (most recent call last):
    ...
    course_lib.errors.CourseValueError: student id 'xxxxxxxxxxxx'... is not valid: use 1 to 100 printable characters, e.g. STUDENT_ID = "s1234567".
    """
    if student_id is None:
        return None
    if not isinstance(student_id, str):
        raise CourseTypeError(
            f"a student id is text; got {type(student_id).__name__} {student_id!r}. Put it "
            'in quotes, e.g. STUDENT_ID = "s1234567".'
        )
    text = " ".join(student_id.split()).casefold()
    if not text:
        return None
    if not _ID.match(text):
        raise CourseValueError(
            f"student id {student_id[:12]!r}{'...' if len(student_id) > 12 else ''} is not "
            'valid: use 1 to 100 printable characters, e.g. STUDENT_ID = "s1234567".'
        )
    return text


def _draw(exercise: str, student: str | None) -> Variant:
    if exercise not in ITEMS:
        raise CourseValueError(
            f"no varied numbers for exercise {exercise!r}; expected one of {sorted(ITEMS)}. "
            "Use the notebook's two-digit number, e.g. variant('01')."
        )
    draws = ITEMS[exercise]
    if student is None:
        numbers = {d.name: d.typed(d.default) for d in draws}
        return Variant(exercise, None, numbers)
    digest = hashlib.sha256(f"{SALT}|{exercise}|{student}".encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "big"))
    return Variant(exercise, student, {d.name: d.pick(rng) for d in draws})


def defaults(exercise: str) -> Variant:
    """The numbers of ``exercise`` without a student id (those the lessons use)."""
    return _draw(exercise, None)


def variant(exercise: str, student_id: str | None = None) -> Variant:
    """The numbers of exercise notebook ``exercise`` for a student.

    Parameters
    ----------
    exercise : str
        The notebook's two-digit number, e.g. ``"01"``.
    student_id : str, optional
        The id typed in the notebook. ``COURSE_STUDENT_ID`` in the environment (set by a hub,
        or by the grader) wins over it; without either, the default numbers.

    Returns
    -------
    Variant
        The numbers, by name; showing it lists them.
    """
    forced = _FORCED.get()
    if forced is not None:  # the grader's own process: the id it knows, nothing else
        return _draw(exercise, normalise_id(forced))
    typed = normalise_id(student_id)
    if ENV in os.environ:
        drawn = _draw(exercise, normalise_id(os.environ[ENV]))
        if typed is not None and typed != drawn.student:
            drawn.note = (
                f"the id typed in the notebook, {typed!r}, is not used: the course set "
                f"{ENV} for you, and the grader uses the id you submit under"
            )
        return drawn
    return _draw(exercise, typed)


@contextlib.contextmanager
def graded_as(student: str | None) -> Iterator[None]:
    """Within this block `variant` returns ``student``'s numbers whatever it is asked (the
    grader's process uses it while it runs a source's set-up cells). None or "" means the
    default numbers."""
    token = _FORCED.set(student or "")
    try:
        yield
    finally:
        _FORCED.reset(token)
