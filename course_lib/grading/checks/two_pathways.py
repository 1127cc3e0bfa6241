"""Checks for lesson 01, "Two ways to hear IL-6": which cells respond, sIL-6R, sgp130Fc, units.

Every expected answer is computed here from the library (`course_lib.models.stimuli`,
`course_lib.models.binding`, `course_lib.units`), so a change of a cited number changes the
checks with it; the right option of a choice question is the one that matches the simulation.

>>> sil6r_role("b").passed
True
>>> hyper_il6_kept(250.0)
Traceback (most recent call last):
...
course_lib.grading.feedback.CheckFailed: Exercise 1.5: this looks like a number of gp130 molecules per cell (.trans), not a fraction. Divide the value with sgp130Fc by the value without it.
"""

from __future__ import annotations

import math

from course_lib.errors import CourseLibError
from course_lib.grading.feedback import (
    CheckFailed,
    CheckResult,
    Misconception,
    answer_number,
    check_choice,
    check_number,
)
from course_lib.grading.variants import Variant
from course_lib.models.binding import CELL_TYPES, receptor_occupancy, serum_equilibrium
from course_lib.models.stimuli import STIMULUS_DOSES, stimulate
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import to_molar

__all__ = [
    "Q3_IL6_NG_ML",
    "hcc_il6_nM",
    "hyper_il6_kept",
    "il6_alone_cells",
    "sil6r_role",
    "trans_endothelial",
]

#: Exercise 1.3: the IL-6 dose (ng/mL) given with serum-level sIL-6R
Q3_IL6_NG_ML = 1.0

# Exercise 1.1: each option is a set of cell types.
_Q1_OPTIONS = {
    "a": {"hepatocyte", "HCC cell"},
    "b": set(CELL_TYPES),
    "c": set(CELL_TYPES) - {"endothelial cell"},
    "d": {"endothelial cell"},
}


def _option_for(question: str, options: dict[str, set], found: set) -> str:
    for key, cells in options.items():
        if cells == found:
            return key
    raise CourseLibError(  # only if the model changed under the question: not the student's fault
        f"{question}: none of the options matches the simulation any more ({sorted(found)}). "
        "Please tell your instructor; the question needs updating."
    )


def il6_alone_cells(answer: object) -> CheckResult:
    """Exercise 1.1: which cell types respond to IL-6 alone (10 ng/mL, no sIL-6R)."""
    responders = {cell for cell in CELL_TYPES if stimulate(cell, "IL-6").occupancy.response() > 0}
    return check_choice(
        "Exercise 1.1",
        answer,
        correct=_option_for("Exercise 1.1", _Q1_OPTIONS, responders),
        feedback={
            "a": "'gp130 is only on hepatocytes' is a common misconception. gp130 is on almost "
            "every cell; what limits IL-6 alone is a different receptor. Look at the IL-6R "
            "column of the table again: which rows have it?",
            "b": "every cell type does carry gp130, but gp130 alone has no measurable affinity "
            "for IL-6: without IL-6R (membrane or soluble) there is nothing to start the "
            "complex. Which cell type in the table has no membrane IL-6R?",
            "c": "IL-6 alone needs membrane IL-6R to start the receptor complex. Hepatocytes, "
            "HCC cells and the three kinds of leukocyte carry it; the endothelial cell has "
            "gp130 only, so it waits for IL-6·sIL-6R (trans-signalling).",
            "d": "this mixes up the two pathways: endothelial cells are the ones that need "
            "soluble IL-6R (trans-signalling), and gp130 alone has no measurable affinity "
            "for IL-6.",
        },
    )


