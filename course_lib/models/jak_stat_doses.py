"""pSTAT3 peak, area and peak time for many conditions at once: the network of `jak_stat` in
split form, integrated in a few long steps.

A dose-response needs three numbers per dose, not a smooth curve. The network of
`course_lib.models.jak_stat` (the same equations; a test compares them) is integrated by the
exponential integrator ETDRK4 (`course_lib.models._etdrk4`), which solves the first-order
losses (the diagonal of the Jacobian: ligand binding, IL-6·IL-6R meeting gp130, unbinding,
internalisation, STAT3 import and dephosphorylation, the delay chain, SOCS3 turnover) exactly.
The fastest of those rates then no longer sets the step: the 4-h course takes 32 steps (up to
3 min to 40 min, then up to 16 min) instead of ROS2's 240. Peak, time of peak and area come
from cubic Hermite curves through the states and slopes (`course_lib.models._hermite`).

Against LSODA at rtol 1e-11, over every cell type, stimulus and SOCS3 setting of lesson 03 at
0.05 to 1000 ng/mL: peak within 0.2%, peak time within 0.1 min, area within 0.2%
(tests/test_jak_stat_doses.py). The surface receptors are conserved by the equations; a run
that loses more than `DRIFT` of them has gone unstable, and its conditions are integrated
again with ROS2.

>>> from course_lib.models.jak_stat import free_ligands
>>> il6_free, trans_free = free_ligands([0.01, 1.0], [0.0, 0.0], [0.0, 0.0])
>>> peak, auc, peak_time = pstat3_readouts(4500.0, 5000.0, il6_free, trans_free, 240.0)
>>> bool(peak[1] > peak[0] > 0)
True
"""

from __future__ import annotations

import numpy as np

from course_lib.models._etdrk4 import REFRESH, etdrk4
from course_lib.models._hermite import hermite_summary
from course_lib.models.cell_types import MEMBRANE
from course_lib.models.jak_stat import (
    N_SPECIES,
    SIGNALING,
    Species,
    integrate,
    shared_jacobian,
    total_pstat3,
)
from course_lib.parameters import ParameterSet

__all__ = ["DRIFT", "pstat3_readouts", "split_odes"]

#: Largest change of a cell's surface IL-6R or gp130 (relative to its number; the equations
#: conserve both) before a run counts as unstable and is redone with ROS2. Unstable runs lose
#: 17% or more; stable ones stay within 2% (lesson 03's doses with equimolar sIL-6R up to
#: 1000 ng/mL, whose peaks are then still within 0.05%).
DRIFT = 0.05
_FIRST = 0.5  # min, the largest first step
_GROWTH = 1.5  # each step at most this much longer than the last
_DT_RISE, _T_RISE = 3.0, 40.0  # min: steps of at most 3 min to 40 min (rise and peak) ...
_DT_LATE = 16.0  # ... then at most 16 min (the slow decline)
_S = Species
#: The state-dependent rates of `jak_stat.odes` and, per rate, what it adds to each species'
#: rate per unit of rate (before the scale factors in `split_odes`).
_MOVES = (
    {_S.IL6R: -1.0, _S.IL6_IL6R: 1.0},  # IL-6 binds IL-6R: kf1 x IL-6R
    {_S.GP130: -1.0, _S.TRANS: 1.0},  # trans ligand binds gp130: kf3 x gp130
    {_S.IL6_IL6R: -1.0, _S.GP130: -1.0, _S.CLASSIC: 1.0},  # IL-6·IL-6R x gp130 (x k2f)
    {_S.PSTAT3_CYT: 1.0},  # STAT3 phosphorylation (x v_phos)
    {_S.DELAY_1: 1.0},  # SOCS3 transcription (x k_delay x socs3_max)
)


