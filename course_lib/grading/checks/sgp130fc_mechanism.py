"""Checks for lesson 04, "How sgp130Fc works".

Every expected value is computed here from the library (`course_lib.models.therapy`,
`course_lib.units`), never typed in. Feedback names the misconception and never shows the value.

>>> trans_ic50_nM(inhibition("sgp130Fc", CONCENTRATIONS_NM).ic50("trans"))
Exercise 4.1: correct. Hidden checks also count toward your grade.
"""

from __future__ import annotations

import numpy as np

from course_lib.grading.feedback import (
    HIDDEN_NOTE,
    CheckFailed,
    CheckResult,
    Misconception,
    answer_number,
    check_choice,
    check_number,
)
from course_lib.models.therapy import INFLAMED, inhibition, pk_profile
from course_lib.units import convert, to_molar

__all__ = [
    "CONCENTRATIONS_NM",
    "FLOOD",
    "REGIMEN",
    "dose_in_window",
    "il6_alone",
    "mouse_study_drug",
    "trans_ic50_nM",
    "trough_nM",
]

#: The concentrations (nM) the exercises use with `inhibition`.
CONCENTRATIONS_NM = np.logspace(-3, 4, 400)
#: Exercise 4.2: inflamed serum with IL-6 in excess over sIL-6R (100 ng/mL IL-6).
FLOOD = {**INFLAMED, "il6": float(to_molar(100.0, "ng/mL", "IL-6"))}
#: Exercise 4.4: the lower olamkicept dose of the 2023 trial, every 2 weeks.
REGIMEN = {"dose": 300.0, "unit": "mg", "interval_days": 14.0, "n_doses": 6}


def _ic50(pathway: str, affinities: str = "textbook") -> float:
    return inhibition("sgp130Fc", CONCENTRATIONS_NM, affinities=affinities).ic50(pathway)


def trans_ic50_nM(value: object, *, rtol: float = 0.1) -> CheckResult:
    """Exercise 4.1: IC50 (nM) of sgp130Fc for trans-signalling, INFLAMED serum, textbook."""
    expected = _ic50("trans")
    return check_number(
        "Exercise 4.1",
        value,
        expected=expected,
        unit="nM",
        rtol=rtol,
        misconceptions=[
            Misconception(
                _ic50("classic"),
                "this is the IC50 for CLASSIC signalling (the hepatocyte). The question asks "
                "where trans-signalling (the endothelial cell) is halved: use trans_remaining.",
                rtol=0.1,
            ),
            Misconception(
                _ic50("trans", "effective"),
                "this is what the EFFECTIVE affinity set gives. The question asks for the "
                'textbook set: affinities="textbook" (the default).',
                rtol=0.1,
            ),
            Misconception(
                float(convert(expected, "nM", "ug/mL", "olamkicept")),
                "this looks like a mass concentration in µg/mL. inhibition() works in nM, and "
                "the question asks for nM.",
                rtol=0.1,
            ),
        ],
    )


def dose_in_window(value: object) -> CheckResult:
    """Exercise 4.2: an sgp130Fc concentration (nM) inside the window of the `FLOOD` serum."""
    question = "Exercise 4.2"
    x = answer_number(question, value, "nM", positive=True)
    res = inhibition("sgp130Fc", [x], background=FLOOD)
    trans, classic = float(res.trans_remaining[0]), float(res.classic_remaining[0])
    if trans <= 0.1 and classic >= 0.9:
        return CheckResult(question, f"correct. {HIDDEN_NOTE}")
    low, high = inhibition("sgp130Fc", CONCENTRATIONS_NM, background=FLOOD).window()
    if low <= x * 1000 <= high and x < low / 300:  # far too low, but right once x 1000
        raise CheckFailed(
            f"{question}: trans-signalling is not yet blocked at this level, and your value is "
            "in range once multiplied by 1000. A factor of 1000 usually means a unit slip: "
            "µM vs nM, or ng/mL vs µg/mL. The question asks for nM."
        )
    if trans > 0.1:
        raise CheckFailed(
            f"{question}: at this concentration more than 10% of trans-signalling is left. "
            "Read the trans curve (trans_remaining): where does it fall below 0.1?"
        )
    raise CheckFailed(
        f"{question}: here classic signalling loses more than 10%: the trap also takes IL-6 "
        "from the hepatocyte. Look for lower concentrations."
    )


def mouse_study_drug(answer: object) -> CheckResult:
    """Exercise 4.3: which drug blocks only trans-signalling in a mouse DEN study."""
    return check_choice(
        "Exercise 4.3",
        answer,
        correct="b",
        feedback={
            "a": "tocilizumab works in mice is a common misconception: it binds human IL-6R "
            "but does not block IL-6 signalling in mouse cells (Lokau 2020). And even in "
            "humans it blocks classic signalling too.",
            "c": "an anti-mouse IL-6R antibody does work in mice, but it blocks membrane and "
            "soluble IL-6R alike: classic signalling would be lost as well.",
            "d": "siltuximab binds human IL-6, not mouse IL-6; and neutralising IL-6 blocks "
            "both pathways, not trans-signalling alone.",
        },
    )


def _regimen(**changes) -> object:
    return pk_profile("sgp130Fc", **{**REGIMEN, **changes})


def trough_nM(value: object, *, rtol: float = 0.02) -> CheckResult:
    """Exercise 4.4: the lowest plasma level (nM) of `REGIMEN`, default (assumed) half-life."""
    profile = _regimen()
    expected = profile.trough()
    return check_number(
        "Exercise 4.4",
        value,
        expected=expected,
        unit="nM",
        rtol=rtol,
        misconceptions=[
            Misconception(
                float(profile.concentration_nM.max()),
                "this is the PEAK, just after a dose. The trough is the lowest level, just "
                "before the next dose: use .trough().",
            ),
            Misconception(
                _regimen(dose=600.0).trough(),
                "this is the trough of 600 mg, the default dose. The question asks about "
                "300 mg: pass dose=300.",
            ),
            Misconception(
                float(convert(expected, "nM", "ug/mL", "olamkicept")),
                "this looks like µg/mL. pk_profile gives nM, and the question asks for nM.",
            ),
        ],
    )


def il6_alone(answer: object) -> CheckResult:
    """Exercise 4.5: sgp130Fc added to hepatocytes given IL-6 alone (no sIL-6R anywhere)."""
    return check_choice(
        "Exercise 4.5",
        answer,
        correct="b",
        feedback={
            "a": "in the course's model, as in Jostock 2001, sgp130Fc binds only the "
            "IL-6·sIL-6R complex; gp130 alone has no measurable affinity for IL-6, so with no "
            "sIL-6R there is nothing for it to trap. (Widjaja & Cook 2024 dispute this: the "
            "debate section of this lesson shows what their view would predict.)",
            "c": "sgp130Fc does not bind membrane IL-6R; its target is the IL-6·sIL-6R "
            "complex, which is absent here.",
            "d": "sgp130Fc is a decoy that only binds; it cannot activate gp130 signalling on "
            "its own.",
        },
    )
