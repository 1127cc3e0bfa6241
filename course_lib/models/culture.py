"""Cells in a culture well (lesson 03): a stimulus in ng/mL, the pSTAT3 response over time.

A dish is what most signalling papers measure: a dose of IL-6, IL-6 with soluble IL-6R, or
Hyper-IL-6 is added to the medium at t = 0 and held there, and pSTAT3 is read over hours. This
module turns the doses a lab writes down (ng/mL) into the nM totals of
`course_lib.models.signaling` and remembers recent runs by their settings, so a slider moved
back to an earlier value costs nothing. Everything here is simulated.

>>> run = time_course("hepatocyte", "IL-6", 10.0)
>>> 15 <= run.peak_time() <= 30
True
"""

from __future__ import annotations

import numpy as np

from course_lib.errors import CourseValueError, as_scalar, require_name
from course_lib.models._memo import memo
from course_lib.models.cell_types import CELL_TYPES
from course_lib.models.signaling import (
    STIMULI,
    DoseResponse,
    TimeCourse,
    feedback_dose_responses,
    simulate,
)
from course_lib.models.stimuli import stimulus_nM

__all__ = [
    "DOSES_NG_ML",
    "LESSON_CELLS",
    "T_END",
    "dose_response_curve",
    "ec50_ng_ml",
    "il6r_for_ratio",
    "precompute_dose_response_curves",
    "time_course",
]

#: The cell types of lesson 03: classic + trans, trans only, fewer IL-6R.
LESSON_CELLS: tuple[str, ...] = ("hepatocyte", "endothelial cell", "HCC cell")
#: The doses of the dose-response curve, ng/mL of IL-6 or Hyper-IL-6 (40 doses).
DOSES_NG_ML: np.ndarray = np.logspace(-3, 3, 40)
DOSES_NG_ML.setflags(write=False)
#: min: the 4 hours the lesson looks at.
T_END = 240.0


def il6r_for_ratio(cell_type: str, il6r_per_gp130="cell") -> tuple[float | None, float, bool]:
    """Membrane IL-6R per cell for an IL-6R:gp130 ratio (Reeh 2019's control parameter).

    Returns (IL-6R per cell to pass to `simulate`, or None for the cell's own number; the
    ratio; whether it is the cell's own). ``il6r_per_gp130="cell"`` keeps the cell's own
    receptors.

    >>> il6r_for_ratio("hepatocyte", 0.5)
    (2500.0, 0.5, False)
    """
    cell = require_name("cell type", cell_type, CELL_TYPES)
    gp130 = CELL_TYPES[cell].value("gp130")
    if isinstance(il6r_per_gp130, str) and il6r_per_gp130 == "cell":
        return None, CELL_TYPES[cell].value("il6r") / gp130, True
    ratio = as_scalar("il6r_per_gp130", il6r_per_gp130, "IL-6R per gp130")
    if ratio > 1000:
        raise CourseValueError(
            f"il6r_per_gp130 must be at most 1000 IL-6R per gp130; got {ratio:g}. Choose a "
            'ratio between 0 and 1000, or "cell" for the cell\'s own receptor numbers.'
        )
    return ratio * gp130, ratio, False


def time_course(
    cell_type: str,
    stimulus: str,
    dose_ng_ml: float,
    sil6r_ng_ml: float = 40.0,
    socs3_feedback: bool = True,
    il6r_per_gp130="cell",
) -> TimeCourse:
    """pSTAT3 and SOCS3 over `T_END` minutes after a stimulus (remembered by setting).

    Parameters
    ----------
    cell_type : str
        A name from `course_lib.models.cell_types.CELL_TYPES`.
    stimulus : str
        A name from `STIMULI`.
    dose_ng_ml : float
        IL-6 or Hyper-IL-6, ng/mL (>= 0).
    sil6r_ng_ml : float
        sIL-6R added with "IL-6 + sIL-6R", ng/mL.
    socs3_feedback : bool
        False switches the SOCS3 feedback off.
    il6r_per_gp130 : float or "cell"
        IL-6R per gp130 on the cell (see `il6r_for_ratio`).
    """
    cell = require_name("cell type", cell_type, CELL_TYPES)
    dose = as_scalar("dose_ng_ml", dose_ng_ml, "ng/mL")
    sil6r = as_scalar("sil6r_ng_ml", sil6r_ng_ml, "ng/mL")
    il6r, _, _ = il6r_for_ratio(cell, il6r_per_gp130)
    totals = stimulus_nM(stimulus, dose, sil6r)
    return _time_course(cell, *totals.values(), bool(socs3_feedback), il6r)


@memo(maxsize=256)
def _time_course(cell, il6, sil6r, hyper_il6, feedback, il6r) -> TimeCourse:
    return simulate(
        cell,
        il6=il6,
        sil6r=sil6r,
        hyper_il6=hyper_il6,
        t_end=T_END,
        socs3_feedback=feedback,
        il6r=il6r,
    )


def dose_response_curve(cell_type: str, stimulus: str, socs3_feedback: bool) -> DoseResponse:
    """Peak pSTAT3 over `DOSES_NG_ML` for one cell and stimulus (remembered by setting).

    With "IL-6 + sIL-6R" the sIL-6R is equimolar with each IL-6 dose (the model's default).
    The doses of the result are in nM, converted by `course_lib.models.stimuli.stimulus_nM`.
    Both SOCS3 settings are simulated together on the first call (lesson 03 shows them side by
    side), so the other setting then costs nothing.
    """
    cell = require_name("cell type", cell_type, CELL_TYPES)
    stim = require_name("stimulus", stimulus, STIMULI)
    with_feedback, without = _both_feedback_curves(cell, stim)
    return with_feedback if socs3_feedback else without


def precompute_dose_response_curves() -> int:
    """Simulate and remember the curves of every `LESSON_CELLS` cell and stimulus.

    Lesson 03's dose-response explorer has only these settings (times the SOCS3 switch, which
    each run covers), so it computes them all when it is built: about 0.1 s once, after
    which every button answers from memory. Returns how many (cell, stimulus) pairs were run.

    >>> precompute_dose_response_curves()
    9
    """
    pairs = [(cell, stim) for cell in LESSON_CELLS for stim in STIMULI]
    for cell, stim in pairs:
        _both_feedback_curves(cell, stim)
    return len(pairs)


@memo(maxsize=32)
def _both_feedback_curves(cell: str, stim: str) -> tuple[DoseResponse, DoseResponse]:
    doses = stimulus_nM(stim, DOSES_NG_ML)
    dose = doses["hyper_il6" if stim == "Hyper-IL-6" else "il6"]
    return feedback_dose_responses(cell, dose, stimulus=stim, t_end=T_END)


def ec50_ng_ml(curve: DoseResponse) -> float | None:
    """The EC50 of a `dose_response_curve` in ng/mL (its doses' own unit), or None when the
    response never rises through half its maximum over `DOSES_NG_ML`.

    >>> round(ec50_ng_ml(dose_response_curve("hepatocyte", "IL-6", True)), 2)
    0.53
    """
    try:
        ec50_nM = curve.ec50()
    except CourseValueError:  # no response, or none below half its maximum
        return None
    return float(ec50_nM * DOSES_NG_ML[0] / curve.doses[0])  # nM -> ng/mL, the doses' own factor
