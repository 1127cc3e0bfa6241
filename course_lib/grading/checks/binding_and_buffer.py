"""Checks for lesson 02, "Binding, Kd and the serum buffer".

Every expected value is computed here from the library (`course_lib.units`,
`course_lib.models.binding`, `course_lib.parameters`), never typed in, so a change of a cited number
changes the checks with it. Feedback names the misconception and never shows the value.

>>> from course_lib.units import to_molar
>>> sgp130_nM(to_molar(300, "ng/mL", "sgp130"))
Exercise 2.1: correct. Hidden checks also count toward your grade.
"""

from __future__ import annotations

import numpy as np

from course_lib.grading.feedback import (
    CheckResult,
    Misconception,
    check_choice,
    check_number,
)
from course_lib.grading.function_checks import check_callable
from course_lib.grading.variants import Variant
from course_lib.models.affinities import AFFINITIES
from course_lib.models.binding import fractional_occupancy, serum_equilibrium
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import molar_mass, to_molar

__all__ = [
    "DEPLETION_CASE",
    "baran_simultaneous",
    "complex_exact",
    "hcc_free_il6_pM",
    "sgp130_nM",
    "sil6r_occupied_fraction",
]

#: Exercise 2.3: total IL-6 (nM, a sepsis level), total sIL-6R (nM, 80 ng/mL, the top of the
#: adult range) and the textbook Kd (nM), in a tube without sgp130.
DEPLETION_CASE = {
    "il6_nM": 0.5,
    "sil6r_nM": round(to_molar(SERUM_HUMAN["sil6r"].bounds[1], "ng/mL", "sIL-6R"), 6),
    "kd_nM": AFFINITIES.value("kd_il6_il6r"),
}


