"""Mouse experiments by simulation: litters, randomisation, blinding, attrition and power.

Mice come in litters (half male); littermates share a gamma litter effect, each mouse has a
gamma frailty with shape ``k``, and its tumour count is Poisson with mean ``group mean x litter
effect x frailty``: negative binomial when litters do not differ (PMID:7448751). The choices:

**randomisation** "blocked by litter" spreads each litter over the groups, "simple" flips a
coin per mouse, "whole litters" gives each litter to one group (litter confounded with group);
without **blinding** the counter misses ``observer_bias`` of the tumours in every group but the
first (the control); with **attrition** some mice die before harvest. `simulate_counts` runs
the model for thousands of experiments at once (one array row each), which is how
`course_lib.models.power` estimates power.

>>> exp = simulate_experiment({"control": 14.6, "sgp130Fc": 4.4}, 10, rng=1)
>>> exp.analysis[0].n_control
9
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import special

from course_lib.errors import (
    CourseTypeError,
    CourseValueError,
    as_nonnegative,
    require_in_range,
    require_name,
)
from course_lib.models._memo import memo
from course_lib.models.count_tests import mann_whitney, negative_binomial_lrt
from course_lib.models.counts import fit_negative_binomial, negative_binomial, require_k
from course_lib.models.liver import expected_tumours
from course_lib.parameters import Parameter, ParameterSet

__all__ = [
    "ALLOCATIONS",
    "EXPERIMENT",
    "RANDOMISATIONS",
    "SEXES",
    "Comparison",
    "Experiment",
    "design_options",
    "female_to_male_ratio",
    "group_counts",
    "mean_counts",
    "simulate_counts",
    "simulate_experiment",
    "whole_number",
]

#: Allocation schemes, and the sexes a study can use.
RANDOMISATIONS = ("blocked by litter", "simple", "whole litters")
#: What each scheme means for groups that differ by treatment (randomised) and by genotype.
#: A genotype is never randomised: Mendelian inheritance sets it, and a sound study compares
#: littermates of each genotype (ARRIVE item 4 then covers what can be randomised: the order of
#: procedures, cage positions).
ALLOCATIONS = {
    "treatment": {
        "blocked by litter": "randomised within litters",
        "simple": "randomised per mouse",
        "whole litters": "whole litters to one group",
    },
    "genotype": {
        "blocked by litter": "littermates, equal numbers per litter",
        "simple": "littermates as born (Mendelian)",
        "whole litters": "separate litters per genotype",
    },
}
SEXES = ("male", "female", "mixed")

_NAUGLER = "doi:10.1126/science.1140485"
_Z95 = float(special.ndtri(0.975))  # 1.96: the two-sided 95% normal quantile

EXPERIMENT = ParameterSet(
    "DEN tumour-count experiment",
    [
        Parameter("control_mean", 14.6, "count", "mean tumours per liver in DEN-treated males",
                  "PMC3985820 (J Nutr 2014, Table 1: 14.6 +/- 1.9 SEM, high-fat diet)",
                  (1.0, 60.0)),
        Parameter("k", 3.0, "1", "negative binomial size k of tumour counts (smaller = more spread)",
                  "PMC3985820 (estimated: SEM 1.9 with about 24 mice gives an SD of about 9.3, "
                  "and at mean 14.6 k about 3); NB model PMID:7448751", (0.5, 20.0)),
        Parameter("litter_size", 6.0, "count", "pups per litter (half of them male)",
                  "assumed: C57BL/6 litters are usually 6-8 pups; 6 gives 3 of each sex",
                  (2.0, 12.0)),
        Parameter("litter_cv", 0.2, "1", "coefficient of variation of the shared litter effect",
                  "assumed: littermates share mother, cage and injection day; 20% spread "
                  "between litters is a modest guess (no measured value found)", (0.0, 1.0)),
        Parameter("observer_bias", 0.15, "fraction",
                  "fraction of tumours an unblinded counter misses in expected-protected groups",
                  "assumed: small nodules are easy to overlook when one expects few; 15% is "
                  "an illustrative value", (0.0, 0.5)),
        Parameter("attrition", 0.07, "fraction", "probability a mouse dies before harvest",
                  "PMC3985820 (3 of 30 and 1 of 27 DEN mice died: 4-10%)", (0.0, 0.3)),
    ],
)  # fmt: skip


def _option(name: str, value, unit: str) -> float:
    """A design option: the Parameter default when None, else checked against its range."""
    if value is None:
        return EXPERIMENT.value(name)
    return require_in_range(name, value, *EXPERIMENT[name].bounds, unit)


def whole_number(name: str, value, low: int, example: str) -> int:
    """``value`` as an int >= ``low`` (a whole float such as 6.0 counts); else a clear error.

    >>> whole_number("n_per_group", 8.0, 2, "n_per_group=10")
    8
    """
    if isinstance(value, float | np.floating) and value.is_integer():
        value = int(value)  # a float Parameter value such as litter_size 6.0
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise CourseValueError(
            f"{name} must be a whole number >= {low}; got {value!r}. Use e.g. {example}."
        )
    return int(value)


def simulate_counts(
    means,
    n,
    experiments,
    *,
    k,
    sex,
    randomisation,
    blinding,
    observer_bias,
    litter_cv,
    litter_size,
    attrition,
    rng,
) -> dict[str, np.ndarray]:
    """Simulate many experiments of one design at once: one row per experiment.

    ``means`` (shape (groups, 2)) holds the mean tumours per liver of males and females in each
    group; the options come from `design_options`. Returns arrays shaped (experiments, mice):
    ``group`` (index), ``count`` (true tumours), ``observed`` (counted), ``excluded`` (died),
    and per mouse ``female`` and ``litter``.
    """
    groups, males = means.shape[0], litter_size // 2
    usable = {"male": males, "female": litter_size - males, "mixed": litter_size}[sex]
    mice = n * groups
    if randomisation == "whole litters":
        per_group = math.ceil(n / usable)
        j = np.arange(mice) % n
        group = np.broadcast_to(np.arange(mice) // n, (experiments, mice))
        litter = (np.arange(mice) // n) * per_group + j // usable
        place = j % usable
    else:
        litter, place = np.arange(mice) // usable, np.arange(mice) % usable
        if randomisation == "simple":
            group = rng.integers(groups, size=(experiments, mice))
        else:  # consecutive blocks of `groups` mice each get a random permutation of the groups
            group = np.argsort(rng.random((experiments, n, groups)), axis=-1).reshape(-1, mice)
    female = {"male": np.zeros(mice, bool), "female": np.ones(mice, bool), "mixed": place % 2 == 1}[
        sex
    ]
    mean = means[group, female.astype(int)]
    if litter_cv > 0:
        shape, n_litters = 1.0 / litter_cv**2, int(litter.max()) + 1
        mean = mean * rng.gamma(shape, 1.0 / shape, size=(experiments, n_litters))[:, litter]
    observed = count = negative_binomial(mean, k, rng=rng)
    if not blinding and observer_bias > 0:
        observed = np.where(group > 0, rng.binomial(count, 1.0 - observer_bias), count)
    excluded = rng.random((experiments, mice)) < attrition
    return {
        "group": np.asarray(group),
        "female": female,
        "litter": litter,
        "count": count,
        "observed": observed,
        "excluded": excluded,
    }


def group_counts(sim: dict[str, np.ndarray], g: int) -> np.ndarray:
    """Observed counts of group ``g`` in each simulated experiment of `simulate_counts`,
    NaN for the other groups' mice and for mice that died."""
    keep = (sim["group"] == g) & ~sim["excluded"]
    return np.where(keep, sim["observed"], np.nan)


