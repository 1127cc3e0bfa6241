"""A model as plain data: compartments, species, parameters, processes, in SBML's terms.

`course_lib.models.sbml.networks` describes the course's ODE models with these records, and
`course_lib.models.sbml.document` turns a `ModelDescription` into SBML Level 3. The records need
no libSBML, so a description can be built, read and evaluated anywhere.

A `Process` is one rate with the species it changes. `ModelDescription.rates` sums them into the
right-hand side of each species (the same text a rate rule carries), and
`ModelDescription.rhs` evaluates that right-hand side with numpy, so a test can set it beside
the course's own integration code.

>>> d = ModelDescription(
...     "decay", "one protein removed", "min",
...     compartments=(Compartment("cell", 1.0, "dimensionless", "one cell"),),
...     species=(Species("x", "x", "cell", 10.0, "per cell", "start"),),
...     parameters=(Quantity("k", 0.5, "1/min", "removal", "assumed: a toy rate for the example"),),
...     processes=(Process("removal", "removal of x", "k * x", (("x", -1.0),)),),
... )
>>> d.rates()
{'x': '-(k * x)'}
>>> float(d.rhs()["x"])
-5.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from course_lib.errors import UnknownNameError

__all__ = ["SBML_UNITS", "Compartment", "ModelDescription", "Process", "Quantity", "Species"]

#: Course unit -> its SBML unit: an id and its (kind, exponent, scale, multiplier) factors.
#: "per cell" is a count of molecules (SBML's base unit ``item``); fractions are dimensionless.
SBML_UNITS: dict[str, tuple[str, tuple[tuple[str, float, int, float], ...]]] = {
    "per cell": ("item", ()),
    "fraction": ("dimensionless", ()),
    "1": ("dimensionless", ()),
    "dimensionless": ("dimensionless", ()),
    "L": ("litre", ()),
    "nmol": ("nmol", (("mole", 1.0, -9, 1.0),)),
    "nM": ("nM", (("mole", 1.0, -9, 1.0), ("litre", -1.0, 0, 1.0))),
    "min": ("min", (("second", 1.0, 0, 60.0),)),
    "h": ("h", (("second", 1.0, 0, 3600.0),)),
    "1/min": ("per_min", (("second", -1.0, 0, 60.0),)),
    "1/h": ("per_h", (("second", -1.0, 0, 3600.0),)),
    "nM/h": (
        "nM_per_h",
        (("mole", 1.0, -9, 1.0), ("litre", -1.0, 0, 1.0), ("second", -1.0, 0, 3600.0)),
    ),
    "1/(nM*min)": (
        "per_nM_per_min",
        (("mole", -1.0, -9, 1.0), ("litre", 1.0, 0, 1.0), ("second", -1.0, 0, 60.0)),
    ),
    "1/(nM*h)": (
        "per_nM_per_h",
        (("mole", -1.0, -9, 1.0), ("litre", 1.0, 0, 1.0), ("second", -1.0, 0, 3600.0)),
    ),
}


@dataclass(frozen=True)
class Compartment:
    """A place with a size: a cell, the medium of a dish, blood."""

    id: str
    size: float  #: in ``unit``
    unit: str  #: a key of `SBML_UNITS`
    note: str  #: what it is, and where the size comes from


@dataclass(frozen=True)
class Species:
    """A species and its initial amount (``per cell``) or concentration (``nM``)."""

    id: str
    name: str
    compartment: str
    initial: float  #: in ``unit``
    unit: str  #: "per cell" and "fraction"/"1" are amounts per cell; "nM" a concentration
    note: str  #: what it is, and where the initial value comes from
    constant: bool = False  #: held constant (a ligand reservoir): an SBML boundary species

    @property
    def is_concentration(self) -> bool:
        """True when the species is a concentration (nM), False for an amount per cell."""
        return self.unit == "nM"


@dataclass(frozen=True)
class Quantity:
    """A named constant: a rate, a switch, an input, each with its unit and source."""

    id: str
    value: float  #: in ``unit``
    unit: str  #: a key of `SBML_UNITS`
    description: str
    source: str  #: DOI/PMID, "assumed: <reason>", or what input of the export it is
    formula: str | None = None  #: infix formula that sets it from other quantities


@dataclass(frozen=True)
class Process:
    """One rate (infix formula, in SBML's syntax) and the species it changes, with stoichiometry.

    A process whose species are all amounts per cell (``per cell``) or all concentrations
    becomes an SBML reaction; one that changes a dimensionless species contributes to rate rules
    (see `ModelDescription.is_reaction`).
    """

    id: str
    name: str
    rate: str
    changes: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class ModelDescription:
    """A whole model: what SBML needs, with notes; time in ``time_unit`` ("min" or "h")."""

    id: str
    name: str
    time_unit: str
    compartments: tuple[Compartment, ...]
    species: tuple[Species, ...]
    parameters: tuple[Quantity, ...]
    processes: tuple[Process, ...]
    observables: tuple[Quantity, ...] = ()  #: read-outs set by a formula at every time
    notes: str = ""

    def species_by_id(self, sid: str) -> Species:
        """The `Species` called ``sid``."""
        for s in self.species:
            if s.id == sid:
                return s
        raise UnknownNameError(
            f"unknown species {sid!r} in model {self.id!r}; expected one of: "
            f"{', '.join(repr(s.id) for s in self.species)}."
        )

    def is_reaction(self, process: Process) -> bool:
        """True when ``process`` changes only species counted in molecules or nM (a reaction);
        False when it changes dimensionless species (fractions, relative units: rate rules)."""
        return all(self.species_by_id(s).unit in ("per cell", "nM") for s, _ in process.changes)

    def rates(self, *, rules_only: bool = False) -> dict[str, str]:
        """d(species)/dt as infix text per species that changes (``rules_only``: only those of
        processes that are not reactions)."""
        terms: dict[str, list[str]] = {}
        for p in self.processes:
            if rules_only and self.is_reaction(p):
                continue
            for sid, n in p.changes:
                factor = "" if abs(n) == 1 else f"{abs(n):g} * "
                terms.setdefault(sid, []).append(f"{'-' if n < 0 else '+'}{factor}({p.rate})")
        return {sid: " ".join(t).lstrip("+") for sid, t in terms.items()}

    def values(self, state: dict[str, object] | None = None) -> dict[str, object]:
        """Every quantity (formulas evaluated in order) and species (initial values, or
        ``state``) by id, for evaluating rates with numpy."""
        env: dict[str, object] = {"exp": np.exp, "pow": np.power, "math": math}
        env |= {c.id: c.size for c in self.compartments}
        for q in self.parameters:
            env[q.id] = eval(q.formula, {}, env) if q.formula else q.value
        env |= {s.id: s.initial for s in self.species}
        env |= dict(state or {})
        for q in self.observables:
            env[q.id] = eval(q.formula, {}, env)
        return env

    def rhs(self, state: dict[str, object] | None = None) -> dict[str, object]:
        """d(species)/dt per species, evaluated with numpy at ``state`` (ids -> values or
        arrays; initial values for the rest). Reactions of concentration species are in nM
        per time unit, the same as rate rules."""
        env = self.values(state)
        return {sid: eval(text, {}, env) for sid, text in self.rates().items()}
