"""Lesson 06's predictions: power, sample size and what bias does to false positives.

>>> box = false_positives()
>>> box.choices[0].value = "nominal"
>>> box.commit(), box.answers
(True, {0: 'high'})
"""

from __future__ import annotations

from course_lib._text import format_number as fmt
from course_lib.models.design import EXPERIMENT
from course_lib.models.power import POWER_N, power, power_curve, repeat_rates
from course_lib.widgets.predict import Answer, PredictBox, Question, predict_box

__all__ = [
    "FLAWED_LAB",
    "TREATMENT_LAB",
    "false_positives",
    "mixed_sex",
    "sample_size",
    "treatment_study",
]

#: Control males' mean tumours per liver in the lesson's power calculations (J Nutr 2014).
CONTROL_MEAN = 14.6
#: The flawed lab design of the false-positive question (no true difference).
FLAWED_LAB = {
    "comparison": "wild type vs wild type (no true difference)",
    "n": 15,
    "randomisation": "whole litters",
    "litter_cv": 0.8,
    "blinding": False,
}

#: The lab's treatment study of the first question: its comparison and mice per group.
TREATMENT_LAB = {"comparison": "control Fc vs sgp130Fc protein from week 24", "n": 10}


def _pct(x: float) -> str:
    return f"{fmt(100 * x)}%"


def _mixed_sex() -> Answer:
    rates = {}
    for sex in ("male", "mixed"):
        curve = power(
            CONTROL_MEAN, 0.7, [10], sex=sex, litter_cv=0.0, attrition=0.0, n_experiments=400, rng=3
        )
        rates[sex] = float(curve.power[0])
    gap = rates["male"] - rates["mixed"]
    key = "male" if gap > 0.1 else ("mixed" if gap < -0.1 else "same")
    return Answer(
        key,
        f"Simulated power with 10 mice per group and a 70% reduction: {_pct(rates['male'])} "
        f"with males, {_pct(rates['mixed'])} with mixed sexes (400 experiments each).",
    )


def mixed_sex() -> PredictBox:
    """Ten males per group or ten mixed-sex mice per group: which has more power?"""
    q = Question(
        "The treatment truly cuts tumours by 70%. With 10 mice per group, which study has more "
        "power?",
        {
            "male": "10 males per group",
            "mixed": "10 mixed-sex mice per group",
            "same": "about the same",
        },
        _mixed_sex,
        "Females carry almost no DEN tumours whatever their group, so they add zeros and spread "
        "but little information about the effect.",
    )
    return predict_box([q], title="Predict: one sex or both")


def _sample_size() -> Answer:
    k = EXPERIMENT.value("k")
    curve = power_curve(0.5, "Mann-Whitney", k, CONTROL_MEAN)
    enough = [n for n, p in zip(curve.n, curve.power, strict=True) if p >= 0.8]
    if not enough:
        return Answer("more", f"Not even {POWER_N[-1]} mice per group reach 80% power.")
    n = int(enough[0])
    key = "5" if n <= 6 else ("10" if n <= 12 else ("20" if n <= 25 else "more"))
    at = float(curve.power[list(curve.n).index(n)])
    return Answer(
        key,
        f"The first group size with at least 80% simulated power is {n} mice per group "
        f"({_pct(at)}; Mann-Whitney, k = {fmt(k)}, control mean {fmt(CONTROL_MEAN)}).",
    )


def sample_size() -> PredictBox:
    """Mice per group for 80% power against a 50% reduction of overdispersed counts."""
    q = Question(
        "Tumour counts are overdispersed (NB k about 3, control mean 14.6). How many mice per "
        "group give 80% power to detect a 50% reduction?",
        {"5": "about 5", "10": "about 10", "20": "about 20", "more": "more than 25"},
        _sample_size,
        "Halving a mean that spreads this much between mice is a small signal in a lot of "
        "noise; a Poisson intuition (variance = mean) would promise far fewer mice.",
    )
    return predict_box([q], title="Predict: how many mice?")


def _false_positives() -> Answer:
    lab = dict(FLAWED_LAB)
    _, rate, _ = repeat_rates(lab.pop("comparison"), lab.pop("n"), **lab)
    sound = repeat_rates(FLAWED_LAB["comparison"], FLAWED_LAB["n"])[1]
    key = "nominal" if rate < 0.08 else ("double" if rate <= 0.15 else "high")
    return Answer(
        key,
        f"With no true difference, {_pct(rate)} of 200 simulated repeats find p < 0.05 "
        f"(Mann-Whitney), against {_pct(sound)} for the same study blocked by litter and blinded.",
    )


def false_positives() -> PredictBox:
    """Whole litters per group, a strong litter effect, unblinded counting, no true effect."""
    q = Question(
        "No true difference between the groups. Whole litters go to one group, the litter "
        "effect is strong (CV 0.8), counting is not blinded, 15 mice per group. How often does "
        "such a study find p < 0.05?",
        {
            "nominal": "about 5% of the time, as alpha promises",
            "double": "about 10%",
            "high": "15% or more",
        },
        _false_positives,
        "Litter differences pass for a treatment effect when litter and group are confounded, "
        "and an unblinded counter makes a difference by counting alone.",
    )
    return predict_box([q], title="Predict: false positives from a flawed design")


def _treatment_study() -> Answer:
    reduction, rate, _ = repeat_rates(TREATMENT_LAB["comparison"], TREATMENT_LAB["n"])
    key = "most" if rate >= 0.8 else ("half" if rate >= 0.3 else "few")
    return Answer(
        key,
        f"The simulated treatment cuts tumours by {_pct(reduction)}; {_pct(rate)} of 200 "
        f"repeats with {TREATMENT_LAB['n']} males per group find p < 0.05 (Mann-Whitney).",
    )


def treatment_study() -> PredictBox:
    """sgp130Fc protein from week 24 against control Fc, 10 males per group: how often p < 0.05?"""
    q = Question(
        "sgp130Fc protein from week 24 against control Fc, 10 males per group, a sound design. "
        "If you ran this study many times, how often would it find p < 0.05?",
        {
            "most": "almost always (80% or more)",
            "half": "about half the time",
            "few": "rarely (less than a third)",
        },
        _treatment_study,
        "A treatment that starts after the clones exist removes only part of the tumours, and "
        "overdispersed counts hide a modest effect in 10 mice: such a study is underpowered.",
    )
    return predict_box([q], title="Predict: one study, many repeats")
