"""Checks for lesson 06, "Designing the experiment".

Every expected value is simulated here with `course_lib.models.power.power` (fixed seeds, the
settings below), never typed in. Feedback names the misconception and never shows the value.

>>> experimental_unit("b").passed
True
"""

from __future__ import annotations

from functools import cache

from course_lib.grading.feedback import (
    CheckFailed,
    CheckResult,
    answer_number,
    check_choice,
    passed,
)
from course_lib.grading.variants import Variant
from course_lib.models.arrive import ArriveChecklist
from course_lib.models.power import power

__all__ = [
    "DESIGNS",
    "LITTER_STUDY",
    "POWER_SETTINGS",
    "arrive_complete",
    "count_test",
    "design_false_positive_rate",
    "experimental_unit",
    "litter_design",
    "sample_size_70",
]

#: Exercise 6.1: the design the question describes in words (keywords of `power`); the
#: student has to turn the words into these settings.
POWER_SETTINGS = {
    "control_mean": 14.6,
    "reduction": 0.7,
    "n_per_group": range(2, 41),
    "k": 3.0,
    "test": "Mann-Whitney",
    "litter_cv": 0.0,
    "attrition": 0.0,
    "n_experiments": 2000,
    "rng": 6,
}
#: Exercise 6.3: no true difference, 15 mice per group, a strong litter effect; the four
#: designs of the question (randomisation, n per group, test).
LITTER_STUDY = {
    "control_mean": 14.6,
    "reduction": 0.0,
    "k": 3.0,
    "litter_cv": 0.8,
    "attrition": 0.0,
    "n_experiments": 2000,
    "rng": 63,
}
DESIGNS = {
    "a": {"randomisation": "whole litters", "n_per_group": 15},
    "b": {"randomisation": "blocked by litter", "n_per_group": 15},
    "c": {"randomisation": "whole litters", "n_per_group": 30},
    "d": {"randomisation": "whole litters", "n_per_group": 15, "test": "Welch t on log(count+1)"},
}


@cache
def _curve(reduction: float = POWER_SETTINGS["reduction"]):
    return power(**{**POWER_SETTINGS, "reduction": reduction})


@cache
def design_false_positive_rate(option: str) -> float:
    """Exercise 6.3: the simulated false-positive rate of design ``option`` (no true effect)."""
    return float(power(**{**LITTER_STUDY, **DESIGNS[option]}).power[0])


def sample_size_70(
    value: object, *, numbers: Variant | None = None, below: int = 0, above: int = 2
) -> CheckResult:
    """Exercise 6.1: smallest n per group with 80% power for the student's reduction.

    An answer from ``below`` mice fewer to ``above`` mice more is accepted (a design may round
    up; fewer mice than needed is underpowered, and with the stated seed n is exact).

    Parameters
    ----------
    value : object
        The student's answer.
    numbers : Variant, optional
        The student's numbers (``my`` in the notebook, `course_lib.grading.variants`); default:
        the 70% reduction of `POWER_SETTINGS`.
    below, above : int
        How many mice fewer or more than the smallest n are accepted.
    """
    question = "Exercise 6.1"
    reduction = float(POWER_SETTINGS["reduction"] if numbers is None else numbers.reduction)
    pct = f"{100 * reduction:.0f}%"
    x = answer_number(question, value, "mice per group", positive=True)
    if x < 1:
        raise CheckFailed(
            f"{question}: this looks like a power or a fraction (a number below 1), not a number "
            "of mice. The question asks for n, the number of mice per group: the smallest "
            "n whose simulated power reaches 0.8 (curve.sample_size(0.8)).",
            "gave a power or fraction, not a number of mice",
        )
    if x != round(x):
        raise CheckFailed(
            f"{question}: {x:g} is not a whole number of mice. Give n per group as a whole "
            "number: the first n on the simulated curve whose power reaches 0.8.",
            "not a whole number of mice",
        )
    expected = _curve(reduction).sample_size(0.8)
    if expected - below <= x <= expected + above:
        return passed(question)
    wrong = [
        (
            2 * expected,
            "this looks like the TOTAL number of mice (both groups). The question asks for "
            "mice PER GROUP.",
            "total of both groups, not per group",
        ),
        (
            _curve(0.5).sample_size(0.8),
            "this is the n for a 50% reduction, the lesson's example. The question's lab "
            f"expects a {pct} reduction: reduction={reduction:g}.",
            "simulated the lesson's 50% reduction",
        ),
        (
            _curve(round(1 - reduction, 6)).sample_size(0.8),
            f"this is the n for a {100 - 100 * reduction:.0f}% reduction, the tumours LEFT "
            f"rather than the reduction. A {pct} reduction is reduction={reduction:g}.",
            "used the fraction left, not the reduction",
        ),
    ]
    for n, message, diagnosis in wrong:
        if n is not None and abs(x - n) <= 1 and not expected - below <= n <= expected + above:
            raise CheckFailed(f"{question}: {message}", diagnosis)
    if x < expected - below:
        raise CheckFailed(
            f"{question}: with this many mice the simulated power stays below 0.8: the study "
            f"would miss a real {pct} reduction too often. Check reduction, k and the test, and "
            "read the curve from the smallest n upward.",
            "too few mice (underpowered)",
        )
    raise CheckFailed(
        f"{question}: this n reaches 80% power but uses more mice than needed (the check "
        f"accepts the smallest n and up to {above} mice more). Check that "
        f"reduction is {reduction:g} (not {100 * reduction:g} or {1 - reduction:g}), that "
        "there is no litter effect or attrition, and "
        "that you took the FIRST n whose power reaches 0.8.",
        "more mice than needed",
    )


