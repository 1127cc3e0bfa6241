"""Concentration units: mass per volume (pg/mL ... mg/mL) to molar (pM, nM, uM) and back.

ELISAs report cytokines in pg/mL or ng/mL; binding constants are molar. Converting needs the
molar mass of the molecule, which is a cited `Parameter` in `MOLAR_MASSES`.

>>> round(to_molar(5.19, "pg/mL", "IL-6", to="pM"), 3)
0.247
>>> round(to_molar(40, "ng/mL", "sIL-6R"), 3)
0.8
>>> round(convert(1, "nM", "ng/mL", "sgp130"), 1)
100.0
>>> to_molar(5, "pg/ml", "IL-6")
Traceback (most recent call last):
...
course_lib.errors.UnitError: unknown concentration unit 'pg/ml'; expected one of: 'pg/mL', 'ng/mL', 'ug/mL', 'mg/mL', 'pM', 'nM', 'uM'. Did you mean 'pg/mL'?
"""

from __future__ import annotations

import difflib

import numpy as np

from course_lib.errors import (
    CourseValueError,
    UnitError,
    as_nonnegative,
    require_in_range,
    require_name,
)
from course_lib.parameters import Parameter, ParameterSet

__all__ = [
    "MASS_UNITS",
    "MOLAR_MASSES",
    "MOLAR_UNITS",
    "MOLECULES",
    "convert",
    "dose_to_molar",
    "from_molar",
    "molar_mass",
    "to_molar",
]

#: grams per litre in one of each mass-concentration unit, as a power of ten
MASS_UNITS: dict[str, int] = {"pg/mL": -9, "ng/mL": -6, "ug/mL": -3, "mg/mL": 0}
#: mol per litre in one of each molar unit, as a power of ten
MOLAR_UNITS: dict[str, int] = {"pM": -12, "nM": -9, "uM": -6}
_ALL_UNITS = {**MASS_UNITS, **MOLAR_UNITS}
# Spellings students type that mean the same unit.
_ALIASES = {"µg/mL": "ug/mL", "μg/mL": "ug/mL", "µM": "uM", "μM": "uM"}

MOLAR_MASSES = ParameterSet(
    "Molar masses used for unit conversion",
    [
        Parameter(
            "il6", 21.0, "kDa", "molar mass of IL-6 (the polypeptide without sugars)",
            "assumed: 184-residue mature IL-6 (PMC3491447) is about 21 kDa without sugars, "
            "taken as the form of the recombinant IL-6 that assays are calibrated with. "
            "Glycosylated serum IL-6 is about 26 kDa",
            (20.0, 26.0),
        ),
        Parameter(
            "sil6r", 50.0, "kDa", "molar mass of soluble IL-6 receptor (sIL-6R)",
            "assumed: lower end of the 50-55 kDa quoted for sIL-6R (a vendor data page, not "
            "peer reviewed); makes 40 ng/mL about 0.8 nM",
            (50.0, 55.0),
        ),
        Parameter(
            "sgp130", 100.0, "kDa", "molar mass of full-length soluble gp130 (sgp130)",
            "Muller-Newen et al., J Immunol 1998;161:6347 (~100 kDa from plasma)",
            (90.0, 110.0),
        ),
        Parameter(
            "sgp130fc", 220.0, "kDa", "molar mass of the sgp130Fc dimer (olamkicept)",
            "assumed: estimate 2 x (gp130 D1-D6 ~95-100 kDa + Fc ~25 kDa); no manufacturer "
            "value found",
            (180.0, 250.0),
        ),
        Parameter(
            "hyper_il6", 56.0, "kDa", "molar mass of Hyper-IL-6 (IL-6 linked to sIL-6R)",
            "assumed: the ~56 kDa yeast-made form (p56) reported by Chebath et al.; the "
            "glycosylated chimera runs near 85 kDa",
            (56.0, 85.0),
        ),
        Parameter(
            "igg", 148.0, "kDa", "molar mass of an IgG antibody (tocilizumab, siltuximab)",
            "assumed: 148 kDa, tocilizumab's IgG1 mass from drug-label data; siltuximab "
            "taken as the same IgG mass",
            (140.0, 160.0),
        ),
    ],
)  # fmt: skip

