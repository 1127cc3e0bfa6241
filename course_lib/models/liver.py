"""A virtual mouse liver under DEN/TCPOBOP: which initiated cells become countable tumours.

The model follows the two mechanisms of Bergmann et al. (Hepatology 2017;65:89), one step per
event in the life of an initiated hepatocyte:

1. **Initiation.** DEN (at 2 weeks of age) initiates a Poisson number of hepatocytes; each
   liver has its own susceptibility (a gamma factor), so counts are overdispersed.
2. **p53 apoptosis.** Each initiated cell survives with a probability that rises with the
   trans-signal on hepatocytes (mechanism "apoptosis").
3. **Clone growth.** Survivors double at a rate raised by the promoter (TCPOBOP) and by the
   trans-signal (beta-catenin, mechanism "proliferation"), with clone-to-clone spread.
4. **Angiogenic switch.** A clone stops at the avascular size until it switches; the switch
   rate rises with trans-signalling on endothelial cells (mechanism "angiogenesis").
5. **Harvest.** Nodules at least the detection size are counted and measured.

The signals are not free constants: `course_lib.models.mouse.signals` computes them from the
binding model for each genotype, sex and treatment, relative to a wild-type male.
``driver="classic"`` lets classic signalling drive the hepatocyte mechanisms instead: the rival
hypothesis, for asking which experiment tells the two apart. Everything here is simulated; calibrated numbers are
marked as such in `course_lib.models.hepatocarcinogenesis`.

>>> cohort = simulate_cohort(20, genotype="wild type", sex="male", rng=1)
>>> cohort.counts.shape, bool(cohort.incidence > 0.8)
((20,), True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from course_lib.errors import CourseValueError
from course_lib.models._memo import memo
from course_lib.models.counts import negative_binomial
from course_lib.models.hepatocarcinogenesis import CARCINOGENESIS, MOUSE_MILIEU
from course_lib.models.mouse import GENOTYPES, Condition, Signals, condition, signals
from course_lib.parameters import ParameterSet

__all__ = [
    "Cohort",
    "GenotypeComparison",
    "Liver",
    "compare_genotypes",
    "expected_tumours",
    "simulate_cohort",
    "simulate_liver",
]


def _integral(a, b, r1, r2, ts):
    """Doublings between times a <= b when the rate is r1 before ts and r2 after."""
    return r1 * np.clip(np.minimum(b, ts) - a, 0, None) + r2 * np.clip(
        b - np.maximum(a, ts), 0, None
    )


def _reach(a, target, r1, r2, ts):
    """The time after ``a`` at which ``target`` doublings (or hazard) have accumulated."""
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.clip(ts - a, 0, None) * r1
        t1 = a + np.where(r1 > 0, target / r1, np.inf)
        t2 = np.maximum(a, ts) + np.where(r2 > 0, (target - first) / r2, np.inf)
        return np.where(target <= first, np.where(target > 0, t1, a), t2)


def _clone_diameters(z, e, sig: Signals, params: ParameterSet):
    """Diameter (mm) of each surviving clone at harvest, for growth factors z and switch
    draws e. Past the avascular size growth slows smoothly towards the largest diameter."""
    p, cond = params.value, sig.condition
    promoter = 1.0 + p("promoter_gain") * cond.promoter
    r1, r2 = (
        p("doublings_base")
        * promoter
        * (1 + p("proliferation_gain") * x)
        * np.exp(p("growth_spread") * z)
        for x in sig.responses["proliferation"]
    )
    h1, h2 = (p("switch_base") + p("switch_gain") * x for x in sig.responses["angiogenesis"])
    start, ts, end = p("den_age"), cond.treatment_start, cond.harvest_week
    cap = 3.0 * np.log2(p("avascular_diameter") / p("cell_diameter"))
    free = _integral(start, end, r1, r2, ts)
    t_cap = _reach(start, cap, r1, r2, ts)
    t_switch = _reach(t_cap, e, h1, h2, ts)
    after = p("vascular_growth") * _integral(np.minimum(t_switch, end), end, r1, r2, ts)
    switched = np.where(t_switch < end, cap + after, cap)
    d = p("cell_diameter") * np.exp2(np.where(free <= cap, free, switched) / 3.0)
    d_cap, room = p("avascular_diameter"), p("largest_diameter") - p("avascular_diameter")
    extra = np.maximum(d - d_cap, 0.0)
    return np.minimum(d, d_cap) + extra / (1.0 + extra / room)


def _survival(sig: Signals, params: ParameterSet) -> float:
    p = params.value
    x = sig.responses["apoptosis"][0 if sig.condition.treatment_start > p("den_age") else 1]
    return p("survival_unprotected") + (p("survival_protected") - p("survival_unprotected")) * x


_Q = (np.arange(400) + 0.5) / 400  # equal-probability nodes: the integrand is a step
_Z, _E = ndtri(_Q), -np.log1p(-_Q[::4])  # normal growth factors, exponential switch draws


def expected_tumours(
    *, carcinogenesis: ParameterSet = CARCINOGENESIS, milieu: ParameterSet = MOUSE_MILIEU, **kw
) -> float:
    """Mean number of countable tumours per liver in a condition (no sampling).

    Quadrature over the clone growth spread and the switch time; `simulate_cohort`'s mean
    converges to it. Takes the keywords of `condition`.

    >>> round(expected_tumours(genotype="wild type"), 1) > 10 * expected_tumours(sex="female")
    True
    """
    sig = signals(carcinogenesis=carcinogenesis, milieu=milieu, **kw)
    d = _clone_diameters(_Z[:, None], _E[None, :], sig, carcinogenesis)
    detected = np.mean(d >= carcinogenesis.value("detection_diameter"))
    return float(carcinogenesis.value("initiated") * _survival(sig, carcinogenesis) * detected)


@dataclass(frozen=True)
class Liver:
    """One simulated liver at harvest: its countable nodules (largest first)."""

    condition: Condition
    diameters_mm: np.ndarray
    positions: np.ndarray  # (count, 2) in [0, 1): where the view draws each nodule

    @property
    def count(self) -> int:
        return int(self.diameters_mm.size)

    @property
    def burden_mm3(self) -> float:
        """Total tumour volume (spheres), mm^3."""
        return float(np.pi / 6 * np.sum(self.diameters_mm**3))


@dataclass(frozen=True)
class Cohort:
    """Simulated mice of one condition: per-mouse counts and every nodule's size."""

    condition: Condition
    counts: np.ndarray  # (n,) countable tumours per liver
    diameters_mm: np.ndarray  # all nodules, grouped by mouse
    mouse: np.ndarray  # the mouse each nodule belongs to
    positions: np.ndarray

    @property
    def incidence(self) -> float:
        """Fraction of mice with at least one countable tumour."""
        return float(np.mean(self.counts > 0))

    def liver(self, i: int) -> Liver:
        """Mouse ``i`` of the cohort."""
        if not 0 <= i < self.counts.size:
            raise CourseValueError(f"mouse index must be 0..{self.counts.size - 1}; got {i!r}.")
        sel = self.mouse == i
        return Liver(self.condition, self.diameters_mm[sel], self.positions[sel])

    def summary(self) -> str:
        """Counts and sizes in one sentence (simulated data)."""
        c, d = self.counts, self.diameters_mm
        size = (
            f"median diameter {np.median(d):.1f} mm, largest {d.max():.1f} mm"
            if d.size
            else "no nodules"
        )
        return (
            f"Simulated {self.condition.label()}: {c.size} mice, incidence "
            f"{100 * self.incidence:.0f}%, {c.mean():.1f} ± {c.std(ddof=1) if c.size > 1 else 0:.1f} "
            f"tumours per liver (mean ± SD), {size}."
        )


