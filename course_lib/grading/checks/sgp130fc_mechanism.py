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
from course_lib.grading.variants import Variant
from course_lib.models.therapy import INFLAMED, inhibition, pk_profile
from course_lib.units import convert, to_molar

__all__ = [
    "CONCENTRATIONS_NM",
    "FLOOD",
    "REGIMEN",
    "dose_in_window",
    "il6_alone",
    "selective_drugs",
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


#: Exercise 4.3: each option, as the set of drugs with a selectivity window in `FLOOD`.
_WINDOW_OPTIONS = {
    "a": {"sgp130Fc", "anti-IL-6R", "anti-IL-6"},
    "b": {"sgp130Fc"},
    "c": {"sgp130Fc", "anti-IL-6R"},
    "d": set(),
}


def selective_drugs(answer: object) -> CheckResult:
    """Exercise 4.3: which drugs have a window (trans <= 10%, classic >= 90%) in `FLOOD`."""
    found = {
        drug
        for drug in ("sgp130Fc", "anti-IL-6R", "anti-IL-6")
        if np.all(np.isfinite(inhibition(drug, CONCENTRATIONS_NM, background=FLOOD).window()))
    }
    correct = next((k for k, v in _WINDOW_OPTIONS.items() if v == found), None)
    if correct is None:  # only if the model changed under the question
        raise CheckFailed(
            f"Exercise 4.3: none of the options matches the simulation any more "
            f"({sorted(found)}). Please tell your instructor; the question needs updating.",
            "question out of date",
        )
    return check_choice(
        "Exercise 4.3",
        answer,
        correct=correct,
        feedback={
            "a": "a low dose of a drug that blocks IL-6 itself or IL-6R takes away classic and "
            "trans-signalling in the same proportion: by the time trans is down to 10%, "
            "classic is too. Run .window() for each of the three drugs.",
            "b": "sgp130Fc binds the IL-6·sIL-6R complex, which only trans-signalling uses; "
            "free IL-6 keeps reaching membrane IL-6R until the trap is so concentrated that "
            "it pulls IL-6 out of solution too. Antibodies against IL-6 or IL-6R hit the "
            "ligand or receptor both pathways share.",
            "c": "an anti-IL-6R antibody binds membrane IL-6R as well as soluble IL-6R, so it "
            "blocks classic signalling along with trans. Compare the two curves of "
            'inhibition("anti-IL-6R", conc, background=checks.FLOOD).',
            "d": "this holds for two of the three drugs, not for all: one of them leaves "
            "classic signalling above 90% over a wide range where trans is below 10%. Run "
            ".window() for each drug.",
        },
    )


def _regimen(**changes) -> object:
    return pk_profile("sgp130Fc", **{**REGIMEN, **changes})


def trough_nM(value: object, *, numbers: Variant | None = None, rtol: float = 0.02) -> CheckResult:
    """Exercise 4.4: the lowest plasma level (nM) of `REGIMEN`, default (assumed) half-life.

    Parameters
    ----------
    value : object
        The student's answer.
    numbers : Variant, optional
        The student's numbers (``my`` in the notebook, `course_lib.grading.variants`); the
        default numbers when omitted.
        Default: 300 mg, the `REGIMEN` dose.
    rtol : float
        Relative tolerance.
    """
    dose = float(REGIMEN["dose"] if numbers is None else numbers.dose_mg)
    profile = _regimen(dose=dose)
    expected = profile.trough()
    default_dose = [
        Misconception(
            _regimen(dose=600.0).trough(),
            "this is the trough of 600 mg, the default dose. The question asks about "
            f"{dose:g} mg: pass dose={dose:g}.",
        )
    ]
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
            *(default_dose if dose != 600.0 else []),
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
            "a": "in the course's model, as in Jostock 2001, sgp130Fc is selective: gp130 alone "
            "has no measurable affinity for IL-6, so ask what it could trap in a dish with no "
            "soluble receptor. (Widjaja & Cook 2024 dispute the selectivity: the debate "
            "section of this lesson shows what their view would predict.)",
            "b": "sgp130Fc traps IL-6·sIL-6R; with no sIL-6R in the dish no complex forms, so "
            "the hepatocytes' own IL-6R keeps signalling (classic). In the course's model, "
            "as Jostock 2001 describes; Widjaja & Cook 2024 dispute it.",
            "c": "sgp130Fc does not bind membrane IL-6R: it is soluble gp130 fused to an Fc "
            "part. A drug that binds IL-6R is an antibody such as tocilizumab.",
            "d": "sgp130Fc is a decoy that only binds; it cannot activate gp130 signalling on "
            "its own.",
        },
    )