#: molecule name -> key in `MOLAR_MASSES` (drug names included)
MOLECULES: dict[str, str] = {
    "IL-6": "il6",
    "sIL-6R": "sil6r",
    "sgp130": "sgp130",
    "sgp130Fc": "sgp130fc",
    "olamkicept": "sgp130fc",
    "Hyper-IL-6": "hyper_il6",
    "IgG": "igg",
    "tocilizumab": "igg",
    "siltuximab": "igg",
}


def molar_mass(molecule: str, masses: ParameterSet = MOLAR_MASSES) -> float:
    """Molar mass of ``molecule`` in kDa (= kg/mol).

    Examples
    --------
    >>> molar_mass("olamkicept")
    220.0
    """
    name = require_name("molecule", molecule, MOLECULES)
    return masses.value(MOLECULES[name])


def _unknown_unit_message(unit: object) -> str:
    close = difflib.get_close_matches(str(unit), list(_ALL_UNITS), n=1, cutoff=0.6)
    if not close:
        close = [u for u in _ALL_UNITS if u.lower() == str(unit).lower()]
    hint = f" Did you mean {close[0]!r}?" if close else ""
    valid = ", ".join(repr(u) for u in _ALL_UNITS)
    return f"unknown concentration unit {unit!r}; expected one of: {valid}.{hint}"


def _check_unit(unit: object) -> str:
    unit = _ALIASES.get(unit, unit) if isinstance(unit, str) else unit
    if unit not in _ALL_UNITS:
        raise UnitError(_unknown_unit_message(unit))
    return unit


def _result(values: np.ndarray):
    return float(values) if values.ndim == 0 else values


def convert(value, from_unit: str, to_unit: str, molecule: str | None = None):
    """Convert concentration(s) between any two units of `MASS_UNITS` and `MOLAR_UNITS`.

    Parameters
    ----------
    value : float or array_like
        Concentration(s) in ``from_unit``; finite and not negative.
    from_unit, to_unit : str
        E.g. ``"pg/mL"``, ``"ng/mL"``, ``"ug/mL"``, ``"mg/mL"``, ``"pM"``, ``"nM"``, ``"uM"``.
    molecule : str, optional
        Needed when converting between mass and molar units (see `MOLECULES`).

    Returns
    -------
    float or numpy.ndarray
        The concentration(s) in ``to_unit``; a float for a scalar input.

    Examples
    --------
    >>> convert(2.5, "ng/mL", "pg/mL")
    2500.0
    >>> convert(1, "ng/mL", "nM")
    Traceback (most recent call last):
    ...
    course_lib.errors.UnitError: converting ng/mL to nM needs the molecule's molar mass; got molecule=None. Pass molecule=..., one of: 'IL-6', 'sIL-6R', 'sgp130', 'sgp130Fc', 'olamkicept', 'Hyper-IL-6', 'IgG', 'tocilizumab', 'siltuximab'.
    """
    src, dst = _check_unit(from_unit), _check_unit(to_unit)
    x = as_nonnegative("value", value, src)
    # Exact powers of ten, so 1 ng/mL is 1000.0 pg/mL and not 999.9999999999999.
    scale = 10.0 ** (_ALL_UNITS[src] - _ALL_UNITS[dst])
    if molecule is not None:
        molar_mass(molecule)  # a misspelt molecule is an error even when not needed
    if (src in MASS_UNITS) == (dst in MASS_UNITS):
        return _result(x * scale)
    if molecule is None:
        names = ", ".join(repr(m) for m in MOLECULES)
        raise UnitError(
            f"converting {src} to {dst} needs the molecule's molar mass; got molecule=None. "
            f"Pass molecule=..., one of: {names}."
        )
    grams_per_mol = molar_mass(molecule) * 1e3
    if src in MASS_UNITS:  # g/L divided by g/mol is mol/L
        return _result(x * scale / grams_per_mol)
    return _result(x * scale * grams_per_mol)


