"""Mass-action equilibrium of the extracellular IL-6 system, exact and vectorised.

Serum holds IL-6 (L), soluble IL-6R (R), soluble gp130 (G) and, when given, the drug sgp130Fc
(F), an anti-IL-6R antibody (A, tocilizumab-like), an anti-IL-6 antibody (B, siltuximab-like)
and the designer agonist Hyper-IL-6 (H, IL-6 already fused to sIL-6R). The complexes are

    L + R  <->  LR            (Kd kd_il6_il6r)
    LR + G <->  LRG           H + G <-> HG       (kd_complex_sgp130)
    LR + F <->  LRF           H + F <-> HF       (kd_complex_sgp130fc)
    A + R  <->  AR            (kd_anti_il6r: the antibody competes with IL-6 for IL-6R)
    B + L  <->  BL            (kd_anti_il6: the antibody keeps IL-6 off IL-6R)

Antibodies and the sgp130Fc dimer are counted as one binding site per molecule.

How it is solved: everything follows in closed form from one number, the free concentration
C = LR + H of the complexes that sgp130, sgp130Fc and gp130 bind. Given C, sgp130 and sgp130Fc
are known, then H, then IL-6 bound via sIL-6R. The remaining condition LR = L R / Kd changes
sign once over a bracket, and a vectorised false-position search (`course_lib.models._roots`) finds
C. A second search, in log space, then finds free IL-6 with the sinks fixed, because every
term of the IL-6 balance is a product there: free IL-6 stays accurate even when almost all of
it is bound. The mass balances hold to about 1e-10 (tested to 1e-9), whatever the totals.

>>> eq = serum_equilibrium(il6=0.001, sil6r=0.8, sgp130=3.5)
>>> {k: round(100 * v, 1) for k, v in eq.il6_fractions().items()}
{'free': 1.7, 'IL-6·sIL-6R': 1.4, 'IL-6·sIL-6R·sgp130': 96.9, 'IL-6·sIL-6R·sgp130Fc': 0.0, 'anti-IL-6 antibody': 0.0}
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from course_lib.errors import (
    CourseTypeError,
    CourseValueError,
    ShapeError,
    as_nonnegative,
    require_name,
)
from course_lib.models._roots import solve_decreasing as _solve_decreasing
from course_lib.models.affinities import AFFINITIES, AFFINITY_SETS
from course_lib.parameters import ParameterSet

__all__ = [
    "CELL_TYPES",
    "SerumEquilibrium",
    "fractional_occupancy",
    "receptor_occupancy",
    "serum_equilibrium",
]

_TOTALS = ("il6", "sil6r", "sgp130", "sgp130fc", "anti_il6r", "anti_il6", "hyper_il6")
_FLOOR = 1e-100  # nM; smaller totals are treated as zero


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


@dataclass(frozen=True)
class SerumEquilibrium:
    """Equilibrium concentrations (nM) of every free species and complex, same shape as the input.

    Free species: ``il6``, ``sil6r``, ``sgp130``, ``sgp130fc``, ``anti_il6r``, ``anti_il6``,
    ``hyper_il6``. Complexes: ``il6_sil6r``, ``il6_sil6r_sgp130``, ``il6_sil6r_sgp130fc``,
    ``hyper_il6_sgp130``, ``hyper_il6_sgp130fc``, ``anti_il6r_sil6r``, ``anti_il6_il6``.
    """

    il6: np.ndarray
    sil6r: np.ndarray
    sgp130: np.ndarray
    sgp130fc: np.ndarray
    anti_il6r: np.ndarray
    anti_il6: np.ndarray
    hyper_il6: np.ndarray
    il6_sil6r: np.ndarray
    il6_sil6r_sgp130: np.ndarray
    il6_sil6r_sgp130fc: np.ndarray
    hyper_il6_sgp130: np.ndarray
    hyper_il6_sgp130fc: np.ndarray
    anti_il6r_sil6r: np.ndarray
    anti_il6_il6: np.ndarray
    affinities: ParameterSet

    @property
    def trans_complex(self) -> np.ndarray:
        """Free complexes that can engage gp130 on any cell: IL-6·sIL-6R plus Hyper-IL-6, nM."""
        return self.il6_sil6r + self.hyper_il6

    def species(self) -> dict[str, np.ndarray]:
        """Every species by name (nM)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "affinities"}

    def totals(self) -> dict[str, np.ndarray]:
        """Total concentrations recomputed from the species (the mass balances), nM."""
        in_lr = self.il6_sil6r + self.il6_sil6r_sgp130 + self.il6_sil6r_sgp130fc
        return {
            "il6": self.il6 + in_lr + self.anti_il6_il6,
            "sil6r": self.sil6r + in_lr + self.anti_il6r_sil6r,
            "sgp130": self.sgp130 + self.il6_sil6r_sgp130 + self.hyper_il6_sgp130,
            "sgp130fc": self.sgp130fc + self.il6_sil6r_sgp130fc + self.hyper_il6_sgp130fc,
            "anti_il6r": self.anti_il6r + self.anti_il6r_sil6r,
            "anti_il6": self.anti_il6 + self.anti_il6_il6,
            "hyper_il6": self.hyper_il6 + self.hyper_il6_sgp130 + self.hyper_il6_sgp130fc,
        }

    def il6_fractions(self) -> dict[str, np.ndarray]:
        """Where the IL-6 is: fraction free, with sIL-6R, in each ternary complex, on antibody.

        Hyper-IL-6 is not counted here (it is its own molecule). With no IL-6 all are 0.
        """
        total = self.totals()["il6"]
        safe = np.where(total > 0, total, 1.0)
        parts = {
            "free": self.il6,
            "IL-6·sIL-6R": self.il6_sil6r,
            "IL-6·sIL-6R·sgp130": self.il6_sil6r_sgp130,
            "IL-6·sIL-6R·sgp130Fc": self.il6_sil6r_sgp130fc,
            "anti-IL-6 antibody": self.anti_il6_il6,
        }
        return {k: _out(np.where(total > 0, v / safe, 0.0)) for k, v in parts.items()}


