"""Receptor numbers of the cell types in the course: membrane IL-6R and gp130 per cell.

gp130 is on almost every cell; IL-6R (gp80) only on hepatocytes and some leukocytes
(PMC3491447). Endothelial cells have none (Rabe et al., Blood 2008;111:1021), so they can hear
IL-6 only through trans-signalling. Numbers not measured for a cell type are assumptions with
their reason.

>>> CELL_TYPES["hepatocyte"].value("il6r")
4500.0
>>> sorted(CELL_TYPES)[:3]
['HCC cell', 'T cell', 'endothelial cell']
"""

from __future__ import annotations

from course_lib.errors import CourseTypeError, as_nonnegative, require_name
from course_lib.parameters import Parameter, ParameterSet

__all__ = ["CELL_TYPES", "MEMBRANE", "cell_parameters", "receptor_numbers"]

_GP130_ASSUMED = (
    "assumed: about 5000 per cell, the middle of the 10^3-10^4 modelling range; the receptor "
    "counts cited here are of IL-6 binding sites, and no gp130 count per cell type was found"
)


def cell_parameters(
    name: str,
    il6r: float,
    il6r_source: str,
    gp130: float,
    gp130_source: str,
    il6r_range: tuple[float, float],
) -> ParameterSet:
    """The two receptor numbers of one cell type, as a `ParameterSet` titled ``name``."""
    return ParameterSet(
        name,
        [
            Parameter(
                "il6r", il6r, "per cell", f"membrane IL-6R on a {name}", il6r_source, il6r_range
            ),
            Parameter(
                "gp130", gp130, "per cell", f"gp130 on a {name}", gp130_source, (1000.0, 30000.0)
            ),
        ],
    )


CELL_TYPES: dict[str, ParameterSet] = {
    "hepatocyte": cell_parameters(
        "hepatocyte",
        4500.0,
        "Eur J Clin Invest 1990;20:366 (rat hepatocytes: 4500 receptors, Kd 39 pM)",
        5000.0,
        _GP130_ASSUMED,
        (1000.0, 10000.0),
    ),
    "HCC cell": cell_parameters(
        "HCC cell",
        1200.0,
        "Eur J Clin Invest 1990;20:366 (HepG2: 1200 receptors, Kd 21 pM)",
        5000.0,
        _GP130_ASSUMED,
        (100.0, 10000.0),
    ),
    "endothelial cell": cell_parameters(
        "endothelial cell",
        0.0,
        "Rabe et al., Blood 2008;111:1021 (endothelial cells lack IL-6R)",
        5000.0,
        _GP130_ASSUMED,
        (0.0, 0.0),
    ),
    "neutrophil": cell_parameters(
        "neutrophil",
        300.0,
        "PMC7212196 (blood leukocytes carry 50-300 IL-6 sites; the upper end for neutrophils, "
        "which shed IL-6R)",
        5000.0,
        _GP130_ASSUMED,
        (50.0, 300.0),
    ),
    "T cell": cell_parameters(
        "T cell",
        100.0,
        "PMC7212196 (blood leukocytes carry 50-300 IL-6 sites)",
        5000.0,
        _GP130_ASSUMED,
        (50.0, 300.0),
    ),
    "macrophage": cell_parameters(
        "macrophage",
        300.0,
        "assumed: monocytes carry IL-6R (doi:10.1038/s41598-020-77884-4); taken at the "
        "leukocyte upper end of 300 sites (PMC7212196) for macrophages and Kupffer cells",
        5000.0,
        _GP130_ASSUMED,
        (50.0, 1000.0),
    ),
}

MEMBRANE = ParameterSet(
    "Binding at the cell membrane",
    [
        Parameter(
            "k2_membrane", 90.0, "per cell",
            "2-D Kd of IL-6·IL-6R for gp130 in the same membrane",
            "assumed: chosen so that a hepatocyte (4500 IL-6R, 5000 gp130, IL-6:IL-6R Kd 1 nM) "
            "binds IL-6 with an apparent Kd of about 30 pM, inside the 21-39 pM measured on "
            "hepatocytes and HepG2 cells (Eur J Clin Invest 1990;20:366)",
            (10.0, 1000.0),
        ),
        Parameter(
            "active_weak", 4.0, "per cell", "occupied gp130 for a measurable response",
            "PMC7212196 (about 4 bound IL-6 molecules per cell give significant bioactivity)",
            (1.0, 20.0),
        ),
        Parameter(
            "active_strong", 16.0, "per cell", "occupied gp130 for an extensive response",
            "PMC7212196 (about 16 bound molecules give extensive responses)", (4.0, 100.0),
        ),
    ],
)  # fmt: skip


def receptor_numbers(
    cell_type: str | ParameterSet, il6r: float | None = None, gp130: float | None = None
) -> tuple[str, float, float]:
    """``(name, IL-6R per cell, gp130 per cell)`` for a cell type, with optional overrides.

    ``cell_type`` is a name in `CELL_TYPES` or a set with ``il6r`` and ``gp130``.

    Examples
    --------
    >>> receptor_numbers("hepatocyte", il6r=500)
    ('hepatocyte', 500.0, 5000.0)
    """
    if isinstance(cell_type, ParameterSet):
        name, cell = cell_type.title, cell_type
    elif isinstance(cell_type, str):
        name = require_name("cell type", cell_type, CELL_TYPES)
        cell = CELL_TYPES[name]
    else:
        raise CourseTypeError(
            f"cell_type must be a name or a ParameterSet; got {cell_type!r}. Use one of: "
            f"{', '.join(repr(n) for n in CELL_TYPES)}."
        )
    r = cell.value("il6r") if il6r is None else il6r
    g = cell.value("gp130") if gp130 is None else gp130
    return (
        name,
        float(as_nonnegative("il6r", r, "per cell")),
        float(as_nonnegative("gp130", g, "per cell")),
    )
