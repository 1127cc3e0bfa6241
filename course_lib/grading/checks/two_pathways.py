"""Checks for lesson 01, "Two ways to hear IL-6": which cells respond, sIL-6R, sgp130Fc, units.

Every expected answer is computed here from the library (`course_lib.models.stimuli`,
`course_lib.models.binding`, `course_lib.units`), so a change of a cited number changes the
checks with it; the right option of a choice question is the one that matches the simulation.

>>> sil6r_role("b")
Exercise 1.2: correct. Hidden checks also count toward your grade.
>>> sgp130fc_on_hepatocyte("a")
Traceback (most recent call last):
...
course_lib.grading.feedback.CheckFailed: Exercise 1.5: in the course's model sgp130Fc binds only the IL-6·sIL-6R complex (Jostock 2001): here there is no sIL-6R, so it has nothing to bind, and the hepatocyte's own IL-6R works as before. (Whether sgp130Fc can also dampen classic signalling without sIL-6R is disputed: Widjaja & Cook 2024 report it can; lesson 04 shows what each view predicts.)
"""

from __future__ import annotations

from course_lib.errors import CourseLibError
from course_lib.grading.feedback import CheckResult, Misconception, check_choice, check_number
from course_lib.models.binding import CELL_TYPES, receptor_occupancy, serum_equilibrium
from course_lib.models.stimuli import STIMULUS_DOSES, stimulate
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import to_molar

__all__ = [
    "Q3_IL6_NG_ML",
    "hcc_il6_nM",
    "il6_alone_cells",
    "sgp130fc_on_hepatocyte",
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
            "every cell; what limits IL-6 alone is membrane IL-6R, which hepatocytes share with "
            "several kinds of leukocyte. Look at the IL-6R column of the table again.",
            "b": "every cell type does carry gp130, but gp130 alone has no measurable affinity "
            "for IL-6: without IL-6R (membrane or soluble) there is nothing to start the "
            "complex. Which cell type in the table has no membrane IL-6R?",
            "c": "compare this list with the IL-6R column of the table: IL-6 alone needs "
            "membrane IL-6R.",
            "d": "this mixes up the two pathways: endothelial cells are the ones that need "
            "soluble IL-6R (trans-signalling). IL-6 alone acts through membrane IL-6R.",
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
            "a": "'sIL-6R is an antagonist' is a common misconception. A soluble receptor "
            "sounds like a decoy, but the IL-6·sIL-6R complex binds gp130 and signals: "
            "sIL-6R is an agonist. (The natural decoy of trans-signalling is soluble gp130.)",
            "b": "not quite; look at the model again.",
            "c": "membrane IL-6R is not the only way in. IL-6 bound to soluble IL-6R in the "
            "medium can engage gp130 directly, and endothelial cells carry gp130.",
        },
    )


def _trans(cell: str, il6_nM: float, sil6r_nM: float) -> float:
    return float(receptor_occupancy(cell, serum_equilibrium(il6=il6_nM, sil6r=sil6r_nM)).trans)


def trans_endothelial(value: object, *, rtol: float = 0.005) -> CheckResult:
    """Exercise 1.3: trans-occupied gp130 of an endothelial cell, IL-6 1 ng/mL + sIL-6R 40 ng/mL."""
    il6 = to_molar(Q3_IL6_NG_ML, "ng/mL", "IL-6")
    sil6r_ng = STIMULUS_DOSES.value("sil6r")
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
            _trans("endothelial cell", Q3_IL6_NG_ML, sil6r),
            "you passed the IL-6 dose in ng/mL where the engine expects nM. Convert first, "
            "e.g. to_molar(1, 'ng/mL', 'IL-6').",
        ),
        Misconception(
            _trans("endothelial cell", il6, sil6r_ng),
            "you passed sIL-6R in ng/mL where the engine expects nM. Convert it with its own "
            "molar mass: to_molar(40, 'ng/mL', 'sIL-6R').",
        ),
        Misconception(
            _trans("endothelial cell", Q3_IL6_NG_ML, sil6r_ng),
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


def sgp130fc_on_hepatocyte(answer: object) -> CheckResult:
    """Exercise 1.5: what sgp130Fc (1 ug/mL) does to a hepatocyte given IL-6 alone."""
    fc = STIMULUS_DOSES.value("sgp130fc")
    before = stimulate("hepatocyte", "IL-6").occupancy.classic
    after = stimulate("hepatocyte", "IL-6", sgp130fc_ug_ml=fc).occupancy.classic
    correct = "b" if after >= 0.99 * before else "a"
    return check_choice(
        "Exercise 1.5",
        answer,
        correct=correct,
        feedback={
            "a": "in the course's model sgp130Fc binds only the IL-6·sIL-6R complex (Jostock "
            "2001): here there is no sIL-6R, so it has nothing to bind, and the hepatocyte's "
            "own IL-6R works as before. (Whether sgp130Fc can also dampen classic signalling "
            "without sIL-6R is disputed: Widjaja & Cook 2024 report it can; lesson 04 shows "
            "what each view predicts.)",
            "b": "not quite; compare the classic bar with and without sgp130Fc in the explorer.",
            "c": "that describes an anti-IL-6R antibody such as tocilizumab, which blocks "
            "membrane IL-6R (and so classic signalling). sgp130Fc is soluble gp130 fused to "
            "an antibody Fc part: it binds IL-6·sIL-6R complexes, not IL-6R.",
        },
    )
