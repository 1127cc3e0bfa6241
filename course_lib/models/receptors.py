"""gp130 occupancy of one cell: classic complexes (IL-6·mIL-6R·gp130) and trans complexes.

A cell sees the free species of the serum equilibrium (`course_lib.models.binding.serum_equilibrium`)
and is assumed too small to deplete them. Free IL-6 binds membrane IL-6R; IL-6·mIL-6R then
finds gp130 in the same membrane (a 2-D dissociation constant in molecules per cell, set so a
hepatocyte binds IL-6 with the measured apparent Kd of about 30 pM). Free IL-6·sIL-6R and
Hyper-IL-6 bind gp130 straight from solution. The anti-IL-6R antibody also occupies membrane
IL-6R. gp130 is shared, so classic and trans complexes compete for it.

>>> from course_lib.models.binding import serum_equilibrium
>>> occ = receptor_occupancy("endothelial cell", serum_equilibrium(il6=0.5))
>>> occ.classic, occ.trans
(0.0, 0.0)
>>> occ = receptor_occupancy("endothelial cell", serum_equilibrium(hyper_il6=0.5))
>>> round(occ.trans)
4545
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_lib.errors import CourseTypeError
from course_lib.models.affinities import AFFINITIES
from course_lib.models.cell_types import CELL_TYPES, MEMBRANE, receptor_numbers
from course_lib.parameters import ParameterSet

__all__ = ["CELL_TYPES", "Occupancy", "receptor_occupancy"]


@dataclass(frozen=True)
class Occupancy:
    """gp130 per cell in classic and in trans complexes (molecules per cell).

    ``classic`` + ``trans`` + ``free_gp130`` equals ``gp130`` (the total). ``il6r_bound`` is
    membrane IL-6R holding IL-6 without gp130; ``il6r_blocked`` is IL-6R held by antibody.
    """

    cell_type: str
    classic: np.ndarray
    trans: np.ndarray
    free_gp130: np.ndarray
    il6r_bound: np.ndarray
    il6r_blocked: np.ndarray
    gp130: float
    il6r: float

    @property
    def total(self) -> np.ndarray:
        """Occupied gp130 (classic + trans), molecules per cell."""
        return self.classic + self.trans

    @property
    def fraction(self) -> np.ndarray:
        """Occupied gp130 as a fraction of all gp130 on the cell."""
        return self.total / self.gp130

    def response(self) -> np.ndarray:
        """0 (none), 1 (measurable) or 2 (strong), from the occupied-gp130 thresholds.

        The thresholds are about 4 and 16 bound IL-6 molecules per cell (PMC7212196).
        """
        weak, strong = MEMBRANE.value("active_weak"), MEMBRANE.value("active_strong")
        total = np.asarray(self.total)
        level = (total >= weak).astype(int) + (total >= strong).astype(int)
        return int(level) if np.ndim(level) == 0 else level


def receptor_occupancy(
    cell_type: str | ParameterSet,
    serum,
    *,
    il6r: float | None = None,
    gp130: float | None = None,
    affinities: ParameterSet = AFFINITIES,
    cis_binding: bool = False,
) -> Occupancy:
    """gp130 occupied by classic and by trans complexes on one cell at equilibrium.

    Parameters
    ----------
    cell_type : str or ParameterSet
        A name in `CELL_TYPES` ("hepatocyte", "endothelial cell", ...) or a set with ``il6r``
        and ``gp130``.
    serum : SerumEquilibrium
        The free species the cell sees (from `course_lib.models.binding.serum_equilibrium`).
    il6r, gp130 : float, optional
        Override the cell's receptor numbers (per cell), e.g. to vary the IL-6R:gp130 ratio.
    affinities : ParameterSet
        Cell-surface constants: ``kd_il6_il6r`` (membrane), ``kd_complex_gp130``,
        ``kd_anti_il6r``. Textbook values by default, whatever set the serum used.
    cis_binding : bool
        The disputed view (Widjaja & Cook 2024): sgp130Fc from the medium also caps IL-6 on
        membrane IL-6R (Kd ``kd_sgp130fc_cis``), so it blocks classic signalling too. False (the
        selective view of Jostock 2001 and Rabe 2008) by default.

    Returns
    -------
    Occupancy
        Molecules per cell, shaped like the serum's species.
    """
    name, r_total, g_total = receptor_numbers(cell_type, il6r, gp130)
    for field in ("il6", "trans_complex", "anti_il6r"):
        if not hasattr(serum, field):
            raise CourseTypeError(
                f"serum must be the result of serum_equilibrium(...); got {type(serum).__name__}"
                f" without {field!r}. Call course_lib.models.binding.serum_equilibrium first."
            )
    a = np.asarray(serum.il6) / affinities.value("kd_il6_il6r")  # IL-6 on IL-6R
    b = np.asarray(serum.anti_il6r) / affinities.value("kd_anti_il6r")  # antibody on IL-6R
    c = np.asarray(serum.trans_complex) / affinities.value("kd_complex_gp130")
    s = a / MEMBRANE.value("k2_membrane")  # IL-6·IL-6R finding gp130, per free gp130
    d = 1.0 + a + b
    if cis_binding:  # IL-6·IL-6R capped by sgp130Fc from the medium: a dead end
        d = d + a * np.asarray(serum.sgp130fc) / affinities.value("kd_sgp130fc_cis")
    # Free gp130 g solves (1 + c) s g^2 + [(1 + c) d + s (R_T - G_T)] g - G_T d = 0.
    alpha = (1.0 + c) * s
    beta = (1.0 + c) * d + s * (r_total - g_total)
    gamma = g_total * d
    root = np.sqrt(beta * beta + 4.0 * alpha * gamma)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(beta >= 0, 2.0 * gamma / (beta + root), (root - beta) / (2.0 * alpha))
    g = np.where(gamma > 0, g, 0.0)
    r_free = r_total / (d + s * g)
    classic = s * g * r_free
    trans = c * g

    def out(x):
        x = np.asarray(x, dtype=float)
        return float(x) if x.ndim == 0 else x

    return Occupancy(
        cell_type=name,
        classic=out(classic),
        trans=out(trans),
        free_gp130=out(g_total - classic - trans),
        il6r_bound=out(a * r_free),
        il6r_blocked=out(b * r_free),
        gp130=g_total,
        il6r=r_total,
    )