def simulate_cohort(
    n: int = 20,
    *,
    rng=None,
    carcinogenesis: ParameterSet = CARCINOGENESIS,
    milieu: ParameterSet = MOUSE_MILIEU,
    **kw,
) -> Cohort:
    """Simulate ``n`` mice of one condition; every stochastic step draws from ``rng``.

    Parameters
    ----------
    n : int
        Number of mice (1-100000).
    rng : numpy.random.Generator, int or None
        The random source (a seed gives the same cohort every time).
    carcinogenesis, milieu : ParameterSet
        Tumour biology and serum milieu (`course_lib.models.hepatocarcinogenesis`).
    **kw
        The keywords of `condition` (genotype, sex, treatment, treatment_start,
        harvest_week, mechanisms_off, driver, promoter).

    Returns
    -------
    Cohort
        Simulated counts and nodule diameters (mm).
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= 100_000:
        raise CourseValueError(f"n must be a whole number of mice from 1 to 100000; got {n!r}.")
    rng = np.random.default_rng(rng)
    sig = signals(carcinogenesis=carcinogenesis, milieu=milieu, **kw)
    p = carcinogenesis.value
    k = p("mouse_k")
    initiated = negative_binomial(p("initiated"), k, size=n, rng=rng)
    survivors = rng.binomial(initiated, _survival(sig, carcinogenesis))
    mouse = np.repeat(np.arange(n), survivors)
    z, e = rng.standard_normal(mouse.size), rng.exponential(size=mouse.size)
    d = _clone_diameters(z, e, sig, carcinogenesis)
    seen = d >= p("detection_diameter")
    diam = d[seen]
    mouse = mouse[seen]
    order = np.lexsort((-diam, mouse))
    return Cohort(
        sig.condition,
        np.bincount(mouse, minlength=n),
        diam[order],
        mouse[order],
        rng.random((mouse.size, 2)),
    )


def simulate_liver(*, rng=None, **kw) -> Liver:
    """One simulated liver (a cohort of one); takes the keywords of `simulate_cohort`."""
    return simulate_cohort(1, rng=rng, **kw).liver(0)


@dataclass(frozen=True)
class GenotypeComparison:
    """The four genotypes side by side for one setting (lesson 05's mechanism explorer).

    ``expected`` maps each genotype to its expected tumours per liver; ``signals`` to its
    `Signals` (relative to an untreated wild-type male). All simulated.
    """

    condition: Condition
    expected: dict[str, float]
    signals: dict[str, Signals]


@memo(maxsize=256)
def compare_genotypes(
    sex: str = "male",
    harvest_week: float = 40.0,
    driver: str = "trans",
    mechanisms_off: tuple[str, ...] = (),
) -> GenotypeComparison:
    """Expected tumours and signals of every genotype in `GENOTYPES` for one setting.

    >>> c = compare_genotypes()
    >>> c.expected["IL-6 knockout"] < 0.1 * c.expected["wild type"]
    True
    """
    base = condition(
        sex=sex, harvest_week=harvest_week, driver=driver, mechanisms_off=mechanisms_off
    )
    kw = {
        "sex": base.sex,
        "harvest_week": base.harvest_week,
        "driver": base.driver,
        "mechanisms_off": base.mechanisms_off,
    }
    return GenotypeComparison(
        condition=base,
        expected={g: expected_tumours(genotype=g, **kw) for g in GENOTYPES},
        signals={g: signals(genotype=g, **kw) for g in GENOTYPES},
    )
