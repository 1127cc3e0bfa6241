"""A DEN/TCPOBOP mouse: its genotype, sex and treatment, and the IL-6 signals its liver gets.

A `Condition` is one group of mice (genotype, sex, treatment from a week of age, harvest week,
mechanism switches, and which hepatocyte signal drives the tumour mechanisms). `signals` asks
`course_lib.models.binding` and `course_lib.models.receptors` how many gp130 a hepatocyte and an
endothelial cell have in trans and classic complexes in the serum of such a mouse (IL-6 by sex,
sIL-6R, sgp130, sgp130Fc from the transgene or the injected protein), relative to a wild-type
male, and how strongly each tumour mechanism responds. `course_lib.models.liver` turns the
signals into tumours. Everything here is simulated; the mouse serum levels are assumptions
listed in `course_lib.models.hepatocarcinogenesis.MOUSE_MILIEU`.

>>> signals(genotype="IL-6 knockout").hepatocyte_trans
(0.0, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from course_lib.errors import CourseTypeError, CourseValueError, require_in_range, require_name
from course_lib.models._memo import memo
from course_lib.models.binding import receptor_occupancy, serum_equilibrium
from course_lib.models.hepatocarcinogenesis import CARCINOGENESIS, MECHANISMS, MOUSE_MILIEU
from course_lib.models.milieu import MILIEU_KINETICS, steady_state
from course_lib.parameters import ParameterSet
from course_lib.units import to_molar

__all__ = [
    "DRIVERS",
    "GENOTYPES",
    "HARVEST_WEEKS",
    "MECHANISMS",
    "SEXES",
    "SYSTEMS",
    "TREATMENTS",
    "Condition",
    "Signals",
    "blood",
    "condition",
    "signals",
]

#: Mouse lines: (IL-6 made?, hepatocyte IL-6R?, sgp130Fc transgene?) and what they test.
#: What the model does with each line: whether IL-6 is made, whether hepatocytes carry
#: IL-6R, whether the liver makes sgp130Fc; then the line's signals in the model (open blood).
GENOTYPES = {
    "wild type": (
        (True, True, False),
        "the reference: IL-6 made, hepatocyte IL-6R present; both pathways intact",
    ),
    "sgp130Fc transgenic": (
        (True, True, True),
        "the liver makes sgp130Fc (10 ug/mL in serum, assumed): IL-6·sIL-6R is trapped, so "
        "trans-signalling falls; free IL-6 and classic signalling are kept (Rabe 2008)",
    ),
    "IL-6 knockout": (
        (False, True, False),
        "no IL-6 is made: both pathways are lost",
    ),
    "hepatocyte IL-6R knockout": (
        (True, False, False),
        "hepatocytes have no IL-6R: no classic signalling in them; trans-signalling kept (in "
        "the model serum sIL-6R is unchanged; that hepatocytes shed part of it is unverified)",
    ),
}
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


def condition(
    *,
    genotype: str = "wild type",
    sex: str = "male",
    treatment: str = "none",
    treatment_start: float | None = None,
    harvest_week: float = 40.0,
    mechanisms_off=(),
    driver: str = "trans",
    promoter: bool = True,
) -> Condition:
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
        treatment_start=max(start, den),
        harvest_week=harvest,
        mechanisms_off=off,
        driver=require_name("driver", driver, DRIVERS),
        promoter=bool(promoter),
    )


#: How blood is modelled: "open" (production, binding, removal: `course_lib.models.milieu`, the
#: default) or "closed" (a sample at equilibrium: `course_lib.models.binding`), for contrast.
SYSTEMS = ("open", "closed")


def _levels(il6_pg: float, sgp130fc_ug: float, m: dict[str, float]) -> dict[str, float]:
    return {
        "il6": float(to_molar(il6_pg, "pg/mL", "IL-6")),
        "sil6r": float(to_molar(m["sil6r"], "ng/mL", "sIL-6R")),
        "sgp130": float(to_molar(m["sgp130"], "ng/mL", "sgp130")),
        "sgp130fc": float(to_molar(sgp130fc_ug, "ug/mL", "sgp130Fc")),
    }


@memo(maxsize=512)
def _blood(il6_pg: float, sgp130fc_ug: float, milieu: ParameterSet, system: str, kinetics):
    levels = _levels(il6_pg, sgp130fc_ug, milieu.as_floats())
    if system == "closed":
        return serum_equilibrium(**levels)
    return steady_state(**levels, kinetics=kinetics)


@memo(maxsize=512)
def _occupancy(
    il6_pg: float,
    sgp130fc_ug: float,
    hep_il6r: bool,
    milieu: ParameterSet,
    system: str,
    kinetics,
    cis_binding: bool = False,
) -> tuple:
    """(trans, classic) gp130 on a hepatocyte and trans gp130 on an endothelial cell."""
    serum = _blood(il6_pg, sgp130fc_ug, milieu, system, kinetics)
    hep = receptor_occupancy(
        "hepatocyte", serum, il6r=None if hep_il6r else 0.0, cis_binding=cis_binding
    )
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


def _inputs(cond: Condition, m: dict[str, float]) -> tuple[float, float, float, bool]:
    """IL-6 made (pg/mL), sgp130Fc before and during treatment (ug/mL), hepatocyte IL-6R."""
    (makes_il6, hep_il6r, transgene) = GENOTYPES[cond.genotype][0]
    il6 = (m["il6_male"] if cond.sex == "male" else m["il6_female"]) if makes_il6 else 0.0
    base_fc = m["sgp130fc_transgenic"] if transgene else 0.0
    treated_fc = base_fc + (m["sgp130fc_protein"] if cond.treatment == "sgp130Fc" else 0.0)
    return il6, base_fc, treated_fc, hep_il6r


def signals(
    *,
    carcinogenesis: ParameterSet = CARCINOGENESIS,
    milieu: ParameterSet = MOUSE_MILIEU,
    system: str = "open",
    kinetics: ParameterSet = MILIEU_KINETICS,
    cis_binding: bool = False,
    **kw,
) -> Signals:
    """The trans and classic signals a mouse's liver cells receive, relative to a wild-type male.

    Takes the keywords of `condition`. Blood is an open system by default (IL-6, sIL-6R,
    sgp130 and sgp130Fc made and removed: `course_lib.models.milieu` with ``kinetics``);
    ``system="closed"`` treats it as a sample at equilibrium instead (the contrast of lesson
    04). A hepatocyte reads free IL-6 (classic) and IL-6·sIL-6R (trans); an endothelial cell,
    which has no IL-6R, only IL-6·sIL-6R. ``cis_binding=True`` takes the disputed view that
    sgp130Fc also caps IL-6 on membrane IL-6R (`course_lib.models.receptors.receptor_occupancy`).

    >>> tg = signals(genotype="sgp130Fc transgenic")
    >>> round(tg.hepatocyte_classic[0], 2), round(tg.endothelial_trans[0], 2)
    (1.0, 0.13)
    >>> closed = signals(genotype="sgp130Fc transgenic", system="closed")
    >>> round(closed.hepatocyte_classic[0], 2), round(closed.endothelial_trans[0], 2)
    (0.07, 0.07)
    >>> signals(genotype="hepatocyte IL-6R knockout").hepatocyte_classic
    (0.0, 0.0)
    """
    cond = condition(**kw)
    system = require_name("system", system, SYSTEMS)
    if not isinstance(kinetics, ParameterSet) or not isinstance(milieu, ParameterSet):
        raise CourseTypeError(
            "milieu and kinetics must be ParameterSets (MOUSE_MILIEU, MILIEU_KINETICS or "
            f"copies made with .with_values); got {type(milieu).__name__} and "
            f"{type(kinetics).__name__}."
        )
    m = milieu.as_floats()
    il6, base_fc, treated_fc, hep_il6r = _inputs(cond, m)
    ref = _occupancy(m["il6_male"], 0.0, True, milieu, system, kinetics, bool(cis_binding))
    phases = [
        _occupancy(il6, fc, hep_il6r, milieu, system, kinetics, bool(cis_binding))
        for fc in (base_fc, treated_fc)
    ]
    rel = [tuple(v / r if r > 0 else 0.0 for v, r in zip(p, ref, strict=True)) for p in phases]
    hep_trans, hep_classic, endo = (tuple(r[i] for r in rel) for i in range(3))
    driver = hep_trans if cond.driver == "trans" else hep_classic
    inputs = {"apoptosis": driver, "proliferation": driver, "angiogenesis": endo}
    responses = {
        name: (0.0, 0.0)
        if name in cond.mechanisms_off
        else tuple(_response(x, carcinogenesis) for x in inputs[name])
        for name in MECHANISMS
    }
    return Signals(cond, hep_trans, hep_classic, endo, responses)


def blood(
    *,
    treated: bool = False,
    milieu: ParameterSet = MOUSE_MILIEU,
    system: str = "open",
    kinetics: ParameterSet = MILIEU_KINETICS,
    **kw,
):
    """The blood of a mouse (species in nM): before treatment, or during it if ``treated``.

    Takes the keywords of `condition`. Returns a `course_lib.models.milieu.Milieu` (open
    system) or a `course_lib.models.binding.SerumEquilibrium` (``system="closed"``). Use it to
    read what a serum assay would measure, e.g. total IL-6.

    >>> wt, tg = blood(), blood(genotype="sgp130Fc transgenic")
    >>> round(float(tg.total_il6 / wt.total_il6), 2)
    1.21
    """
    cond = condition(**kw)
    system = require_name("system", system, SYSTEMS)
    il6, base_fc, treated_fc, _ = _inputs(cond, milieu.as_floats())
    return _blood(il6, treated_fc if treated else base_fc, milieu, system, kinetics)
