"""Numbers in the reveal of a prediction: three significant figures, as the course writes them."""

from __future__ import annotations

from course_lib._text import format_number

__all__ = ["percent", "sig3"]


def sig3(x: float) -> str:
    """``x`` to three significant figures, with the course's thousands separators.

    >>> sig3(4046.2), sig3(0.024708), sig3(1.0)
    ('4,050', '0.0247', '1')
    """
    return format_number(float(f"{float(x):.3g}"))


def percent(fraction: float) -> str:
    """A fraction as a percentage to three significant figures.

    >>> percent(0.020088), percent(0.5556)
    ('2.01%', '55.6%')
    """
    return f"{sig3(100 * float(fraction))}%"
