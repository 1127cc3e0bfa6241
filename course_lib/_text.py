"""Numbers and sources as text: how the course prints a number, checks and links a citation.

>>> format_number(0.000247), format_number(4050.2), format_number(2.5e7)
('0.000247', '4,050', '25,000,000')
>>> citation_problem("PMID:11502067") is None, citation_problem("a textbook") is not None
(True, True)
>>> count_of(1, "mouse", "mice"), count_of(3, "mouse", "mice"), p_value(0.00002)
('1 mouse', '3 mice', 'p < 0.0001')
"""

from __future__ import annotations

import html
import re

import numpy as np

__all__ = [
    "citation_problem",
    "cite_html",
    "count_of",
    "format_number",
    "format_percent",
    "p_value",
]


def format_number(x: float) -> str:
    """A number for people: 3 significant figures, thousands separators, never e-notation.

    Examples
    --------
    >>> [format_number(v) for v in (0.000247, 0.5, 12.345, 4050.2, 2.5e7, 1e4, 0.00166667)]
    ['0.000247', '0.5', '12.3', '4,050', '25,000,000', '10,000', '0.00167']
    """
    x = float(x)
    if x == 0 or not np.isfinite(x):
        return f"{x:g}"
    digits = 2 - int(np.floor(np.log10(abs(x))))
    if digits <= 0:  # 3 significant figures of a large number: round to tens, hundreds...
        return f"{round(x, digits):,.0f}"
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".")


def format_percent(fraction: float) -> str:
    """A fraction as a percentage for people, never rounded to "100%" or "0%" unless exact.

    3 significant figures, with more decimals where 3 would round a fraction below 1 up to
    100% ("99.99%", not "100%"); "more than 99.999%" and "less than 0.001%" at the extremes.

    Examples
    --------
    >>> [format_percent(f) for f in (0.476, 0.9996, 0.99994, 1.0, 0.0, 1e-9)]
    ['47.6%', '99.96%', '99.99%', '100%', '0%', 'less than 0.001%']
    """
    fraction = float(fraction)
    if fraction in (0.0, 1.0) or not np.isfinite(fraction):
        return f"{100 * fraction:g}%"
    percent = 100 * fraction
    if percent < 1e-3:
        return "less than 0.001%"
    text = format_number(percent)
    if fraction < 1 and float(text.replace(",", "")) >= 100:
        for decimals in (1, 2, 3):
            text = f"{percent:.{decimals}f}"
            if float(text) < 100:
                return text + "%"
        return "more than 99.999%"
    return text + "%"


def count_of(n: int, singular: str, plural: str | None = None) -> str:
    """A count and its noun, in the singular for one: '1 mouse', '3 mice', '1,200 nodules'.

    >>> count_of(1, "nodule"), count_of(0, "nodule"), count_of(2, "mouse", "mice")
    ('1 nodule', '0 nodules', '2 mice')
    """
    n = int(n)
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def p_value(p: float) -> str:
    """A p-value as people read it: 'p = 0.0123' (3 significant digits), 'p < 0.0001'.

    >>> p_value(0.012345), p_value(3e-7), p_value(float("nan"))
    ('p = 0.0123', 'p < 0.0001', 'p not defined')
    """
    p = float(p)
    if not np.isfinite(p):
        return "p not defined"
    return "p < 0.0001" if p < 1e-4 else f"p = {format_number(p)}"


_IDENTIFIER = re.compile(
    r"doi:10\.\d{4,9}/\S+|PMID:\s?\d{6,9}|PMC\d{6,8}|BIOMD\d{10}|"
    r"\b(?:19|20)\d\d;\s?\d+(?:\(\d+\))?:\s?e?\d+"
)


def citation_problem(source: str) -> str | None:
    """None if ``source`` is a citation or a reasoned assumption; else what to write instead.

    Accepted: a DOI (``doi:10...``), ``PMID:...``, ``PMC...``, a BioModels id, a journal
    citation (``J Immunol 1998;161:6347``), or ``assumed: <a reason of ten characters or more>``.
    """
    if source.startswith("assumed: "):
        reason = source.removeprefix("assumed: ").strip()
        return None if len(reason) >= 10 else "give the reason after 'assumed: '"
    if _IDENTIFIER.search(source):
        return None
    return (
        "cite a DOI ('doi:10...'), 'PMID:...', 'PMC...', a BioModels id or a journal citation "
        "('J Immunol 1998;161:6347'), or write 'assumed: <reason>'"
    )


def cite_html(source: str) -> str:
    """``source`` as HTML, every DOI a link to doi.org."""
    return re.sub(
        r"doi:(10\.\d{4,9}/[^\s;,)]+)",
        lambda m: f'<a href="https://doi.org/{m.group(1)}">doi:{m.group(1)}</a>',
        html.escape(source),
    )
