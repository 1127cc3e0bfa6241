"""Cited parameters: every number a model or widget uses, with its unit, range and source.

A `Parameter` is a frozen record. A `ParameterSet` is an immutable, ordered collection of them;
`ParameterSet.with_values` returns a changed copy and leaves the original alone. In a notebook a
set shows itself as a table with its sources.

Sources are a DOI (``doi:10...``), a PubMed id (``PMID:...``), a PubMed Central id (``PMC...``),
a BioModels id (``BIOMD...``), a journal citation (``J Immunol 1998;161:6347``), or an explicit
assumption that begins ``"assumed: "`` and gives the reason. Values come from
``shared/science/FACTS.md``; values marked there as unverified are written as assumptions.

>>> from course_lib.parameters import SERUM_HUMAN
>>> SERUM_HUMAN["il6_healthy"].value, SERUM_HUMAN["il6_healthy"].unit
(5.19, 'pg/mL')
>>> raised = SERUM_HUMAN.with_values(il6_healthy=10.0)
>>> raised.value("il6_healthy"), SERUM_HUMAN.value("il6_healthy")
(10.0, 5.19)
"""

from __future__ import annotations

import html
import importlib
import math
import pkgutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from course_lib._text import citation_problem, cite_html, format_number
from course_lib.errors import CourseTypeError, ParameterError, UnknownNameError, require_name

__all__ = [
    "SERUM_HUMAN",
    "UNITS",
    "Parameter",
    "ParameterSet",
    "all_parameter_sets",
    "all_parameters",
]

#: The unit strings a `Parameter` may carry. Concentrations in models are nM, times min.
UNITS: frozenset[str] = frozenset(
    {
        "pM",
        "nM",
        "uM",
        "pg/mL",
        "ng/mL",
        "ug/mL",
        "mg/mL",
        "kDa",
        "L",
        "kg",
        "mg",
        "mg/kg",
        "mm",
        "s",
        "min",
        "h",
        "d",
        "weeks",
        "1/min",
        "1/h",
        "1/week",
        "1/(nM*min)",
        "1/(nM*h)",
        "nM/h",
        "per cell",
        "count",
        "fraction",
        "fold",
        "%",
        "1",
    }
)


@dataclass(frozen=True)
class Parameter:
    """One number with its unit, meaning, plausible range and source.

    Parameters
    ----------
    name : str
        Python identifier used as the key in a `ParameterSet` (e.g. ``"kd_il6_il6r"``).
    value : float
        The default value, in ``unit``.
    unit : str
        One of `UNITS`.
    description : str
        What the number is, in words a student understands.
    source : str
        Where the value comes from (see the module docstring for the accepted forms).
    bounds : tuple of float
        The plausible range ``(low, high)``; sliders span it and ``value`` must lie in it.

    Examples
    --------
    >>> p = Parameter("kd", 1.0, "nM", "IL-6:IL-6R dissociation constant",
    ...               "PMID:11502067", (0.5, 20.0))
    >>> p.is_assumption
    False
    >>> Parameter("kd", 50.0, "nM", "IL-6:IL-6R dissociation constant",
    ...           "PMID:11502067", (0.5, 20.0))
    Traceback (most recent call last):
    ...
    course_lib.errors.ParameterError: Parameter 'kd': value 50.0 nM lies outside its plausible range [0.5, 20] nM. Use a value inside the range, or widen the range and cite why.
    """

    name: str
    value: float
    unit: str
    description: str
    source: str
    bounds: tuple[float, float]

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ParameterError(
                f"Parameter name must be a Python identifier; got {self.name!r}. "
                "Use letters, digits and underscores, e.g. 'kd_il6_il6r'."
            )
        where = f"Parameter {self.name!r}"
        for field in ("unit", "description", "source"):
            if not isinstance(getattr(self, field), str):
                raise CourseTypeError(
                    f"{where}: {field} must be a str; got {getattr(self, field)!r}. "
                    f"Write the {field} as text."
                )
        if isinstance(self.value, bool | np.bool_) or not isinstance(
            self.value, int | float | np.integer | np.floating
        ):
            raise CourseTypeError(
                f"{where}: value must be a number; got {self.value!r}. Give a float in {self.unit}."
            )
        object.__setattr__(self, "value", float(self.value))
        if self.unit not in UNITS:
            raise ParameterError(
                f"{where}: unknown unit {self.unit!r}; expected one of "
                f"{', '.join(sorted(UNITS))}. Convert the value to one of these units."
            )
        if not self.description.strip():
            raise ParameterError(f"{where}: description is empty. Say what the number means.")
        problem = citation_problem(self.source)
        if problem:
            raise ParameterError(f"{where}: source {self.source!r} is not a citation; {problem}.")
        try:
            low, high = (float(b) for b in self.bounds)
        except (TypeError, ValueError):
            raise ParameterError(
                f"{where}: bounds must be two numbers (low, high); got {self.bounds!r}."
            ) from None
        if not (math.isfinite(low) and math.isfinite(high) and low <= high):
            raise ParameterError(
                f"{where}: bounds must be finite with low <= high; got {self.bounds!r}. "
                "Write them as (low, high)."
            )
        object.__setattr__(self, "bounds", (low, high))
        if not (math.isfinite(self.value) and low <= self.value <= high):
            raise ParameterError(
                f"{where}: value {self.value} {self.unit} lies outside its plausible range "
                f"[{low:g}, {high:g}] {self.unit}. Use a value inside the range, or widen the "
                "range and cite why."
            )

    @property
    def is_assumption(self) -> bool:
        """True when the value is an explicit assumption rather than a cited number."""
        return self.source.startswith("assumed: ")

    @property
    def label(self) -> str:
        """``"description (unit)"``, the label a widget shows."""
        return f"{self.description} ({self.unit})"


