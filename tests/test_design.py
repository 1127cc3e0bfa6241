"""Tests for course_lib.models.design: the experiment model, calibration of power against FACTS 6.2,
flawed designs that inflate false positives, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.errors import CourseTypeError, CourseValueError, UnknownNameError
from course_lib.models.design import (
    EXPERIMENT,
    RANDOMISATIONS,
    SEXES,
    Experiment,
    female_to_male_ratio,
    simulate_experiment,
)
from course_lib.models.power import PowerCurve, power, sample_size_for

TWO = {"control": 14.6, "sgp130Fc": 4.4}
THREE = {"control": 14.6, "sgp130Fc": 4.4, "anti-IL-6R": 7.0}
CLEAN = {"litter_cv": 0.0, "attrition": 0.0}  # FACTS 6.2: no litter effect, no deaths


# --------------------------------------------------------------------------------------------
# One experiment


def test_experiment_has_one_row_per_mouse_and_an_analysis_per_treated_group():
    exp = simulate_experiment(THREE, 8, rng=1)
    assert isinstance(exp, Experiment)
    for field in ("group", "sex", "litter", "count", "observed", "excluded"):
        assert getattr(exp, field).shape == (24,), field
    assert exp.groups == ("control", "sgp130Fc", "anti-IL-6R")
    assert set(exp.sex) == {"male"}
    assert exp.excluded.dtype == bool
    assert [c.group for c in exp.analysis] == ["sgp130Fc", "anti-IL-6R"]
    assert all(c.control == "control" for c in exp.analysis)
    for c in exp.analysis:
        assert c.n_group == np.sum((exp.group == c.group) & ~exp.excluded)
        assert c.ci_low <= c.ratio <= c.ci_high
        assert 0 <= c.p_mann_whitney <= 1 and 0 <= c.p_nb_lrt <= 1


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(2, 12),
    n_groups=st.integers(2, 4),
    sex=st.sampled_from(SEXES),
    randomisation=st.sampled_from(RANDOMISATIONS),
    blinding=st.booleans(),
    litter_size=st.integers(2, 12),
    seed=st.integers(0, 2**32 - 1),
)
def test_experiment_invariants(n, n_groups, sex, randomisation, blinding, litter_size, seed):
    means = {f"group {i}": 12.0 / (i + 1) for i in range(n_groups)}
    exp = simulate_experiment(means, n, sex=sex, randomisation=randomisation, blinding=blinding,
                              litter_size=litter_size, attrition=0.2, rng=seed)  # fmt: skip
    assert exp.group.size == n * n_groups
    assert np.all(exp.count >= 0) and np.all(exp.observed <= exp.count)
    if randomisation != "simple":
        assert all(np.sum(exp.group == g) == n for g in means)
    if sex != "mixed":
        assert set(exp.sex) == {sex}
    assert len(exp.analysis) == n_groups - 1
    for c in exp.analysis:  # NaN only when a group lost every mouse
        for p in (c.p_mann_whitney, c.p_nb_lrt):
            assert 0 <= p <= 1 or (np.isnan(p) and min(c.n_group, c.n_control) == 0)
    assert "group 0" in exp.summary()


def test_same_seed_same_experiment():
    a, b = simulate_experiment(TWO, 6, rng=42), simulate_experiment(TWO, 6, rng=42)
    assert np.array_equal(a.observed, b.observed) and np.array_equal(a.group, b.group)


def test_blocked_by_litter_splits_every_litter_evenly():
    exp = simulate_experiment(THREE, 9, litter_size=6, attrition=0.0, rng=3)  # 3 males a litter
    for litter in np.unique(exp.litter):
        groups = exp.group[exp.litter == litter]
        assert sorted(groups) == sorted(THREE), groups
    mixed = simulate_experiment(TWO, 6, sex="mixed", litter_size=6, rng=3)
    for litter in np.unique(mixed.litter):
        in_litter = mixed.litter == litter
        assert np.sum(mixed.group[in_litter] == "control") == 3
        assert set(mixed.sex[in_litter]) == {"male", "female"}


def test_simple_randomisation_lets_group_sizes_vary():
    sizes = {
        int(np.sum(simulate_experiment(TWO, 10, randomisation="simple", rng=s).group == "control"))
        for s in range(20)
    }
    assert len(sizes) > 2
    assert simulate_experiment(TWO, 10, randomisation="simple", rng=0).group.size == 20


def test_whole_litters_never_share_a_litter_between_groups():
    exp = simulate_experiment(TWO, 7, randomisation="whole litters", rng=5)
    for litter in np.unique(exp.litter):
        assert len(set(exp.group[exp.litter == litter])) == 1
    assert np.sum(exp.group == "control") == 7


def test_unblinded_counter_misses_tumours_only_in_treated_groups():
    exp = simulate_experiment(TWO, 30, blinding=False, observer_bias=0.5, rng=6)
    control = exp.group == "control"
    assert np.array_equal(exp.observed[control], exp.count[control])
    assert np.all(exp.observed[~control] <= exp.count[~control])
    assert exp.observed[~control].sum() < 0.7 * exp.count[~control].sum()
    blinded = simulate_experiment(TWO, 30, blinding=True, observer_bias=0.5, rng=6)
    assert np.array_equal(blinded.observed, blinded.count)


def test_attrition_removes_mice_from_the_analysis():
    exp = simulate_experiment(TWO, 200, attrition=0.1, rng=7)
    assert 0.07 < exp.excluded.mean() < 0.13
    c = exp.analysis[0]
    assert c.n_group + c.n_control == 400 - exp.excluded.sum()


def test_sex_specific_means_are_used():
    exp = simulate_experiment(
        {"control": (20.0, 2.0), "treated": (20.0, 2.0)}, 60, sex="mixed", litter_cv=0.0, rng=8
    )
    male, female = exp.count[exp.sex == "male"], exp.count[exp.sex == "female"]
    assert male.mean() > 4 * female.mean()


def test_summary_reports_groups_n_and_p_values():
    text = simulate_experiment(TWO, 8, rng=9).summary()
    assert text.startswith("Simulated experiment: 2 groups, blocked by litter randomisation")
    assert "control" in text and "sgp130Fc" in text
    assert "Mann-Whitney p =" in text and "negative binomial LRT p =" in text
    assert "mean ± SD" in text and "95% CI" in text


def test_ratio_confidence_interval_covers_the_true_ratio():
    hits = 0
    for seed in range(300):
        c = simulate_experiment(TWO, 12, **CLEAN, rng=seed).analysis[0]
        hits += c.ci_low <= 4.4 / 14.6 <= c.ci_high
    assert 0.88 <= hits / 300 <= 0.99


# --------------------------------------------------------------------------------------------
# Power: calibration against FACTS 6.2 [D] (NB mean 14.6, k 3, Mann-Whitney, alpha 0.05)


def test_power_at_70_percent_reduction_and_n8_matches_facts():
    curve = power(14.6, 0.7, 8, k=3.0, **CLEAN, rng=20261)
    assert 0.75 <= curve.power[0] <= 0.90  # FACTS: 0.83


def test_power_at_50_percent_reduction_matches_facts():
    curve = power(14.6, 0.5, [15, 20], k=3.0, **CLEAN, rng=20262)
    assert 0.63 <= curve.power[0] <= 0.80  # FACTS: 0.72 at n = 15
    assert 0.77 <= curve.power[1] <= 0.92  # FACTS: 0.85 at n = 20


def test_power_curve_fields_and_standard_error():
    curve = power(14.6, 0.7, [4, 8, 12], n_experiments=500, rng=1)
    assert isinstance(curve, PowerCurve)
    assert list(curve.n) == [4, 8, 12]
    assert curve.test == "Mann-Whitney" and curve.reduction == 0.7
    assert np.allclose(curve.se, np.sqrt(curve.power * (1 - curve.power) / 500))
    assert curve.power[0] < curve.power[2]


def test_lrt_power_not_below_mann_whitney():
    mw = power(14.6, 0.5, 12, **CLEAN, rng=3).power[0]
    lrt = power(14.6, 0.5, 12, test="negative binomial LRT", **CLEAN, rng=3).power[0]
    assert lrt > mw - 0.03


@pytest.mark.parametrize("test", ["Mann-Whitney", "negative binomial LRT"])
def test_sound_design_keeps_false_positives_near_alpha(test):
    curve = power(14.6, 0.0, 10, test=test, litter_cv=0.6, rng=4)
    assert curve.power[0] <= 0.08


def test_whole_litters_with_strong_litter_effect_inflate_false_positives():
    flawed = power(14.6, 0.0, 10, randomisation="whole litters", litter_cv=0.8, rng=5)
    assert flawed.power[0] > 0.12, flawed.power  # about 0.16 (0.05 when blocked by litter)
    sound = power(14.6, 0.0, 10, randomisation="blocked by litter", litter_cv=0.8, rng=5)
    assert sound.power[0] < 0.07


def test_unblinded_counting_inflates_false_positives():
    flawed = power(14.6, 0.0, 15, blinding=False, observer_bias=0.3, rng=6)
    assert flawed.power[0] > 0.15, flawed.power  # about 0.24
    blinded = power(14.6, 0.0, 15, blinding=True, observer_bias=0.3, rng=6)
    assert blinded.power[0] < 0.08


def test_sample_size_for_reads_the_curve():
    curve = power(14.6, 0.7, range(4, 13), **CLEAN, n_experiments=1000, rng=7)
    n = sample_size_for(0.8, curve=curve)
    assert n == curve.sample_size(0.8)
    assert 7 <= n <= 10  # FACTS: about 8
    assert sample_size_for(0.999, curve=curve) is None
    assert sample_size_for(0.8, reduction=0.7, n_per_group=[8, 30], n_experiments=200, rng=1)


# --------------------------------------------------------------------------------------------
# Bad input


def test_bad_group_means():
    with pytest.raises(CourseValueError, match=r"groups\['control'\] must be a mean count >= 0"):
        simulate_experiment({"control": -1.0, "t": 2.0}, 5)
    with pytest.raises(CourseValueError, match=r"must be a finite mean tumour count.*got nan"):
        simulate_experiment({"control": float("nan"), "t": 2.0}, 5)
    with pytest.raises(CourseTypeError, match=r"at least two group names"):
        simulate_experiment({"control": 14.6}, 5)
    with pytest.raises(CourseValueError, match=r"control_mean must be a mean count >= 0"):
        power(-3.0, 0.5, 10)


def test_bad_sizes_and_names():
    with pytest.raises(CourseValueError, match=r"n_per_group must be a whole number >= 2; got 1"):
        simulate_experiment(TWO, 1)
    with pytest.raises(CourseValueError, match=r"n_per_group must be a whole number >= 2"):
        power(14.6, 0.5, [5, 1])
    with pytest.raises(UnknownNameError, match=r"unknown test 'ttest'; expected one of"):
        power(14.6, 0.5, 10, test="ttest")
    with pytest.raises(UnknownNameError, match="expected one of: " + repr(RANDOMISATIONS[0])):
        simulate_experiment(TWO, 5, randomisation="by cage")
    with pytest.raises(UnknownNameError, match=r"unknown sex"):
        simulate_experiment(TWO, 5, sex="both")
    with pytest.raises(CourseValueError, match=r"n_experiments must be a whole number >= 100"):
        power(14.6, 0.5, 10, n_experiments=50)


def test_bad_fractions():
    with pytest.raises(CourseValueError, match=r"alpha must lie in \(0, 1\); got 1.5"):
        power(14.6, 0.5, 10, alpha=1.5)
    with pytest.raises(CourseValueError, match=r"reduction must lie in \[0, 1\); got 1.0"):
        power(14.6, 1.0, 10)
    bias = EXPERIMENT["observer_bias"].bounds
    with pytest.raises(
        CourseValueError, match=rf"observer_bias must lie within \[0, {bias[1]:g}\]"
    ):
        simulate_experiment(TWO, 5, blinding=False, observer_bias=0.9)
    with pytest.raises(CourseValueError, match=r"k must be a number > 0"):
        power(14.6, 0.5, 10, k=-1.0)


def test_power_takes_male_and_female_control_means():
    # a (male, female) pair replaces the liver's female ratio; equal pairs match one number
    kw = dict(n_experiments=400, litter_cv=0.0, attrition=0.0, sex="mixed")
    one = power(12.0, 0.6, [10], rng=5, **kw)
    pair = power((12.0, 12.0 * female_to_male_ratio()), 0.6, [10], rng=5, **kw)
    np.testing.assert_array_equal(one.power, pair.power)
    few = power((12.0, 0.2), 0.6, [10], rng=5, **kw)  # females with almost no tumours
    many = power((12.0, 12.0), 0.6, [10], rng=5, **kw)
    assert few.power[0] < many.power[0]
    assert few.control_mean == 12.0


def test_females_carry_tumours_as_rarely_as_in_naugler_2007():
    # the experiment model takes its female mean from the virtual liver: 10-20% incidence
    female_mean = EXPERIMENT.value("control_mean") * female_to_male_ratio()
    k = EXPERIMENT.value("k")
    incidence = 1.0 - (k / (k + female_mean)) ** k  # negative binomial P(count > 0)
    assert 0.08 <= incidence <= 0.22
    exp = simulate_experiment(
        {"control": EXPERIMENT.value("control_mean"), "other": EXPERIMENT.value("control_mean")},
        400,
        sex="female",
        litter_cv=0.0,
        attrition=0.0,
        rng=3,
    )
    assert 0.08 <= float(np.mean(exp.count > 0)) <= 0.22
