"""Receptor binding by mass action.

So far: the simple hyperbola of a receptor that does not deplete its ligand. The exact serum
equilibrium with sIL-6R, sgp130 and drugs comes with lesson 02.

>>> fractional_occupancy(1.0, 1.0)
0.5
"""

from __future__ import annotations

import numpy as np

from course_lib.errors import CourseValueError, ShapeError, as_nonnegative

__all__ = ["fractional_occupancy"]


def fractional_occupancy(ligand_nM, kd_nM):
    """Fraction of receptors bound at free ligand concentration ``ligand_nM``: L / (L + Kd).

    Valid when the receptor is too scarce to lower the free ligand (no depletion).

    Parameters
    ----------
    ligand_nM : float or array_like
        Free ligand, nM; finite and >= 0.
    kd_nM : float or array_like
        Dissociation constant, nM; finite and > 0. Broadcasts against ``ligand_nM``.

    Returns
    -------
    float or numpy.ndarray
        Occupied fraction, between 0 and 1 (a float for scalar inputs).

    Examples
    --------
    >>> fractional_occupancy([0.0, 1.0, 9.0], 1.0)
    array([0. , 0.5, 0.9])
    >>> fractional_occupancy(1.0, 0.0)
    Traceback (most recent call last):
    ...
    course_lib.errors.CourseValueError: kd_nM must be > 0 nM; got 0.0 nM. A dissociation constant of zero would mean binding that never lets go: use a small positive value.
    """
    ligand = as_nonnegative("ligand_nM", ligand_nM, "nM")
    kd = as_nonnegative("kd_nM", kd_nM, "nM")
    if np.any(kd == 0):
        raise CourseValueError(
            "kd_nM must be > 0 nM; got 0.0 nM. A dissociation constant of zero would mean "
            "binding that never lets go: use a small positive value."
        )
    try:
        theta = ligand / (ligand + kd)
    except ValueError:
        raise ShapeError(
            f"ligand_nM (shape {ligand.shape}) and kd_nM (shape {kd.shape}) cannot be "
            "broadcast together. Give one of them as a single number, or arrays of equal shape."
        ) from None
    return float(theta) if theta.ndim == 0 else theta