@dataclass(frozen=True)
class Comparison:
    """One treated group against the control: sizes, means, ratio with 95% CI, p-values.

    The ratio is mean(group) / mean(control); its CI is a Wald interval on the log scale with
    the negative binomial variance: SE^2 = (1/m_g + 1/k)/n_g + (1/m_c + 1/k)/n_c, k fitted by
    maximum likelihood to both groups. The CI is NaN when a group mean is 0.
    """

    group: str
    control: str
    n_group: int
    n_control: int
    mean_group: float
    mean_control: float
    ratio: float
    ci_low: float
    ci_high: float
    p_mann_whitney: float
    p_nb_lrt: float


@dataclass(frozen=True)
class Experiment:
    """One simulated experiment: a row per mouse, and the analysis of the observed counts."""

    groups: tuple[str, ...]
    group: np.ndarray  # group name per mouse
    sex: np.ndarray  # "male" or "female"
    litter: np.ndarray  # litter number
    count: np.ndarray  # true tumours per liver
    observed: np.ndarray  # tumours counted (fewer than count if an unblinded counter missed some)
    excluded: np.ndarray  # True: died before harvest, left out of the analysis
    analysis: tuple[Comparison, ...]
    randomisation: str
    blinding: bool

    def summary(self) -> str:
        """Plain text: n analysed and mean ± SD per group, ratio with 95% CI, p-values."""
        lines = [
            f"Simulated experiment: {len(self.groups)} groups, {self.randomisation} "
            f"randomisation, {'blinded' if self.blinding else 'NOT blinded'} counting; "
            f"{int(self.excluded.sum())} of {self.excluded.size} mice died before harvest.",
            f"{'group':<16}{'n':>4}  tumours per liver (mean ± SD)",
        ]
        for name in self.groups:
            x = self.observed[(self.group == name) & ~self.excluded]
            sd = f"{x.std(ddof=1):.1f}" if x.size > 1 else "n/a"
            lines.append(f"{name:<16}{x.size:>4}  {x.mean() if x.size else math.nan:.1f} ± {sd}")
        for c in self.analysis:
            lines.append(
                f"{c.group} vs {c.control}: ratio {c.ratio:.2f} (95% CI {c.ci_low:.2f} "
                f"to {c.ci_high:.2f}); Mann-Whitney p = {c.p_mann_whitney:.3g}; "
                f"negative binomial LRT p = {c.p_nb_lrt:.3g}"
            )
        return "\n".join(lines)


