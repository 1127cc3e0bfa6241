"""Lesson 03 predictions: the pSTAT3 pulse, the SOCS3 brake, and the IL-6R:gp130 ratio.

Time courses come from `course_lib.models.signaling` (simulated, a teaching model): a
hepatocyte given 10 ng/mL IL-6 that stays in the medium for 4 h.

>>> box = socs3_brake()
>>> box.choices[0].value = "higher"
>>> box.commit(), box.answers
(True, {0: 'sustained'})
"""

from __future__ import annotations

import numpy as np

from course_lib._text import format_number, format_percent
from course_lib.models.signaling import dose_response, simulate
from course_lib.units import to_molar
from course_lib.widgets.predict import Answer, PredictBox, Question, predict_box

__all__ = [
    "GP130_PER_CELL",
    "IL6_NG_ML",
    "LOW_DOSE_NM",
    "pulse_answer",
    "pulse_or_plateau",
    "ratio_answer",
    "receptor_ratio",
    "socs3_answer",
    "socs3_brake",
]

#: The IL-6 dose of the time-course questions (ng/mL), as in the lesson's explorer.
IL6_NG_ML = 10.0
#: The low dose of the receptor-ratio question (nM): 1 pM of IL-6 or of Hyper-IL-6.
LOW_DOSE_NM = 1e-3
#: gp130 per cell in the receptor-ratio question (the course's assumed value).
GP130_PER_CELL = 5000.0


def _run(socs3_feedback: bool = True):
    return simulate(
        "hepatocyte", il6=to_molar(IL6_NG_ML, "ng/mL", "IL-6"), socs3_feedback=socs3_feedback
    )


def _kept(run) -> float:
    """pSTAT3 at the end of the run as a fraction of its peak."""
    return float(run.pstat3[-1] / run.peak())


def pulse_answer() -> Answer:
    """The shape of the hepatocyte's pSTAT3 time course with IL-6 held for 4 h."""
    run = _run()
    kept = _kept(run)
    at_1h = float(np.interp(60.0, run.t, run.pstat3) / run.peak())
    key = "pulse" if kept < 0.5 else "plateau" if at_1h >= 0.8 else "slow"
    return Answer(
        key,
        f"pSTAT3 peaks at {format_number(run.peak_time())} min and is down to {format_percent(kept)} of its "
        f"peak at {format_number(run.t[-1] / 60)} h.",
    )


def pulse_or_plateau() -> PredictBox:
    """Lesson 03: a hepatocyte with IL-6 held for 4 h: pulse, plateau or slow climb?"""
    question = Question(
        f"A hepatocyte gets {format_number(IL6_NG_ML)} ng/mL IL-6 at time 0, and the IL-6 stays in the "
        "medium for 4 h. What does pSTAT3 do?",
        {
            "plateau": "It rises and stays near its peak as long as IL-6 is there",
            "pulse": "It peaks early, then falls most of the way back although IL-6 is there",
            "slow": "It climbs slowly and is highest at the end, after 4 h",
        },
        model=pulse_answer,
        why="pSTAT3 switches on a brake, SOCS3, that arrives late and shuts the receptor "
        "down while IL-6 is still present: the response is a pulse, not a switch.",
    )
    return predict_box([question], title="Predict first: one hepatocyte")


def socs3_answer() -> Answer:
    """What the model's hepatocyte does without SOCS3 feedback, against with it."""
    on, off = _run(), _run(socs3_feedback=False)
    higher = off.peak() > 1.25 * on.peak()
    stays = _kept(off) >= 0.5
    key = {(False, True): "sustained", (True, True): "both", (True, False): "higher"}.get(
        (higher, stays), "none"
    )
    return Answer(
        key,
        f"Without feedback the peak is {format_number(off.peak() / on.peak())} times the peak with it, "
        f"and at {format_number(off.t[-1] / 60)} h pSTAT3 is {format_percent(_kept(off))} of its peak, "
        f"against {format_percent(_kept(on))} with feedback.",
    )


def socs3_brake() -> PredictBox:
    """Lesson 03: the same hepatocyte with SOCS3 feedback removed."""
    question = Question(
        "Remove SOCS3 feedback: SOCS3 is still made but no longer inhibits the receptor. "
        f"With {format_number(IL6_NG_ML)} ng/mL IL-6 held for 4 h, what changes?",
        {
            "higher": "A much higher peak, but pSTAT3 still falls back",
            "sustained": "About the same peak, but pSTAT3 stays up for the whole 4 h",
            "both": "A much higher peak, and pSTAT3 stays up",
            "none": "Little: SOCS3 only matters after the response is over",
        },
        model=socs3_answer,
        why="At a high dose the peak comes before SOCS3 has been made, so the brake decides "
        "how long the cell listens more than how loudly.",
    )
    return predict_box([question], title="Predict first: remove the brake")


def ratio_answer(il6r_per_gp130: float) -> Answer:
    """Classic (IL-6) against trans (Hyper-IL-6) peak pSTAT3 at a low dose, for one ratio."""
    il6r = il6r_per_gp130 * GP130_PER_CELL
    classic = float(dose_response("hepatocyte", [LOW_DOSE_NM], il6r=il6r).peak[0])
    trans = float(
        dose_response("hepatocyte", [LOW_DOSE_NM], stimulus="Hyper-IL-6", il6r=il6r).peak[0]
    )
    ratio = classic / trans
    key = "trans" if ratio < 0.5 else "classic" if ratio > 2 else "similar"
    return Answer(
        key,
        f"At IL-6R:gp130 = {format_number(il6r_per_gp130)}, the IL-6 peak is {format_number(ratio)} times the "
        f"Hyper-IL-6 peak ({format_number(LOW_DOSE_NM * 1000)} pM of each).",
    )


def receptor_ratio() -> PredictBox:
    """Lesson 03: IL-6 against Hyper-IL-6 at a low dose, with little and with much IL-6R."""
    options = {
        "trans": "Hyper-IL-6, by more than twofold",
        "similar": "About the same, within a factor of two",
        "classic": "IL-6, by more than twofold",
    }
    why = (
        "IL-6 must first find IL-6R, a slow and weak step; with IL-6R scarce, Hyper-IL-6 "
        "occupies more gp130, and with IL-6R plentiful, IL-6 catches up. The strength of a "
        "pathway is a property of the cell."
    )
    questions = [
        Question(
            f"A hepatocyte with IL-6R:gp130 = {ratio} gets 1 pM of IL-6 or 1 pM of "
            "Hyper-IL-6. Which gives the higher pSTAT3 peak?",
            options,
            model=lambda ratio=ratio: ratio_answer(ratio),
            why=why,
        )
        for ratio in (1, 100)
    ]
    return predict_box(questions, title="Predict first: is trans-signalling stronger?")
