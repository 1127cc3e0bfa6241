"""The IL-6 milieu of blood as differential equations: for integration, and for a dish.

`course_lib.models.milieu.steady_state` solves the balance of production, binding and removal
directly; `rates` and `jacobian` are the same equations as ODEs, so that the milieu can be
followed over time (after a drug is given, say) with any stiff integrator, and so that the
steady state can be checked against integration to long times. ``closed=True`` drops
production and removal: a culture well, whose long-time limit is the closed equilibrium of
`course_lib.models.binding.serum_equilibrium`.

>>> from course_lib.models.milieu import steady_state
>>> m = steady_state(il6=0.002, sil6r=0.3, sgp130=3.0)
>>> bool(abs(rates(m.state(), m.production)).max() < 1e-12)
True
"""

from __future__ import annotations

import numpy as np

from course_lib.models.milieu import (
    CLEARANCE,
    MILIEU_KINETICS,
    PROTEINS,
    SPECIES,
    kinetics_floats,
)
from course_lib.parameters import ParameterSet

__all__ = ["jacobian", "rates"]


def rates(
    state: np.ndarray,
    production: dict[str, float],
    *,
    kinetics: ParameterSet = MILIEU_KINETICS,
    closed: bool = False,
) -> np.ndarray:
    """d(species)/dt, nM/h, for a state vector ordered as `SPECIES` (last axis).

    ``production`` maps each protein of `steady_state`'s inputs to its production rate (nM/h).
    ``closed=True`` drops production and every removal: a culture well, whose long-time limit
    is the closed equilibrium of `course_lib.models.binding.serum_equilibrium`.
    """
    k = kinetics_floats(kinetics)
    y = np.asarray(state, dtype=float)
    il6, r, g, f, a, b, c, cg, cf, la, rb = np.moveaxis(y, -1, 0)
    bind_c = k["kon_il6_sil6r"] * il6 * r - k["koff_il6_sil6r"] * c
    bind_g = k["kon_sgp130"] * c * g - k["koff_sgp130"] * cg
    bind_f = k["kon_sgp130fc"] * c * f - k["koff_sgp130fc"] * cf
    bind_a = k["kon_anti_il6"] * il6 * a - k["koff_anti_il6"] * la
    bind_b = k["kon_anti_il6r"] * r * b - k["koff_anti_il6r"] * rb
    on = 0.0 if closed else 1.0
    made = {name: on * float(production.get(name, 0.0)) for name in PROTEINS}
    clear = {name: on * k[c_] for name, c_ in CLEARANCE.items()}
    out = [
        made["il6"] - clear["il6"] * il6 - bind_c - bind_a,
        made["sil6r"] - clear["sil6r"] * r - bind_c - bind_b,
        made["sgp130"] - clear["sgp130"] * g - bind_g,
        made["sgp130fc"] - clear["sgp130fc"] * f - bind_f,
        made["anti_il6"] - clear["anti_il6"] * a - bind_a,
        made["anti_il6r"] - clear["anti_il6r"] * b - bind_b,
        bind_c - bind_g - bind_f - on * k["clear_il6_sil6r"] * c,
        bind_g - on * k["clear_sgp130_complex"] * cg,
        bind_f - on * k["clear_trapped"] * cf,
        bind_a - on * k["clear_antibody_complex"] * la,
        bind_b - on * k["clear_antibody_complex"] * rb,
    ]
    return np.stack(out, axis=-1)


def jacobian(
    state: np.ndarray, *, kinetics: ParameterSet = MILIEU_KINETICS, closed: bool = False
) -> np.ndarray:
    """d(rates)/d(state) for one state vector (ordered as `SPECIES`), per hour.

    Production does not depend on the state, so it is not needed here. Pass this to a stiff
    integrator with `rates` (e.g. ``scipy.integrate.solve_ivp(..., jac=...)``).
    """
    k = kinetics_floats(kinetics)
    il6, r, g, f, a, b, c, _cg, _cf, _la, _rb = np.asarray(state, dtype=float)
    on = 0.0 if closed else 1.0
    i = {name: n for n, name in enumerate(SPECIES)}
    jac = np.zeros((len(SPECIES), len(SPECIES)))

    def reaction(left: str, right: str, complex_: str, kon: float, koff: float, x, y) -> None:
        """left + right <-> complex: the derivatives of its net rate, added to each row."""
        for species, sign in ((left, -1.0), (right, -1.0), (complex_, 1.0)):
            jac[i[species], i[left]] += sign * kon * y
            jac[i[species], i[right]] += sign * kon * x
            jac[i[species], i[complex_]] -= sign * koff

    reaction("il6", "sil6r", "il6_sil6r", k["kon_il6_sil6r"], k["koff_il6_sil6r"], il6, r)
    reaction("il6_sil6r", "sgp130", "il6_sil6r_sgp130", k["kon_sgp130"], k["koff_sgp130"], c, g)
    reaction(
        "il6_sil6r", "sgp130fc", "il6_sil6r_sgp130fc", k["kon_sgp130fc"], k["koff_sgp130fc"], c, f
    )
    reaction("il6", "anti_il6", "anti_il6_il6", k["kon_anti_il6"], k["koff_anti_il6"], il6, a)
    reaction("sil6r", "anti_il6r", "anti_il6r_sil6r", k["kon_anti_il6r"], k["koff_anti_il6r"], r, b)
    removal = {name: k[c] for name, c in CLEARANCE.items()}
    removal.update(
        il6_sil6r=k["clear_il6_sil6r"],
        il6_sil6r_sgp130=k["clear_sgp130_complex"],
        il6_sil6r_sgp130fc=k["clear_trapped"],
        anti_il6_il6=k["clear_antibody_complex"],
        anti_il6r_sil6r=k["clear_antibody_complex"],
    )
    for name, rate in removal.items():
        jac[i[name], i[name]] -= on * rate
    return jac
