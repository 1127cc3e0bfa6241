"""Tests for course_lib.models.counts.fit_negative_binomial: the fitted dispersion and the LRT
statistic against a plain root finder (scipy's brentq on the score), one experiment at a time,
on varied data and edge cases, and in batches with missing animals."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, special

from course_lib.models.counts import fit_negative_binomial, negative_binomial

K_MIN, K_MAX = 1e-6, 1e8  # the range the fit searches; a score >= 0 at K_MAX means Poisson

EDGE_CASES = [
    ([0, 0, 0], [0, 0, 0]),  # no tumours: no information on k
    ([0, 0, 0, 0], [20, 31, 12, 25]),  # one group all zero
    ([5, 5, 5, 5], [9, 9, 9, 9]),  # constant groups: underdispersed
    ([2, 3, 2, 3], [2, 3, 2, 3]),  # identical groups, variance below the mean
    ([0, 0, 100], [0, 0, 0]),  # one liver carries every tumour
    ([0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 1]),
    ([1000, 0, 2000], [3, 4]),  # large counts
    ([7], [1, 30]),  # a single animal
    ([3, 4, 5], [6, 7, 8]),
    ([0, 1, 0, 1, 0, 2], [1, 0, 1, 0, 2, 0]),
]


def _score(groups: list[np.ndarray], k: float) -> float:
    """d loglik / dk with each group mean at its sample mean, summed the plain way."""
    y = np.concatenate(groups)
    a = sum(np.sum(1.0 / (k + np.arange(v))) for v in y.astype(int))
    return a - sum(g.size * np.log1p(g.mean() / k) for g in groups if g.size)


def _loglik(groups: list[np.ndarray], k: float) -> float:
    total = 0.0
    for g in groups:
        m = g.mean() if g.size else 0.0
        if np.isinf(k):
            total += np.sum(special.xlogy(g, m) - m - special.gammaln(g + 1))
        else:
            gamma = special.gammaln(g + k) - special.gammaln(k) - special.gammaln(g + 1)
            total += np.sum(gamma + k * np.log(k / (k + m)) + special.xlogy(g, m))
            total -= np.sum(special.xlogy(g, m + k))
    return total


def _reference(groups: list[np.ndarray]) -> float:
    """ML k by brentq on the score in log k (inf when the data are Poisson-like or all zero)."""
    if sum(g.sum() for g in groups) == 0 or _score(groups, K_MAX) >= 0:
        return np.inf
    u = optimize.brentq(
        lambda u: _score(groups, np.exp(u)), np.log(K_MIN), np.log(K_MAX), xtol=1e-14
    )
    return float(np.exp(u))


def _cases():
    rng = np.random.default_rng(12)
    for a, b in EDGE_CASES:
        yield np.array(a, float), np.array(b, float)
    for _ in range(120):
        mean, k = rng.choice([0.5, 3.0, 14.6, 60.0]), rng.choice([0.2, 1.0, 3.0, 50.0, np.inf])
        a = negative_binomial(mean, k, int(rng.integers(1, 25)), rng).astype(float)
        b = negative_binomial(mean * rng.random(), k, int(rng.integers(1, 25)), rng)
        yield a, b.astype(float)


def _close(got: float, expected: float) -> bool:
    if np.isinf(expected):
        return bool(np.isinf(got))
    # Where the counts are nearly Poisson (k in the thousands) the score is flat and both
    # roots are only as good as its rounding; elsewhere they agree to 1e-9.
    return got == pytest.approx(expected, rel=1e-9 if expected < 1e3 else 1e-6)


def test_dispersion_and_statistic_match_a_plain_root_finder():
    for a, b in _cases():
        fit = fit_negative_binomial(a, b)
        k1, k0 = _reference([a, b]), _reference([np.concatenate([a, b])])
        assert _close(float(fit["k1"]), k1), (a, b, float(fit["k1"]), k1)
        assert _close(float(fit["k0"]), k0), (a, b, float(fit["k0"]), k0)
        stat = 2.0 * (_loglik([a, b], k1) - _loglik([np.concatenate([a, b])], k0))
        assert float(fit["stat"]) == pytest.approx(max(stat, 0.0), rel=1e-8, abs=1e-8), (a, b)


def test_batch_fit_equals_one_experiment_at_a_time():
    rng = np.random.default_rng(13)
    a = negative_binomial(14.6, 3.0, (300, 10), rng).astype(float)
    b = negative_binomial(5.0, 0.8, (300, 6), rng).astype(float)
    a[rng.random(a.shape) < 0.15] = np.nan
    a[:5], b[5:10] = 0.0, 0.0  # a group without tumours in a few experiments
    fit = fit_negative_binomial(a, b)
    for i in range(300):
        one = fit_negative_binomial(a[i][~np.isnan(a[i])], b[i])
        for key in ("k1", "k0", "stat", "mean_a", "n_a"):
            assert fit[key][i] == pytest.approx(float(one[key]), rel=1e-9, abs=1e-12), (i, key)
