"""The serum buffer (lesson 02): where IL-6 sits in blood, and what is left to signal.

Serum holds soluble IL-6R and soluble gp130 in molar excess over IL-6. At equilibrium
(`course_lib.models.binding.serum_equilibrium`) IL-6 is split between four forms: free IL-6
(the classic-signalling ligand), IL-6·sIL-6R (the trans-signalling ligand) and the two ternary
complexes trapped by sgp130 or the drug sgp130Fc. How much is trapped depends on the affinities
(textbook values, or the weaker "effective" ones that fit Baran et al. 2018; see
`course_lib.models.affinities`). `serum_partition` gives the split for one serum and both
affinity sets, with the split along the whole IL-6 axis for the chosen set (remembered by
setting, so moving only IL-6 costs one small solve); `buffer_table` recomputes the worked
example of the course (FACTS 3.3). Every number here is simulated.

>>> p = serum_partition(5.19, 40.0, 300.0, 0.0, "textbook")
>>> p.percentages["textbook"]["free"] < 5 < 80 < p.percentages["effective"]["free"]
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_lib._text import format_number
from course_lib.errors import CourseValueError, as_nonnegative, as_scalar, require_name
from course_lib.models._memo import memo
from course_lib.models.affinities import AFFINITIES, AFFINITY_SETS
from course_lib.models.binding import SerumEquilibrium, serum_equilibrium
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import to_molar

__all__ = [
    "FORMS",
    "IL6_AXIS_PG_ML",
    "BufferTable",
    "Partition",
    "buffer_table",
    "il6_percentages",
    "partition_curves",
    "serum_partition",
]

#: The IL-6 axis of the partition curve, pg/mL: about an ELISA's detection limit to the
#: highest sepsis level in `SERUM_HUMAN`.
IL6_AXIS_PG_ML: tuple[float, float] = (0.1, SERUM_HUMAN["il6_sepsis"].bounds[1])
#: The four forms of IL-6 (keys of `SerumEquilibrium.il6_fractions`).
FORMS = ("free", "IL-6·sIL-6R", "IL-6·sIL-6R·sgp130", "IL-6·sIL-6R·sgp130Fc")


def il6_percentages(eq: SerumEquilibrium, index=()) -> dict[str, float]:
    """% of IL-6 in each of `FORMS` at one ``index`` of an equilibrium (``()`` for a scalar)."""
    fractions = eq.il6_fractions()
    return {key: 100.0 * float(np.asarray(fractions[key])[index]) for key in FORMS}


@dataclass(frozen=True)
class Partition:
    """Where IL-6 is in one serum (simulated): % in each form for both affinity sets, the free
    ligands of each pathway in the chosen set, and the chosen set's split along the IL-6 axis.
    """

    il6_pg_ml: float
    sil6r_ng_ml: float
    sgp130_ng_ml: float
    sgp130fc_ug_ml: float
    affinity_set: str
    #: affinity set -> form (`FORMS`) -> % of IL-6
    percentages: dict[str, dict[str, float]]
    #: free IL-6 ("classic") and free IL-6·sIL-6R ("trans") in the chosen set, pM
    available_pM: dict[str, float]
    #: IL-6 levels of the curves, pg/mL, and % in each form there (one row per form)
    axis_pg_ml: np.ndarray
    curves: np.ndarray


@memo(maxsize=512)
def partition_curves(
    sil6r_nM: float, sgp130_nM: float, sgp130fc_nM: float, affinity_set: str, points: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """(IL-6 axis in pg/mL, % in each form) for ``points`` IL-6 levels over `IL6_AXIS_PG_ML`.

    One vectorised `serum_equilibrium` call, remembered by setting (the arrays are read-only:
    the result is shared by every caller with the same settings).
    """
    axis = np.logspace(*np.log10(IL6_AXIS_PG_ML), int(points))
    eq = serum_equilibrium(
        il6=to_molar(axis, "pg/mL", "IL-6"),
        sil6r=sil6r_nM,
        sgp130=sgp130_nM,
        sgp130fc=sgp130fc_nM,
        affinities=affinity_set,
    )
    return axis, np.array([100.0 * eq.il6_fractions()[k] for k in FORMS])


def serum_partition(
    il6_pg_ml: float,
    sil6r_ng_ml: float,
    sgp130_ng_ml: float,
    sgp130fc_ug_ml: float,
    affinity_set: str = "textbook",
    *,
    points: int = 100,
) -> Partition:
    """Where IL-6 is in a serum, under both affinity sets (see `Partition`).

    Parameters
    ----------
    il6_pg_ml : float
        Serum IL-6, pg/mL, within `IL6_AXIS_PG_ML`.
    sil6r_ng_ml, sgp130_ng_ml : float
        Soluble IL-6R and soluble gp130, ng/mL, >= 0.
    sgp130fc_ug_ml : float
        The drug sgp130Fc, ug/mL, >= 0.
    affinity_set : {"textbook", "effective"}
        The set of the curves and of ``available_pM``.
    points : int
        Points on the IL-6 axis of the curves.
    """
    il6 = as_scalar("il6_pg_ml", il6_pg_ml, "pg/mL")
    low, high = IL6_AXIS_PG_ML
    if not low * (1 - 1e-9) <= il6 <= high * (1 + 1e-9):  # allow log-slider rounding
        raise CourseValueError(
            f"il6_pg_ml must lie within [{low:g}, {high:g}] pg/mL, the IL-6 range the figure "
            f"plots (detection limit to severe sepsis); got {il6:g} pg/mL. Choose a value "
            "inside that range."
        )
    chosen = require_name("affinity set", affinity_set, AFFINITY_SETS)
    given = {
        "sil6r_ng_ml": as_scalar("sil6r_ng_ml", sil6r_ng_ml, "ng/mL"),
        "sgp130_ng_ml": as_scalar("sgp130_ng_ml", sgp130_ng_ml, "ng/mL"),
        "sgp130fc_ug_ml": as_scalar("sgp130fc_ug_ml", sgp130fc_ug_ml, "ug/mL"),
    }
    totals = {
        "sil6r": float(to_molar(given["sil6r_ng_ml"], "ng/mL", "sIL-6R")),
        "sgp130": float(to_molar(given["sgp130_ng_ml"], "ng/mL", "sgp130")),
        "sgp130fc": float(to_molar(given["sgp130fc_ug_ml"], "ug/mL", "sgp130Fc")),
    }
    il6_nM = float(to_molar(il6, "pg/mL", "IL-6"))
    axis, curves = partition_curves(*totals.values(), chosen, int(points))
    here = {s: serum_equilibrium(il6=il6_nM, **totals, affinities=s) for s in AFFINITY_SETS}
    return Partition(
        il6_pg_ml=il6,
        **given,
        affinity_set=chosen,
        percentages={s: il6_percentages(eq) for s, eq in here.items()},
        available_pM={
            "classic": float(here[chosen].il6) * 1e3,
            "trans": float(here[chosen].il6_sil6r) * 1e3,
        },
        axis_pg_ml=axis,
        curves=curves,
    )


@dataclass(frozen=True)
class BufferTable:
    """The worked buffer example (FACTS.md 3.3), recomputed: one row per condition.

    ``rows`` holds dicts with the Kd of IL-6:sIL-6R and of the complex for sgp130 (nM),
    sgp130 (nM), IL-6 (pg/mL) and the % of IL-6 free, with sIL-6R, and in the ternary complex.
    """

    sil6r_nM: float
    rows: tuple[dict[str, float], ...]

    _COLUMNS = (
        ("kd_il6_sil6r_nM", "Kd IL-6:sIL-6R (nM)"),
        ("kd_complex_sgp130_nM", "Kd complex:sgp130 (nM)"),
        ("sgp130_nM", "sgp130 (nM)"),
        ("il6_pg_ml", "IL-6 (pg/mL)"),
        ("free", "% free"),
        ("IL-6·sIL-6R", "% IL-6·sIL-6R"),
        ("IL-6·sIL-6R·sgp130", "% IL-6·sIL-6R·sgp130"),
    )

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{label}</th>" for _, label in self._COLUMNS)
        cells = (
            "".join(f"<td>{format_number(r[k])}</td>" for k, _ in self._COLUMNS) for r in self.rows
        )
        body = "".join(f"<tr>{row}</tr>" for row in cells)
        return (
            f"<table><caption>Simulated partition of IL-6 at equilibrium, sIL-6R "
            f"{format_number(self.sil6r_nM)} nM (course_lib.models.binding.serum_equilibrium)"
            f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    def __repr__(self) -> str:
        lines = [" | ".join(label for _, label in self._COLUMNS)]
        lines += [" | ".join(format_number(r[k]) for k, _ in self._COLUMNS) for r in self.rows]
        return "\n".join(lines)


#: (Kd IL-6:sIL-6R, Kd complex:sgp130, sgp130), nM: the rows of FACTS.md 3.3.
_FACTS_ROWS = (
    (1.0, 0.05, 0.0),
    (1.0, 0.05, 3.5),
    (5.0, 0.05, 0.0),
    (5.0, 0.05, 3.5),
    (20.0, 1.0, 3.5),
)


def buffer_table(il6_pg_ml=(5.0, 10_000.0), *, sil6r_nM: float = 0.8) -> BufferTable:
    """Recompute the worked buffer example: IL-6 partition for five affinity/sgp130 rows.

    Each row of the facts sheet (section 3.3) is solved at every IL-6 level given, in one
    vectorised `serum_equilibrium` call per row.

    Parameters
    ----------
    il6_pg_ml : sequence of float
        IL-6 levels, pg/mL (healthy and sepsis by default, to show how little they matter).
    sil6r_nM : float
        Soluble IL-6R, nM (0.8 nM is about 40 ng/mL).

    Examples
    --------
    >>> table = buffer_table([5.0])
    >>> [round(r["free"]) for r in table.rows]
    [56, 2, 86, 8, 85]
    """
    levels = as_nonnegative("il6_pg_ml", il6_pg_ml, "pg/mL").reshape(-1)
    sil6r = as_scalar("sil6r_nM", sil6r_nM, "nM")
    rows = []
    for kd, kd_g, sgp130 in _FACTS_ROWS:
        affinities = AFFINITIES.with_values(kd_il6_il6r=kd, kd_complex_sgp130=kd_g)
        eq = serum_equilibrium(
            il6=to_molar(levels, "pg/mL", "IL-6"),
            sil6r=sil6r,
            sgp130=sgp130,
            affinities=affinities,
        )
        for i, level in enumerate(levels):
            rows.append(
                {
                    "kd_il6_sil6r_nM": kd,
                    "kd_complex_sgp130_nM": kd_g,
                    "sgp130_nM": sgp130,
                    "il6_pg_ml": float(level),
                    **il6_percentages(eq, i),
                }
            )
    return BufferTable(sil6r, tuple(rows))