@memo(maxsize=None)
def female_to_male_ratio() -> float:
    """Mean tumours of a female relative to a male, from the virtual liver (simulated).

    Wild-type DEN/TCPOBOP mice at 40 weeks (`course_lib.models.liver.expected_tumours`): about
    0.02, so that with the counts' spread (k = 3) about 10-20% of females carry a tumour, as
    in Naugler et al. 2007 (doi:10.1126/science.1140485), against all males.

    >>> round(female_to_male_ratio(), 3)
    0.017
    """
    return expected_tumours(sex="female") / expected_tumours(sex="male")


def mean_counts(name: str, value) -> np.ndarray:
    """A mean tumour count of males, or a (male, female) pair, as an array (male, female).

    A single number is the males' mean; females then get `female_to_male_ratio` of it.

    >>> mean_counts("control", 14.6).round(2).tolist(), mean_counts("control", (14.6, 2.0)).tolist()
    ([14.6, 0.25], [14.6, 2.0])
    """
    try:
        finite = np.all(np.isfinite(np.asarray(value, dtype=float)))
    except (TypeError, ValueError):
        finite = True  # not a number at all: as_nonnegative says so
    arr = as_nonnegative(name, value, "tumours per liver", what="a mean count") if finite else None
    if arr is None or arr.shape not in ((), (2,)):
        raise CourseValueError(
            f"{name} must be a finite mean tumour count per liver, or a (male, female) pair; "
            f"got {value!r}. Use e.g. 14.6 or (14.6, 2.9)."
        )
    return np.array([arr, arr * female_to_male_ratio()]) if arr.ndim == 0 else arr


def _means(groups) -> tuple[tuple[str, ...], np.ndarray]:
    if not isinstance(groups, Mapping) or len(groups) < 2:
        raise CourseTypeError(
            f"groups must map at least two group names to mean tumour counts; got {groups!r}. "
            "Use e.g. {'control': 14.6, 'sgp130Fc': 4.4}; the first group is the control."
        )
    rows = [mean_counts(f"groups[{name!r}]", value) for name, value in groups.items()]
    return tuple(str(g) for g in groups), np.array(rows)


