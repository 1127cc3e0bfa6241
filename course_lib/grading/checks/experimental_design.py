"""Checks for lesson 06, "Designing the experiment".

Every expected value is simulated here with `course_lib.models.power.power` (fixed seeds, the
settings below), never typed in. Feedback names the misconception and never shows the value.

>>> experimental_unit("b")
Exercise 6.2: correct. Hidden checks also count toward your grade.
"""

from __future__ import annotations

from functools import cache

from course_lib.grading.feedback import (
    HIDDEN_NOTE,
    CheckFailed,
    CheckResult,
    Misconception,
    check_choice,
    check_number,
)
from course_lib.models.arrive import ArriveChecklist
from course_lib.models.power import power

__all__ = [
    "FLAWED_DESIGN",
    "POWER_SETTINGS",
    "arrive_complete",
    "count_test",
    "experimental_unit",
    "false_positive_rate",
    "sample_size_50",
]

#: Exercise 6.1: the power curve to simulate (keywords of `course_lib.models.power.power`).
POWER_SETTINGS = {
    "control_mean": 14.6,
    "reduction": 0.5,
    "n_per_group": range(4, 31),
    "k": 3.0,
    "test": "Mann-Whitney",
    "litter_cv": 0.0,
    "attrition": 0.0,
    "n_experiments": 2000,
    "rng": 6,
}
#: Exercise 6.3: no true difference, whole litters per group, a strong litter effect.
FLAWED_DESIGN = {
    "control_mean": 14.6,
    "reduction": 0.0,
    "n_per_group": 15,
    "k": 3.0,
    "randomisation": "whole litters",
    "litter_cv": 0.8,
    "attrition": 0.0,
    "n_experiments": 2000,
    "rng": 60,
}


@cache
def _curve():
    return power(**POWER_SETTINGS)


@cache
def _flawed() -> float:
    return float(power(**FLAWED_DESIGN).power[0])


def sample_size_50(value: object, *, tolerance: int = 2) -> CheckResult:
    """Exercise 6.1: smallest n per group with 80% power, 50% reduction (`POWER_SETTINGS`)."""
    curve = _curve()
    expected = curve.sample_size(0.8)
    at_90 = curve.sample_size(0.9)
    wrong = [
        Misconception(
            2 * expected,
            "this looks like the TOTAL number of mice (both groups). The question asks for "
            "mice PER GROUP.",
            rtol=0.04,
        )
    ]
    if at_90 is not None and abs(at_90 - expected) > tolerance:
        wrong.append(
            Misconception(
                at_90,
                "this n reaches 90% power. The question asks for the usual target, 80%: "
                "sample_size(0.8).",
                rtol=0.01,
            )
        )
    return check_number(
        "Exercise 6.1",
        value,
        expected=expected,
        unit="mice per group",
        rtol=(tolerance + 0.5) / expected,
        misconceptions=wrong,
    )


def experimental_unit(answer: object) -> CheckResult:
    """Exercise 6.2: the experimental unit when sgp130Fc is given in each cage's drinking water."""
    return check_choice(
        "Exercise 6.2",
        answer,
        correct="b",
        feedback={
            "a": "the mice of one cage all drink from the same bottle: they share the "
            "treatment, so they are not independent units. Treatment is allocated per cage "
            "(ARRIVE item 1b).",
            "c": "tumours are what you count, not what you allocate. Tumours in one liver "
            "share one mouse and one treatment.",
            "d": "a litter is the unit when treatment (or genotype) goes to whole litters. "
            "Here the drinking water, and so the treatment, is shared by the cage.",
        },
    )


def false_positive_rate(value: object, *, tolerance: float = 0.03) -> CheckResult:
    """Exercise 6.3: fraction of `FLAWED_DESIGN` experiments with p < 0.05 (no true effect)."""
    expected = _flawed()
    return check_number(
        "Exercise 6.3",
        value,
        expected=expected,
        unit="fraction of experiments",
        rtol=tolerance / expected,
        misconceptions=[
            Misconception(
                1 - expected,
                "'a false-positive rate is 1 - power' is a misconception. With no true "
                "difference, every p < 0.05 is a false positive: the rate IS the fraction with "
                "p < 0.05.",
                rtol=0.05,
            ),
            Misconception(
                0.05,
                "0.05 is alpha, the rate a sound design would give. Simulate this design: "
                "whole litters per group do not behave like that.",
                rtol=0.1,
            ),
            Misconception(
                100 * expected,
                "this looks like a percentage. Give a fraction between 0 and 1.",
                rtol=0.2,
            ),
        ],
    )


def count_test(answer: object) -> CheckResult:
    """Exercise 6.4: how to compare tumour counts per liver between two groups."""
    return check_choice(
        "Exercise 6.4",
        answer,
        correct="b",
        feedback={
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
        return CheckResult(question, f"correct. {HIDDEN_NOTE}")
    missing, partial = report.titles("missing"), report.titles("incomplete")
    parts = []
    if missing:
        parts.append("still empty: " + ", ".join(missing))
    if partial:
        parts.append("incomplete: " + ", ".join(partial))
    raise CheckFailed(
        f"{question}: {'; '.join(parts)}. Run checklist.check() to see what each item still needs."
    )
