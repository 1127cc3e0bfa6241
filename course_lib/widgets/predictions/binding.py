"""Lesson 02 predictions: how much serum IL-6 is free, and what depletion does.

Serum levels are those of `course_lib.parameters.SERUM_HUMAN`; binding is the exact
equilibrium of `course_lib.models.binding.serum_equilibrium` with the textbook affinities.

>>> box = depletion()
>>> box.choices[0].value = "most"
>>> box.commit(), box.answers
(True, {0: 'half'})
"""

from __future__ import annotations

from course_lib._text import format_number, format_percent
from course_lib.models.binding import serum_equilibrium
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import to_molar
from course_lib.widgets.predict import Answer, PredictBox, Question, predict_box

__all__ = [
    "SEPSIS_FOLD",
    "depletion",
    "depletion_answer",
    "free_change_answer",
    "free_share_answer",
    "serum_buffer",
    "serum_free_fraction",
]

#: How many times more IL-6 the sepsis question gives than healthy serum.
SEPSIS_FOLD = 1000.0

#: Option key -> (lowest free fraction that counts, the words on the button); highest first.
_SHARE = {
    "most": (0.8, "Most of it: over 80%"),
    "half": (0.2, "Somewhere between a fifth and four fifths"),
    "few": (0.0, "Less than a fifth"),
}


def serum_free_fraction(il6_fold: float = 1.0, *, sgp130: bool = True) -> float:
    """Free IL-6 / total IL-6 in serum with healthy sIL-6R (and sgp130), textbook affinities.

    Parameters
    ----------
    il6_fold : float
        IL-6 as a multiple of the healthy serum level.
    sgp130 : bool
        Whether serum sgp130 is present.

    >>> round(serum_free_fraction(), 3), round(serum_free_fraction(sgp130=False), 3)
    (0.02, 0.556)
    """
    il6 = to_molar(SERUM_HUMAN.value("il6_healthy") * il6_fold, "pg/mL", "IL-6")
    sil6r = to_molar(SERUM_HUMAN.value("sil6r"), "ng/mL", "sIL-6R")
    gp = to_molar(SERUM_HUMAN.value("sgp130"), "ng/mL", "sgp130") if sgp130 else 0.0
    return float(serum_equilibrium(il6=il6, sil6r=sil6r, sgp130=gp).il6_fractions()["free"])


def _share_key(fraction: float) -> str:
    return next(k for k, (low, _) in _SHARE.items() if fraction >= low)


def free_share_answer() -> Answer:
    """The free share of IL-6 in healthy serum, with sIL-6R and sgp130."""
    free = serum_free_fraction()
    return Answer(
        _share_key(free),
        f"With {format_number(SERUM_HUMAN.value('sil6r'))} ng/mL sIL-6R and "
        f"{format_number(SERUM_HUMAN.value('sgp130'))} ng/mL sgp130, {format_percent(free)} of healthy "
        "serum IL-6 is free.",
    )


def free_change_answer() -> Answer:
    """How the free share changes with a thousand times more IL-6."""
    healthy, sepsis = serum_free_fraction(), serum_free_fraction(SEPSIS_FOLD)
    ratio = sepsis / healthy
    key = "rises" if ratio > 2 else "falls" if ratio < 0.5 else "same"
    return Answer(
        key,
        f"Free IL-6 goes from {format_percent(healthy)} to {format_percent(sepsis)} of the IL-6 "
        f"({format_number(ratio)} times) when IL-6 rises {format_number(SEPSIS_FOLD)}-fold.",
    )


def serum_buffer() -> PredictBox:
    """Lesson 02: the free share of serum IL-6, in health and with a thousand times more."""
    questions = [
        Question(
            "Healthy serum: about 0.25 pM IL-6, 0.8 nM sIL-6R (Kd 1 nM) and 3 nM sgp130, which "
            "binds IL-6·sIL-6R with a Kd of 50 pM. What share of the IL-6 is free?",
            {key: words for key, (_, words) in _SHARE.items()},
            model=free_share_answer,
            why="sIL-6R and sgp130 outnumber IL-6 thousands of times over, so nearly every "
            "IL-6 that meets sIL-6R ends up held by sgp130 as well: a buffer.",
        ),
        Question(
            "Now a thousand times more IL-6, as in sepsis, with the same sIL-6R and sgp130. "
            "What happens to the free share?",
            {
                "rises": "It rises more than twofold: so much IL-6 overwhelms the buffer",
                "same": "It stays within a factor of two of its healthy value",
                "falls": "It falls: more IL-6 drives more complex formation",
            },
            model=free_change_answer,
            why="A thousandfold more IL-6, about 0.25 nM, is still below the 0.8 nM of sIL-6R, "
            "so sIL-6R and sgp130 stay mostly free and mass action keeps the ratios of the three "
            "forms nearly fixed; the buffer gives way only as IL-6 approaches the sIL-6R level.",
        ),
    ]
    return predict_box(questions, title="Predict first: where is serum IL-6?")


def depletion_answer() -> Answer:
    """The free share of healthy serum IL-6 with sIL-6R alone, and how much sIL-6R it uses."""
    free = serum_free_fraction(sgp130=False)
    il6 = to_molar(SERUM_HUMAN.value("il6_healthy"), "pg/mL", "IL-6")
    sil6r = to_molar(SERUM_HUMAN.value("sil6r"), "ng/mL", "sIL-6R")
    used = (1 - free) * il6 / sil6r
    return Answer(
        _share_key(free),
        f"{format_percent(free)} of the IL-6 stays free, while only {format_percent(used)} of the "
        "sIL-6R carries IL-6.",
    )


def depletion() -> PredictBox:
    """Lesson 02: serum IL-6 with sIL-6R alone (no sgp130): what share stays free?"""
    question = Question(
        "Serum without sgp130: 0.25 pM IL-6 meets 0.8 nM sIL-6R (Kd 1 nM). Hardly any of the "
        "sIL-6R can be used up. What share of the IL-6 stays free?",
        {key: words for key, (_, words) in _SHARE.items()},
        model=depletion_answer,
        why="Depletion hits the scarce partner: sIL-6R sits close to its Kd, so a large part "
        "of the IL-6 is bound even though the sIL-6R barely notices.",
    )
    return predict_box([question], title="Predict first: free or bound?")