def sgp130_nM(value: object, *, numbers: Variant | None = None, rtol: float = 0.02) -> CheckResult:
    """Exercise 2.1: serum sgp130 (the student's level, default 300 ng/mL; about 100 kDa) in nM.

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
    conc = SERUM_HUMAN.value("sgp130") if numbers is None else numbers.sgp130_ng_ml
    return check_number(
        "Exercise 2.1",
        value,
        expected=to_molar(conc, "ng/mL", "sgp130"),
        unit="nM",
        rtol=rtol,
        misconceptions=[
            Misconception(
                to_molar(conc, "ng/mL", "sIL-6R"),
                "you used the molar mass of sIL-6R (50 kDa). Soluble gp130 from plasma is a "
                "heavier protein: take its own molar mass.",
            ),
            Misconception(
                conc * 1e-6 / 130e3 * 1e9,
                "you used 130 kDa, the glycosylated membrane gp130. The soluble form found in "
                "plasma is smaller (Müller-Newen 1998): use the sgp130 molar mass.",
            ),
            Misconception(
                conc * molar_mass("sgp130"),
                "you multiplied by the molar mass. Going from mass to moles you divide by it: "
                "moles = grams / (grams per mole).",
            ),
        ],
    )


def _exact_complex(il6_total, sil6r_total, kd):
    """IL-6·sIL-6R (nM) from the course engine: the exact 1:1 equilibrium, no sgp130."""
    return serum_equilibrium(
        il6=il6_total, sil6r=sil6r_total, affinities=AFFINITIES.with_values(kd_il6_il6r=kd)
    ).il6_sil6r


def complex_exact(func: object, *, more_cases: bool = False) -> CheckResult:
    """Exercise 2.2: a function giving the exact IL-6·sIL-6R concentration (the quadratic)."""
    cases = [(0.5, 0.8, 1.0), (0.000247, 0.8, 1.0), (10.0, 0.8, 5.0)]
    cases.append((np.array([0.001, 0.1, 1.0, 10.0]), 0.8, 1.0))
    if more_cases:
        cases += [
            (0.8, 0.5, 1.0),  # swapped: the equation is symmetric in the two totals
            (np.array([[0.01], [3.0]]), np.array([0.4, 1.6]), 20.0),  # broadcasting (2, 2)
            (1e-3, 1e-3, 0.5),  # both scarce: almost nothing binds
            (100.0, 2.0, 0.5),  # IL-6 in large excess: nearly all sIL-6R is bound
        ]
    return check_callable(
        "Exercise 2.2",
        func,
        reference=_exact_complex,
        cases=cases,
        unit="nM of IL-6·sIL-6R",
        rtol=1e-6,
        misconceptions=[
            (
                lambda lt, rt, kd: rt * lt / (lt + kd),
                "this is the simple hyperbola R_T·L_T/(L_T + Kd): it treats the TOTAL IL-6 as "
                "if it were free, so it ignores that binding uses IL-6 up (ligand depletion). "
                "Write the two mass balances and solve the quadratic.",
            ),
            (
                lambda lt, rt, kd: lt * rt / kd,
                "you put the totals straight into the law of mass action (C = L·R/Kd). The "
                "law holds for the FREE concentrations, L_T - C and R_T - C.",
            ),
            (
                lambda lt, rt, kd: (lt + rt + kd + np.sqrt((lt + rt + kd) ** 2 - 4 * lt * rt)) / 2,
                "you took the root with +. It is larger than either total, which no complex can "
                "be: only the root with - is physical.",
            ),
            (
                lambda lt, rt, kd: lt + rt + kd - np.sqrt((lt + rt + kd) ** 2 - 4 * lt * rt),
                "the result is twice too large: the quadratic formula divides by 2a, and here "
                "a = 1.",
            ),
        ],
    )


def sil6r_occupied_fraction(value: object, *, rtol: float = 0.02) -> CheckResult:
    """Exercise 2.3: fraction of sIL-6R carrying IL-6 in `DEPLETION_CASE` (no sgp130)."""
    lt, rt, kd = DEPLETION_CASE["il6_nM"], DEPLETION_CASE["sil6r_nM"], DEPLETION_CASE["kd_nM"]
    bound = float(_exact_complex(lt, rt, kd))
    return check_number(
        "Exercise 2.3",
        value,
        expected=bound / rt,
        unit="fraction of sIL-6R (between 0 and 1)",
        rtol=rtol,
        misconceptions=[
            Misconception(
                fractional_occupancy(lt, kd),
                "you used the TOTAL IL-6 in L/(L + Kd). Here sIL-6R is more concentrated than "
                "the IL-6 and close to the Kd, so binding uses up a large part of the IL-6: the "
                "occupancy depends on the FREE IL-6 that is left (ligand depletion).",
            ),
            Misconception(
                lt / kd,
                "L/Kd is not an occupancy (it can exceed 1). The occupied fraction is "
                "L/(L + Kd), with L the free ligand.",
            ),
            Misconception(
                kd / (lt + kd),
                "Kd/(L + Kd) is the fraction of receptor left EMPTY, not the occupied fraction.",
            ),
            Misconception(
                bound / lt,
                "you divided the complex by the total IL-6: that is the fraction of IL-6 that "
                "is bound. The question asks for the fraction of sIL-6R.",
            ),
        ],
    )


def _hcc_serum(affinities: str = "textbook", *, sgp130: bool = True, units: bool = True):
    """The HCC serum of exercise 2.4 at equilibrium (IL-6 of HCC patients, adult sIL-6R)."""
    s = SERUM_HUMAN
    if units:
        il6 = to_molar(s.value("il6_hcc"), "pg/mL", "IL-6")
        sil6r = to_molar(s.value("sil6r"), "ng/mL", "sIL-6R")
        sgp = to_molar(s.value("sgp130"), "ng/mL", "sgp130")
    else:  # the numbers typed in as they are reported, as if they were nM
        il6, sil6r, sgp = s.value("il6_hcc"), s.value("sil6r"), s.value("sgp130")
    return serum_equilibrium(
        il6=il6, sil6r=sil6r, sgp130=sgp if sgp130 else 0.0, affinities=affinities
    )


def hcc_free_il6_pM(value: object, *, rtol: float = 0.02) -> CheckResult:
    """Exercise 2.4: free IL-6 (pM) in HCC-level serum with the textbook affinities."""
    eq = _hcc_serum()
    expected = eq.il6 * 1e3
    return check_number(
        "Exercise 2.4",
        value,
        expected=expected,
        unit="pM",
        rtol=rtol,
        misconceptions=[
            Misconception(
                _hcc_serum("effective").il6 * 1e3,
                "this is what the EFFECTIVE (weak) affinity set gives. The question asks for "
                'the textbook set: affinities="textbook" (the default).',
            ),
            Misconception(
                _hcc_serum(sgp130=False).il6 * 1e3,
                "sgp130 is missing: without it only sIL-6R holds IL-6. Serum contains both; "
                "pass sgp130=... as well.",
            ),
            Misconception(
                to_molar(SERUM_HUMAN.value("il6_hcc"), "pg/mL", "IL-6", to="pM"),
                "this is ALL the IL-6 in the serum, free or bound. Only free IL-6 can bind "
                "membrane IL-6R: read it from the equilibrium (the .il6 field).",
            ),
            Misconception(
                eq.il6_sil6r * 1e3,
                "this is the free IL-6·sIL-6R complex, the part available for TRANS-signalling. "
                "Classic signalling needs free IL-6 itself.",
            ),
            Misconception(
                _hcc_serum(units=False).il6 * 1e3,
                "the serum levels went in as reported (pg/mL and ng/mL), but serum_equilibrium "
                "takes nM. Convert each with to_molar first.",
            ),
            Misconception(
                100 * eq.il6_fractions()["free"],
                "this looks like the PERCENTAGE of IL-6 that is free. The question asks for the "
                "free concentration in pM.",
            ),
        ],
    )


def baran_simultaneous(answer: object) -> CheckResult:
    """Exercise 2.5: why classic and trans-signalling can run at once (Baran et al. 2018)."""
    return check_choice(
        "Exercise 2.5",
        answer,
        correct="c",
        feedback={
            "a": "'the serum buffer blocks all trans-signalling' is the buffer hypothesis that "
            "Baran et al. tested. Their measurements at inflammatory IL-6 levels did not "
            "support it: endogenous sgp130 is not enough to trap every IL-6·sIL-6R.",
            "b": "sIL-6R is not an antagonist: IL-6·sIL-6R activates gp130 on cells without "
            "IL-6R. That is what trans-signalling is.",
            "c": "Baran et al. found most IL-6 free at inflammatory levels, so membrane IL-6R "
            "still gets its ligand (classic), while endogenous sgp130 leaves part of "
            "IL-6·sIL-6R uncaptured (trans): serum buffers, but does not silence, either "
            "pathway.",
            "d": "gp130 alone has no measurable affinity for IL-6; a cell without IL-6R needs "
            "IL-6 already bound to sIL-6R, so the soluble receptors decide a great deal.",
        },
    )