def sil6r_role(answer: object) -> CheckResult:
    """Exercise 1.2: what adding soluble IL-6R does to an endothelial cell given IL-6."""
    without = stimulate("endothelial cell", "IL-6").occupancy.response()
    with_sil6r = stimulate("endothelial cell", "IL-6 + sIL-6R").occupancy.response()
    correct = "b" if with_sil6r > without else ("a" if with_sil6r < without else "c")
    return check_choice(
        "Exercise 1.2",
        answer,
        correct=correct,
        feedback={
            "a": "'sIL-6R is an antagonist' is a common misconception: a soluble receptor "
            "sounds like a decoy. But these cells gave no signal to begin with, so there is "
            "nothing for a decoy to block. Compare the endothelial cell's bar with and "
            "without sIL-6R in the explorer.",
            "b": "sIL-6R is an agonist: IL-6·sIL-6R engages gp130, which endothelial cells "
            "carry, so cells without IL-6R respond (trans-signalling). The natural decoy of "
            "trans-signalling is soluble gp130, not soluble IL-6R.",
            "c": "membrane IL-6R is not the only way in. Ask what IL-6 bound to a receptor "
            "floating in the medium could meet on the endothelial cell's surface, then check "
            "the explorer.",
        },
    )


def _trans(cell: str, il6_nM: float, sil6r_nM: float) -> float:
    return float(receptor_occupancy(cell, serum_equilibrium(il6=il6_nM, sil6r=sil6r_nM)).trans)


def trans_endothelial(
    value: object, *, numbers: Variant | None = None, rtol: float = 0.005
) -> CheckResult:
    """Exercise 1.3: trans-occupied gp130 of an endothelial cell in IL-6 + sIL-6R.

    Parameters
    ----------
    value : object
        The student's answer.
    numbers : Variant, optional
        The student's numbers (``my`` in the notebook, `course_lib.grading.variants`); the
        default numbers when omitted.
        Defaults: IL-6 1 ng/mL (`Q3_IL6_NG_ML`), sIL-6R 40 ng/mL (the lesson's dose).
    rtol : float
        Relative tolerance.
    """
    if numbers is None:  # the lesson's doses, from the parameters
        il6_ng, sil6r_ng = Q3_IL6_NG_ML, STIMULUS_DOSES.value("sil6r")
    else:
        il6_ng, sil6r_ng = numbers.il6_ng_ml, numbers.sil6r_ng_ml
    il6 = to_molar(il6_ng, "ng/mL", "IL-6")
    sil6r = to_molar(sil6r_ng, "ng/mL", "sIL-6R")
    expected = _trans("endothelial cell", il6, sil6r)
    other_cells = [
        Misconception(
            _trans(cell, il6, sil6r),
            f"that is the trans occupancy of a {cell}, not of an endothelial cell. Check the "
            "cell type you passed to receptor_occupancy.",
            rtol=0.003,
        )
        for cell in CELL_TYPES
        if cell != "endothelial cell"
    ]
    slips = [
        Misconception(
            _trans("endothelial cell", il6_ng, sil6r),
            "you passed the IL-6 dose in ng/mL where the engine expects nM. Convert first, "
            f"e.g. to_molar({il6_ng:g}, 'ng/mL', 'IL-6').",
        ),
        Misconception(
            _trans("endothelial cell", il6, sil6r_ng),
            "you passed sIL-6R in ng/mL where the engine expects nM. Convert it with its own "
            f"molar mass: to_molar({sil6r_ng:g}, 'ng/mL', 'sIL-6R').",
        ),
        Misconception(
            _trans("endothelial cell", il6_ng, sil6r_ng),
            "both concentrations went in as ng/mL; serum_equilibrium takes nM. Convert each "
            "with to_molar and its own molecule.",
        ),
        Misconception(
            0.0,
            "zero trans complexes. Either sIL-6R is missing from the medium (without it IL-6 "
            "finds nothing to bind on this cell), or you read .classic: an endothelial cell "
            "has no membrane IL-6R, so its classic occupancy is always zero.",
        ),
        Misconception(
            expected / CELL_TYPES["endothelial cell"].value("gp130"),
            "that looks like a fraction of the cell's gp130 (.fraction, or divided by the "
            "total). The question asks for molecules per cell (.trans).",
        ),
    ]
    return check_number(
        "Exercise 1.3",
        value,
        expected=expected,
        unit="gp130 molecules per cell",
        rtol=rtol,
        misconceptions=[*other_cells, *slips],
    )


