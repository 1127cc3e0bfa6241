"""The open IL-6 milieu of blood (course_lib.models.milieu): exact steady state, cross-checks.

- the steady state is a zero of the same ODEs that `rates` integrates (scipy, long times,
  200 random cases with every species and drug);
- mass balance in flux form: what is made of each protein is removed, free or in complexes;
- a closed system (no production, no removal) relaxes to `serum_equilibrium` with the same
  constants;
- the behaviours the course teaches: the trap spares free IL-6 and removes IL-6·sIL-6R only
  when the captured complex is removed faster than it falls apart.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from course_lib.errors import CourseLibError, CourseTypeError, ShapeError
from course_lib.models._roots import solve_decreasing
from course_lib.models.affinities import AFFINITIES
from course_lib.models.binding import serum_equilibrium
from course_lib.models.milieu import MILIEU_KINETICS, SPECIES, Milieu, _Balance, steady_state
from course_lib.models.milieu_odes import jacobian, rates

LEVELS = ("il6", "sil6r", "sgp130", "sgp130fc", "anti_il6", "anti_il6r")
MOUSE = {"il6": 0.0019, "sil6r": 0.3, "sgp130": 3.0}  # 40 pg/mL, 15 ng/mL, 300 ng/mL


def _random_levels(rng) -> dict[str, float]:
    present = rng.random(len(LEVELS)) < [1.0, 1.0, 0.8, 0.5, 0.3, 0.3]
    span = {"il6": (-5, 1.5), "sil6r": (-2, 1), "sgp130": (-1, 1.3)}
    return {
        name: float(10 ** rng.uniform(*span.get(name, (-1, 3)))) if on else 0.0
        for name, on in zip(LEVELS, present, strict=True)
    }


def test_the_guessed_start_gives_the_steady_state_of_the_full_bracket():
    # the complex is solved from a first guess (a bracket of a factor 100 around it); over a
    # grid of sera, drug and antibody levels and the assumed rates, to their extremes, it must
    # be the root of the 30-decade bracket the solver falls back to
    drug = np.append(0.0, np.geomspace(1e-6, 1e4, 25))
    bounds = [MILIEU_KINETICS[name].bounds for name in ("clear_trapped", "koff_sgp130fc")]
    for il6, sil6r, sgp130, antibody, (clear, koff) in itertools.product(
        (1e-9, 0.002, 100.0),
        (1e-6, 0.3, 1e3),
        (0.0, 3.0, 1e3),
        (0.0, 1.0),
        itertools.product(*bounds),
    ):
        k = MILIEU_KINETICS.with_values(clear_trapped=clear, koff_sgp130fc=koff)
        levels = {"il6": il6, "sil6r": sil6r, "sgp130": sgp130, "sgp130fc": drug}
        m = steady_state(**levels, anti_il6=antibody, anti_il6r=antibody, kinetics=k)
        v = k.as_floats()
        made = {n: np.ravel(np.broadcast_to(m.production[n], drug.shape)) for n in m.production}
        balance = _Balance(v, made)
        upper = v["kon_il6_sil6r"] * made["il6"] / v["clear_il6"] * made["sil6r"]
        upper = upper / v["clear_sil6r"] / v["koff_il6_sil6r"]
        full = solve_decreasing(balance.residual, upper * 1e-30, upper)
        np.testing.assert_allclose(m.il6_sil6r, full, rtol=1e-12, atol=0)


@pytest.mark.slow
def test_steady_state_is_where_the_odes_come_to_rest():
    rng = np.random.default_rng(2017)
    worst = 0.0
    for _ in range(200):
        levels = _random_levels(rng)
        m = steady_state(**levels)
        sol = solve_ivp(
            lambda t, y, p=m.production: rates(y, p),
            (0.0, 3e5),
            np.zeros(len(SPECIES)),
            method="LSODA",
            jac=lambda t, y: jacobian(y),
            rtol=1e-8,
            atol=1e-16,
        )
        assert sol.success, sol.message
        end, exact = sol.y[:, -1], m.state()
        scale = np.maximum(np.abs(exact), 1e-9 * max(levels.values()))
        worst = max(worst, float(np.max(np.abs(end - exact) / scale)))
    assert worst < 1e-6, f"steady state and long-time integration differ by {worst:.2e}"


@given(
    st.fixed_dictionaries(
        {
            "il6": st.floats(1e-6, 50.0),
            "sil6r": st.floats(1e-3, 20.0),
            "sgp130": st.floats(0.0, 20.0),
            "sgp130fc": st.floats(0.0, 500.0),
            "anti_il6": st.floats(0.0, 500.0),
            "anti_il6r": st.floats(0.0, 500.0),
        }
    ),
    st.floats(0.0018, 2.0),
    st.floats(0.01, 1.026),
)
@settings(deadline=None)  # examples: the profile in tests/conftest.py
def test_mass_balance_in_flux_form(levels, clear_trapped, koff):
    k = MILIEU_KINETICS.with_values(clear_trapped=clear_trapped, koff_sgp130fc=koff)
    m = steady_state(**levels, kinetics=k)
    v = k.as_floats()
    made = m.production
    removed = {
        "il6": v["clear_il6"] * m.il6
        + v["clear_il6_sil6r"] * m.il6_sil6r
        + v["clear_sgp130_complex"] * m.il6_sil6r_sgp130
        + v["clear_trapped"] * m.il6_sil6r_sgp130fc
        + v["clear_antibody_complex"] * m.anti_il6_il6,
        "sil6r": v["clear_sil6r"] * m.sil6r
        + v["clear_il6_sil6r"] * m.il6_sil6r
        + v["clear_sgp130_complex"] * m.il6_sil6r_sgp130
        + v["clear_trapped"] * m.il6_sil6r_sgp130fc
        + v["clear_antibody_complex"] * m.anti_il6r_sil6r,
        "sgp130": v["clear_sgp130"] * m.sgp130 + v["clear_sgp130_complex"] * m.il6_sil6r_sgp130,
        "sgp130fc": v["clear_fc"] * m.sgp130fc + v["clear_trapped"] * m.il6_sil6r_sgp130fc,
        "anti_il6": v["clear_fc"] * m.anti_il6 + v["clear_antibody_complex"] * m.anti_il6_il6,
        "anti_il6r": v["clear_fc"] * m.anti_il6r + v["clear_antibody_complex"] * m.anti_il6r_sil6r,
    }
    for name in LEVELS:
        assert removed[name] == pytest.approx(made[name], rel=1e-9, abs=1e-15), name
    assert all(float(x) >= 0 for x in m.species().values())
    assert np.max(np.abs(rates(m.state(), made, kinetics=k))) <= 1e-9 * max(made.values())


@pytest.mark.slow
def test_a_closed_system_relaxes_to_the_closed_equilibrium():
    rng = np.random.default_rng(5)
    k = MILIEU_KINETICS.as_floats()
    same = AFFINITIES.with_values(
        kd_il6_il6r=k["koff_il6_sil6r"] / k["kon_il6_sil6r"],
        kd_complex_sgp130=k["koff_sgp130"] / k["kon_sgp130"],
        kd_complex_sgp130fc=k["koff_sgp130fc"] / k["kon_sgp130fc"],
        kd_anti_il6=k["koff_anti_il6"] / k["kon_anti_il6"],
        kd_anti_il6r=k["koff_anti_il6r"] / k["kon_anti_il6r"],
    )
    for _ in range(20):
        totals = {name: float(10 ** rng.uniform(-2, 1)) for name in LEVELS}
        start = np.array([totals.get(s, 0.0) for s in SPECIES])
        sol = solve_ivp(
            lambda t, y: rates(y, {}, closed=True),
            (0.0, 1e5),
            start,
            method="LSODA",
            jac=lambda t, y: jacobian(y, closed=True),
            rtol=1e-11,
            atol=1e-18,
        )
        end = dict(zip(SPECIES, sol.y[:, -1], strict=True))
        eq = serum_equilibrium(affinities=same, **totals).species()
        for name in SPECIES:
            assert end[name] == pytest.approx(eq[name], rel=1e-6, abs=1e-12), name


def test_the_trap_spares_free_il6_and_takes_the_trans_complex():
    wt = steady_state(**MOUSE)
    tg = steady_state(**MOUSE, sgp130fc=45.0)  # 10 ug/mL
    assert tg.il6 == pytest.approx(wt.il6, rel=1e-3)  # the classic ligand is untouched
    assert tg.il6_sil6r / wt.il6_sil6r < 0.3
    assert tg.total_il6 > wt.total_il6  # IL-6 held by the trap is still IL-6 in blood


def test_a_trap_that_keeps_its_catch_only_buffers_it():
    recycled = MILIEU_KINETICS.with_values(clear_trapped=0.0018)  # removed like an IgG
    wt = steady_state(**MOUSE)
    tg = steady_state(**MOUSE, sgp130fc=45.0, kinetics=recycled)
    assert tg.il6_sil6r / wt.il6_sil6r > 0.9
    assert tg.total_il6 / wt.total_il6 > 3  # the captured complex piles up in blood
    # holding on longer (avidity) restores the blockade even then
    held = recycled.with_values(koff_sgp130fc=0.01)
    assert steady_state(**MOUSE, sgp130fc=45.0, kinetics=held).il6_sil6r / wt.il6_sil6r < 0.3


def test_faster_removal_of_the_captured_complex_never_weakens_the_blockade():
    removal = np.geomspace(0.0018, 2.0, 25)
    left = [
        steady_state(
            **MOUSE, sgp130fc=45.0, kinetics=MILIEU_KINETICS.with_values(clear_trapped=r)
        ).il6_sil6r
        for r in removal
    ]
    assert np.all(np.diff(left) < 0)


def test_without_il6_or_sil6r_there_is_no_complex_and_shapes_broadcast():
    m = steady_state(il6=[0.0, 0.01, 0.01], sil6r=[0.5, 0.0, 0.5])
    assert m.il6_sil6r.tolist()[:2] == [0.0, 0.0] and m.il6_sil6r[2] > 0
    assert m.il6[1] == pytest.approx(0.01) and m.il6.shape == (3,)
    assert isinstance(steady_state(il6=0.01, sil6r=0.5).il6, float)


def test_bad_input_gets_a_clear_error():
    with pytest.raises(CourseLibError, match="il6 must be a concentration >= 0 nM; got -1.0"):
        steady_state(il6=-1.0)
    with pytest.raises(ShapeError, match="the levels must broadcast against each other"):
        steady_state(il6=[1.0, 2.0], sil6r=[1.0, 2.0, 3.0])
    with pytest.raises(CourseTypeError, match="kinetics must be a ParameterSet"):
        steady_state(il6=1.0, kinetics={"clear_il6": 1.0})


def test_milieu_fields_follow_the_species_order():
    names = [f for f in Milieu.__dataclass_fields__][: len(SPECIES)]
    assert tuple(names) == SPECIES


def test_the_jacobian_matches_finite_differences():
    rng = np.random.default_rng(3)
    for closed in (False, True):
        y = 10 ** rng.uniform(-3, 1, len(SPECIES))
        exact = jacobian(y, closed=closed)
        for j in range(len(SPECIES)):
            h = 1e-6 * y[j]
            up, down = y.copy(), y.copy()
            up[j] += h
            down[j] -= h
            numeric = (rates(up, {}, closed=closed) - rates(down, {}, closed=closed)) / (2 * h)
            np.testing.assert_allclose(exact[:, j], numeric, rtol=1e-5, atol=1e-9)