def simulate_experiment(
    groups: Mapping[str, float | tuple[float, float]],
    n_per_group: int,
    *,
    k: float | None = None,
    sex: str = "male",
    randomisation: str = "blocked by litter",
    blinding: bool = True,
    observer_bias: float | None = None,
    litter_cv: float | None = None,
    litter_size: int | None = None,
    attrition: float | None = None,
    rng=None,
) -> Experiment:
    """Simulate one DEN tumour-count experiment and analyse it.

    Parameters
    ----------
    groups : mapping of str to float or (float, float)
        Mean tumours per liver (count) per group, for both sexes or as (male, female). The
        first group is the control.
    n_per_group : int
        Mice allocated per group (>= 2); "simple" randomisation only keeps the total.
    k, observer_bias, litter_cv, attrition, litter_size : float, optional
        Frailty shape k (unitless), fractions, pups per litter; defaults from `EXPERIMENT`.
    sex : {"male", "female", "mixed"}
    randomisation : {"blocked by litter", "simple", "whole litters"}
    blinding : bool
        False lets the counter miss ``observer_bias`` of the tumours in the treated groups.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    Experiment

    Examples
    --------
    >>> exp = simulate_experiment({"control": 14.6, "sgp130Fc": 4.4}, 10, rng=1)
    >>> c = exp.analysis[0]
    >>> c.group, c.n_control, c.n_group, round(c.ratio, 2), round(c.p_mann_whitney, 3)
    ('sgp130Fc', 9, 9, 0.35, 0.02)
    """
    names, means = _means(groups)
    rng = np.random.default_rng(rng)
    opts = design_options(
        n_per_group, k, sex, randomisation, observer_bias, litter_cv, litter_size, attrition
    )
    sim = simulate_counts(means, experiments=1, blinding=bool(blinding), rng=rng, **opts)
    control = group_counts(sim, 0)
    analysis = []
    for g in range(1, len(names)):
        treated = group_counts(sim, g)
        fit = fit_negative_binomial(treated, control)
        mg, mc, k1 = float(fit["mean_a"][0]), float(fit["mean_b"][0]), float(fit["k1"][0])
        ng, nc = int(fit["n_a"][0]), int(fit["n_b"][0])
        ratio = mg / mc if mc > 0 else math.nan
        low = high = math.nan
        if mg > 0 and mc > 0:
            half = _Z95 * math.sqrt((1 / mg + 1 / k1) / ng + (1 / mc + 1 / k1) / nc)
            low, high = ratio * math.exp(-half), ratio * math.exp(half)
        analysis.append(
            Comparison(
                names[g],
                names[0],
                ng,
                nc,
                mg,
                mc,
                ratio,
                low,
                high,
                float(mann_whitney(treated, control)[0]),
                float(negative_binomial_lrt(treated, control)[0]),
            )
        )
    return Experiment(
        groups=names,
        group=np.array(names)[sim["group"][0]],
        sex=np.where(sim["female"], "female", "male"),
        litter=sim["litter"].copy(),
        count=sim["count"][0],
        observed=sim["observed"][0],
        excluded=sim["excluded"][0],
        analysis=tuple(analysis),
        randomisation=opts["randomisation"],
        blinding=bool(blinding),
    )


def design_options(n, k, sex, randomisation, observer_bias, litter_cv, litter_size, attrition):
    """The options of one design, checked, with `EXPERIMENT` defaults for those left None."""
    size = EXPERIMENT.value("litter_size") if litter_size is None else litter_size
    return {
        "n": whole_number("n_per_group", n, 2, "n_per_group=10 (mice per group)"),
        "k": require_k(EXPERIMENT.value("k") if k is None else k),
        "sex": require_name("sex", sex, SEXES),
        "randomisation": require_name("randomisation", randomisation, RANDOMISATIONS),
        "observer_bias": _option("observer_bias", observer_bias, "(fraction)"),
        "litter_cv": _option("litter_cv", litter_cv, "(coefficient of variation)"),
        "litter_size": whole_number("litter_size", size, 2, "litter_size=6"),
        "attrition": _option("attrition", attrition, "(fraction)"),
    }