def hcc_il6_nM(value: object, *, rtol: float = 0.02) -> CheckResult:
    """Exercise 1.4: serum IL-6 in HCC patients (pg/mL, `SERUM_HUMAN`) in nM, 21 kDa."""
    conc = SERUM_HUMAN.value("il6_hcc")
    expected = to_molar(conc, "pg/mL", "IL-6")
    return check_number(
        "Exercise 1.4",
        value,
        expected=expected,
        unit="nM",
        rtol=rtol,
        misconceptions=[
            Misconception(
                expected * 1e3,
                "your value is 1000x too large: you treated pg/mL as ng/mL (or gave pM). "
                "1 pg is 10^-12 g, and the question asks for nM.",
            ),
            Misconception(
                expected / 1e3,
                "your value is 1000x too small: one step of 1000 too many, e.g. pg/mL "
                "converted as if it were fg/mL, or nM taken as uM. Write the units at each step.",
            ),
            Misconception(
                to_molar(conc, "pg/mL", "IL-6") * 21.0 / 26.0,
                "you used 26 kDa, glycosylated IL-6. The question (like lesson 00) uses the "
                "21 kDa polypeptide.",
            ),
            Misconception(
                conc * 21.0,
                "you multiplied by the molar mass; going from mass to moles you divide by it.",
            ),
        ],
    )


def _hyper_trans(stimulus: str, fc_ug_ml: float) -> float:
    return float(stimulate("endothelial cell", stimulus, sgp130fc_ug_ml=fc_ug_ml).occupancy.trans)


def hyper_il6_kept(value: object, *, rtol: float = 0.01) -> CheckResult:
    """Exercise 1.5: the fraction of an endothelial cell's Hyper-IL-6 trans complexes left with
    sgp130Fc (lesson dose, 1 µg/mL), from `stimulate`."""
    fc = STIMULUS_DOSES.value("sgp130fc")
    before, after = _hyper_trans("Hyper-IL-6", 0.0), _hyper_trans("Hyper-IL-6", fc)
    expected = after / before
    question = "Exercise 1.5"
    x = answer_number(question, value, "fraction of trans complexes kept")
    if x > 100 or math.isclose(x, after, rel_tol=0.02):  # a percentage is at most 100
        raise CheckFailed(
            f"{question}: this looks like a number of gp130 molecules per cell (.trans), "
            "not a fraction. Divide the value with sgp130Fc by the value without it.",
            "gave molecules per cell, not a fraction",
        )
    return check_number(
        question,
        x,
        expected=expected,
        unit="fraction of trans complexes kept (0 to 1)",
        rtol=rtol,
        misconceptions=[
            Misconception(
                100 * expected,
                "this looks like a percentage. Give a fraction between 0 and 1.",
            ),
            Misconception(
                1 - expected,
                "this is the fraction that sgp130Fc REMOVES. The question asks what is left: "
                "with sgp130Fc divided by without.",
            ),
            Misconception(
                _hyper_trans("IL-6 + sIL-6R", fc) / _hyper_trans("IL-6 + sIL-6R", 0.0),
                'this is what happens to IL-6 given with SEPARATE sIL-6R ("IL-6 + sIL-6R"). '
                'The question is about the fused designer protein: stimulus "Hyper-IL-6".',
            ),
            Misconception(
                1.0,
                "nothing changed? That is what sgp130Fc does to IL-6 alone on a hepatocyte. "
                "Hyper-IL-6 is IL-6 fused to sIL-6R: ask what sgp130Fc binds, then run "
                "stimulate with and without sgp130fc_ug_ml.",
                rtol=0.005,
            ),
            Misconception(
                0.0,
                "zero: did you read .classic? An endothelial cell has no membrane IL-6R, so "
                "its classic occupancy is always zero; Hyper-IL-6 acts through .trans.",
            ),
        ],
    )