def _out(x: np.ndarray):
    return float(x) if np.ndim(x) == 0 else x


def _affinity_set(affinities: str | ParameterSet) -> ParameterSet:
    if isinstance(affinities, ParameterSet):
        missing = [k for k in AFFINITIES if k not in affinities]
        if missing:
            raise CourseValueError(
                f"the affinity set {affinities.title!r} lacks {', '.join(missing)}; "
                "start from course_lib.models.affinities.AFFINITIES and change values with "
                ".with_values(...)."
            )
        return affinities
    if isinstance(affinities, str):
        return AFFINITY_SETS[require_name("affinity set", affinities, AFFINITY_SETS)]
    raise CourseTypeError(
        f"affinities must be 'textbook', 'effective' or a ParameterSet; got {affinities!r}."
    )


def _free_with_binder(total, binder_total, kd, sink=1.0):
    """Free X when ``total`` nM of X is free, held by a 1:1 binder, or lost to a linear sink.

    Solves ``sink * X + B_T X / (Kd + X) = total`` (``sink`` >= 1 multiplies the free amount,
    e.g. 1 + R phi / Kd for IL-6 that sIL-6R also holds). The root is taken in the form that
    avoids cancellation; the discriminant is a sum of non-negative terms.
    """
    if not np.asarray(binder_total).any():  # no binder: only the sink
        return total / sink
    beta = sink * kd + binder_total - total
    root = np.sqrt(beta * beta + 4.0 * sink * total * kd)
    free = np.where(beta >= 0, 2.0 * total * kd / (beta + root), (root - beta) / (2.0 * sink))
    return np.where(total > 0, np.minimum(free, total / sink), 0.0)


