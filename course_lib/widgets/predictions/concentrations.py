"""Lesson 00 predictions: where serum concentrations sit against a Kd, and unit conversion.

>>> box = healthy_occupancy()
>>> box.choices[0].value = "half"
>>> box.commit(), box.answers
(True, {0: 'trace'})
"""

from __future__ import annotations

import math

from course_lib._text import format_number, format_percent
from course_lib.models.affinities import AFFINITY_SETS
from course_lib.models.binding import fractional_occupancy
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import molar_mass, to_molar
from course_lib.widgets.predict import Answer, PredictBox, Question, predict_box

__all__ = ["healthy_occupancy", "occupancy_answer", "sil6r_answer", "sil6r_in_nM"]


#: Option key -> (lowest occupancy that counts, the words on the button); highest first.
OCCUPANCY_OPTIONS = {
    "half": (0.2, "about half (it sits near the Kd)"),
    "tenth": (0.02, "a few per cent up to about a fifth"),
    "percent": (0.001, "between 0.1% and 2%"),
    "trace": (0.0, "less than 0.1%"),
}

#: Option key -> (candidate answer in nM, the words on the button).
SIL6R_OPTIONS = {
    "kda_as_g": (800.0, "800 nM"),
    "tenfold": (8.0, "8 nM"),
    "right": (0.8, "0.8 nM"),
    "ml_as_l": (0.0008, "0.0008 nM"),
}


def occupancy_answer() -> Answer:
    """The share of IL-6R that healthy serum IL-6 occupies (textbook Kd), from the model."""
    pg_ml = SERUM_HUMAN.value("il6_healthy")
    il6 = to_molar(pg_ml, "pg/mL", "IL-6")  # nM
    kd = AFFINITY_SETS["textbook"].value("kd_il6_il6r")  # nM
    share = float(fractional_occupancy(il6, kd))
    key = next(k for k, (low, _) in OCCUPANCY_OPTIONS.items() if share >= low)
    return Answer(
        key,
        f"{format_number(pg_ml)} pg/mL of IL-6 is {format_number(il6 * 1000)} pM, "
        f"{format_number(kd / il6)} times below the {format_number(kd)} nM Kd, so it fills "
        f"{format_percent(share)} of the receptors.",
    )


def healthy_occupancy() -> PredictBox:
    """Lesson 00: what share of IL-6R does healthy serum IL-6 occupy?"""
    question = Question(
        "Healthy serum holds about 5 pg/mL of IL-6. IL-6 binds IL-6R with a Kd of about 1 nM. "
        "What share of IL-6R would that IL-6 occupy?",
        {key: words for key, (_, words) in OCCUPANCY_OPTIONS.items()},
        model=occupancy_answer,
        why="A picogram per millilitre of a 21 kDa protein is a fraction of a picomolar, "
        "thousands of times below a nanomolar Kd: check the units before you compare.",
    )
    return predict_box([question], title="Predict first: does the receptor notice?")


def sil6r_answer() -> Answer:
    """40 ng/mL of sIL-6R in nM, converted by the library, and the option closest to it."""
    ng_ml = SERUM_HUMAN.value("sil6r")
    nM = to_molar(ng_ml, "ng/mL", "sIL-6R")
    key = min(SIL6R_OPTIONS, key=lambda k: abs(math.log10(SIL6R_OPTIONS[k][0] / nM)))
    return Answer(
        key,
        f"{format_number(ng_ml)} ng/mL of sIL-6R, divided by its molar mass of "
        f"{format_number(molar_mass('sIL-6R'))} kDa, is {format_number(nM)} nM.",
    )


def sil6r_in_nM() -> PredictBox:
    """Lesson 00: serum sIL-6R (40 ng/mL, 50 kDa) in nM."""
    question = Question(
        "Adult serum holds about 40 ng/mL of soluble IL-6R, a protein of about 50 kDa. "
        "How much is that in nM?",
        {key: words for key, (_, words) in SIL6R_OPTIONS.items()},
        model=sil6r_answer,
        why="One ng/mL is a millionth of a gram per litre, and 50 kDa is 50,000 g/mol: 40 "
        "millionths of a gram per litre divided by 50,000 g/mol is 0.8 billionths of a mole "
        "per litre, 0.8 nM. A slip in one prefix moves the answer a thousandfold.",
    )
    return predict_box([question], title="Predict first: a unit conversion")
