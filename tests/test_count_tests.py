"""Tests for course_lib.models.count_tests: agreement with scipy and a slow reference, limits, error
rates on simulated negative binomial data, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special, stats

from course_lib.errors import CourseTypeError, CourseValueError, ShapeError, UnknownNameError
from course_lib.models.count_tests import (
    TESTS,
    _average_ranks,
    _counted_ranks,
    mann_whitney,
    negative_binomial_lrt,
    welch_t_log,
)
from course_lib.models.counts import negative_binomial

counts = st.lists(st.integers(0, 40), min_size=2, max_size=15)


def _random_pairs(seed: int, cases: int):
    rng = np.random.default_rng(seed)
    for _ in range(cases):
        mean, k = rng.choice([0.5, 3.0, 14.6]), rng.choice([0.5, 3.0, 50.0])
        a = negative_binomial(mean, k, int(rng.integers(2, 20)), rng).astype(float)
        b = negative_binomial(mean * rng.random(), k, int(rng.integers(2, 20)), rng)
        yield a, b.astype(float)


# --------------------------------------------------------------------------------------------
# Mann-Whitney and Welch against scipy


def test_mann_whitney_matches_scipy_with_ties_and_unequal_sizes():
    for a, b in _random_pairs(1, 150):
        expected = stats.mannwhitneyu(a, b, method="asymptotic").pvalue
        assert mann_whitney(a, b) == pytest.approx(expected, abs=1e-12), (a, b)


def test_mann_whitney_batch_equals_row_by_row_and_nan_means_missing():
    rng = np.random.default_rng(2)
    a = rng.integers(0, 8, (50, 9)).astype(float)
    b = rng.integers(0, 8, (50, 7)).astype(float)
    a[rng.random(a.shape) < 0.2] = np.nan  # missing animals vary per experiment
    p = mann_whitney(a, b)
    assert p.shape == (50,)
    for i in range(50):
        row = a[i][~np.isnan(a[i])]
        expected = stats.mannwhitneyu(row, b[i], method="asymptotic").pvalue
        assert p[i] == pytest.approx(expected, abs=1e-12)


def test_counted_ranks_are_the_sorted_mid_ranks_of_every_animal_present():
    # whole-number counts are ranked by counting (fast); the ranks and tie sizes must be the
    # sorted ones exactly, with ties, zeros, missing animals and empty experiments
    rng = np.random.default_rng(8)
    for _ in range(200):
        rows, mice = int(rng.integers(1, 40)), int(rng.integers(1, 35))
        x = negative_binomial(rng.choice([0.2, 3.0, 14.6, 80.0]), 1.0, (rows, mice), rng)
        x = x.astype(float)
        x[rng.random(x.shape) < rng.choice([0.0, 0.3, 1.0])] = np.nan
        counted, sorted_ = _counted_ranks(x), _average_ranks(x)
        present = ~np.isnan(x)
        for fast, slow in zip(counted, sorted_, strict=True):
            assert np.array_equal(fast[present], slow[present])


def test_mann_whitney_ranks_fractions_and_huge_counts_by_sorting():
    assert _counted_ranks(np.array([[1.5, 2.0, 2.0]])) is None
    assert _counted_ranks(np.array([[0.0, 1e9]])) is None  # too large a table to count
    a, b = [0.5, 2.25, 7.0, 1e9], [0.1, 0.2, 3.0]
    expected = stats.mannwhitneyu(a, b, method="asymptotic").pvalue
    assert mann_whitney(a, b) == pytest.approx(expected, abs=1e-12)


def test_welch_t_log_matches_scipy():
    for a, b in _random_pairs(3, 100):
        la, lb = np.log1p(a), np.log1p(b)
        if la.var() == 0 or lb.var() == 0:
            continue
        expected = stats.ttest_ind(la, lb, equal_var=False).pvalue
        assert welch_t_log(a, b) == pytest.approx(expected, rel=1e-9), (a, b)


# --------------------------------------------------------------------------------------------
# The negative binomial LRT against a slow one-experiment reference


def _reference_statistic(a: np.ndarray, b: np.ndarray) -> float:
    def loglik(y, m, k):
        return np.sum(
            special.gammaln(y + k) - special.gammaln(k) - special.gammaln(y + 1)
            + k * np.log(k / (k + m)) + special.xlogy(y, m) - special.xlogy(y, m + k)
        )  # fmt: skip

    def profile(groups):
        def neg(u):
            return -sum(loglik(g, g.mean(), np.exp(u)) for g in groups)

        bounds = (np.log(1e-6), np.log(1e8))
        res = optimize.minimize_scalar(
            neg, bounds=bounds, method="bounded", options={"xatol": 1e-10}
        )
        return -res.fun

    return max(2.0 * (profile([a, b]) - profile([np.concatenate([a, b])])), 0.0)


def test_lrt_matches_slow_reference_on_random_experiments():
    # abs=1e-5: near the Poisson limit the bounded reference stops short of k = inf
    for a, b in _random_pairs(4, 60):
        if a.sum() + b.sum() == 0:
            continue
        stat = _reference_statistic(a, b)
        p_chi2 = negative_binomial_lrt(a, b, reference="chi2")
        assert p_chi2 == pytest.approx(stats.chi2.sf(stat, 1), abs=1e-5), (a, b)
        p_f = negative_binomial_lrt(a, b)
        assert p_f == pytest.approx(stats.f.sf(stat, 1, a.size + b.size - 2), abs=1e-5)


def test_lrt_batch_equals_row_by_row_with_missing_animals():
    rng = np.random.default_rng(5)
    a = negative_binomial(14.6, 3.0, (20, 8), rng).astype(float)
    b = negative_binomial(6.0, 3.0, (20, 8), rng).astype(float)
    b[rng.random(b.shape) < 0.2] = np.nan
    p = negative_binomial_lrt(a, b)
    for i in range(20):
        assert p[i] == pytest.approx(float(negative_binomial_lrt(a[i], b[i][~np.isnan(b[i])])))


def test_lrt_zero_groups_and_underdispersed_data_give_no_nan():
    assert negative_binomial_lrt([0, 0, 0], [0, 0, 0]) == 1.0
    one_empty = negative_binomial_lrt([0, 0, 0, 0], [20, 31, 12, 25])
    assert np.isfinite(one_empty) and one_empty < 0.01
    # Constant groups are underdispersed: k -> inf, so the test becomes the Poisson LRT.
    a, b = np.array([5.0, 5, 5, 5]), np.array([9.0, 9, 9, 9])
    ll = lambda y, m: np.sum(special.xlogy(y, m) - m)  # noqa: E731
    pooled = np.concatenate([a, b])
    stat = 2 * (ll(a, a.mean()) + ll(b, b.mean()) - ll(pooled, pooled.mean()))
    got = negative_binomial_lrt(a, b, reference="chi2")
    assert got == pytest.approx(stats.chi2.sf(stat, 1), rel=1e-6)


def test_every_test_gives_nan_only_for_an_empty_group():
    nan = np.nan
    for name, test in TESTS.items():
        assert np.isnan(test([nan, nan], [1.0, 2.0, 3.0])), name


# --------------------------------------------------------------------------------------------
# Properties


@settings(max_examples=60, deadline=None)
@given(a=counts, b=counts)
def test_p_values_lie_in_unit_interval(a, b):
    for test in TESTS.values():
        p = float(test(a, b))
        assert 0.0 <= p <= 1.0 or (np.isnan(p) and test is welch_t_log)


@settings(max_examples=40, deadline=None)
@given(a=counts)
def test_identical_groups_give_p_near_one(a):
    for name, test in TESTS.items():
        assert float(test(a, a)) == pytest.approx(1.0, abs=1e-6), name


def test_broadcasting_over_experiments():
    a = np.array([[10, 12, 14], [1, 2, 3]])
    assert mann_whitney(a, [5, 6, 7]).shape == (2,)
    assert negative_binomial_lrt(a[None], [5, 6, 7]).shape == (1, 2)


# --------------------------------------------------------------------------------------------
# Behaviour on simulated DEN experiments (FACTS 6.2: NB mean 14.6, k = 3)


def _null(n: int, experiments: int, seed: int):
    rng = np.random.default_rng(seed)
    a = negative_binomial(14.6, 3.0, (experiments, n), rng)
    return a, negative_binomial(14.6, 3.0, (experiments, n), rng)


@pytest.mark.parametrize("name", ["Mann-Whitney", "negative binomial LRT"])
def test_type_one_error_is_near_alpha(name):
    a, b = _null(10, 4000, seed=2026)
    rate = np.mean(TESTS[name](a, b) < 0.05)
    assert 0.03 <= rate <= 0.07, f"{name}: false-positive rate {rate}"


def test_chi_square_reference_is_liberal_in_small_groups():
    a, b = _null(5, 4000, seed=7)
    assert np.mean(negative_binomial_lrt(a, b, reference="chi2") < 0.05) > 0.07
    assert np.mean(negative_binomial_lrt(a, b) < 0.05) < 0.06


def test_lrt_is_at_least_as_powerful_as_mann_whitney_on_nb_data():
    rng = np.random.default_rng(11)
    a = negative_binomial(14.6, 3.0, (4000, 12), rng)
    b = negative_binomial(14.6 * 0.5, 3.0, (4000, 12), rng)
    lrt, mw = np.mean(negative_binomial_lrt(a, b) < 0.05), np.mean(mann_whitney(a, b) < 0.05)
    assert lrt > mw - 0.02, (lrt, mw)


def test_negative_binomial_moments_and_poisson_limit():
    x = negative_binomial(14.6, 3.0, 200_000, rng=1)
    assert x.mean() == pytest.approx(14.6, rel=0.01)
    assert x.var() == pytest.approx(14.6 + 14.6**2 / 3.0, rel=0.03)
    y = negative_binomial(5.0, np.inf, 100_000, rng=1)
    assert y.var() == pytest.approx(5.0, rel=0.03)
    assert np.array_equal(negative_binomial(3.0, 2.0, 10, 7), negative_binomial(3.0, 2.0, 10, 7))


# --------------------------------------------------------------------------------------------
# Bad input


def test_bad_counts_raise_course_errors_with_messages():
    with pytest.raises(CourseTypeError, match=r"a must be an array of tumour counts.*'many'"):
        mann_whitney("many", [1, 2])
    with pytest.raises(CourseValueError, match=r"b contains the count -1.0; .* >= 0"):
        negative_binomial_lrt([1, 2], [-1, 2])
    with pytest.raises(CourseValueError, match=r"contains the count inf"):
        welch_t_log([1, np.inf], [1, 2])
    with pytest.raises(ShapeError, match=r"do not broadcast"):
        mann_whitney(np.ones((3, 4)), np.ones((2, 4)))
    with pytest.raises(CourseValueError, match=r"whole-number counts.*fractional"):
        negative_binomial_lrt([1.5, 2], [1, 2])
    with pytest.raises(UnknownNameError, match=r"expected one of: 'F', 'chi2'"):
        negative_binomial_lrt([1, 2], [1, 2], reference="normal")


def test_bad_negative_binomial_arguments():
    with pytest.raises(CourseValueError, match=r"k must be a number > 0.*got 0"):
        negative_binomial(5.0, 0, 3, rng=1)
    with pytest.raises(CourseValueError, match=r"mean must be finite and >= 0"):
        negative_binomial(-1.0, 3.0, 3, rng=1)