def split_odes(r0, g0, il6_free, trans_free, feedback=True, params: ParameterSet = SIGNALING):
    """Initial states, right-hand side and Jacobian diagonal of `jak_stat.odes` for n conditions.

    States here have the species on the FIRST axis, shape (N_SPECIES, n), which makes each
    species a contiguous row; apart from that layout, ``rates`` is the right-hand side of
    `jak_stat.odes`, computed with two matrix products instead of row-by-row updates.

    Parameters
    ----------
    r0, g0 : float
        IL-6R and gp130 per cell at t = 0 (all free).
    il6_free, trans_free : numpy.ndarray
        Free ligands in the medium, nM, 1-D with one entry per condition.
    feedback : bool or numpy.ndarray
        SOCS3 inhibition on (True) or off, for all conditions or one per condition.
    params : ParameterSet
        Kinetic constants; `jak_stat.SIGNALING` by default.

    Returns
    -------
    tuple
        ``(x0, rates, diagonal)``: the initial states, shape (N_SPECIES, n); ``rates(x)``, the
        time derivative; ``diagonal(x)``, the diagonal of its Jacobian (1/min). Both functions
        take and return arrays shaped like ``x0``.
    """
    p, n = params.as_floats(), N_SPECIES
    il6_free, trans_free = np.asarray(il6_free, float), np.asarray(trans_free, float)
    kf1, kf3 = p["kon_il6_il6r"] * il6_free, p["kon_gp130"] * trans_free  # 1/min
    k2f = p["koff_gp130"] / MEMBRANE.value("k2_membrane")  # per molecule per cell per min
    jh, vp, kh = p["jak_half"], p["v_phos"], p["socs3_half"]
    shared = shared_jacobian(p)
    # One matrix takes the states and the state-dependent rates to the time derivative.
    scale = (1.0, 1.0, k2f, vp, p["k_delay"] * p["socs3_max"])
    full = np.zeros((n, n + len(_MOVES)))
    full[:, :n] = shared
    for j, move in enumerate(_MOVES):
        for species, v in move.items():
            full[species, n + j] = v * scale[j]
    binding = np.array([kf1, kf3])
    fb = np.where(feedback, 1.0, 0.0) + np.zeros(il6_free.size)
    mixed = bool(fb.any()) and not fb.all()  # SOCS3 inhibits in some conditions only
    # sums @ x + offset: JAK activity + jak_half, nuclear pSTAT3 + socs3_half, unphosphorylated
    # STAT3, and 1 + SOCS3 where SOCS3 inhibits (in every condition; otherwise set per row).
    sums = np.zeros((4, n))
    sums[0, [_S.CLASSIC, _S.TRANS]] = 1.0
    sums[1, _S.PSTAT3_NUC] = 1.0
    sums[2, [_S.PSTAT3_CYT, _S.PSTAT3_NUC]] = -1.0
    sums[3, _S.SOCS3] = 1.0 if fb.all() else 0.0
    offset = np.array([[jh], [kh], [1.0], [1.0]])
    on = slice(n, n + 2)  # the rows of the two binding rates in the stacked array

    def rates(x):
        stack = np.empty((n + len(_MOVES), x.shape[1]))
        stack[:n] = x
        np.multiply(binding, x[_S.IL6R : _S.GP130 + 1 : 2], out=stack[on])
        np.multiply(x[_S.IL6_IL6R], x[_S.GP130], out=stack[n + 2])
        u = sums @ x
        v = u + offset
        if mixed:
            np.multiply(fb, x[_S.SOCS3], out=v[3])
            v[3] += 1.0
        np.divide(u[:2], v[:2], out=stack[n + 3 :])  # saturations of JAK and SOCS3 transcription
        stack[n + 3] *= v[2] / v[3]  # free STAT3, and kinase activity left by SOCS3
        return full @ stack

    constant = np.repeat(np.diag(shared)[:, None], il6_free.size, axis=1)
    constant[_S.IL6R], constant[_S.GP130] = -kf1, -kf3

    def diagonal(x):
        d = constant.copy()
        d[_S.IL6_IL6R] -= k2f * x[_S.GP130]
        d[_S.GP130] -= k2f * x[_S.IL6_IL6R]
        jak = x[_S.CLASSIC] + x[_S.TRANS]
        d[_S.PSTAT3_CYT] -= vp * jak / (jak + jh) / (1.0 + fb * x[_S.SOCS3])
        return d

    x0 = np.zeros((n, il6_free.size))
    x0[_S.IL6R], x0[_S.GP130] = r0, g0
    return x0, rates, diagonal


def _steps(t_end: float, fastest: float) -> np.ndarray:
    """Time points: the first step resolves the fastest rate (at most `_FIRST`), then steps
    grow by `_GROWTH` to 3 min until 40 min and to 16 min after."""
    t, h = [0.0], min(_FIRST, 0.5 / max(fastest, 1e-12))
    while t[-1] < t_end:
        t.append(min(t[-1] + h, t_end))
        h = min(h * _GROWTH, _DT_RISE if t[-1] < _T_RISE else _DT_LATE)
    return np.array(t)


def _drift(x: np.ndarray, r0: float, g0: float) -> np.ndarray:
    """Largest relative change of surface IL-6R and gp130 (free, bound and active; conserved
    by the equations), per condition: x is (time, N_SPECIES, n)."""
    il6r = x[:, _S.IL6R] + x[:, _S.IL6_IL6R] + x[:, _S.CLASSIC]
    gp130 = x[:, _S.GP130] + x[:, _S.CLASSIC] + x[:, _S.TRANS]
    lost = np.maximum(np.abs(il6r - r0) / max(r0, 1.0), np.abs(gp130 - g0) / max(g0, 1.0))
    return np.where(np.isfinite(lost), lost, np.inf).max(axis=0)


def pstat3_readouts(r0, g0, il6_free, trans_free, t_end, feedback=True, params=SIGNALING):
    """Peak, area and time of peak of total pSTAT3 over [0, t_end], one per condition.

    Parameters
    ----------
    r0, g0, il6_free, trans_free, feedback, params
        As in `split_odes`.
    t_end : float
        End of the run, min.

    Returns
    -------
    tuple of numpy.ndarray
        ``(peak, auc, peak_time)``: highest pSTAT3 fraction, its area (fraction x min) and the
        time it is reached (min, 0 where there is no response), each of shape (n,).
    """
    x0, rates, diagonal = split_odes(r0, g0, il6_free, trans_free, feedback, params)
    t = _steps(t_end, float(np.max(np.abs(diagonal(x0)))))
    pstat3 = (_S.PSTAT3_CYT, _S.PSTAT3_NUC)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # unstable: redone below
        x, slopes = etdrk4(x0, rates, diagonal, t, REFRESH)
        peak, peak_time, auc = hermite_summary(t, x[:, pstat3].sum(1), slopes[:, pstat3].sum(1))
        redo = np.flatnonzero(_drift(x, r0, g0) > DRIFT)
    if redo.size:  # too fast for these steps: the Rosenbrock run, read off its fine grid
        fb = np.broadcast_to(feedback, np.shape(il6_free))[redo]
        lf, cf = np.asarray(il6_free)[redo], np.asarray(trans_free)[redo]
        tr, xr = integrate(r0, g0, lf, cf, t_end, fb, params)
        y = total_pstat3(xr)
        peak[redo] = y.max(axis=0)
        auc[redo] = np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(tr)[:, None], axis=0)
        peak_time[redo] = tr[np.argmax(y, axis=0)]
    peak = np.maximum(peak, 0.0)
    return peak, np.maximum(auc, 0.0), np.where(peak > 0.0, peak_time, 0.0)
