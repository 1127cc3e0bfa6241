"""Checks for lesson 00, "Start here": unit conversions and the cells that carry gp130.

The expected values are computed from `course_lib.units` and `course_lib.parameters`, so a
change of a cited molar mass changes the checks with it.
"""

from __future__ import annotations

from course_lib.grading.feedback import (
    CheckResult,
    Misconception,
    check_choice,
    check_number,
)
from course_lib.grading.function_checks import check_callable
from course_lib.grading.variants import Variant
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import molar_mass, to_molar

__all__ = [
    "gp130_cells",
    "il6_healthy_pM",
    "pg_per_ml_to_pM",
    "sepsis_vs_kd",
    "sil6r_nM",
]


def sil6r_nM(value: object) -> CheckResult:
    """Worked example in the lesson: 40 ng/mL sIL-6R (50 kDa) expressed in nM."""
    return check_number(
        "Worked example",
        value,
        expected=to_molar(SERUM_HUMAN.value("sil6r"), "ng/mL", "sIL-6R"),
        unit="nM",
    )


def il6_healthy_pM(
    value: object, *, numbers: Variant | None = None, rtol: float = 0.02
) -> CheckResult:
    """Exercise 0.1: serum IL-6 (the student's level, default 5.19 pg/mL; 21 kDa) in pM.

    Parameters
    ----------
    value : object
        The student's answer.
    numbers : Variant, optional
        The student's numbers (``my`` in the notebook, `course_lib.grading.variants`); the
        default numbers when omitted.
    rtol : float
        Relative tolerance.
    """
    conc = SERUM_HUMAN.value("il6_healthy") if numbers is None else numbers.il6_pg_ml
    return check_number(
        "Exercise 0.1",
        value,
        expected=to_molar(conc, "pg/mL", "IL-6", to="pM"),
        unit="pM",
        rtol=rtol,
        misconceptions=[
            Misconception(
                conc / 26.0,
                "you used 26 kDa, the mass of glycosylated IL-6. The question uses 21 kDa, the "
                "polypeptide without sugars.",
            ),
            Misconception(
                conc * 21.0,
                "you multiplied by the molar mass. Going from mass to moles you divide by it: "
                "moles = grams / (grams per mole).",
            ),
        ],
    )


def _reference_pM(conc, mass_kda):
    # pg/mL -> g/L is x 1e-9; kDa -> g/mol is x 1e3; M -> pM is x 1e12.
    return conc * 1e-9 / (mass_kda * 1e3) * 1e12


def pg_per_ml_to_pM(func: object) -> CheckResult:
    """Exercise 0.2: a function converting pg/mL to pM for a given molar mass in kDa."""
    import numpy as np

    mass = molar_mass("IL-6")
    cases = [(5.19, mass), (1.0, molar_mass("sIL-6R")), (np.array([0.0, 10.0, 1e4]), mass)]
    return check_callable(
        "Exercise 0.2",
        func,
        reference=_reference_pM,
        cases=cases,
        unit="pM",
        misconceptions=[
            (
                lambda c, m: c * m,
                "the result grows with the molar mass, but a heavier protein has FEWER "
                "molecules per gram. Divide by the molar mass.",
            ),
        ],
    )


def sepsis_vs_kd(answer: object) -> CheckResult:
    """Exercise 0.3: where 10 ng/mL IL-6 sits relative to the 1 nM Kd of IL-6R."""
    return check_choice(
        "Exercise 0.3",
        answer,
        correct="b",
        feedback={
            "a": "more than 100-fold below the Kd is where HEALTHY serum IL-6 sits (a few "
            "pg/mL). 10 ng/mL is a thousand times more than that: check ng vs pg.",
            "b": "10 ng/mL is 10,000 pg/mL; divided by 21,000 g/mol that is about 0.48 nM, "
            "roughly half the 1 nM Kd: IL-6R is well occupied in sepsis.",
            "c": "a factor-1000 slip? 10 ng/mL is not 10 nM. Convert with the 21 kDa molar "
            "mass before comparing with the Kd.",
        },
    )


def gp130_cells(answer: object) -> CheckResult:
    """Exercise 0.4: which cells carry gp130."""
    return check_choice(
        "Exercise 0.4",
        answer,
        correct="b",
        feedback={
            "a": "'gp130 is only on hepatocytes' is a common misconception. Hepatocytes carry "
            "IL-6R as well as gp130, which is why they hear IL-6 alone; ask what trans-"
            "signalling would be for if no other cell could use the complex.",
            "b": "gp130 is shared by the whole IL-6 family of cytokines and sits on almost every "
            "cell, endothelial cells included; membrane IL-6R is the rare part. That is why "
            "IL-6·sIL-6R can reach cells that IL-6 alone cannot.",
            "c": "immune cells do carry gp130 (and some carry IL-6R), but they are not the "
            "only ones: think of the endothelial cells that line blood vessels.",
        },
    )
