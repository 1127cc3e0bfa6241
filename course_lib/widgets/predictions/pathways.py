"""Lesson 01 predictions: how a hepatocyte shares its gp130, and how far sgp130Fc blocks.

Doses are those of the lesson's explorer: IL-6 at 10 ng/mL, sIL-6R at 40 ng/mL, and
sgp130Fc at 1 ug/mL.

>>> box = sgp130fc_block()
>>> box.choices[0].value = "off"
>>> box.commit(), box.answers
(True, {0: 'cut_on'})
"""

from __future__ import annotations

from course_lib._text import format_number, format_percent
from course_lib.models.cell_types import MEMBRANE
from course_lib.models.stimuli import stimulate
from course_lib.widgets.predict import Answer, PredictBox, Question, predict_box

__all__ = ["SGP130FC_UG_ML", "sgp130fc_answer", "sgp130fc_block", "shared_answer", "shared_gp130"]

#: The sgp130Fc dose the question asks about (ug/mL), the explorer's default.
SGP130FC_UG_ML = 1.0

_STATE = ("STAT3 off", "STAT3 weakly on", "STAT3 strongly on")


def shared_answer() -> Answer:
    """What adding sIL-6R to IL-6 does to a hepatocyte's occupied gp130, from the model."""
    alone = stimulate("hepatocyte", "IL-6").occupancy
    both = stimulate("hepatocyte", "IL-6 + sIL-6R").occupancy
    before, after = alone.classic + alone.trans, both.classic + both.trans
    if after < 0.95 * before:
        key = "fewer"
    elif after <= 1.05 * before:
        key = "moved"
    elif both.classic < 0.95 * alone.classic:
        key = "more_shared"
    else:
        key = "added"
    return Answer(
        key,
        f"IL-6 alone: {format_number(before)} gp130 per cell, all classic; with sIL-6R: "
        f"{format_number(after)} in all, {format_number(both.classic)} classic and {format_number(both.trans)} trans.",
    )


def shared_gp130() -> PredictBox:
    """Lesson 01: a hepatocyte given IL-6, then IL-6 + sIL-6R: how is its gp130 shared?"""
    question = Question(
        "A hepatocyte has IL-6R and gp130. It gets 10 ng/mL IL-6, then the same IL-6 with "
        "40 ng/mL sIL-6R. What does adding sIL-6R do to the gp130 the cell has occupied?",
        {
            "fewer": "Less in all: sIL-6R soaks up IL-6 like a decoy",
            "moved": "The same in all: some simply moves from classic to trans",
            "more_shared": "More in all, with classic complexes giving up some gp130 to trans",
            "added": "More in all: trans adds on top and classic stays as it was",
        },
        model=shared_answer,
        why="sIL-6R is an agonist: IL-6·sIL-6R reaches gp130 that membrane IL-6R leaves "
        "empty, so the total rises; but sIL-6R also takes IL-6 that membrane IL-6R would have "
        "caught, and both kinds of complex compete for the same gp130, so the classic part "
        "falls.",
    )
    return predict_box([question], title="Predict first: one cell, two routes")


def sgp130fc_answer() -> Answer:
    """How far 1 ug/mL sgp130Fc cuts an endothelial cell's trans-signalling, from the model."""
    without = stimulate("endothelial cell", "IL-6 + sIL-6R")
    drug = stimulate("endothelial cell", "IL-6 + sIL-6R", sgp130fc_ug_ml=SGP130FC_UG_ML)
    cut = 1 - drug.occupancy.trans / without.occupancy.trans
    level = drug.occupancy.response()
    key = "off" if level == 0 else "cut_on" if cut >= 0.5 else "little"
    return Answer(
        key,
        f"sgp130Fc at {format_number(SGP130FC_UG_ML)} µg/mL lowers the trans complexes from "
        f"{format_number(without.occupancy.trans)} to {format_number(drug.occupancy.trans)} gp130 per cell "
        f"({format_percent(cut)} fewer), and the cell is left with {_STATE[level]}.",
    )


def sgp130fc_block() -> PredictBox:
    """Lesson 01: does 1 ug/mL sgp130Fc silence an endothelial cell given IL-6 + sIL-6R?"""
    question = Question(
        "An endothelial cell gets 10 ng/mL IL-6 with 40 ng/mL sIL-6R, and 1 µg/mL sgp130Fc. "
        "What happens to its trans-signalling?",
        {
            "off": "Blocked: STAT3 is off",
            "cut_on": "Most trans complexes are gone, yet STAT3 stays on",
            "little": "Little changes: the cell has no IL-6R for the drug to block",
        },
        model=sgp130fc_answer,
        why="sgp130Fc traps IL-6·sIL-6R in the medium, but in the model "
        f"{format_number(MEMBRANE.value('active_strong'))} occupied gp130 per cell already make a strong "
        "response: to silence the cell a drug must remove nearly all the complexes, so its "
        "dose matters.",
    )
    return predict_box([question], title="Predict first: how far does the drug block?")
