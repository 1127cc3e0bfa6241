"""Checks for lesson 03, "Signalling dynamics".

Every expected value is simulated here with `course_lib.models.signaling` (the same calls the
questions ask for), never typed in, so a change of a parameter changes the checks with it.
Feedback names the misconception and never shows the value.

>>> run = simulate("hepatocyte", il6=STANDARD_IL6_NM)
>>> peak_time_min(run.peak_time())
Exercise 3.1: correct. Hidden checks also count toward your grade.
"""

from __future__ import annotations

import numpy as np

from course_lib.grading.feedback import CheckResult, Misconception, check_choice, check_number
from course_lib.grading.variants import Variant
from course_lib.models.signaling import dose_response, simulate
from course_lib.units import from_molar, to_molar

__all__ = [
    "EC50_DOSES_NM",
    "STANDARD_IL6_NM",
    "il6_alone_responders",
    "il6_ec50_pM",
    "peak_time_min",
    "receptor_ratio",
    "remaining_without_socs3",
]

#: Exercises 3.1-3.2: IL-6 at 40 ng/mL, the standard stimulus of Sobotta 2017 (FACTS 4.3), nM.
STANDARD_IL6_NM: float = float(to_molar(40.0, "ng/mL", "IL-6"))
#: Exercise 3.3: the doses of the dose-response, nM.
EC50_DOSES_NM: np.ndarray = np.logspace(-5, 2, 50)


def _run(**kw):
    return simulate("hepatocyte", il6=STANDARD_IL6_NM, **kw)


def peak_time_min(
    value: object, *, numbers: Variant | None = None, rtol: float = 0.1
) -> CheckResult:
    """Exercise 3.1: time (min) of the pSTAT3 peak of a hepatocyte given IL-6.

    Parameters
    ----------
    value : object
        The student's answer.
    numbers : Variant, optional
        The student's numbers (``my`` in the notebook, `course_lib.grading.variants`); the
        default numbers when omitted.
        Default: 40 ng/mL IL-6 (`STANDARD_IL6_NM`).
    rtol : float
        Relative tolerance.
    """
    if numbers is None:
        il6 = STANDARD_IL6_NM
    else:
        il6 = float(to_molar(numbers.il6_ng_ml, "ng/mL", "IL-6"))
    run = simulate("hepatocyte", il6=il6)
    off = simulate("hepatocyte", il6=il6, socs3_feedback=False)
    return check_number(
        "Exercise 3.1",
        value,
        expected=run.peak_time(),
        unit="min",
        rtol=rtol,
        misconceptions=[
            Misconception(
                run.peak(),
                "this is the HEIGHT of the peak (the pSTAT3 fraction), not its time. "
                "Use the run's peak_time() method.",
            ),
            Misconception(
                100 * run.peak(),
                "this is the height of the peak in % of STAT3, not the time at which it occurs.",
            ),
            Misconception(
                run.peak_time() / 60,
                "this looks like the peak time in HOURS. The time courses are in minutes.",
            ),
            Misconception(
                float(run.t[np.argmax(run.socs3)]),
                "this is when SOCS3 peaks, much later than pSTAT3: SOCS3 is made only after "
                "pSTAT3 has reached the nucleus. Read the pSTAT3 curve.",
            ),
            Misconception(
                off.peak_time(),
                "this is the peak time WITHOUT SOCS3 feedback. Keep the default "
                "(socs3_feedback=True).",
            ),
            Misconception(
                float(run.t[np.argmax(run.pstat3_nuclear)]),
                "this is when NUCLEAR pSTAT3 peaks; it lags behind total pSTAT3 because import "
                "takes a few minutes. The question asks about total pSTAT3 (.pstat3).",
            ),
        ],
    )


def _remaining(run) -> float:
    return float(run.pstat3[-1]) / run.peak()


def remaining_without_socs3(value: object, *, rtol: float = 0.02) -> CheckResult:
    """Exercise 3.2: pSTAT3 at 4 h as a fraction of its peak, without SOCS3 feedback."""
    off, on = _run(socs3_feedback=False), _run()
    return check_number(
        "Exercise 3.2",
        value,
        expected=_remaining(off),
        unit="fraction of the peak (between 0 and 1)",
        rtol=rtol,
        misconceptions=[
            Misconception(
                _remaining(on),
                "this is the fraction left WITH SOCS3 feedback (the transient response). "
                "Run simulate with socs3_feedback=False.",
            ),
            Misconception(
                1 - _remaining(on),
                "this is the fraction LOST by 4 h with SOCS3 feedback on. The question asks "
                "what remains when the feedback is removed.",
            ),
            Misconception(
                float(off.pstat3[-1]),
                "this is pSTAT3 at 4 h as a fraction of ALL STAT3. Divide it by the peak.",
            ),
            Misconception(
                100 * _remaining(off),
                "this looks like a percentage. Give a fraction between 0 and 1.",
            ),
        ],
    )


