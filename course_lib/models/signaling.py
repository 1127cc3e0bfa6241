"""STAT3 signalling of one cell after IL-6, IL-6 + sIL-6R or Hyper-IL-6: the course's API.

`simulate` gives the time courses of one cell after the ligands are added at t = 0 (a
`TimeCourse`); `dose_response` runs many doses together and returns the pSTAT3 peak, area
under the curve and peak time per dose (a `DoseResponse`, whose `DoseResponse.ec50` reads off
the EC50). The reaction network behind them (receptor binding, JAK1/STAT3, the SOCS3 feedback),
its rate constants `SIGNALING` and its integration live in `course_lib.models.jak_stat`.

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
from course_lib.models.cell_types import receptor_numbers
from course_lib.models.jak_stat import SIGNALING, Species, free_ligands, integrate, total_pstat3
from course_lib.models.jak_stat_doses import pstat3_readouts
from course_lib.parameters import ParameterSet

# SIGNALING is defined in jak_stat; it is the default ``params`` of both functions here, and
# lesson 03 shows it from this module.
__all__ = [
    "SIGNALING",
    "STIMULI",
    "DoseResponse",
    "TimeCourse",
    "dose_response",
    "feedback_dose_responses",
    "simulate",
]

#: stimulus name -> what is added at each dose
STIMULI: dict[str, str] = {
    "IL-6": "IL-6 alone",
    "IL-6 + sIL-6R": "IL-6 with sIL-6R (equimolar unless sil6r is given)",
    "Hyper-IL-6": "Hyper-IL-6 (IL-6 fused to sIL-6R)",
}


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

        Parameters
        ----------
        readout : {"peak", "auc"}
            Which response to read the EC50 from.

        Returns
        -------
        float
            The EC50, nM.

        Raises
        ------
        CourseValueError
            When the responses never cross half of their maximum over the doses.
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
        ``t`` in min (short steps at first, 20 s to 45 min, then up to 4 min).
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
    lf, cf = free_ligands(il6, sil6r, hyper_il6, params)
    t, x = integrate(r0, g0, lf, cf, t_end, bool(socs3_feedback), params)
    x = x[:, 0, :]
    return TimeCourse(
        cell_type=name,
        t=t,
        pstat3=total_pstat3(x),
        pstat3_nuclear=x[:, Species.PSTAT3_NUC],
        socs3=x[:, Species.SOCS3],
        active_classic=x[:, Species.CLASSIC],
        active_trans=x[:, Species.TRANS],
        il6_il6r=x[:, Species.IL6_IL6R],
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

    The doses run as one stack through `course_lib.models.jak_stat_doses` (an exponential
    integrator in about 32 steps, read off cubic Hermite curves): peaks within 0.2% of an
    accurate integration, so within 1% of `simulate`'s (which is within 1% itself).

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
    settings = (bool(socs3_feedback),)
    kwargs = {"stimulus": stimulus, "sil6r": sil6r, "t_end": t_end, "params": params}
    return _dose_responses(cell_type, doses_nM, settings, il6r, gp130, **kwargs)[0]


def feedback_dose_responses(
    cell_type: str | ParameterSet,
    doses_nM,
    *,
    stimulus: str = "IL-6",
    sil6r: float | None = None,
    t_end: float = 240.0,
    il6r: float | None = None,
    gp130: float | None = None,
    params: ParameterSet = SIGNALING,
) -> tuple[DoseResponse, DoseResponse]:
    """`dose_response` with and without SOCS3 feedback, both in one batched call.

    One call integrates all doses under both settings together, which takes well under twice
    the time of one `dose_response`; lesson 03 draws the two curves side by side.

    Parameters
    ----------
    cell_type, doses_nM, stimulus, sil6r, t_end, il6r, gp130, params
        As in `dose_response`.

    Returns
    -------
    tuple of DoseResponse
        ``(with_feedback, without_feedback)``, each equal to `dose_response` with that
        ``socs3_feedback``.

    Examples
    --------
    >>> on, off = feedback_dose_responses("hepatocyte", [0.01, 0.1, 1.0])
    >>> bool(np.all(off.peak >= on.peak))  # SOCS3 only ever lowers pSTAT3
    True
    """
    kwargs = {"stimulus": stimulus, "sil6r": sil6r, "t_end": t_end, "params": params}
    on, off = _dose_responses(cell_type, doses_nM, (True, False), il6r, gp130, **kwargs)
    return on, off


def _dose_responses(cell_type, doses_nM, settings, il6r, gp130, *, stimulus, sil6r, t_end, params):
    """One `DoseResponse` per SOCS3 feedback setting in ``settings``, from one batched run."""
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
    lf, cf = free_ligands(*totals.get(stim, (zero, zero, doses)), params)
    k = len(settings)
    feedback = np.repeat(np.array(settings, dtype=bool), doses.size)
    peak, auc, peak_time = pstat3_readouts(
        r0, g0, np.tile(lf, k), np.tile(cf, k), t_end, feedback, params
    )
    return tuple(
        DoseResponse(name, stim, doses, peak[part], auc[part], peak_time[part])
        for part in np.split(np.arange(peak.size), k)
    )