class ParameterSet(Mapping[str, Parameter]):
    """An immutable, ordered collection of `Parameter` objects, looked up by name.

    Parameters
    ----------
    title : str
        A heading for the table view.
    parameters : iterable of Parameter
        The members; names must be unique.

    Examples
    --------
    >>> ps = ParameterSet("demo", [Parameter("x", 1.0, "nM", "a number", "PMID:11502067",
    ...                                      (0.0, 2.0))])
    >>> ps.as_floats()
    {'x': 1.0}
    >>> ps.with_values(x=3.0)
    Traceback (most recent call last):
    ...
    course_lib.errors.ParameterError: Parameter 'x': value 3.0 nM lies outside its plausible range [0, 2] nM. Use a value inside the range, or widen the range and cite why.
    """

    __slots__ = ("_params", "title")

    def __init__(self, title: str, parameters) -> None:
        params: dict[str, Parameter] = {}
        for p in parameters:
            if not isinstance(p, Parameter):
                raise CourseTypeError(
                    f"ParameterSet {title!r} takes Parameter objects; got {p!r}. "
                    "Wrap the number in Parameter(name, value, unit, description, source, bounds)."
                )
            if p.name in params:
                raise ParameterError(
                    f"ParameterSet {title!r}: the name {p.name!r} appears twice. Rename one."
                )
            params[p.name] = p
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "_params", params)

    def __setattr__(self, name, value):
        raise AttributeError("ParameterSet is immutable; use with_values(...) for a changed copy")

    def __getitem__(self, name: str) -> Parameter:
        if not isinstance(name, str):  # a KeyError, so `get` and `in` behave as for a dict
            raise UnknownNameError(
                f"parameter names are text; got {name!r}. Use one of: "
                f"{', '.join(repr(n) for n in self._params)}."
            )
        return self._params[require_name(f"parameter in {self.title!r}", name, self._params)]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._params

    def __reduce__(self):  # copy and pickle rebuild through __init__ (the set is immutable)
        return (ParameterSet, (self.title, tuple(self._params.values())))

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def value(self, name: str) -> float:
        """The value of parameter ``name`` as a float, in its own unit."""
        return self[name].value

    def as_floats(self) -> dict[str, float]:
        """``{name: value}`` for the numerics."""
        return {name: p.value for name, p in self._params.items()}

    def with_values(self, **values: float) -> ParameterSet:
        """A new set in which the named parameters take new values (checked against bounds)."""
        changed = dict(self._params)
        given: dict[str, str] = {}
        for name, new in values.items():
            key = require_name(f"parameter in {self.title!r}", name, self._params)
            if key in given:
                raise ParameterError(
                    f"with_values got {given[key]!r} and {name!r}, which both name {key!r}. "
                    "Give each parameter once."
                )
            given[key] = name
            changed[key] = replace(self._params[key], value=new)
        return ParameterSet(self.title, changed.values())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParameterSet):
            return NotImplemented
        return self.title == other.title and self._params == other._params

    def __hash__(self) -> int:
        return hash((self.title, tuple(self._params.values())))

    def __repr__(self) -> str:
        rows = [f"ParameterSet {self.title!r}:"]
        width = max((len(n) for n in self._params), default=0)
        for p in self._params.values():
            rows.append(
                f"  {p.name:<{width}}  {format_number(p.value):>10} {p.unit:<10} {p.description}"
            )
        return "\n".join(rows)

    def _repr_html_(self) -> str:
        head = "".join(
            f"<th>{h}</th>"
            for h in ("name", "value", "unit", "plausible range", "meaning", "source")
        )
        body = "".join(
            "<tr>"
            f"<td><code>{html.escape(p.name)}</code></td><td>{format_number(p.value)}</td>"
            f"<td>{html.escape(p.unit)}</td>"
            f"<td>{format_number(p.bounds[0])} to {format_number(p.bounds[1])}</td>"
            f"<td>{html.escape(p.description)}</td><td>{cite_html(p.source)}</td>"
            "</tr>"
            for p in self._params.values()
        )
        return (
            # Long names and identifiers may break anywhere, so the table fits a narrow
            # notebook (1024-px window, file browser open) instead of scrolling sideways.
            '<table style="overflow-wrap: anywhere">'
            f"<caption>{html.escape(self.title)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )


# ---------------------------------------------------------------------------------------------
# Data shared by several lessons. Model-specific sets live in their model modules.

_SCI_REP_2020 = "doi:10.1038/s41598-020-77884-4"

SERUM_HUMAN = ParameterSet(
    "Human serum levels",
    [
        Parameter(
            "il6_healthy", 5.19, "pg/mL", "serum IL-6 in healthy adults (pooled mean)",
            "doi:10.1002/jmv.26654 (meta-analysis, 57 studies, 95% CI 4.63-5.74)", (0.0, 43.5),
        ),
        Parameter(
            "il6_hcc", 17.6, "pg/mL", "serum IL-6 in HCC patients",
            "derived: healthy 5.19 pg/mL plus the pooled HCC excess of 12.44 pg/mL (PMC6185933)",
            (5.0, 100.0),
        ),
        Parameter(
            "il6_sepsis", 1.0e4, "pg/mL", "serum IL-6 in sepsis or acute inflammation",
            f"{_SCI_REP_2020} (ng/mL in inflammation, up to several ug/mL in sepsis)",
            (1.0e3, 1.0e6),
        ),
        Parameter(
            "sil6r", 40.0, "ng/mL", "serum soluble IL-6 receptor (sIL-6R) in adults",
            f"{_SCI_REP_2020}; De Benedetti 1994, J Clin Invest 1994;93:2114", (20.0, 80.0),
        ),
        Parameter(
            "sgp130", 300.0, "ng/mL", "serum soluble gp130 (sgp130)",
            "assumed: 250-400 ng/mL is the often-quoted range; assays differ (median 43 ng/mL "
            "in PMC1809568, 'upper ng/mL range' in PMC5936821, 3.9 nM in PMID:24402116)",
            (40.0, 400.0),
        ),
    ],
)  # fmt: skip


def _parameter_modules() -> list[str]:
    """The data-layer modules with parameters, then every module of `course_lib.models`.

    The models are found by walking the package (`pkgutil`), so a new model module's parameters
    are covered without editing a list. They are imported here, when the function is called,
    never when this data-layer module is imported.
    """
    models = Path(__file__).resolve().parent / "models"
    found = pkgutil.walk_packages([str(models)], prefix="course_lib.models.")
    return ["course_lib.parameters", "course_lib.units", *sorted(info.name for info in found)]


def all_parameter_sets() -> Iterator[ParameterSet]:
    """Every module-level `ParameterSet` the library defines, in a stable order.

    Upper-case module attributes count, and so do the sets inside an upper-case dict (such as
    ``CELL_TYPES``, one set per cell type).
    """
    seen: set[int] = set()  # modules re-export each other's sets: yield each set once
    for module_name in _parameter_modules():
        module = importlib.import_module(module_name)
        for attr in sorted(vars(module)):
            obj = getattr(module, attr)
            if not attr.isupper():
                continue
            if isinstance(obj, ParameterSet):
                found = [obj]
            elif isinstance(obj, dict):
                found = list(obj.values())
            else:
                found = []
            for pset in found:
                if isinstance(pset, ParameterSet) and id(pset) not in seen:
                    seen.add(id(pset))
                    yield pset


def all_parameters() -> Iterator[Parameter]:
    """Every `Parameter` the library defines.

    Examples
    --------
    >>> params = list(all_parameters())
    >>> all(p.source and p.unit for p in params)
    True
    """
    for pset in all_parameter_sets():
        yield from pset.values()
