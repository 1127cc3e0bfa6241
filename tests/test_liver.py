"""The virtual liver: calibration targets from FACTS.md, Bergmann's genotype comparisons,
initiation vs progression, overdispersion, reproducibility and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.errors import CourseValueError, UnknownNameError
from course_lib.models import liver, mouse
from course_lib.models.hepatocarcinogenesis import CARCINOGENESIS, MOUSE_MILIEU

N = 2000  # mice per simulated cohort: incidences to about +-1 percentage point


def cohort(seed=0, **kw):
    return liver.simulate_cohort(N, rng=seed, **kw)


def test_wild_type_males_at_40_weeks_match_the_den_studies():
    wt = cohort()
    assert wt.incidence >= 0.95  # ~100% (PMC3985820, Naugler 2007)
    assert 10.0 <= wt.counts.mean() <= 15.0  # 11-15 tumours per liver


def test_females_have_10_to_20_percent_incidence():
    assert 0.10 <= cohort(sex="female").incidence <= 0.20


def test_il6_knockout_males_fall_to_the_female_level():
    ko, female, wt = cohort(genotype="IL-6 knockout"), cohort(sex="female"), cohort()
    assert ko.incidence <= female.incidence + 0.03
    assert ko.counts.mean() <= 0.1 * wt.counts.mean()  # "cut by ~90%"


def test_sgp130fc_transgenic_mice_are_largely_protected():
    tg, wt = cohort(genotype="sgp130Fc transgenic"), cohort()
    assert tg.counts.mean() <= 0.3 * wt.counts.mean()
    assert tg.incidence <= 0.5


def test_hepatocyte_il6r_knockout_is_not_protected():
    ko, wt = cohort(genotype="hepatocyte IL-6R knockout"), cohort()
    assert ko.counts.mean() >= 0.8 * wt.counts.mean()


def test_the_classic_hypothesis_predicts_the_opposite_for_the_hepatocyte_knockout():
    trans = liver.expected_tumours(genotype="hepatocyte IL-6R knockout")
    classic = liver.expected_tumours(genotype="hepatocyte IL-6R knockout", driver="classic")
    assert classic < 0.1 * trans


def test_tumours_counted_later_are_more_and_larger():
    early, late = cohort(harvest_week=24), cohort(harvest_week=40)
    assert early.counts.mean() < 0.7 * late.counts.mean()
    assert np.median(early.diameters_mm) < np.median(late.diameters_mm)
    assert np.quantile(early.diameters_mm, 0.9) < np.quantile(late.diameters_mm, 0.9)


def test_therapy_from_week_24_shrinks_tumours_more_than_it_cuts_their_number():
    treated, wt = cohort(treatment="sgp130Fc", treatment_start=24), cohort()
    control = cohort(treatment="control Fc", treatment_start=24)
    assert np.array_equal(control.counts, wt.counts)  # the control protein does nothing
    assert 0.5 * wt.counts.mean() < treated.counts.mean() < 0.95 * wt.counts.mean()
    assert np.quantile(treated.diameters_mm, 0.9) < 0.6 * np.quantile(wt.diameters_mm, 0.9)


@pytest.mark.parametrize("mechanism", list(mouse.MECHANISMS))
def test_each_mechanism_switched_off_alone_changes_the_outcome(mechanism):
    wt = cohort()
    off = cohort(mechanisms_off=(mechanism,))
    if mechanism == "angiogenesis":  # nodules stay at the avascular size: same count, smaller
        assert off.counts.mean() == pytest.approx(wt.counts.mean(), rel=0.05)
        assert np.quantile(off.diameters_mm, 0.9) < 0.5 * np.quantile(wt.diameters_mm, 0.9)
    else:
        assert off.counts.mean() < 0.4 * wt.counts.mean()


def test_signals_come_from_the_milieu_of_the_mouse():
    wt, female = mouse.signals(), mouse.signals(sex="female")
    assert wt.hepatocyte_trans == (1.0, 1.0) and wt.endothelial_trans == (1.0, 1.0)
    assert 0.1 < female.hepatocyte_trans[0] < 0.4  # a fifth of the IL-6 -> about a fifth
    ko = mouse.signals(genotype="IL-6 knockout")
    assert ko.hepatocyte_trans == ko.hepatocyte_classic == ko.endothelial_trans == (0.0, 0.0)
    # less transgenic sgp130Fc in the serum -> less of a block
    tg = mouse.signals(genotype="sgp130Fc transgenic")
    low = mouse.signals(genotype="sgp130Fc transgenic",
                        milieu=MOUSE_MILIEU.with_values(sgp130fc_transgenic=1.0))  # fmt: skip
    assert tg.endothelial_trans[0] < 0.3 < low.endothelial_trans[0] < 1.0
    treated = mouse.signals(treatment="sgp130Fc", treatment_start=20)
    assert treated.endothelial_trans[0] == 1.0 > 5 * treated.endothelial_trans[1]


def test_counts_are_overdispersed_like_negative_binomial_data():
    counts = cohort().counts
    mean, var = counts.mean(), counts.var(ddof=1)
    k = mean**2 / (var - mean)  # method of moments
    assert var > 3 * mean
    assert 2.3 < k < 3.9  # the k of ~3 in FACTS.md 6.2


@pytest.mark.parametrize(
    "kw", [{}, {"sex": "female"}, {"harvest_week": 24}, {"genotype": "sgp130Fc transgenic"}]
)
def test_expected_tumours_is_the_cohort_mean(kw):
    sim = liver.simulate_cohort(20000, rng=3, **kw).counts.mean()
    expected = liver.expected_tumours(**kw)
    assert sim == pytest.approx(expected, rel=0.05, abs=0.01)


def test_a_seed_gives_the_same_cohort_and_a_generator_is_used():
    a, b = liver.simulate_cohort(20, rng=5), liver.simulate_cohort(20, rng=5)
    assert np.array_equal(a.counts, b.counts) and np.array_equal(a.diameters_mm, b.diameters_mm)
    gen = np.random.default_rng(5)
    c, d = liver.simulate_cohort(20, rng=gen), liver.simulate_cohort(20, rng=gen)
    assert not np.array_equal(c.counts, d.counts)


def test_a_cohort_holds_each_liver():
    c = liver.simulate_cohort(10, rng=1)
    assert c.diameters_mm.size == c.counts.sum() == c.positions.shape[0]
    one = c.liver(int(np.argmax(c.counts)))
    assert one.count == c.counts.max()
    assert np.all(np.diff(one.diameters_mm) <= 0)  # largest first
    assert np.all((one.positions >= 0) & (one.positions < 1))
    assert one.burden_mm3 == pytest.approx(np.pi / 6 * np.sum(one.diameters_mm**3))
    p = CARCINOGENESIS.value
    assert np.all(c.diameters_mm >= p("detection_diameter") - 1e-12)
    assert np.all(c.diameters_mm <= p("largest_diameter") + 1e-9)
    assert "Simulated" in c.summary() and "tumours per liver" in c.summary()
    assert liver.simulate_liver(rng=1).condition == mouse.condition()


@settings(max_examples=30, deadline=None)
@given(
    genotype=st.sampled_from(list(mouse.GENOTYPES)),
    sex=st.sampled_from(mouse.SEXES),
    treatment=st.sampled_from(mouse.TREATMENTS),
    start=st.floats(0, 60),
    harvest=st.floats(12, 60),
    off=st.lists(st.sampled_from(list(mouse.MECHANISMS)), max_size=3),
    driver=st.sampled_from(mouse.DRIVERS),
    promoter=st.booleans(),
)
def test_any_condition_gives_finite_counts_and_sizes(
    genotype, sex, treatment, start, harvest, off, driver, promoter
):
    kw = dict(genotype=genotype, sex=sex, treatment=treatment, treatment_start=start,
              harvest_week=harvest, mechanisms_off=off, driver=driver, promoter=promoter)  # fmt: skip
    c = liver.simulate_cohort(30, rng=0, **kw)
    assert np.all(np.isfinite(c.diameters_mm)) and np.all(c.counts >= 0)
    assert np.isfinite(liver.expected_tumours(**kw))
    # blocking trans-signalling never raises the expected count
    if driver == "trans" and treatment == "none":
        blocked = liver.expected_tumours(**{**kw, "genotype": "sgp130Fc transgenic"})
        assert blocked <= liver.expected_tumours(**{**kw, "genotype": "wild type"}) + 1e-9


@pytest.mark.parametrize(
    ("kw", "error", "message"),
    [
        ({"genotype": "sgp130 transgenic"}, UnknownNameError, "Did you mean 'sgp130Fc transgenic'"),
        ({"sex": "males"}, UnknownNameError, "'male', 'female'"),
        ({"treatment": "tocilizumab"}, UnknownNameError, "'none', 'control Fc', 'sgp130Fc'"),
        ({"harvest_week": 100}, CourseValueError, "harvest_week must lie within [12, 60] weeks"),
        ({"harvest_week": float("nan")}, CourseValueError, "harvest_week"),
        ({"treatment_start": -1}, CourseValueError, "treatment_start must lie within"),
        ({"mechanisms_off": ("angiogenisis",)}, UnknownNameError, "angiogenesis"),
        ({"driver": "both"}, UnknownNameError, "'trans', 'classic'"),
        ({"promoter": "yes"}, CourseValueError, "promoter must be True or False"),
    ],
)
def test_bad_conditions_say_what_to_do(kw, error, message):
    with pytest.raises(error, match=None) as info:
        liver.simulate_cohort(5, rng=0, **kw)
    assert message in str(info.value)


@pytest.mark.parametrize("n", [0, -3, 2.5, True, 200_000])
def test_bad_cohort_sizes(n):
    with pytest.raises(CourseValueError, match="n must be a whole number of mice from 1 to 100000"):
        liver.simulate_cohort(n, rng=0)


def test_a_bad_mouse_index():
    with pytest.raises(CourseValueError, match=r"mouse index must be 0\.\.4; got 7"):
        liver.simulate_cohort(5, rng=0).liver(7)
