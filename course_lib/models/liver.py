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

The signals are not free constants: `signals` asks `course_lib.models.binding` and
`course_lib.models.receptors` how many gp130 a hepatocyte and an endothelial cell have in trans and
classic complexes in the serum of that mouse (IL-6 by sex, sIL-6R, sgp130, sgp130Fc from the
transgene or the injected protein), relative to a wild-type male. ``driver="classic"`` lets
classic signalling drive the hepatocyte mechanisms instead: the rival hypothesis, for asking
which experiment tells the two apart. Everything here is simulated; calibrated numbers are
marked as such in `course_lib.models.hepatocarcinogenesis`.

>>> cohort = simulate_cohort(20, genotype="wild type", sex="male", rng=1)
>>> cohort.counts.shape, bool(cohort.incidence > 0.8)
((20,), True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy.special import ndtri

from course_lib.errors import CourseValueError, require_in_range, require_name
from course_lib.models.binding import receptor_occupancy, serum_equilibrium
from course_lib.models.counts import negative_binomial
from course_lib.models.hepatocarcinogenesis import CARCINOGENESIS, MECHANISMS, MOUSE_MILIEU
from course_lib.parameters import ParameterSet
from course_lib.units import to_molar

__all__ = [
    "DRIVERS", "GENOTYPES", "HARVEST_WEEKS", "MECHANISMS", "SEXES", "TREATMENTS", "Cohort",
    "Condition", "Liver",
    "Signals", "condition", "expected_tumours", "signals", "simulate_cohort", "simulate_liver",
]  # fmt: skip

#: Mouse lines: (IL-6 made?, hepatocyte IL-6R?, sgp130Fc transgene?) and what they test.
GENOTYPES = {
    "wild type": ((True, True, False), "the reference: both pathways intact"),
    "sgp130Fc transgenic": ((True, True, True), "trans-signalling blocked, classic kept"),
    "IL-6 knockout": ((False, True, False), "no IL-6: both pathways lost"),
    "hepatocyte IL-6R knockout": (
        (True, False, False), "classic signalling lost in hepatocytes; trans kept"),
}  # fmt: skip
#: "control Fc" is the control protein for the sgp130Fc arm: same injections, no effect.
TREATMENTS = ("none", "control Fc", "sgp130Fc")
SEXES = ("male", "female")
#: Which hepatocyte signal drives the apoptosis and proliferation mechanisms.
DRIVERS = ("trans", "classic")
HARVEST_WEEKS = (12.0, 60.0)


@dataclass(frozen=True)
class Condition:
    """One group of mice: genotype, sex, treatment (from a week of age), harvest, switches."""

    genotype: str = "wild type"
    sex: str = "male"
    treatment: str = "none"
    treatment_start: float = 2.0  # weeks of age
    harvest_week: float = 40.0  # weeks of age
    mechanisms_off: tuple[str, ...] = ()
    driver: str = "trans"
    promoter: bool = True

    def label(self) -> str:
        """A short description for figure titles and tables."""
        parts = [self.genotype, self.sex]
        if self.treatment != "none":
            parts.append(f"{self.treatment} from week {self.treatment_start:g}")
        parts += [f"harvest week {self.harvest_week:g}"]
        parts += [f"no {m} effect" for m in self.mechanisms_off]
        if self.driver != "trans":
            parts.append(f"{self.driver} signalling drives hepatocytes")
        if not self.promoter:
            parts.append("no TCPOBOP")
        return ", ".join(parts)


def condition(*, genotype: str = "wild type", sex: str = "male", treatment: str = "none",
              treatment_start: float | None = None, harvest_week: float = 40.0,
              mechanisms_off=(), driver: str = "trans", promoter: bool = True) -> Condition:  # fmt: skip
    """Check and build a `Condition`; every simulator takes these keywords.

    ``treatment_start`` (weeks of age) defaults to the DEN injection; the treatment lasts to
    harvest. A start before the injection acts from the injection on (the model begins there). ``mechanisms_off`` names mechanisms of `MECHANISMS` that no longer respond to
    IL-6 (as if that one effect were blocked).

    >>> condition(genotype="il-6 knockout").genotype
    'IL-6 knockout'
    >>> condition(harvest_week=5)
    Traceback (most recent call last):
    ...
    course_lib.errors.CourseValueError: harvest_week must lie within [12, 60] weeks; got 5.0. Choose a value inside that range.
    """
    harvest = require_in_range("harvest_week", harvest_week, *HARVEST_WEEKS, "weeks")
    den = CARCINOGENESIS.value("den_age")
    start = den if treatment_start is None else treatment_start
    start = require_in_range("treatment_start", start, 0.0, HARVEST_WEEKS[1], "weeks")
    if isinstance(mechanisms_off, str):
        mechanisms_off = (mechanisms_off,)
    off = tuple(sorted({require_name("mechanism", m, MECHANISMS) for m in mechanisms_off}))
    if not isinstance(promoter, bool | np.bool_):
        raise CourseValueError(f"promoter must be True or False; got {promoter!r}.")
    return Condition(
        genotype=require_name("genotype", genotype, GENOTYPES),
        sex=require_name("sex", sex, SEXES),
        treatment=require_name("treatment", treatment, TREATMENTS),
        treatment_start=max(start, den), harvest_week=harvest, mechanisms_off=off,
        driver=require_name("driver", driver, DRIVERS), promoter=bool(promoter),
    )  # fmt: skip


@lru_cache(maxsize=256)
def _occupancy(il6_pg: float, sgp130fc_ug: float, hep_il6r: bool, milieu: tuple) -> tuple:
    """(trans, classic) gp130 on a hepatocyte and trans gp130 on an endothelial cell."""
    m = dict(milieu)
    serum = serum_equilibrium(
        il6=to_molar(il6_pg, "pg/mL", "IL-6"), sil6r=to_molar(m["sil6r"], "ng/mL", "sIL-6R"),
        sgp130=to_molar(m["sgp130"], "ng/mL", "sgp130"),
        sgp130fc=to_molar(sgp130fc_ug, "ug/mL", "sgp130Fc"),
    )  # fmt: skip
    hep = receptor_occupancy("hepatocyte", serum, il6r=None if hep_il6r else 0.0)
    endo = receptor_occupancy("endothelial cell", serum)
    return float(hep.trans), float(hep.classic), float(endo.trans)


@dataclass(frozen=True)
class Signals:
    """gp130 signals relative to a wild-type male (1 = his level), before and after treatment.

    ``hepatocyte_trans``, ``hepatocyte_classic`` and ``endothelial_trans`` are pairs
    (before, from the treatment start). ``responses`` maps each mechanism to its pair of
    responses (0 = no effect, 1 = maximal), after ``mechanisms_off`` and ``driver``.
    """

    condition: Condition
    hepatocyte_trans: tuple[float, float]
    hepatocyte_classic: tuple[float, float]
    endothelial_trans: tuple[float, float]
    responses: dict[str, tuple[float, float]] = field(repr=False)


def _response(x: float, params: ParameterSet) -> float:
    h, k = params.value("hill"), params.value("half_effect")
    return float(x**h / (x**h + k**h))


def signals(*, carcinogenesis: ParameterSet = CARCINOGENESIS,
            milieu: ParameterSet = MOUSE_MILIEU, **kw) -> Signals:  # fmt: skip
    """The trans and classic signals a mouse's liver cells receive, from the binding model.

    Takes the keywords of `condition`.

    >>> round(signals(genotype="sgp130Fc transgenic").endothelial_trans[0], 2)
    0.07
    >>> signals(genotype="hepatocyte IL-6R knockout").hepatocyte_classic
    (0.0, 0.0)
    """
    cond = condition(**kw)
    mil = tuple(milieu.as_floats().items())
    m = dict(mil)
    (makes_il6, hep_il6r, transgene) = GENOTYPES[cond.genotype][0]
    il6 = (m["il6_male"] if cond.sex == "male" else m["il6_female"]) if makes_il6 else 0.0
    base_fc = m["sgp130fc_transgenic"] if transgene else 0.0
    treated_fc = base_fc + (m["sgp130fc_protein"] if cond.treatment == "sgp130Fc" else 0.0)
    ref = _occupancy(m["il6_male"], 0.0, True, mil)
    phases = [_occupancy(il6, fc, hep_il6r, mil) for fc in (base_fc, treated_fc)]
    rel = [tuple(v / r if r > 0 else 0.0 for v, r in zip(p, ref, strict=True)) for p in phases]
    hep_trans, hep_classic, endo = (tuple(r[i] for r in rel) for i in range(3))
    driver = hep_trans if cond.driver == "trans" else hep_classic
    inputs = {"apoptosis": driver, "proliferation": driver, "angiogenesis": endo}
    responses = {
        name: (0.0, 0.0) if name in cond.mechanisms_off
        else tuple(_response(x, carcinogenesis) for x in inputs[name])
        for name in MECHANISMS
    }  # fmt: skip
    return Signals(cond, hep_trans, hep_classic, endo, responses)


def _integral(a, b, r1, r2, ts):
    """Doublings between times a <= b when the rate is r1 before ts and r2 after."""
    return r1 * np.clip(np.minimum(b, ts) - a, 0, None) + r2 * np.clip(b - np.maximum(a, ts), 0, None)  # fmt: skip


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
    r1, r2 = (p("doublings_base") * promoter * (1 + p("proliferation_gain") * x)
              * np.exp(p("growth_spread") * z) for x in sig.responses["proliferation"])  # fmt: skip
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


def expected_tumours(*, carcinogenesis: ParameterSet = CARCINOGENESIS,
                     milieu: ParameterSet = MOUSE_MILIEU, **kw) -> float:  # fmt: skip
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
        return (f"Simulated {self.condition.label()}: {c.size} mice, incidence "
                f"{100 * self.incidence:.0f}%, {c.mean():.1f} ± {c.std(ddof=1) if c.size > 1 else 0:.1f} "
                f"tumours per liver (mean ± SD), {size}.")  # fmt: skip


def simulate_cohort(n: int = 20, *, rng=None, carcinogenesis: ParameterSet = CARCINOGENESIS,
                    milieu: ParameterSet = MOUSE_MILIEU, **kw) -> Cohort:  # fmt: skip
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
    return Cohort(sig.condition, np.bincount(mouse, minlength=n), diam[order], mouse[order],
                  rng.random((mouse.size, 2)))  # fmt: skip


def simulate_liver(*, rng=None, **kw) -> Liver:
    """One simulated liver (a cohort of one); takes the keywords of `simulate_cohort`."""
    return simulate_cohort(1, rng=rng, **kw).liver(0)