def serum_equilibrium(
    il6=0.0,
    sil6r=0.0,
    sgp130=0.0,
    sgp130fc=0.0,
    anti_il6r=0.0,
    anti_il6=0.0,
    hyper_il6=0.0,
    *,
    affinities: str | ParameterSet = "textbook",
) -> SerumEquilibrium:
    """Solve the serum IL-6 system for its equilibrium species.

    Parameters
    ----------
    il6, sil6r, sgp130, sgp130fc, anti_il6r, anti_il6, hyper_il6 : float or array_like
        Total concentrations, nM; finite, >= 0, broadcastable against each other. Totals
        below 1e-100 nM (less than one molecule in 10^76 litres) are treated as zero.
    affinities : {"textbook", "effective"} or ParameterSet
        The binding constants (see `course_lib.models.affinities`).

    Returns
    -------
    SerumEquilibrium
        Species in nM, each of the broadcast shape.

    Examples
    --------
    >>> eq = serum_equilibrium(il6=0.001, sil6r=0.8)
    >>> round(eq.il6_fractions()["free"], 3)
    0.556
    >>> serum_equilibrium(il6=-1)
    Traceback (most recent call last):
    ...
    course_lib.errors.CourseValueError: il6 must be a concentration >= 0 nM; got -1.0 nM. Concentrations cannot be negative: check the sign.
    """
    k = _affinity_set(affinities)
    kd1, k2, k3 = (
        k.value("kd_il6_il6r"),
        k.value("kd_complex_sgp130"),
        k.value("kd_complex_sgp130fc"),
    )
    ka, kb = k.value("kd_anti_il6r"), k.value("kd_anti_il6")
    given = dict(
        zip(_TOTALS, (il6, sil6r, sgp130, sgp130fc, anti_il6r, anti_il6, hyper_il6), strict=True)
    )
    arrays = {name: as_nonnegative(name, v, "nM") for name, v in given.items()}
    try:
        t = dict(zip(_TOTALS, np.broadcast_arrays(*arrays.values()), strict=True))
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in arrays.items() if a.ndim)
        raise ShapeError(
            f"the concentrations cannot be broadcast together: {shapes}. Give single numbers, "
            "arrays of one shape, or shapes numpy can broadcast (e.g. (n, 1) with (m,))."
        ) from None
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _solve(t, kd1, k2, k3, ka, kb, k)


def _solve(t, kd1, k2, k3, ka, kb, k) -> SerumEquilibrium:
    """The two-stage solution of `serum_equilibrium` (see the module docstring)."""
    shape = t["il6"].shape
    # Totals below _FLOOR nM (far less than one molecule in a litre) count as none: products
    # of such numbers underflow and would spoil the mass balances.
    totals = tuple(
        np.where(np.asarray(t[n], dtype=float) < _FLOOR, 0.0, t[n]).reshape(-1) for n in _TOTALS
    )
    _, rt, _, _, at, bt, ht = totals
    kd = (kd1, k2, k3, ka, kb)
    c, l_min = _complexes(totals, kd)
    g, f, phi = _sinks(totals, kd, c, slice(None))
    h = ht / phi
    lf = _free_il6(totals, kd, phi, c, h, l_min)
    # Then free sIL-6R beside the anti-IL-6R antibody, and every complex in closed form.
    rf = _free_with_binder(rt, at, ka, sink=1.0 + lf * phi / kd1)
    lr = lf * rf / kd1

    def out(x):
        x = x.reshape(shape)
        return float(x) if x.ndim == 0 else x

    return SerumEquilibrium(
        il6=out(lf),
        sil6r=out(rf),
        sgp130=out(g),
        sgp130fc=out(f),
        anti_il6r=out(at * ka / (ka + rf)),
        anti_il6=out(bt * kb / (kb + lf)),
        hyper_il6=out(h),
        il6_sil6r=out(lr),
        il6_sil6r_sgp130=out(lr * g / k2),
        il6_sil6r_sgp130fc=out(lr * f / k3),
        hyper_il6_sgp130=out(h * g / k2),
        hyper_il6_sgp130fc=out(h * f / k3),
        anti_il6r_sil6r=out(at * rf / (ka + rf)),
        anti_il6_il6=out(bt * lf / (kb + lf)),
        affinities=k,
    )


def _sinks(totals, kd, c, sel):
    """sgp130, sgp130Fc and phi (the factor by which they multiply LR and H) given C.

    ``totals`` are the flat totals in `_TOTALS` order, ``kd`` is (kd1, k2, k3, ka, kb) and
    ``sel`` picks the elements that ``c`` belongs to.
    """
    _, _, gt, ft, _, _, _ = totals
    _, k2, k3, _, _ = kd
    g = gt[sel] / (1.0 + c / k2)
    f = ft[sel] / (1.0 + c / k3)
    return g, f, 1.0 + g / k2 + f / k3