def to_molar(value, unit: str, molecule: str, *, to: str = "nM"):
    """Concentration(s) given in ``unit`` expressed in a molar unit (nM by default).

    Examples
    --------
    >>> round(to_molar(1, "ng/mL", "IL-6", to="pM"), 2)
    47.62
    """
    if _check_unit(to) not in MOLAR_UNITS:
        raise UnitError(
            f"to_molar converts to a molar unit; got to={to!r}. Use one of "
            f"{', '.join(repr(u) for u in MOLAR_UNITS)}, or convert() for mass units."
        )
    return convert(value, unit, to, molecule)


def from_molar(value, molecule: str, to: str, *, unit: str = "nM"):
    """Molar concentration(s) (nM by default) expressed in a mass unit such as ng/mL.

    Examples
    --------
    >>> round(from_molar(0.8, "sIL-6R", "ng/mL"), 6)
    40.0
    """
    if _check_unit(unit) not in MOLAR_UNITS:
        raise UnitError(
            f"from_molar starts from a molar unit; got unit={unit!r}. Use one of "
            f"{', '.join(repr(u) for u in MOLAR_UNITS)}, or convert() for mass units."
        )
    if _check_unit(to) not in MASS_UNITS:
        raise UnitError(
            f"from_molar converts to a mass unit; got to={to!r}. Use one of "
            f"{', '.join(repr(u) for u in MASS_UNITS)}, or convert() between molar units."
        )
    return convert(value, unit, to, molecule)


def dose_to_molar(
    dose,
    unit: str,
    molecule: str,
    *,
    volume_l: float,
    body_mass_kg: float | None = None,
    to: str = "nM",
):
    """Peak concentration when a dose is spread evenly through a volume (e.g. plasma).

    Parameters
    ----------
    dose : float or array_like
        The dose, in ``unit``.
    unit : {"mg", "mg/kg"}
        A whole dose, or a dose per kg of body mass (then ``body_mass_kg`` is needed).
    molecule : str
        The drug (see `MOLECULES`).
    volume_l : float
        The volume it spreads into, L (human plasma about 2.9 L; mouse about 0.002 L).
    body_mass_kg : float, optional
        Body mass, kg, for doses in mg/kg.
    to : str
        A molar unit.

    Examples
    --------
    >>> round(dose_to_molar(600, "mg", "olamkicept", volume_l=3.0, to="uM"), 2)
    0.91
    """
    x = as_nonnegative("dose", dose, unit if isinstance(unit, str) else "mg", what="a dose")
    volume = require_in_range("volume_l", volume_l, 1e-4, 100.0, "L")
    if unit == "mg/kg":
        if body_mass_kg is None:
            raise CourseValueError(
                "a dose in mg/kg needs the body mass; got body_mass_kg=None. "
                "Pass body_mass_kg=..., e.g. 70 for an adult or 0.025 for a mouse."
            )
        x = x * require_in_range("body_mass_kg", body_mass_kg, 1e-3, 500.0, "kg")
    elif unit != "mg":
        raise UnitError(f"unknown dose unit {unit!r}; expected one of: 'mg', 'mg/kg'.")
    elif body_mass_kg is not None:
        raise CourseValueError(
            f"body_mass_kg={body_mass_kg!r} is only used for doses in mg/kg, but the dose is in "
            "mg. Drop body_mass_kg, or give the dose in mg/kg."
        )
    grams_per_litre = x * 1e-3 / volume
    return convert(grams_per_litre, "mg/mL", to, molecule)  # 1 g/L == 1 mg/mL
