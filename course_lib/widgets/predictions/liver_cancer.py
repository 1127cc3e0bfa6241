"""Lesson 05's predictions: what the virtual liver says about sex, mouse lines and hypotheses.

>>> box = which_line()
>>> box.choices[0].value = "neither"
>>> box.commit(), box.answers
(True, {0: 'either'})
"""

from __future__ import annotations

from course_lib._text import format_number as fmt
from course_lib.models.liver import expected_tumours
from course_lib.widgets.predict import Answer, PredictBox, Question, predict_box

__all__ = ["LINES", "classic_world", "cohort_sex", "which_line"]

#: The two mouse lines that each remove one route.
LINES = ("sgp130Fc transgenic", "hepatocyte IL-6R knockout")
#: A line counts as protected below this fraction of the wild type's tumours.
PROTECTED_BELOW = 0.5


def _protected(genotype: str, driver: str) -> tuple[bool, float, float]:
    line = expected_tumours(genotype=genotype, driver=driver)
    wild = expected_tumours(genotype="wild type", driver=driver)
    return line < PROTECTED_BELOW * wild, line, wild


def _cohort_sex() -> Answer:
    male, female = expected_tumours(sex="male"), expected_tumours(sex="female")
    ratio = female / male
    key = "same" if ratio >= 0.7 else ("half" if ratio >= 0.2 else "few")
    return Answer(
        key,
        f"Expected tumours per liver at 40 weeks: {fmt(male)} in males, {fmt(female)} in "
        f"females ({fmt(100 * ratio)}% of the males').",
    )


def cohort_sex() -> PredictBox:
    """Wild-type females against wild-type males in the virtual liver."""
    q = Question(
        "Twenty wild-type males and twenty wild-type females get DEN/TCPOBOP and are examined at "
        "40 weeks. Compared with the males, the females have...",
        {
            "same": "about as many tumours",
            "half": "roughly half as many",
            "few": "almost none",
        },
        _cohort_sex,
        "The model gives females a lower serum IL-6 (an assumption, after Naugler 2007); each "
        "mechanism responds steeply to the IL-6 signal, so a modest drop in IL-6 leaves most "
        "initiated cells to die or stay small.",
    )
    return predict_box([q], title="Predict: males and females")


def _which_line() -> Answer:
    tells = []
    parts = []
    for line in LINES:
        by_driver = {d: _protected(line, d) for d in ("trans", "classic")}
        if by_driver["trans"][0] != by_driver["classic"][0]:
            tells.append(line)
        parts.append(
            f"{line}: {fmt(by_driver['trans'][1])} tumours per liver if trans drives, "
            f"{fmt(by_driver['classic'][1])} if classic drives"
        )
    key = {2: "either", 0: "neither"}.get(len(tells), "tg" if LINES[0] in tells else "ko")
    wild = expected_tumours(genotype="wild type")
    return Answer(key, f"Wild type {fmt(wild)}; " + "; ".join(parts) + ".")


def which_line() -> PredictBox:
    """Which mouse line, on its own, tells the trans hypothesis from the classic one?"""
    q = Question(
        "Trans-signalling drives the tumours, or classic signalling does. Which mouse line, "
        "on its own, tells the two hypotheses apart?",
        {
            "tg": "only the sgp130Fc-transgenic line",
            "ko": "only the hepatocyte IL-6R knockout",
            "either": "either line",
            "neither": "neither: you need both lines",
        },
        _which_line,
        "Each line removes one route, so the two hypotheses predict opposite outcomes for it: "
        "one says protected, the other says tumours like the wild type.",
    )
    return predict_box([q], title="Predict: which line separates the hypotheses?")


def _classic_world(line: str):
    def model() -> Answer:
        protected, mean, wild = _protected(line, "classic")
        return Answer(
            "protected" if protected else "tumours",
            f"If classic signalling drove the tumours: {line} {fmt(mean)} tumours per liver, "
            f"wild type {fmt(wild)}.",
        )

    return model


def classic_world() -> PredictBox:
    """What a world in which classic signalling drives the tumours predicts for each line."""
    options = {"tumours": "tumours like the wild type", "protected": "protected"}
    why = {
        "tumours": "Its hepatocytes keep the route this hypothesis needs.",
        "protected": "Its hepatocytes lose the route this hypothesis needs.",
    }
    questions = [
        Question(
            f"Suppose classic signalling, not trans, drove the tumours. The {line} line gets...",
            options,
            _classic_world(line),
            why,
        )
        for line in LINES
    ]
    return predict_box(questions, title="Predict: the rival hypothesis")