def il6_ec50_pM(value: object, *, rtol: float = 0.02) -> CheckResult:
    """Exercise 3.3: EC50 (pM) of peak pSTAT3 for IL-6 in a hepatocyte, feedback on."""
    dr = dose_response("hepatocyte", EC50_DOSES_NM)
    ec50 = dr.ec50()
    return check_number(
        "Exercise 3.3",
        value,
        expected=ec50 * 1e3,
        unit="pM",
        rtol=rtol,
        misconceptions=[
            Misconception(
                ec50,
                "this is the EC50 in nM: dose_response works in nM, and the question asks for "
                "pM (1 nM = 1000 pM).",
            ),
            Misconception(
                float(from_molar(ec50, "IL-6", "ng/mL")),
                "this is the EC50 in ng/mL. The question asks for a molar concentration, pM.",
            ),
            Misconception(
                dose_response("hepatocyte", EC50_DOSES_NM, socs3_feedback=False).ec50() * 1e3,
                "this is the EC50 WITHOUT SOCS3 feedback. Keep socs3_feedback=True (the default).",
            ),
            Misconception(
                dose_response("hepatocyte", EC50_DOSES_NM, stimulus="Hyper-IL-6").ec50() * 1e3,
                "this is the EC50 of Hyper-IL-6. The question is about IL-6 alone: "
                'stimulus="IL-6" (the default).',
            ),
            Misconception(
                dose_response("hepatocyte", EC50_DOSES_NM, stimulus="IL-6 + sIL-6R").ec50() * 1e3,
                "this is the EC50 of IL-6 WITH sIL-6R (classic plus trans). The question is "
                'about IL-6 alone: stimulus="IL-6".',
            ),
        ],
    )


#: Exercise 3.4: the options, as (hepatocyte responds, endothelial cell responds).
_RESPONDERS = {"a": (True, True), "b": (True, False), "c": (False, True), "d": (False, False)}


def il6_alone_responders(answer: object) -> CheckResult:
    """Exercise 3.4: which cells show pSTAT3 over 4 h with 10 ng/mL IL-6 alone."""
    il6 = float(to_molar(10.0, "ng/mL", "IL-6"))
    seen = tuple(simulate(c, il6=il6).peak() > 0 for c in ("hepatocyte", "endothelial cell"))
    correct = next(k for k, v in _RESPONDERS.items() if v == seen)
    feedback = {
        "a": "an endothelial cell has gp130 but no IL-6R, so IL-6 alone cannot assemble an "
        "active receptor on it: its pSTAT3 stays at zero. It needs IL-6·sIL-6R "
        "(trans-signalling).",
        "b": "the hepatocyte carries IL-6R and gp130, so IL-6 alone activates it (classic "
        "signalling); the endothelial cell has gp130 but no IL-6R and stays silent until "
        "IL-6·sIL-6R arrives.",
        "c": "this is the mirror image of the receptor table: look again at which of the two "
        "cells carries membrane IL-6R, the receptor IL-6 alone needs.",
        "d": "one of the two cells carries both IL-6R and gp130, so IL-6 alone can activate it "
        "(classic signalling). Look at both time courses again.",
    }
    return check_choice("Exercise 3.4", answer, correct=correct, feedback=feedback)


def receptor_ratio(answer: object) -> CheckResult:
    """Exercise 3.5: what decides whether classic or trans-signalling is stronger (Reeh 2019)."""
    return check_choice(
        "Exercise 3.5",
        answer,
        correct="b",
        feedback={
            "a": "Reeh et al. found the intracellular JAK/STAT3 kinetics to be the SAME in both "
            "modes; in the course model they share every rate constant after the receptor.",
            "b": "Reeh et al. found the same intracellular kinetics in both modes; what differs "
            "is how much gp130 each can engage. When IL-6R is scarce next to gp130, "
            "IL-6·sIL-6R occupies more gp130 than IL-6 alone (the IL-6R:gp130 slider).",
            "c": "trans-signalling is not always stronger: when IL-6R is plentiful relative to "
            "gp130, IL-6 alone does as well or better. Move the IL-6R:gp130 slider.",
            "d": "SOCS3 inhibits the active gp130/JAK1 complex whichever way it was formed, so it "
            "shortens classic and trans responses alike.",
        },
    )
