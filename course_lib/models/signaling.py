"""STAT3 signalling dynamics of one cell: receptor binding, JAK/STAT3, SOCS3 feedback.

The medium is the ligand reservoir: its free IL-6 and free IL-6·sIL-6R or Hyper-IL-6 (nM) come
from `course_lib.models.binding.serum_equilibrium` and stay constant (a cell is too small to deplete
them, as in `course_lib.models.receptors`). Membrane species are counted in molecules per cell:

    IL-6 + IL-6R <-> IL-6·IL-6R                      (kon, koff of Dwivedi 2014)
    IL-6·IL-6R + gp130 <-> classic complex           (2-D: koff / k2_membrane per molecule)
    IL-6·sIL-6R (or Hyper-IL-6) + gp130 <-> trans complex
    complexes -> internalised: ligand degraded, IL-6R and gp130 recycled to the surface

Both complexes are active receptors (JAK1). They phosphorylate STAT3 (fraction pSTAT3 in the
cytoplasm, imported to the nucleus and dephosphorylated there) with the same kinetics in both
modes. Nuclear pSTAT3 drives SOCS3 transcription (saturably) through a chain of five delay
compartments, as in Sobotta 2017; SOCS3 (relative units) divides the kinase activity of active
receptors by 1 + SOCS3. The ODEs are integrated with a fixed-step, L-stable Rosenbrock method
(ROS2, `course_lib.models._ros2`) vectorised over conditions: one call integrates many doses together,
and a single condition runs on plain vectors (numpy's per-call overhead dominates at 13 states).

>>> run = simulate("hepatocyte", il6=1.0)
>>> 15 <= run.peak_time() <= 30
True
>>> simulate("endothelial cell", il6=1.0).peak()
0.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_lib.errors import (
    CourseTypeError,
    CourseValueError,
    ShapeError,
    as_nonnegative,
    require_in_range,
    require_name,
)
from course_lib.models._ros2 import ros2
from course_lib.models.affinities import AFFINITIES
from course_lib.models.binding import serum_equilibrium
from course_lib.models.cell_types import MEMBRANE, receptor_numbers
from course_lib.parameters import Parameter, ParameterSet

__all__ = [
    "SIGNALING",
    "STIMULI",
    "DoseResponse",
    "TimeCourse",
    "dose_response",
    "signaling_affinities",
    "simulate",
]

_DW = "BIOMD0000000534 (Dwivedi 2014, PMID:24402116)"

_ROWS = [
    (
        "kon_il6_il6r",
        0.384 / 60,
        "1/(nM*min)",
        "association rate of IL-6 with IL-6R",
        f"{_DW}: 0.384 /nM/h",
        (0.1 / 60, 5.0 / 60),
    ),
    (
        "koff_il6_il6r",
        1.92 / 60,
        "1/min",
        "dissociation rate of IL-6·IL-6R",
        f"{_DW}: 1.92 /h",
        (0.5 / 60, 10.0 / 60),
    ),
    (
        "kon_gp130",
        20.52 / 60,
        "1/(nM*min)",
        "association rate of IL-6·sIL-6R or Hyper-IL-6 with gp130",
        f"{_DW}: 20.52 /nM/h",
        (1.0 / 60, 100.0 / 60),
    ),
    (
        "koff_gp130",
        1.026 / 60,
        "1/min",
        "dissociation rate of a complex from gp130",
        f"{_DW}: 1.026 /h",
        (0.1 / 60, 10.0 / 60),
    ),
    (
        "k_internalisation",
        1.96 / 60,
        "1/min",
        "internalisation of active complexes",
        f"{_DW}: kRint 1.96 /h (0 switches it off)",
        (0.0, 5.0 / 60),
    ),
    (
        "jak_half",
        30.0,
        "per cell",
        "active receptors for half-maximal STAT3 phosphorylation",
        "assumed: tuned so that the hepatocyte IL-6 EC50 lies near the 21-39 pM cellular Kd "
        "(Eur J Clin Invest 1990;20:366); of the order of the 4-16 bound IL-6 that give "
        "a response (PMC7212196)",
        (4.0, 300.0),
    ),
    (
        "v_phos",
        0.2,
        "1/min",
        "maximal STAT3 phosphorylation rate",
        "assumed: tuned so that pSTAT3 rises within 10 min; Dwivedi's kcat is 145 /h "
        "(2.4 /min) in another rate law (PMID:24402116)",
        (0.05, 5.0),
    ),
    (
        "k_import",
        0.2,
        "1/min",
        "nuclear import of pSTAT3",
        "assumed: tuned so that nuclear pSTAT3 follows cytoplasmic pSTAT3 within ~5 min",
        (0.01, 2.0),
    ),
    (
        "k_dephos",
        0.05,
        "1/min",
        "nuclear dephosphorylation of pSTAT3",
        "assumed: tuned so that pSTAT3 falls within 1-2 h once SOCS3 shuts off the receptor "
        "(return to baseline in 2-4 h, PMC5417441)",
        (0.01, 1.0),
    ),
    (
        "socs3_half",
        0.05,
        "fraction",
        "nuclear pSTAT3 for half-maximal SOCS3 transcription",
        "assumed: tuned so that low doses still induce SOCS3 and the response stays "
        "transient over the dose range",
        (0.001, 0.5),
    ),
    (
        "socs3_max",
        100.0,
        "1",
        "maximal SOCS3 (1 halves JAK1 activity)",
        "assumed: tuned so that pSTAT3 falls below 30% of its peak by 2-4 h (PMC5417441); "
        "SOCS3 mRNA rises 40-fold in vivo (Campbell 2001)",
        (1.0, 300.0),
    ),
    (
        "k_delay",
        0.15,
        "1/min",
        "transit rate through each of 5 SOCS3 delay compartments",
        "assumed: tuned so that the mean delay (5 / k_delay = 33 min) puts the pSTAT3 peak "
        "at 15-30 min; SOCS3 acts only after ~15 min (Dittrich, RWTH AVT LPT-pre-2009-10)",
        (0.05, 1.0),
    ),
    (
        "k_socs3",
        0.02,
        "1/min",
        "SOCS3 protein turnover",
        "assumed: SOCS3 protein is short-lived (half-life ~35 min); tuned with k_delay so "
        "that pSTAT3 peaks at 15-30 min and stays low to 4 h",
        (0.005, 0.5),
    ),
]
#: Rate constants and the assumptions tuned to the qualitative data (FACTS 3.6, 4.2-4.4).
SIGNALING = ParameterSet("IL-6 signalling kinetics in one cell", [Parameter(*r) for r in _ROWS])

#: stimulus name -> what is added at each dose
STIMULI: dict[str, str] = {
    "IL-6": "IL-6 alone",
    "IL-6 + sIL-6R": "IL-6 with sIL-6R (equimolar unless sil6r is given)",
    "Hyper-IL-6": "Hyper-IL-6 (IL-6 fused to sIL-6R)",
}

_N = 13  # R, IL-6·R, gp130, classic, trans, pSTAT3 cyt, pSTAT3 nuc, 5 delays, SOCS3
_DT = 4.0  # min, the largest step


def signaling_affinities(params: ParameterSet = SIGNALING) -> ParameterSet:
    """The equilibrium constants implied by the rate constants, as an `AFFINITIES`-like set."""
    return AFFINITIES.with_values(
        kd_il6_il6r=params.value("koff_il6_il6r") / params.value("kon_il6_il6r"),
        kd_complex_gp130=params.value("koff_gp130") / params.value("kon_gp130"),
    )


@dataclass(frozen=True)
class TimeCourse:
    """Named time courses of one cell; receptors in molecules per cell, pSTAT3 as fractions."""

    cell_type: str
    t: np.ndarray  #: min
    pstat3: np.ndarray  #: fraction of STAT3 phosphorylated (cytoplasm + nucleus)
    pstat3_nuclear: np.ndarray  #: fraction of STAT3 that is nuclear pSTAT3
    socs3: np.ndarray  #: SOCS3, relative units (1 halves JAK1 activity)
    active_classic: np.ndarray  #: IL-6·IL-6R·gp130 per cell
    active_trans: np.ndarray  #: IL-6·sIL-6R·gp130 or Hyper-IL-6·gp130 per cell
    il6_il6r: np.ndarray  #: IL-6·IL-6R without gp130, per cell

    def peak(self) -> float:
        """Highest pSTAT3 fraction."""
        return float(np.max(self.pstat3))

    def peak_time(self) -> float:
        """Time of the highest pSTAT3 (min); 0 when there is no response."""
        return float(self.t[np.argmax(self.pstat3)]) if self.peak() > 0 else 0.0


@dataclass(frozen=True)
class DoseResponse:
    """pSTAT3 peak and area under the curve per dose."""

    cell_type: str
    stimulus: str
    doses: np.ndarray  #: nM
    peak: np.ndarray  #: highest pSTAT3 fraction
    auc: np.ndarray  #: pSTAT3 fraction x min over [0, t_end]
    peak_time: np.ndarray  #: min

    def ec50(self, readout: str = "peak") -> float:
        """Dose (nM) giving half the largest response, by log-linear interpolation.

        Raises `CourseValueError` when the responses never cross half of their maximum.
        """
        y = getattr(self, require_name("readout", readout, ("peak", "auc")))
        half = 0.5 * float(np.max(y))
        above = np.flatnonzero(y >= half)
        if half <= 0 or above[0] == 0:
            raise CourseValueError(
                f"the {readout} never rises through half its maximum over doses "
                f"{self.doses.min():g}-{self.doses.max():g} nM (responses {y.min():.3g}-"
                f"{y.max():.3g}). Extend the doses to lower and higher values."
            )
        i = above[0]
        x0, x1 = np.log(self.doses[i - 1]), np.log(self.doses[i])
        f = (half - y[i - 1]) / (y[i] - y[i - 1])
        return float(np.exp(x0 + f * (x1 - x0)))


def _check_params(params) -> ParameterSet:
    if not isinstance(params, ParameterSet) or any(k not in params for k in SIGNALING):
        raise CourseTypeError(
            f"params must be a ParameterSet with the names of SIGNALING; got {params!r}. "
            "Start from SIGNALING.with_values(...)."
        )
    return params


def _model(r0, g0, il6_free, trans_free, feedback, params):
    """Initial state, right-hand side and Jacobian: a linear part (a matrix per condition)
    plus gp130 recruitment, STAT3 phosphorylation and SOCS3 synthesis.

    The free ligands are numbers (one condition: states (13,), Jacobians (13, 13)) or arrays
    of n conditions (states (n, 13), Jacobians (n, 13, 13)).
    """
    p = params.as_floats()
    kf1, kb1 = p["kon_il6_il6r"] * il6_free, p["koff_il6_il6r"]
    k2f, kb = p["koff_gp130"] / MEMBRANE.value("k2_membrane"), p["koff_gp130"]
    kf3, ki = p["kon_gp130"] * trans_free, p["k_internalisation"]
    jh, vp = p["jak_half"], p["v_phos"]
    kim, kh, kdl, ks = p["k_import"], p["socs3_half"], p["k_delay"], p["k_socs3"]
    s_max, fb = kdl * p["socs3_max"], 1.0 if feedback else 0.0
    shared = np.zeros((_N, _N))  # the linear part common to all conditions
    for row, col, value in (
        (0, 1, kb1),
        (1, 1, -kb1),
        (0, 3, ki),
        (1, 3, kb),
        (2, 3, kb + ki),
        (3, 3, -kb - ki),
        (2, 4, kb + ki),
        (4, 4, -kb - ki),
        (5, 5, -kim),
        (6, 5, kim),
        (6, 6, -p["k_dephos"]),
        (12, 11, ks),
        (12, 12, -ks),
        *((i, i, -kdl) for i in range(7, 12)),
        *((i + 1, i, kdl) for i in range(7, 11)),
    ):
        shared[row, col] = value
    shared_t = shared.T.copy()
    a = np.broadcast_to(shared, (*np.shape(il6_free), _N, _N)).copy()
    a[..., 0, 0], a[..., 1, 0], a[..., 2, 2], a[..., 4, 2] = -kf1, kf1, -kf3, kf3
    a = a.reshape(*np.shape(il6_free), _N * _N)  # flat, for the Jacobian's sparse updates
    rows, cols = [1, 1, 2, 2, 3, 3, 5, 5, 5, 5, 5, 7], [1, 2, 1, 2, 1, 2, 3, 4, 5, 6, 12, 6]
    where = np.array(rows) * _N + np.array(cols)  # entries of the nonlinear terms

    def rhs(x):
        # c[i] is species i in every condition (a number for one condition); d[i] its rate.
        c, f = x.T, x @ shared_t
        d, jak, pn = f.T, c[3] + c[4], c[6]
        bind, il6_on, trans_on = k2f * c[1] * c[2], kf1 * c[0], kf3 * c[2]
        d[0] -= il6_on
        d[1] += il6_on - bind
        d[2] -= trans_on + bind
        d[3] += bind
        d[4] += trans_on
        d[5] += vp * jak / (jak + jh) * (1.0 - c[5] - pn) / (1.0 + fb * c[12])
        d[7] += s_max * pn / (pn + kh)
        return f

    def jacobian(x):
        c = x.T
        jak, pn, dg, dl = c[3] + c[4], c[6], k2f * c[2], k2f * c[1]
        inh, u = 1.0 / (1.0 + fb * c[12]), 1.0 - c[5] - c[6]
        da, va = vp * u * inh * jh / (jak + jh) ** 2, vp * jak / (jak + jh) * inh
        jac = a.copy()
        jac[..., where] += np.array(
            [
                -dg,
                -dl,
                -dg,
                -dl,
                dg,
                dl,
                da,
                da,
                -va,
                -va,
                -fb * va * u * inh,
                s_max * kh / (pn + kh) ** 2,
            ],
        ).T
        return jac.reshape(*jac.shape[:-1], _N, _N)

    x0 = np.zeros((*np.shape(il6_free), _N))
    x0[..., 0], x0[..., 2] = r0, g0
    return x0, rhs, jacobian


def _integrate(r0, g0, il6_free, trans_free, t_end, feedback, params):
    """Time points (m,) and states (m, n, 13); one condition (n = 1) takes the 1-D path."""
    fastest = max(
        params.value("kon_il6_il6r") * il6_free.max(initial=0.0),
        params.value("kon_gp130") * trans_free.max(initial=0.0),
        1.0,
    )
    # The first step resolves the fastest binding and the filling of jak_half receptors.
    t = _grid(t_end, min(0.1, 0.3 * params.value("jak_half") / max(r0, g0, 1.0)) / fastest)
    if il6_free.size == 1:  # one condition runs on plain vectors and matrices: faster
        model = _model(r0, g0, float(il6_free[0]), float(trans_free[0]), feedback, params)
        return t, ros2(*model, t)[:, None, :]
    return t, ros2(*_model(r0, g0, il6_free, trans_free, feedback, params), t)


def _grid(t_end: float, first: float) -> np.ndarray:
    """Time points (min): steps grow from ``first`` by 1.5x to 1 min (the peak is resolved in
    1-min steps to 45 min), then by 5% a step to _DT (the slow decline)."""
    t, h = [0.0], first
    while t[-1] < t_end:
        h = min(h * (1.5 if h < 1.0 else 1.05), 1.0 if t[-1] < 45.0 else _DT)
        t.append(min(t[-1] + h, t_end))
    return np.array(t)


def _ligands(il6, sil6r, hyper_il6, params):
    eq = serum_equilibrium(il6, sil6r, hyper_il6=hyper_il6, affinities=signaling_affinities(params))
    return np.atleast_1d(eq.il6).astype(float), np.atleast_1d(eq.trans_complex).astype(float)


def simulate(
    cell_type: str | ParameterSet,
    *,
    il6: float = 0.0,
    sil6r: float = 0.0,
    hyper_il6: float = 0.0,
    t_end: float = 240.0,
    socs3_feedback: bool = True,
    il6r: float | None = None,
    gp130: float | None = None,
    params: ParameterSet = SIGNALING,
) -> TimeCourse:
    """Time courses of one cell after the ligands are added at t = 0.

    Parameters
    ----------
    cell_type : str or ParameterSet
        A name in `CELL_TYPES` or a set with ``il6r`` and ``gp130``.
    il6, sil6r, hyper_il6 : float
        Totals added to the medium, nM (finite, >= 0).
    t_end : float
        Length of the run, min (1 to 2880).
    socs3_feedback : bool
        False removes SOCS3 inhibition (SOCS3 is still made, but does nothing).
    il6r, gp130 : float, optional
        Override the cell's receptor numbers (per cell).
    params : ParameterSet
        Kinetic constants; `SIGNALING` by default.

    Returns
    -------
    TimeCourse
        ``t`` in min (short steps at first, 1 min to 45 min, then up to 4 min).
    """
    name, r0, g0 = receptor_numbers(cell_type, il6r, gp130)
    for label, v in (("il6", il6), ("sil6r", sil6r), ("hyper_il6", hyper_il6)):
        if np.ndim(as_nonnegative(label, v, "nM")) != 0:
            raise ShapeError(
                f"{label} must be a single number in simulate; got shape {np.shape(v)}. "
                "Use dose_response(...) for many doses."
            )
    t_end = require_in_range("t_end", t_end, 1.0, 2880.0, "min")
    params = _check_params(params)
    lf, cf = _ligands(il6, sil6r, hyper_il6, params)
    t, x = _integrate(r0, g0, lf, cf, t_end, bool(socs3_feedback), params)
    x = x[:, 0, :]
    return TimeCourse(
        cell_type=name,
        t=t,
        pstat3=x[:, 5] + x[:, 6],
        pstat3_nuclear=x[:, 6],
        socs3=x[:, 12],
        active_classic=x[:, 3],
        active_trans=x[:, 4],
        il6_il6r=x[:, 1],
    )


def dose_response(
    cell_type: str | ParameterSet,
    doses_nM,
    *,
    stimulus: str = "IL-6",
    sil6r: float | None = None,
    t_end: float = 240.0,
    socs3_feedback: bool = True,
    il6r: float | None = None,
    gp130: float | None = None,
    params: ParameterSet = SIGNALING,
) -> DoseResponse:
    """pSTAT3 response to many doses, integrated together in one batched call.

    Parameters
    ----------
    cell_type : str or ParameterSet
        As in `simulate`.
    doses_nM : array_like
        1-D doses in nM (finite, >= 0) of IL-6 or Hyper-IL-6.
    stimulus : {"IL-6", "IL-6 + sIL-6R", "Hyper-IL-6"}
        What each dose is.
    sil6r : float, optional
        sIL-6R (nM) with "IL-6 + sIL-6R"; None means equimolar with the IL-6 dose.
    t_end, socs3_feedback, il6r, gp130, params
        As in `simulate`.

    Returns
    -------
    DoseResponse
        Peak, AUC and peak time per dose; `DoseResponse.ec50` reads off the EC50.

    Examples
    --------
    >>> dr = dose_response("hepatocyte", [0.001, 0.01, 0.1, 1.0])
    >>> bool(np.all(np.diff(dr.peak) > 0))
    True
    """
    name, r0, g0 = receptor_numbers(cell_type, il6r, gp130)
    stim = require_name("stimulus", stimulus, STIMULI)
    doses = as_nonnegative("doses_nM", doses_nM, "nM", what="a dose")
    if doses.ndim != 1 or doses.size == 0:
        raise ShapeError(
            f"doses_nM must be a 1-D list of doses; got shape {doses.shape}. "
            "Pass e.g. numpy.logspace(-4, 1, 50)."
        )
    t_end = require_in_range("t_end", t_end, 1.0, 2880.0, "min")
    params = _check_params(params)
    zero = np.zeros_like(doses)
    extra = doses if sil6r is None else as_nonnegative("sil6r", sil6r, "nM") + zero
    totals = {"IL-6": (doses, zero, zero), "IL-6 + sIL-6R": (doses, extra, zero)}
    lf, cf = _ligands(*totals.get(stim, (zero, zero, doses)), params)
    t, x = _integrate(r0, g0, lf, cf, t_end, bool(socs3_feedback), params)
    y = x[:, :, 5] + x[:, :, 6]
    auc = np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(t)[:, None], axis=0)
    return DoseResponse(
        cell_type=name,
        stimulus=stim,
        doses=doses,
        peak=y.max(axis=0),
        auc=auc,
        peak_time=np.where(y.max(axis=0) > 0, t[np.argmax(y, axis=0)], 0.0),
    )