def experimental_unit(answer: object) -> CheckResult:
    """Exercise 6.2: the experimental unit when sgp130Fc is given in each cage's drinking water."""
    return check_choice(
        "Exercise 6.2",
        answer,
        correct="b",
        feedback={
            "a": "the mice of one cage all drink from the same bottle: they share the "
            "treatment, so they are not independent units. Ask at which level the treatment "
            "is allocated (ARRIVE item 1b).",
            "b": "all mice of a cage share one bottle, so the treatment is allocated per cage "
            "and the 6 cages per group are the independent units (ARRIVE item 1b).",
            "c": "tumours are what you count, not what you allocate. Tumours in one liver "
            "share one mouse and one treatment.",
            "d": "a litter is the unit when treatment (or genotype) goes to whole litters. "
            "Here ask what the drinking water, and so the treatment, is given to.",
        },
    )


def litter_design(choice: object, rate: object = ...) -> CheckResult:
    """Exercise 6.3: the design that keeps false positives near alpha, and its simulated rate."""
    question = "Exercise 6.3"
    key = str(choice).strip().lower() if isinstance(choice, str) else choice
    why = {
        "a": "blinding protects the counting, but here the bias is in the allocation: each "
        "litter's own tumour level goes wholly into one group, so the groups differ even "
        "without a treatment. Simulate this design with reduction=0.",
        "b": "with littermates split between the groups, each litter's own tumour level "
        "falls on both sides and cancels out of the comparison, so only chance remains: "
        "the false-positive rate stays at or below alpha.",
        "c": "more mice do not help when whole litters go to one group: the litters, not the "
        "mice, are the independent units, and their differences do not average out within "
        "a group. Simulate it with n_per_group=30.",
        "d": "a different test cannot undo a confounded allocation: with whole litters per "
        "group the groups really do differ by litter, and any test that is sensitive finds "
        "it. Simulate this design with the Welch test.",
    }
    result = check_choice(question, key, correct="b", feedback=why)
    x = answer_number(question, rate, "fraction of studies with p < 0.05")
    expected = design_false_positive_rate("b")
    if 1 < x <= 100 and abs(x / 100 - expected) <= 0.02:
        raise CheckFailed(
            f"{question}: your rate looks like a percentage. Give a fraction between 0 and 1.",
            "rate as a percentage",
        )
    if x >= 2:
        raise CheckFailed(
            f"{question}: a false-positive rate is a fraction of studies (0 to 1), not a "
            "number of mice or litters. Simulate your design with reduction=0 and read "
            ".power[0].",
            "rate: gave a count, not a fraction",
        )
    others = [k for k in "acd" if abs(x - design_false_positive_rate(k)) <= 0.015]
    if abs(x - expected) > 0.015:
        if others:
            raise CheckFailed(
                f"{question}: your choice is right, but this rate belongs to another design "
                f"(option {others[0]!r}). Simulate the design you chose, with the settings of "
                "checks.LITTER_STUDY.",
                "rate of another design",
            )
        raise CheckFailed(
            f"{question}: your choice is right, but the rate does not match a simulation of "
            "it with checks.LITTER_STUDY (reduction=0, 15 mice per group, seed 63; the check "
            "accepts values within 0.015 either way).",
            "rate does not match the simulation",
        )
    return result


def count_test(answer: object) -> CheckResult:
    """Exercise 6.4: how to compare tumour counts per liver between two groups."""
    return check_choice(
        "Exercise 6.4",
        answer,
        correct="b",
        feedback={
            "b": "tumour counts vary far more than their mean (SD about 9 at a mean of 15): "
            "overdispersed counts. A negative binomial model describes exactly that, and its "
            "likelihood-ratio test beats the t-test and Wilcoxon on such data (Drinkwater & "
            "Klotz 1981).",
            "a": "a t-test on raw counts assumes roughly normal data with equal spread. Tumour "
            "counts are skewed and their variance grows with the mean (SD about 9 at a mean of "
            "15), so a few mice with many tumours drive the result.",
            "c": "a Poisson model assumes variance = mean. Tumour counts vary far more than "
            "that between mice (overdispersion): a Poisson test finds 'significant' "
            "differences far too often.",
            "d": "incidence throws the counts away: when nearly every male gets tumours, "
            "'tumour yes/no' cannot show a fall in tumour number.",
        },
    )


def arrive_complete(checklist: object) -> CheckResult:
    """Exercise 6.5: an `ArriveChecklist` whose ten Essential 10 items are all complete."""
    question = "Exercise 6.5"
    if checklist is ... or checklist is None:
        raise CheckFailed(f"{question}: no answer yet. Build checklist = ArriveChecklist(...).")
    if not isinstance(checklist, ArriveChecklist):
        raise CheckFailed(
            f"{question}: expected an ArriveChecklist, got {type(checklist).__name__}. Use "
            "checklist = ArriveChecklist(study_design=..., ...)."
        )
    report = checklist.check()
    if report.complete:
        return passed(question)
    missing, partial = report.titles("missing"), report.titles("incomplete")
    parts = []
    if missing:
        parts.append("still empty: " + ", ".join(missing))
    if partial:
        parts.append("incomplete: " + ", ".join(partial))
    raise CheckFailed(
        f"{question}: {'; '.join(parts)}. Run checklist.check() to see what each item still needs."
    )
