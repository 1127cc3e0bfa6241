"""Is sgp130Fc selective? A dish against a living animal, and the assumptions that decide.

The same serum (IL-6, sIL-6R, sgp130) and the same drug give two different answers:

- **in a dish** (a closed sample at equilibrium, `course_lib.models.binding`), sIL-6R in molar
  excess has already taken up much of the IL-6, so a trap for IL-6·sIL-6R pulls free IL-6 down
  too and blocks classic signalling with trans (Garbers et al. 2011);
- **in blood** (an open system, `course_lib.models.milieu`), IL-6 is made and removed within
  minutes, long before it meets sIL-6R, so free IL-6 stays where production and clearance put
  it; trans-signalling falls only if enough of what the trap catches is removed from blood
  rather than let go again (two unmeasured rates, both explicit assumptions).

A third assumption is the disputed one: if sgp130Fc also capped IL-6 on membrane IL-6R
(Widjaja & Cook 2024), it would block classic signalling in both settings. `compare_settings`
computes classic and trans signalling left (hepatocyte, endothelial cell) over a range of drug
levels in both settings; `time_scales` gives the rates that decide. Everything is simulated.

>>> c = compare_settings("mouse (DEN/TCPOBOP)")
>>> c.at_level()["blood"]["classic"] > 0.95 > 0.5 > c.at_level()["dish"]["classic"]
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_lib.errors import require_in_range, require_name
from course_lib.models._memo import memo
from course_lib.models.affinities import AFFINITIES
from course_lib.models.binding import serum_equilibrium
from course_lib.models.hepatocarcinogenesis import MOUSE_MILIEU
from course_lib.models.milieu import MILIEU_KINETICS, steady_state
from course_lib.models.receptors import receptor_occupancy
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import to_molar

__all__ = [
    "DRUG_AXIS_UG_ML",
    "SERA",
    "SettingsComparison",
    "compare_settings",
    "time_scales",
]

#: sgp130Fc levels on the curves, ug/mL: far below any effect to above a clinical peak.
DRUG_AXIS_UG_ML: tuple[float, float] = (0.001, 300.0)
_POINTS = 41
#: Sera to compare in (ng/mL), each from cited parameters or labelled assumptions.
SERA: dict[str, dict[str, float]] = {
    "mouse (DEN/TCPOBOP)": {
        "il6_ng_ml": MOUSE_MILIEU.value("il6_male") / 1000.0,
        "sil6r_ng_ml": MOUSE_MILIEU.value("sil6r"),
        "sgp130_ng_ml": MOUSE_MILIEU.value("sgp130"),
    },
    "human, high IL-6": {
        "il6_ng_ml": 10.0,
        "sil6r_ng_ml": SERUM_HUMAN.value("sil6r"),
        "sgp130_ng_ml": SERUM_HUMAN.value("sgp130"),
    },
}
_SETTINGS = ("dish", "blood")


@dataclass(frozen=True)
class SettingsComparison:
    """Signalling left (fraction of the drug-free level) in a dish and in blood, per drug level.

    ``remaining[setting][pathway]`` is an array over ``levels_ug_ml``; pathways are
    ``"classic"`` (hepatocyte) and ``"trans"`` (endothelial cell). ``free_il6`` holds free
    IL-6 in each setting relative to no drug. ``level_ug_ml`` is the chosen drug level.
    """

    serum: str
    levels_ug_ml: np.ndarray
    level_ug_ml: float
    clear_trapped: float
    koff_sgp130fc: float
    cis_binding: bool
    remaining: dict[str, dict[str, np.ndarray]]
    free_il6: dict[str, np.ndarray]

    def at_level(self) -> dict[str, dict[str, float]]:
        """Classic and trans left, and free IL-6, at the chosen drug level, in both settings."""
        i = int(np.argmin(np.abs(np.log(self.levels_ug_ml / self.level_ug_ml))))
        return {
            s: {
                "classic": float(self.remaining[s]["classic"][i]),
                "trans": float(self.remaining[s]["trans"][i]),
                "free_il6": float(self.free_il6[s][i]),
            }
            for s in _SETTINGS
        }

    def window_ug_ml(self, setting: str, trans_below: float = 0.1, classic_above: float = 0.9):
        """(low, high) drug levels, ug/mL, where trans is at most ``trans_below`` and classic at
        least ``classic_above`` of its drug-free level; (nan, nan) when there is none."""
        r = self.remaining[require_name("setting", setting, _SETTINGS)]
        inside = (r["trans"] <= trans_below) & (r["classic"] >= classic_above)
        if not inside.any():
            return (float("nan"), float("nan"))
        return (float(self.levels_ug_ml[inside].min()), float(self.levels_ug_ml[inside].max()))


def _signals(serum, cis: bool) -> dict[str, np.ndarray]:
    hep = receptor_occupancy("hepatocyte", serum, cis_binding=cis)
    endo = receptor_occupancy("endothelial cell", serum)
    return {"classic": np.asarray(hep.classic), "trans": np.asarray(endo.trans)}


def compare_settings(
    serum: str = "mouse (DEN/TCPOBOP)",
    level_ug_ml: float = 10.0,
    clear_trapped: float = MILIEU_KINETICS.value("clear_trapped"),
    koff_sgp130fc: float = MILIEU_KINETICS.value("koff_sgp130fc"),
    cis_binding: bool = False,
) -> SettingsComparison:
    """Classic and trans signalling left against sgp130Fc, in a dish and in blood.

    Parameters
    ----------
    serum : str
        A name from `SERA`.
    level_ug_ml : float
        The chosen sgp130Fc level, ug/mL, within `DRUG_AXIS_UG_ML`.
    clear_trapped : float
        Removal of the captured IL-6·sIL-6R·sgp130Fc from blood, per hour (assumed; see
        `course_lib.models.milieu.MILIEU_KINETICS`).
    koff_sgp130fc : float
        How fast the trap lets its catch go, per hour (assumed).
    cis_binding : bool
        The disputed view that sgp130Fc also caps IL-6 on membrane IL-6R.
    """
    name = require_name("serum", serum, SERA)
    low, high = DRUG_AXIS_UG_ML
    level = float(require_in_range("level_ug_ml", level_ug_ml, low, high, "ug/mL"))
    kinetics = MILIEU_KINETICS.with_values(
        clear_trapped=_in_bounds("clear_trapped", clear_trapped),
        koff_sgp130fc=_in_bounds("koff_sgp130fc", koff_sgp130fc),
    )
    return _compare(name, level, kinetics, bool(cis_binding))


def _in_bounds(name: str, value) -> float:
    """A rate of `MILIEU_KINETICS` checked against its plausible range; a value a hair outside
    (a log slider's end, rounded by the browser) is taken as the end."""
    low, high = MILIEU_KINETICS[name].bounds
    x = float(require_in_range(name, value, low * (1 - 1e-9), high * (1 + 1e-9), "per hour"))
    return min(max(x, low), high)


@memo(maxsize=256)
def _compare(serum: str, level: float, kinetics, cis: bool) -> SettingsComparison:
    levels, dish, blood = _settings(serum, level, kinetics)
    remaining, free = {}, {}
    for setting, result in (("dish", dish), ("blood", blood)):
        sig = _signals(result, cis)
        remaining[setting] = {p: v[1:] / v[0] if v[0] > 0 else v[1:] * 0 for p, v in sig.items()}
        il6 = np.asarray(result.il6)
        free[setting] = il6[1:] / il6[0]
    k = kinetics.as_floats()
    return SettingsComparison(
        serum=serum,
        levels_ug_ml=levels,
        level_ug_ml=level,
        clear_trapped=k["clear_trapped"],
        koff_sgp130fc=k["koff_sgp130fc"],
        cis_binding=cis,
        remaining=remaining,
        free_il6=free,
    )


@memo(maxsize=64)
def _settings(serum: str, level: float, kinetics) -> tuple:
    """The drug levels, the dish's equilibrium and blood's steady state at each: what does not
    depend on the cis-binding view (toggling it recomputes only the signals)."""
    s = SERA[serum]
    levels = np.geomspace(*DRUG_AXIS_UG_ML, _POINTS)
    levels = np.sort(np.append(levels, level))
    drug = np.append(0.0, to_molar(levels, "ug/mL", "sgp130Fc"))  # first: no drug
    given = {
        "il6": float(to_molar(s["il6_ng_ml"], "ng/mL", "IL-6")),
        "sil6r": float(to_molar(s["sil6r_ng_ml"], "ng/mL", "sIL-6R")),
        "sgp130": float(to_molar(s["sgp130_ng_ml"], "ng/mL", "sgp130")),
    }
    k = kinetics.as_floats()
    same = AFFINITIES.with_values(  # the dish binds with the same rate constants as blood
        kd_il6_il6r=k["koff_il6_sil6r"] / k["kon_il6_sil6r"],
        kd_complex_sgp130=k["koff_sgp130"] / k["kon_sgp130"],
        kd_complex_sgp130fc=k["koff_sgp130fc"] / k["kon_sgp130fc"],
    )
    dish = serum_equilibrium(**given, sgp130fc=drug, affinities=same)
    blood = steady_state(**given, sgp130fc=drug, kinetics=kinetics)
    return levels, dish, blood


def time_scales(
    serum: str = "mouse (DEN/TCPOBOP)",
    level_ug_ml: float = 10.0,
    clear_trapped: float = MILIEU_KINETICS.value("clear_trapped"),
    koff_sgp130fc: float = MILIEU_KINETICS.value("koff_sgp130fc"),
) -> dict[str, float]:
    """The rates (per hour) that decide selectivity in blood, largest first.

    ``IL-6 removed``: clearance of free IL-6; ``IL-6 meets sIL-6R``: association rate times
    free sIL-6R; ``complex meets the trap``: association times the drug level;
    ``trap lets go``: the trap's off-rate; ``captured complex removed``: its removal.

    >>> rates = time_scales()
    >>> rates["IL-6 removed"] > 100 * rates["IL-6 meets sIL-6R"]
    True
    """
    s = SERA[require_name("serum", serum, SERA)]
    k = MILIEU_KINETICS.as_floats()
    sil6r = float(to_molar(s["sil6r_ng_ml"], "ng/mL", "sIL-6R"))
    drug = float(to_molar(level_ug_ml, "ug/mL", "sgp130Fc"))
    scales = {
        "IL-6 removed": k["clear_il6"],
        "IL-6 meets sIL-6R": k["kon_il6_sil6r"] * sil6r,
        "complex meets the trap": k["kon_sgp130fc"] * drug,
        "trap lets go": float(koff_sgp130fc),
        "captured complex removed": float(clear_trapped),
    }
    return dict(sorted(scales.items(), key=lambda kv: -kv[1]))
