"""serum_equilibrium: an independent scipy solution, invariants, FACTS.md 3.3, bad input.

The model (nM, one site per molecule): L + R <-> LR; LR + G <-> LRG and H + G <-> HG; LR + F
<-> LRF and H + F <-> HF; A + R <-> AR; B + L <-> BL. The scipy check solves the seven mass
balances in the logs of the free components, knowing nothing of the course solver's method.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from course_lib.errors import CourseTypeError, CourseValueError, ShapeError, UnknownNameError
from course_lib.models.affinities import AFFINITIES, AFFINITY_SETS
from course_lib.models.binding import SerumEquilibrium, serum_equilibrium
from course_lib.parameters import ParameterSet
from course_lib.units import to_molar

TOTALS = ("il6", "sil6r", "sgp130", "sgp130fc", "anti_il6r", "anti_il6", "hyper_il6")
L, R, G, F, A, B, H = range(7)  # components, in the order of TOTALS
K1, KG, KF = "kd_il6_il6r", "kd_complex_sgp130", "kd_complex_sgp130fc"
KA, KB = "kd_anti_il6r", "kd_anti_il6"
# species -> (the components it is made of, the Kds whose product divides their product)
SPECIES = {name: ((i,), ()) for i, name in enumerate(TOTALS)} | {
    "il6_sil6r": ((L, R), (K1,)),
    "il6_sil6r_sgp130": ((L, R, G), (K1, KG)),
    "il6_sil6r_sgp130fc": ((L, R, F), (K1, KF)),
    "hyper_il6_sgp130": ((H, G), (KG,)),
    "hyper_il6_sgp130fc": ((H, F), (KF,)),
    "anti_il6r_sil6r": ((A, R), (KA,)),
    "anti_il6_il6": ((B, L), (KB,)),
}
NAMES = list(SPECIES)
STOICH = np.array([[i in SPECIES[n][0] for i in range(7)] for n in NAMES], dtype=float)
# One equilibrium relation per complex: complex * Kd == product of its two partners.
RELATIONS = [
    ("il6_sil6r", ("il6", "sil6r"), K1),
    ("il6_sil6r_sgp130", ("il6_sil6r", "sgp130"), KG),
    ("il6_sil6r_sgp130fc", ("il6_sil6r", "sgp130fc"), KF),
    ("hyper_il6_sgp130", ("hyper_il6", "sgp130"), KG),
    ("hyper_il6_sgp130fc", ("hyper_il6", "sgp130fc"), KF),
    ("anti_il6r_sil6r", ("anti_il6r", "sil6r"), KA),
    ("anti_il6_il6", ("anti_il6", "il6"), KB),
]
IL6_SPECIES = ["il6", "il6_sil6r", "il6_sil6r_sgp130", "il6_sil6r_sgp130fc", "anti_il6_il6"]
AFF_NAMES = ["textbook", "effective"]


def random_totals(rng, n, p_zero=0.25):
    """(n, 7) totals, log-uniform over 1e-6..1e6 nM, each zero with probability p_zero."""
    tot = 10.0 ** rng.uniform(-6.0, 6.0, (n, 7))
    tot[rng.random((n, 7)) < p_zero] = 0.0
    return tot


def as_matrix(eq: SerumEquilibrium) -> np.ndarray:
    return np.stack([np.asarray(getattr(eq, n), dtype=float) for n in NAMES], axis=-1)


def involved_total(tot: np.ndarray) -> np.ndarray:
    """For each species, the largest total among the mass balances it appears in: (..., 14)."""
    return np.stack([tot[..., list(SPECIES[n][0])].max(axis=-1) for n in NAMES], axis=-1)


def scipy_equilibrium(tot, aff: ParameterSet, start):
    """Solve ln(total computed / total given) = 0 for the logs of the free components.

    Components with a zero total are fixed at 0 and dropped with every species holding them.
    Returns (converged, all 14 species).
    """
    log_kd = np.array([sum(np.log(aff.value(k)) for k in SPECIES[n][1]) for n in NAMES])
    on = tot > 0
    keep = ~STOICH[:, ~on].any(axis=1)
    n_, lk, target = STOICH[keep][:, on], log_kd[keep], np.log(tot[on])

    def residual(x):
        c = np.exp(n_ @ x - lk)
        made = n_.T @ c
        return np.log(made) - target, (n_.T * c) @ n_ / made[:, None]

    out = np.zeros(len(NAMES))
    if not on.any():
        return True, out
    with np.errstate(over="ignore", invalid="ignore"):
        sol = optimize.root(residual, np.log(start[on]), jac=True, method="lm")
    out[keep] = np.exp(n_ @ sol.x - lk)
    return bool(sol.success and np.all(np.abs(sol.fun) < 1e-10)), out


# ---------------------------------------------------------------------------------------------
# 1. Independent cross-check


@pytest.mark.parametrize("aff_name", AFF_NAMES)
def test_matches_an_independent_scipy_solution(aff_name):
    rng = np.random.default_rng(20260 + AFF_NAMES.index(aff_name))
    n = 2000  # about 1 s of scipy solves per affinity set
    tot = random_totals(rng, n)
    course = as_matrix(serum_equilibrium(*tot.T, affinities=aff_name))
    scale = involved_total(tot)
    failed, wrong = [], []
    for i in range(n):
        start = course[i, :7] * rng.uniform(0.5, 2.0, 7)  # perturbed course solution
        start = np.where(start > 0, start, tot[i])
        ok, ref = scipy_equilibrium(tot[i], AFFINITY_SETS[aff_name], start)
        if not ok:
            failed.append(i)
            continue
        bad = np.abs(course[i] - ref) > 1e-6 * scale[i] + 1e-6 * np.abs(ref)
        wrong += [(tot[i].tolist(), NAMES[k], course[i, k], ref[k]) for k in np.flatnonzero(bad)]
    assert len(failed) < 0.01 * n, f"scipy failed on {len(failed)} of {n}: {tot[failed[:3]]}"
    assert not wrong, f"{len(wrong)} species differ from scipy; first: {wrong[:3]}"


# ---------------------------------------------------------------------------------------------
# 2, 3. Mass balance, signs, exact zeros and equilibrium relations on 20,000 random cases


@pytest.fixture(scope="module", params=AFF_NAMES)
def random_solution(request):
    tot = random_totals(np.random.default_rng(7 + AFF_NAMES.index(request.param)), 20_000)
    return tot, serum_equilibrium(*tot.T, affinities=request.param)


def test_mass_balance_signs_and_exact_zeros(random_solution):
    tot, eq = random_solution
    species = as_matrix(eq)
    assert species.shape == (20_000, 14)
    assert not np.isnan(species).any() and (species >= 0).all()
    for i, name in enumerate(TOTALS):
        got = eq.totals()[name]
        off = np.abs(got - tot[:, i]) > 1e-9 * tot[:, i]
        assert not off.any(), f"{name}: {tot[off][0].tolist()} gives {got[off][0]!r}"
        zero = tot[:, i] == 0
        holders = [n for n in NAMES if i in SPECIES[n][0]]
        assert all((species[zero][:, NAMES.index(n)] == 0.0).all() for n in holders), name


def test_equilibrium_relations(random_solution):
    tot, eq = random_solution
    s, aff = eq.species(), eq.affinities
    for complex_, (x, y), kd in RELATIONS:
        have, want = s[complex_], s[x] * s[y] / aff.value(kd)
        scale = tot[:, list(SPECIES[complex_][0])].max(axis=1)
        close = np.abs(have - want) <= 1e-6 * np.maximum(have, want)
        tiny = np.maximum(have, want) <= 1e-12 * scale
        bad = ~(close | tiny)
        assert not bad.any(), (
            f"{complex_} != {x}*{y}/{kd} at {tot[bad][0].tolist()}: {have[bad][0]!r} vs "
            f"{want[bad][0]!r} ({bad.sum()} cases)"
        )


# ---------------------------------------------------------------------------------------------
# 4. Broadcasting and shapes


def test_scalars_give_floats():
    eq = serum_equilibrium(il6=0.01, sil6r=0.8, sgp130=3.5, sgp130fc=1.0, hyper_il6=0.1)
    assert all(type(v) is float for v in eq.species().values())
    assert all(type(v) is float for v in eq.totals().values())
    assert all(type(v) is float for v in eq.il6_fractions().values())
    assert type(eq.trans_complex) is float


def test_broadcast_shapes_and_elementwise_agreement():
    il6 = np.array([[1e-4], [0.01], [5.0]])
    fc = np.array([0.0, 0.1, 10.0, 1e3])
    eq = serum_equilibrium(il6=il6, sil6r=0.8, sgp130=3.5, sgp130fc=fc, hyper_il6=0.05)
    for name, value in eq.species().items():
        assert np.shape(value) == (3, 4), name
    assert eq.trans_complex.shape == eq.il6_fractions()["free"].shape == (3, 4)
    for i in range(3):
        for j in range(4):
            one = serum_equilibrium(il6[i, 0], 0.8, 3.5, fc[j], hyper_il6=0.05).species()
            for name, value in eq.species().items():
                assert value[i, j] == pytest.approx(one[name], rel=1e-12, abs=1e-300), name


def test_a_200_by_200_grid():
    il6 = np.geomspace(1e-6, 1e3, 200)[:, None]
    sil6r = np.geomspace(1e-3, 1e3, 200)
    eq = serum_equilibrium(il6=il6, sil6r=sil6r, sgp130=3.5, sgp130fc=0.5, anti_il6=0.1)
    assert eq.il6_sil6r.shape == (200, 200)
    np.testing.assert_allclose(eq.totals()["il6"], np.broadcast_to(il6, (200, 200)), rtol=1e-9)
    np.testing.assert_allclose(eq.totals()["sil6r"], np.broadcast_to(sil6r, (200, 200)), rtol=1e-9)


# ---------------------------------------------------------------------------------------------
# 5. FACTS.md 3.3 worked table: sIL-6R 0.8 nM, sgp130 0 or 3.5 nM, IL-6 small

# (Kd IL-6:sIL-6R, Kd complex:sgp130, sgp130) -> (% free, % IL-6·sIL-6R, % ternary) as allowed
# ranges: "56" is 55.5..56.5, "~1.4" is 1.35..1.45, "8–16" is 7.5..16.5.
FACTS_ROWS = {
    (1.0, 0.05, 0.0): ((55.5, 56.5), (43.5, 44.5), (0.0, 0.5)),
    (1.0, 0.05, 3.5): ((1.5, 2.5), (1.35, 1.45), (96.5, 97.5)),
    (5.0, 0.05, 0.0): ((85.5, 86.5), (13.5, 14.5), (0.0, 0.5)),
    (5.0, 0.05, 3.5): ((7.5, 16.5), (1.25, 1.35), (81.5, 91.5)),
    (20.0, 1.0, 3.5): ((84.5, 85.5), (3.35, 3.45), (10.5, 12.5)),
}


def facts_row_misses(il6_pg_ml):
    """Rows of the FACTS table the course engine misses at this IL-6 (pg/mL), as text."""
    misses = []
    for (kd1, kd2, sgp130), ranges in FACTS_ROWS.items():
        aff = AFFINITIES.with_values(kd_il6_il6r=kd1, kd_complex_sgp130=kd2)
        il6 = to_molar(il6_pg_ml, "pg/mL", "IL-6")
        frac = serum_equilibrium(il6=il6, sil6r=0.8, sgp130=sgp130, affinities=aff)
        frac = frac.il6_fractions()
        got = [100 * frac[k] for k in ("free", "IL-6·sIL-6R", "IL-6·sIL-6R·sgp130")]
        if not all(lo <= g <= hi for g, (lo, hi) in zip(got, ranges, strict=True)):
            misses.append(f"Kd {kd1}/{kd2} nM, sgp130 {sgp130}: {[round(g, 2) for g in got]}")
    return misses


def test_facts_table_at_5_pg_per_ml():
    assert to_molar(5.0, "pg/mL", "IL-6") == pytest.approx(0.000238, rel=1e-3)
    misses = facts_row_misses(5.0)
    assert not misses, "\n".join(misses)


@pytest.mark.parametrize("il6_pg_ml", [10.0, 100.0, 1000.0])
def test_facts_table_hardly_changes_with_il6(il6_pg_ml):
    # FACTS 3.3: results "hardly change with IL-6 over 5-10,000 pg/mL". They hold to the
    # table's rounding up to 1,000 pg/mL (row 4 gives its spread as ranges).
    misses = facts_row_misses(il6_pg_ml)
    assert not misses, f"at {il6_pg_ml} pg/mL:\n" + "\n".join(misses)


def test_facts_table_drifts_at_10000_pg_per_ml():
    # At 10,000 pg/mL (0.48 nM) IL-6 is no longer small against 0.8 nM sIL-6R: sIL-6R is
    # partly used up and more IL-6 stays free (56% -> 62% with Kd 1 nM and no sgp130). The
    # FACTS.md sentence overstates the range; the lessons say "up to about 1,000 pg/mL".
    low = serum_equilibrium(il6=to_molar(5.0, "pg/mL", "IL-6"), sil6r=0.8)
    high = serum_equilibrium(il6=to_molar(10_000.0, "pg/mL", "IL-6"), sil6r=0.8)
    assert high.il6_fractions()["free"] > low.il6_fractions()["free"] + 0.05


# ---------------------------------------------------------------------------------------------
# 6. Behaviours

HEALTHY = {
    "il6": to_molar(5.19, "pg/mL", "IL-6"),
    "sil6r": to_molar(40.0, "ng/mL", "sIL-6R"),
    "sgp130": to_molar(300.0, "ng/mL", "sgp130"),
}


def test_textbook_buffers_il6_but_effective_leaves_it_free():
    assert HEALTHY["sil6r"] == pytest.approx(0.8) and HEALTHY["sgp130"] == pytest.approx(3.0)
    textbook = serum_equilibrium(**HEALTHY, affinities="textbook").il6_fractions()
    effective = serum_equilibrium(**HEALTHY, affinities="effective").il6_fractions()
    assert textbook["IL-6·sIL-6R·sgp130"] > 0.5
    assert effective["free"] > 0.5  # Baran 2018 (PMC5936821)


@pytest.mark.parametrize("aff_name", AFF_NAMES)
def test_hyper_il6_free_alone_and_caught_by_sgp130fc(aff_name):
    alone = serum_equilibrium(hyper_il6=0.3, sil6r=0.8, anti_il6=1.0, affinities=aff_name)
    assert alone.hyper_il6 == 0.3 and alone.trans_complex == 0.3
    assert alone.hyper_il6_sgp130 == alone.hyper_il6_sgp130fc == 0.0
    drug = serum_equilibrium(hyper_il6=0.3, sgp130fc=100.0, affinities=aff_name)
    assert drug.hyper_il6_sgp130fc > 0.5 * 0.3


@pytest.mark.parametrize("aff_name", AFF_NAMES)
def test_antibodies(aff_name):
    base = serum_equilibrium(**HEALTHY, affinities=aff_name)
    siltuximab = serum_equilibrium(**HEALTHY, anti_il6=10.0, affinities=aff_name)
    assert siltuximab.il6_fractions()["anti-IL-6 antibody"] > 0.5
    tocilizumab = serum_equilibrium(**HEALTHY, anti_il6r=100.0, affinities=aff_name)
    assert tocilizumab.il6_sil6r < 0.5 * base.il6_sil6r
    assert tocilizumab.anti_il6r_sil6r > 0.5 * HEALTHY["sil6r"]


@pytest.mark.parametrize("aff_name", AFF_NAMES)
def test_sgp130fc_lowers_trans_complex_more_than_free_il6(aff_name):
    fc = np.geomspace(1e-3, 1e4, 60)
    eq = serum_equilibrium(**HEALTHY, sgp130fc=fc, affinities=aff_name)
    assert (np.diff(eq.trans_complex) < 0).all()
    assert (np.diff(eq.il6) < 0).all()
    drop_tc, drop_il6 = eq.trans_complex / eq.trans_complex[0], eq.il6 / eq.il6[0]
    assert (drop_tc <= drop_il6 * (1 + 1e-9)).all()
    assert drop_tc[-1] < 0.01  # 10 uM sgp130Fc removes nearly all IL-6·sIL-6R


# ---------------------------------------------------------------------------------------------
# 7. Hypothesis properties

log_uniform = st.floats(-6.0, 6.0).map(lambda e: 10.0**e)
# The engine treats totals below 1e-100 nM as zero (documented), so draw none there.
conc = st.one_of(
    st.just(0.0), log_uniform, st.floats(0.0, 1e6).filter(lambda x: x == 0 or x >= 1e-100)
)
totals7 = st.tuples(*[conc] * 7)
affinity = st.sampled_from(AFF_NAMES)
fast = settings(deadline=None)  # examples: the profile in tests/conftest.py


@fast
@given(totals7, affinity)
def test_mass_balance_for_any_totals(tot, aff_name):
    eq = serum_equilibrium(*tot, affinities=aff_name)
    assert all(np.isfinite(v) and v >= 0 for v in eq.species().values())
    for name, given_total in zip(TOTALS, tot, strict=True):
        assert abs(eq.totals()[name] - given_total) <= 1e-9 * given_total, name


@fast
@given(totals7, log_uniform, affinity)
def test_more_il6_never_lowers_an_il6_species(tot, extra, aff_name):
    before = serum_equilibrium(*tot, affinities=aff_name).species()
    after = serum_equilibrium(tot[0] + extra, *tot[1:], affinities=aff_name).species()
    for name in IL6_SPECIES:
        assert after[name] >= before[name] * (1 - 1e-9), name


@fast
@given(totals7, log_uniform, affinity)
def test_more_sgp130fc_never_raises_free_il6_or_il6_sil6r(tot, extra, aff_name):
    before = serum_equilibrium(*tot, affinities=aff_name)
    more = list(tot)
    more[F] += extra
    after = serum_equilibrium(*more, affinities=aff_name)
    # Free species come out of a mass balance: when nearly all IL-6 is bound, their precision
    # is a few 1e-14 of the total IL-6, so the slack scales with it (hypothesis found a case).
    slack = 1e-12 * tot[0]
    assert after.il6 <= before.il6 * (1 + 1e-9) + slack
    assert after.il6_sil6r <= before.il6_sil6r * (1 + 1e-9) + slack


# ---------------------------------------------------------------------------------------------
# 8. Bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"il6": -1.0}, CourseValueError, "il6 must be a concentration >= 0 nM; got -1.0 nM"),
        ({"sgp130": [1.0, -0.5]}, CourseValueError, "sgp130 must be a concentration >= 0 nM"),
        ({"sil6r": float("nan")}, CourseValueError, "sil6r must be finite .in nM.; got nan nM"),
        ({"sgp130fc": np.inf}, CourseValueError, "sgp130fc must be finite .in nM.; got inf nM"),
        ({"anti_il6": "1 nM"}, CourseTypeError, "anti_il6 must be a number or an array of num"),
        ({"hyper_il6": ["1", "2"]}, CourseTypeError, "hyper_il6 must be a number or an array"),
    ],
)
def test_bad_concentrations(kwargs, error, message):
    with pytest.raises(error, match=message):
        serum_equilibrium(**{"il6": 0.01, "sil6r": 0.8, **kwargs})


def test_unbroadcastable_shapes_are_named():
    with pytest.raises(ShapeError, match=r"cannot be broadcast.*il6 \(3,\), sil6r \(4,\)"):
        serum_equilibrium(il6=np.ones(3), sil6r=np.ones(4))
    with pytest.raises(ShapeError, match=r"sgp130 \(2, 3\), anti_il6r \(2,\)"):
        serum_equilibrium(il6=0.1, sgp130=np.ones((2, 3)), anti_il6r=np.ones(2))


def test_bad_affinities():
    with pytest.raises(UnknownNameError, match="affinity set 'strong'.*'textbook', 'effective'"):
        serum_equilibrium(il6=0.01, affinities="strong")
    with pytest.raises(CourseTypeError, match="affinities must be 'textbook', 'effective' or"):
        serum_equilibrium(il6=0.01, affinities=None)
    partial = ParameterSet("partial", [AFFINITIES["kd_il6_il6r"], AFFINITIES["kd_anti_il6"]])
    with pytest.raises(CourseValueError, match="'partial' lacks kd_complex_gp130, kd_complex"):
        serum_equilibrium(il6=0.01, affinities=partial)
    # a near miss is still accepted (case and separators are folded)
    assert (
        serum_equilibrium(il6=0.01, affinities="Effective").affinities == AFFINITY_SETS["effective"]
    )


def test_totals_below_the_floor_count_as_none():
    eq = serum_equilibrium(il6=2.2e-308, anti_il6=1e5, sil6r=1.0)
    assert eq.il6 == 0.0
    assert eq.anti_il6_il6 == 0.0
    assert eq.anti_il6 == 1e5