def _complexes(totals, kd):
    """Stage 1: C = LR + H, the free complexes that sgp130, sgp130Fc and gp130 bind.

    Returns C and the least free IL-6 there can be (under the largest sinks), nM.
    """
    lt, rt, gt, ft, at, bt, ht = totals
    kd1, k2, k3, ka, kb = kd
    q_max = np.minimum(lt, rt)

    def residual(c, sel):
        _, _, phi = _sinks(totals, kd, c, sel)
        lr = c - ht[sel] / phi  # < 0 left of the root (then the sign is still right)
        q = np.clip(lr * phi, 0.0, q_max[sel])  # IL-6 held by sIL-6R, in any complex
        lf = _free_with_binder(lt[sel] - q, bt[sel], kb)
        rf = _free_with_binder(rt[sel] - q, at[sel], ka)
        made = lf * rf / kd1
        return made - lr, np.maximum(made, np.abs(lr))

    # The largest possible sinks bound C from below, the totals from above.
    phi0 = 1.0 + gt / k2 + ft / k3
    l_min = lt / (1.0 + bt / kb + rt * phi0 / kd1)
    r_min = rt / (1.0 + at / ka + lt * phi0 / kd1)
    hi = ht + np.minimum(q_max, lt * rt / kd1)
    c = np.zeros_like(hi)
    # Without sgp130, sgp130Fc and Hyper-IL-6 there are no sinks (phi = 1): skip the search.
    sel = np.flatnonzero((hi > 0) & ((gt > 0) | (ft > 0) | (ht > 0)))
    c[sel] = _solve_decreasing(
        lambda x, i=None: residual(x, sel if i is None else sel[i]),
        (ht / phi0 + l_min * r_min / kd1)[sel],
        hi[sel],
        # Loose: this residual is noisy where a species is nearly used up, and stage 2
        # recomputes IL-6 and sIL-6R exactly; C need only be good enough for the sinks.
        rel_tol=1e-10,
        log_tol=1e-11,
    )
    return c, l_min


def _free_il6(totals, kd, phi, c, h, l_min):
    """Stage 2: free IL-6 with the sinks (``phi``) fixed, searched in log space.

    Every term of the IL-6 balance is a product, so free IL-6 stays accurate even when nearly
    all of it is bound. Stage 1's C and H give the first guess; ``l_min`` bounds it below.
    """
    lt, rt, _, _, at, bt, _ = totals
    kd1, _, _, ka, kb = kd

    def r_given_l(lf, sel):
        return _free_with_binder(rt[sel], at[sel], ka, sink=1.0 + lf * phi[sel] / kd1)

    def residual(lf, sel):
        held = lf + lf * bt[sel] / (kb + lf) + lf * r_given_l(lf, sel) * phi[sel] / kd1
        return np.log(lt[sel]) - np.log(held), np.ones_like(lf)

    lf = _free_with_binder(lt, bt, kb)  # where there is no sIL-6R
    sel = np.flatnonzero((lt > 0) & (rt > 0))
    # Start from stage 1's free IL-6 (accurate unless IL-6 is nearly used up): a bracket
    # of +-1e-6 around it, where it holds, leaves a few steps of false position.
    q = np.clip((c - h) * phi, 0.0, np.minimum(lt, rt))  # stage 1's IL-6 held by sIL-6R
    guess = _free_with_binder(lt[sel] - q[sel], bt[sel], kb)
    lo, hi = np.maximum(guess * (1 - 1e-6), l_min[sel]), np.minimum(guess * (1 + 1e-6), lt[sel])
    narrow = (guess > 0) & (residual(lo, sel)[0] > 0) & (residual(hi, sel)[0] < 0)
    lo, hi = np.where(narrow, lo, l_min[sel]), np.where(narrow, hi, lt[sel])
    lf[sel] = _solve_decreasing(lambda x, i=None: residual(x, sel if i is None else sel[i]), lo, hi)
    return lf


# The cell-level half of the binding layer lives in `course_lib.models.receptors` (imported last:
# it needs nothing from this module at import time, and notebooks find everything here).
from course_lib.models.receptors import CELL_TYPES, receptor_occupancy  # noqa: E402
