"""Drugs against IL-6 signalling: what each blocks, at what concentration, and for how long.

`inhibition` asks the binding engine how much classic signalling (a hepatocyte given IL-6)
and trans-signalling (an endothelial cell, which has no IL-6R) remain as a drug is added to
inflamed serum. `pk_profile` gives the plasma concentration of repeated intravenous doses in
a one-compartment model. Everything here is a simulation with cited inputs; half-lives that
our sources do not give are assumptions a student can change.

>>> res = inhibition("sgp130Fc", [0.0, 1e4])
>>> bool(res.trans_remaining[-1] < 0.01)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from course_lib.errors import CourseValueError, as_nonnegative, require_in_range, require_name
from course_lib.models._memo import memo
from course_lib.models.binding import receptor_occupancy, serum_equilibrium
from course_lib.parameters import SERUM_HUMAN, Parameter, ParameterSet
from course_lib.units import dose_to_molar, to_molar

__all__ = [
    "CONCENTRATION_AXIS_NM",
    "DOSING",
    "DRUGS",
    "IL6_RANGE_NG_ML",
    "INFLAMED",
    "Drug",
    "Inhibition",
    "PKProfile",
    "inflamed_serum",
    "inhibition",
    "inhibition_curve",
    "pk_profile",
    "trans_block_level",
]

_DWIVEDI_HALF_LIFE_D = math.log(2) / 0.0018 / 24  # IgG-like elimination 0.0018 /h


@dataclass(frozen=True)
class Drug:
    """One drug: what it binds (its keyword in `serum_equilibrium`) and its dosing data."""

    name: str
    target: str
    blocks: str
    total: str  # keyword of serum_equilibrium that receives its concentration
    molecule: str  # for unit conversion (course_lib.units.MOLECULES)
    parameters: ParameterSet
    species_note: str


def _drug_parameters(
    name,
    half_life,
    hl_source,
    hl_bounds,
    dose,
    dose_unit,
    dose_source,
    dose_bounds,
    interval,
    interval_source,
):
    return ParameterSet(
        f"{name} dosing",
        [
            Parameter(
                "half_life", half_life, "d", f"plasma half-life of {name}", hl_source, hl_bounds
            ),
            Parameter(
                "dose", dose, dose_unit, f"clinical dose of {name}", dose_source, dose_bounds
            ),
            Parameter(
                "interval",
                interval,
                "d",
                f"dosing interval of {name}",
                interval_source,
                (1.0, 56.0),
            ),
        ],
    )


DRUGS: dict[str, Drug] = {
    "sgp130Fc": Drug(
        "sgp130Fc",
        "the IL-6·sIL-6R complex",
        "trans-signalling (inside a concentration window)",
        "sgp130fc",
        "olamkicept",
        _drug_parameters(
            "olamkicept",
            round(_DWIVEDI_HALF_LIFE_D, 1),
            "assumed: IgG-like elimination (0.0018 /h, t1/2 about 16 d) as in the Dwivedi model "
            "BIOMD0000000536; olamkicept's own half-life was not found",
            (1.0, 30.0),
            600.0,
            "mg",
            "doi:10.1053/j.gastro.2021.02.062 (600 mg IV every 2 weeks)",
            (300.0, 600.0),
            14.0,
            "doi:10.1053/j.gastro.2021.02.062",
        ),
        "works in mice: the transgenic mice of Rabe et al. (Blood 2008;111:1021) make it "
        "themselves and block trans-signalling with it",
    ),
    "anti-IL-6R": Drug(
        "anti-IL-6R",
        "IL-6R, membrane and soluble (tocilizumab-like)",
        "classic and trans",
        "anti_il6r",
        "tocilizumab",
        _drug_parameters(
            "tocilizumab",
            6.3,
            "assumed: 6.3 d after a single dose, rising to 13 d at steady state, as quoted "
            "from the label in drug references (no identifier at hand)",
            (6.3, 13.0),
            8.0,
            "mg/kg",
            "assumed: 8 mg/kg IV every 4 weeks, the RA label dose "
            "quoted in drug tables (no identifier at hand)",
            (4.0, 12.0),
            28.0,
            "assumed: every 4 weeks in rheumatoid arthritis (label)",
        ),
        "tocilizumab does not block IL-6 signalling in mouse cells "
        "(doi:10.1371/journal.pone.0232612): mouse studies need an anti-mouse IL-6R antibody "
        "or sgp130Fc",
    ),
    "anti-IL-6": Drug(
        "anti-IL-6",
        "IL-6 itself (siltuximab-like)",
        "classic and trans",
        "anti_il6",
        "siltuximab",
        _drug_parameters(
            "siltuximab",
            20.0,
            "assumed: about 20 d as quoted for the label (not retrieved); IgG range",
            (10.0, 30.0),
            11.0,
            "mg/kg",
            "assumed: 11 mg/kg IV every 3 weeks, as in a Cleve Clin J Med drug "
            "table (no identifier at hand)",
            (5.0, 15.0),
            21.0,
            "assumed: every 3 weeks for multicentric Castleman disease (label)",
        ),
        "siltuximab binds human IL-6; in mice an anti-mouse IL-6 antibody is needed",
    ),
}

#: The dosing parameters of every drug, by drug name (so `all_parameters()` finds them).
DOSING: dict[str, ParameterSet] = {name: drug.parameters for name, drug in DRUGS.items()}

#: Inflamed serum, the default background for `inhibition` (nM): IL-6 10 ng/mL (the ng/mL
#: range of inflammation, doi:10.1038/s41598-020-77884-4), sIL-6R and sgp130 at serum levels.
INFLAMED = {
    "il6": to_molar(10.0, "ng/mL", "IL-6"),
    "sil6r": to_molar(SERUM_HUMAN.value("sil6r"), "ng/mL", "sIL-6R"),
    "sgp130": to_molar(SERUM_HUMAN.value("sgp130"), "ng/mL", "sgp130"),
}


@dataclass(frozen=True)
class Inhibition:
    """Classic (hepatocyte) and trans (endothelial cell) signalling left at each drug level."""

    drug: str
    concentration_nM: np.ndarray
    classic_remaining: np.ndarray  # fraction of the drug-free classic occupancy
    trans_remaining: np.ndarray  # fraction of the drug-free trans occupancy

    def ic50(self, pathway: str) -> float:
        """Drug concentration (nM) that halves the pathway; inf if never reached here."""
        return self.concentration_at(pathway, 0.5)

    def concentration_at(self, pathway: str, remaining: float) -> float:
        """The lowest drug concentration (nM) that leaves only ``remaining`` (a fraction) of
        the pathway, interpolated on a log axis; inf if no concentration here gets so low."""
        name = require_name("pathway", pathway, ("classic", "trans"))
        return _crossing(self.concentration_nM, getattr(self, f"{name}_remaining"), remaining)

    def window(self, trans_below: float = 0.1, classic_above: float = 0.9) -> tuple[float, float]:
        """Concentrations (nM) where trans is below ``trans_below`` and classic still above
        ``classic_above`` of its drug-free level; (nan, nan) when there is no such window."""
        inside = (self.trans_remaining <= trans_below) & (self.classic_remaining >= classic_above)
        if not inside.any():
            return (math.nan, math.nan)
        c = self.concentration_nM[inside]
        return (float(c.min()), float(c.max()))


def _crossing(x: np.ndarray, y: np.ndarray, level: float) -> float:
    below = np.flatnonzero(y <= level)
    if below.size == 0:
        return math.inf
    i = below[0]
    if i == 0:
        return float(x[0])
    lx0, lx1 = math.log(max(x[i - 1], 1e-300)), math.log(x[i])
    t = (y[i - 1] - level) / (y[i - 1] - y[i])
    return float(math.exp(lx0 + t * (lx1 - lx0)))


def inhibition(
    drug: str, concentrations_nM, *, background: dict | None = None, affinities: str = "textbook"
) -> Inhibition:
    """Classic and trans signalling left as a drug's concentration rises.

    Parameters
    ----------
    drug : {"sgp130Fc", "anti-IL-6R", "anti-IL-6"}
    concentrations_nM : array_like
        Drug concentrations, nM, >= 0 (increasing for `Inhibition.ic50`).
    background : dict, optional
        Serum totals in nM (keywords of `serum_equilibrium`); `INFLAMED` by default.
    affinities : str or ParameterSet
        Passed to `serum_equilibrium`.
    """
    d = DRUGS[require_name("drug", drug, DRUGS)]
    conc = np.atleast_1d(as_nonnegative("concentrations_nM", concentrations_nM, "nM"))
    if conc.ndim != 1:
        raise CourseValueError(
            f"concentrations_nM must be a 1-D list of concentrations; got shape {conc.shape}. "
            "Pass e.g. numpy.logspace(-3, 4, 50)."
        )
    totals = dict(INFLAMED if background is None else background)
    with_drug = serum_equilibrium(**{**totals, d.total: conc}, affinities=affinities)
    without = serum_equilibrium(**{**totals, d.total: 0.0}, affinities=affinities)
    classic = receptor_occupancy("hepatocyte", with_drug).classic
    classic0 = receptor_occupancy("hepatocyte", without).classic
    trans = receptor_occupancy("endothelial cell", with_drug).trans
    trans0 = receptor_occupancy("endothelial cell", without).trans
    return Inhibition(
        drug=d.name,
        concentration_nM=conc,
        classic_remaining=np.atleast_1d(classic / classic0 if classic0 > 0 else np.ones_like(conc)),
        trans_remaining=np.atleast_1d(trans / trans0 if trans0 > 0 else np.ones_like(conc)),
    )


#: The drug axis of lesson 04, nM: well below every IC50 to far above a clinical peak (~2 uM).
CONCENTRATION_AXIS_NM: tuple[float, float] = (1e-3, 1e4)
#: Serum IL-6 that lesson 04 offers, ng/mL: about 10 pg/mL to the top of the sepsis range.
IL6_RANGE_NG_ML: tuple[float, float] = (0.01, 1000.0)


def inflamed_serum(il6_ng_ml: float = 10.0) -> dict[str, float]:
    """`INFLAMED` serum (sIL-6R and sgp130 at adult levels) with ``il6_ng_ml`` of IL-6, nM."""
    return {**INFLAMED, "il6": float(to_molar(il6_ng_ml, "ng/mL", "IL-6"))}


@memo(maxsize=256)
def inhibition_curve(
    drug: str, affinities: str = "textbook", il6_ng_ml: float = 10.0, points: int = 400
) -> Inhibition:
    """`inhibition` at ``points`` concentrations over `CONCENTRATION_AXIS_NM` in inflamed serum
    with ``il6_ng_ml`` of IL-6, remembered by setting (lesson 04's curves)."""
    axis = np.logspace(*np.log10(CONCENTRATION_AXIS_NM), int(points))
    return inhibition(drug, axis, background=inflamed_serum(il6_ng_ml), affinities=affinities)


def trans_block_level(
    drug: str = "sgp130Fc",
    *,
    affinity_set: str = "textbook",
    il6_ng_ml: float = 10.0,
    blocked: float = 0.9,
) -> float:
    """The concentration (nM) that blocks ``blocked`` of trans-signalling in inflamed serum.

    >>> round(trans_block_level("sgp130Fc"), 1)
    29.1
    """
    curve = inhibition_curve(drug, affinity_set, il6_ng_ml)
    return curve.concentration_at("trans", 1.0 - blocked)


@dataclass(frozen=True)
class PKProfile:
    """Plasma concentration over time for repeated IV bolus doses (one compartment)."""

    drug: str
    t_days: np.ndarray
    concentration_nM: np.ndarray
    half_life_days: float

    def trough(self) -> float:
        """Lowest concentration after the first dose (nM), just before a later dose."""
        after = self.t_days > self.t_days[0]
        return float(self.concentration_nM[after].min())

    def time_above(self, level_nM: float) -> float:
        """Fraction of the time span spent at or above ``level_nM``."""
        return float(np.mean(self.concentration_nM >= level_nM))


def pk_profile(
    drug: str,
    *,
    dose: float | None = None,
    unit: str | None = None,
    interval_days: float | None = None,
    n_doses: int = 6,
    half_life_days: float | None = None,
    body_mass_kg: float = 70.0,
    volume_l: float = 2.88,
    points: int = 600,
) -> PKProfile:
    """Plasma concentration (nM) of repeated IV doses, by superposing exponential decays.

    Defaults come from the drug's cited dosing parameters; ``half_life_days`` is an explicit
    assumption for olamkicept (see `DRUGS`). The volume is the 2.88 L serum compartment of the
    Dwivedi model (BIOMD0000000534); a bolus spreads through it at once.

    Examples
    --------
    >>> p = pk_profile("sgp130Fc", n_doses=1, half_life_days=10.0, points=3)
    >>> round(float(p.concentration_nM[0]), 1)  # 600 mg of 220 kDa in 2.88 L
    947.0
    """
    d = DRUGS[require_name("drug", drug, DRUGS)]
    pars = d.parameters
    dose = pars.value("dose") if dose is None else dose
    unit = pars["dose"].unit if unit is None else unit
    tau = require_in_range(
        "interval_days",
        pars.value("interval") if interval_days is None else interval_days,
        1.0,
        56.0,
        "days",
    )
    hl = require_in_range(
        "half_life_days",
        pars.value("half_life") if half_life_days is None else half_life_days,
        0.1,
        60.0,
        "days",
    )
    n = int(require_in_range("n_doses", n_doses, 1, 52, "doses"))
    if n != n_doses:
        raise CourseValueError(f"n_doses must be a whole number; got {n_doses!r}. Use e.g. 6.")
    points = int(require_in_range("points", points, 2, 100_000, "time points"))
    c0 = float(
        dose_to_molar(
            dose,
            unit,
            d.molecule,
            volume_l=volume_l,
            body_mass_kg=body_mass_kg if unit == "mg/kg" else None,
        )
    )
    t = np.linspace(0.0, n * tau, points)
    k = math.log(2) / hl
    starts = np.arange(n) * tau
    since = t[:, None] - starts[None, :]
    conc = np.where(since >= 0, c0 * np.exp(-k * np.clip(since, 0, None)), 0.0).sum(axis=1)
    return PKProfile(drug=d.name, t_days=t, concentration_nM=conc, half_life_days=hl)
