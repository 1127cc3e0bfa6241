"""Power by simulation: how often an experiment of a given design finds a true effect.

`power` simulates thousands of two-group experiments per group size with the experiment model
of `course_lib.models.design` (litters, randomisation, blinding, attrition) and counts the
fraction with p < alpha; with no true reduction that fraction is the false-positive rate.
Lesson 06's lab compares the genotypes and treatments of lesson 05's virtual liver
(`COMPARISONS`, with the mean tumour counts from `course_lib.models.liver.expected_tumours`);
`power_curve` and `repeat_rates` are the cached calls behind its widgets, so a slider moved back
to an earlier setting costs nothing. Everything here is simulated.

>>> curve = power(14.6, 0.7, [4, 8], litter_cv=0.0, attrition=0.0, n_experiments=400, rng=1)
>>> curve.power.round(2)
array([0.36, 0.8 ])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from course_lib.errors import CourseValueError, require_in_range, require_name
from course_lib.models._memo import memo
from course_lib.models.count_tests import TESTS
from course_lib.models.design import (
    EXPERIMENT,
    design_options,
    group_counts,
    mean_counts,
    simulate_counts,
    whole_number,
)
from course_lib.models.liver import expected_tumours

__all__ = [
    "COMPARISONS",
    "INTERACTIVE_EXPERIMENTS",
    "POWER_N",
    "REPEAT_SEED",
    "PowerCurve",
    "comparison_groups",
    "comparison_kind",
    "power",
    "power_curve",
    "repeat_rates",
    "sample_size_for",
]


@dataclass(frozen=True)
class PowerCurve:
    """Power (or false-positive rate when ``reduction`` is 0) at each group size."""

    n: np.ndarray  # mice allocated per group
    power: np.ndarray  # fraction of experiments with p < alpha
    se: np.ndarray  # binomial standard error, sqrt(power (1 - power) / n_experiments)
    test: str
    reduction: float
    alpha: float
    control_mean: float
    k: float
    n_experiments: int
    design: str

    def sample_size(self, power_target: float = 0.8) -> int | None:
        """Smallest n on the curve whose power reaches ``power_target`` (None if none does)."""
        target = require_in_range("power_target", power_target, 0.0, 1.0, "(fraction)")
        hits = np.flatnonzero(self.power >= target)
        return int(self.n[hits[0]]) if hits.size else None


def _fraction_open(name: str, value, low_open: bool, hint: str) -> float:
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    x = float(value) if ok else math.nan
    if not (math.isfinite(x) and (x > 0 if low_open else x >= 0) and x < 1):
        interval = "(0, 1)" if low_open else "[0, 1)"
        raise CourseValueError(f"{name} must lie in {interval}; got {value!r}. {hint}")
    return x


def power(
    control_mean: float,
    reduction: float,
    n_per_group: int | Sequence[int],
    *,
    k: float | None = None,
    test: str = "Mann-Whitney",
    alpha: float = 0.05,
    n_experiments: int = 2000,
    sex: str = "male",
    randomisation: str = "blocked by litter",
    blinding: bool = True,
    observer_bias: float | None = None,
    litter_cv: float | None = None,
    litter_size: int | None = None,
    attrition: float | None = None,
    rng=None,
) -> PowerCurve:
    """Estimate power by simulating ``n_experiments`` two-group experiments per group size.

    Parameters
    ----------
    control_mean : float or (float, float)
        Mean tumours per liver in control males (count); females get `course_lib.models.design.female_to_male_ratio` of it.
        A (male, female) pair sets both (e.g. from `course_lib.models.liver.expected_tumours`).
    reduction : float
        Fractional drop of the mean under treatment, in [0, 1); 0 gives the false-positive rate.
    n_per_group : int or sequence of int
        Mice per group (each >= 2); a sequence gives a power curve.
    k, sex, randomisation, blinding, observer_bias, litter_cv, litter_size, attrition
        The experiment model, as in `simulate_experiment`.
    test : str
        A name from `course_lib.models.count_tests.TESTS`.
    alpha : float
        Significance level in (0, 1).
    n_experiments : int
        Simulated experiments per group size (>= 100).
    rng : numpy.random.Generator, int or None

    Returns
    -------
    PowerCurve
    """
    male, female = (float(m) for m in mean_counts("control_mean", control_mean))
    red = _fraction_open("reduction", reduction, False, "Use e.g. 0.5 for a halving.")
    alpha = _fraction_open("alpha", alpha, True, "The usual significance level is 0.05.")
    name = require_name("test", test, TESTS)
    experiments = whole_number("n_experiments", n_experiments, 100, "n_experiments=2000")
    sizes = [n_per_group] if np.ndim(n_per_group) == 0 else list(n_per_group)
    if not sizes:
        raise CourseValueError("n_per_group is empty; give at least one size, e.g. [5, 10, 20].")
    opts = [
        design_options(n, k, sex, randomisation, observer_bias, litter_cv, litter_size, attrition)
        for n in sizes
    ]
    means = np.array([[male, female], [male * (1 - red), female * (1 - red)]])
    rng = np.random.default_rng(rng)
    pw = np.empty(len(opts))
    for i, o in enumerate(opts):
        sim = simulate_counts(means, experiments=experiments, blinding=bool(blinding), rng=rng, **o)
        pw[i] = np.mean(TESTS[name](group_counts(sim, 1), group_counts(sim, 0)) < alpha)
    o = opts[0]
    design = (
        f"{o['sex']} mice, {o['randomisation']}, {'blinded' if blinding else 'unblinded'} "
        f"(bias {o['observer_bias']:g}), litter CV {o['litter_cv']:g}, attrition "
        f"{o['attrition']:g}"
    )
    return PowerCurve(
        np.array([x["n"] for x in opts]),
        pw,
        np.sqrt(pw * (1 - pw) / experiments),
        name,
        red,
        alpha,
        male,
        o["k"],
        experiments,
        design,
    )


def sample_size_for(
    power_target: float = 0.8,
    *,
    curve: PowerCurve | None = None,
    control_mean: float | None = None,
    reduction: float = 0.5,
    n_per_group: Sequence[int] = tuple(range(3, 31)),
    **options,
) -> int | None:
    """Smallest n per group whose simulated power reaches ``power_target``.

    Pass a `PowerCurve` as ``curve``, or let `power` compute one (``control_mean`` defaults to
    14.6 tumours; ``options`` go to `power`). None when no n on the curve is large enough.

    Examples
    --------
    >>> sample_size_for(0.8, reduction=0.7, n_per_group=range(4, 13), litter_cv=0.0,
    ...                 attrition=0.0, n_experiments=1000, rng=2)
    8
    """
    if curve is None:
        mean = EXPERIMENT.value("control_mean") if control_mean is None else control_mean
        curve = power(mean, reduction, n_per_group, **options)
    return curve.sample_size(power_target)


# ---------------------------------------------------------------------------------------------
# Lesson 06: the power explorer and the lab's comparisons and repeats

#: Group sizes (mice per group) on the power curve.
POWER_N = (3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30)
#: Simulated experiments per n in the interactive curve, by test: few, so a slider move stays
#: fast (the NB LRT fits a dispersion per experiment and is the slowest).
INTERACTIVE_EXPERIMENTS = {
    "Mann-Whitney": 200,
    "negative binomial LRT": 100,
    "Welch t on log(count+1)": 200,
}
#: Seed of the lab's repeats, so moving the study seed redraws one study, not the repeats.
REPEAT_SEED = 2017
#: Comparisons of the lab: name -> (control condition, treated condition) for `expected_tumours`.
COMPARISONS = {
    "wild type vs sgp130Fc transgenic": (
        ("wild type", {}),
        ("sgp130Fc transgenic", {"genotype": "sgp130Fc transgenic"}),
    ),
    "wild type vs hepatocyte IL-6R knockout": (
        ("wild type", {}),
        ("hepatocyte IL-6R knockout", {"genotype": "hepatocyte IL-6R knockout"}),
    ),
    "wild type vs wild type (no true difference)": (
        ("wild type (group A)", {}),
        ("wild type (group B)", {}),
    ),
    "control Fc vs sgp130Fc protein from week 24": (
        ("control Fc", {"treatment": "control Fc", "treatment_start": 24.0}),
        ("sgp130Fc protein", {"treatment": "sgp130Fc", "treatment_start": 24.0}),
    ),
}
_LAB_TESTS = ("Mann-Whitney", "negative binomial LRT")


def comparison_kind(name: str) -> str:
    """``"genotype"`` when the groups of a lab comparison differ by genotype (allocated by
    inheritance), ``"treatment"`` when they differ by a treatment (randomised).

    >>> comparison_kind("wild type vs sgp130Fc transgenic")
    'genotype'
    """
    groups = COMPARISONS[require_name("comparison", name, COMPARISONS)]
    return "treatment" if any("treatment" in kw for _, kw in groups) else "genotype"


def comparison_groups(name: str) -> dict[str, tuple[float, float]]:
    """Mean tumours per liver (male, female) of both groups of a lab comparison (simulated).

    The means come from the virtual liver (`expected_tumours` at 40 weeks), rounded to 0.01.

    >>> comparison_groups("wild type vs wild type (no true difference)")["wild type (group B)"]
    (12.41, 0.2)
    """
    return dict(_groups(require_name("comparison", name, COMPARISONS)))


@memo(maxsize=None)
def _groups(name: str) -> tuple:
    return tuple(
        (label, tuple(_mean_tumours(tuple(sorted(kw.items())), s) for s in ("male", "female")))
        for label, kw in COMPARISONS[name]
    )


@memo(maxsize=None)
def _mean_tumours(condition: tuple, sex: str) -> float:
    """`expected_tumours` of a condition (its keywords as sorted pairs) and sex, rounded to
    0.01; a condition in several comparisons (wild type) is computed once."""
    return round(expected_tumours(sex=sex, **dict(condition)), 2)


@memo(maxsize=512)
def power_curve(
    reduction: float,
    test: str,
    k: float,
    control_mean: float,
    randomisation: str = "blocked by litter",
    litter_cv: float = 0.0,
    *,
    n_experiments: int | None = None,
    seed: int = 6,
) -> PowerCurve:
    """The power explorer's curve over `POWER_N` (no attrition), remembered by its settings.

    ``n_experiments`` defaults to `INTERACTIVE_EXPERIMENTS` of the test; ``seed`` fixes the
    random stream, so the same settings always give the same curve.
    """
    red = require_in_range("reduction", reduction, 0.0, 0.95, "(fraction)")
    test = require_name("test", test, INTERACTIVE_EXPERIMENTS)
    return power(
        float(control_mean),
        red,
        POWER_N,
        k=float(k),
        test=test,
        randomisation=randomisation,
        litter_cv=float(litter_cv),
        attrition=0.0,
        n_experiments=n_experiments or INTERACTIVE_EXPERIMENTS[test],
        rng=seed,
    )


@memo(maxsize=512)
def repeat_rates(
    comparison: str,
    n: int,
    *,
    sex: str = "male",
    randomisation: str = "blocked by litter",
    blinding: bool = True,
    litter_cv: float = 0.2,
    attrition: float = 0.07,
    repeats: int = 200,
) -> tuple[float, float, float]:
    """(true reduction, Mann-Whitney rate, NB LRT rate) of ``repeats`` repeats of a lab design.

    The repeats use the control group's (male, female) means and a fixed seed
    (`REPEAT_SEED`), so they do not depend on which single study the lab's seed drew. The
    treated/control ratio of the sex studied (males when mixed) sets the reduction (0 when the
    treated group has more tumours). The rates are the fraction of repeats with p < 0.05:
    power, or false positives when the reduction is 0.
    """
    (control_m, control_f), (treated_m, treated_f) = comparison_groups(comparison).values()
    red = 1 - (treated_f / control_f if sex == "female" else treated_m / control_m)
    red = min(max(red, 0.0), 0.99)
    design = {
        "sex": sex,
        "randomisation": randomisation,
        "blinding": bool(blinding),
        "litter_cv": float(litter_cv),
        "attrition": float(attrition),
    }
    rates = [
        float(
            power(
                (control_m, control_f),
                red,
                int(n),
                test=test,
                n_experiments=repeats,
                rng=REPEAT_SEED,
                **design,
            ).power[0]
        )
        for test in _LAB_TESTS
    ]
    return (red, *rates)
