"""Statistical tests for tumour counts, run on many simulated experiments at once.

Tumour counts per liver are overdispersed (`course_lib.models.counts`). This module compares two groups of counts three ways:

- `mann_whitney`: the rank test most papers use (normal approximation, tie-corrected);
- `negative_binomial_lrt`: a likelihood-ratio test of equal means under a negative binomial
  with one dispersion ``k`` shared by both groups;
- `welch_t_log`: a Welch t-test on ``log(count + 1)``, the "naive" comparison.

Shapes and missing animals
--------------------------
Each test takes ``a`` shaped ``(..., n_a)`` and ``b`` shaped ``(..., n_b)``; the leading
axes index experiments (they broadcast) and give the shape of the result. A **missing animal is
NaN** (a mouse that died before harvest), so group sizes may vary. A p-value is NaN only when a group has no animals left at all.

>>> a = [[12, 20, 9, 15, 30], [3, 5, 4, 6, 2]]
>>> b = [[4, 2, 6, 1, 3], [4, 3, 5, float("nan"), 6]]
>>> mann_whitney(a, b).round(3)
array([0.012, 0.709])
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import special

from course_lib.errors import require_name
from course_lib.models.counts import fit_negative_binomial, paired_counts

__all__ = ["TESTS", "mann_whitney", "negative_binomial_lrt", "welch_t_log"]


#: Cells (experiments x largest count) up to which `_counted_ranks` counts rather than sorts.
_COUNT_TABLE_LIMIT = 4_000_000


def _average_ranks(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mid-ranks (1-based) of ``x`` along the last axis, and the size of each value's tie group.

    NaN sorts last and is never tied with anything, so it does not disturb the valid ranks.
    """
    order = np.argsort(x, axis=-1, kind="stable")
    s = np.take_along_axis(x, order, axis=-1)
    m = s.shape[-1]
    idx = np.broadcast_to(np.arange(m), s.shape)
    new = np.ones(s.shape, dtype=bool)
    new[..., 1:] = s[..., 1:] != s[..., :-1]
    start = np.maximum.accumulate(np.where(new, idx, 0), axis=-1)
    last = np.ones(s.shape, dtype=bool)
    last[..., :-1] = new[..., 1:]
    end = np.flip(np.minimum.accumulate(np.flip(np.where(last, idx, m), -1), axis=-1), -1)
    ranks = np.empty_like(s)
    ties = np.empty_like(s)
    np.put_along_axis(ranks, order, (start + end) / 2.0 + 1.0, axis=-1)
    np.put_along_axis(ties, order, (end - start + 1).astype(float), axis=-1)
    return ranks, ties


def _counted_ranks(x: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """`_average_ranks` for whole numbers >= 0 (NaN missing), by counting instead of sorting;
    None when ``x`` holds other values or its counts would need too large a table.

    A value's mid-rank is the number of smaller values plus half the size of its tie group,
    plus one half: the same half-integers as `_average_ranks` (exact in floating point). The
    entries at NaN are not ranks: callers leave missing animals out.
    """
    if x.size == 0:
        return None
    valid = ~np.isnan(x)
    v = np.where(valid, x, 0.0)
    top = int(v.max(initial=0.0)) + 1
    rows = v.size // max(v.shape[-1], 1)
    if rows * top > _COUNT_TABLE_LIMIT or np.any(v != np.floor(v)):
        return None
    v = v.astype(np.int64).reshape(rows, -1)
    key = (np.arange(rows)[:, None] * top + v)[valid.reshape(rows, -1)]
    ties = np.bincount(key, minlength=rows * top).reshape(rows, top)  # animals per value
    below = np.cumsum(ties, axis=1) - ties  # animals with a smaller value, same experiment
    tie = np.take_along_axis(ties, v, axis=1).astype(float)
    ranks = np.take_along_axis(below, v, axis=1) + (tie + 1.0) / 2.0
    return ranks.reshape(x.shape), tie.reshape(x.shape)


def mann_whitney(a, b) -> np.ndarray:
    """Two-sided Mann-Whitney U test, normal approximation with tie and continuity correction.

    Matches ``scipy.stats.mannwhitneyu(a, b, method="asymptotic")`` for each experiment.

    Parameters
    ----------
    a, b : array_like, shape (..., n_a) and (..., n_b)
        Tumour counts (count per liver); NaN marks a missing animal.

    Returns
    -------
    numpy.ndarray, shape (...)
        Two-sided p-values in [0, 1] (NaN where a group is empty).

    Examples
    --------
    >>> float(mann_whitney([1, 2, 3, 4], [5, 6, 7, 8]).round(4))
    0.0304
    """
    a, b = paired_counts(a, b)
    va, vb = ~np.isnan(a), ~np.isnan(b)
    n1, n2 = va.sum(-1).astype(float), vb.sum(-1).astype(float)
    n = n1 + n2
    both = np.concatenate([a, b], axis=-1)
    ranks, ties = _counted_ranks(both) or _average_ranks(both)
    r1 = np.where(va, ranks[..., : a.shape[-1]], 0.0).sum(-1)
    valid = np.concatenate([va, vb], axis=-1)
    tie_term = np.where(valid, ties**2 - 1.0, 0.0).sum(-1)  # sum over tie groups of t^3 - t
    u1 = r1 - n1 * (n1 + 1) / 2.0
    u = np.maximum(u1, n1 * n2 - u1)
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(n1 * n2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1))))
        z = (u - n1 * n2 / 2.0 - 0.5) / sd
        p = np.clip(2.0 * special.ndtr(-z), 0.0, 1.0)
    p = np.where(sd > 0, p, 1.0)  # every value tied: no evidence of a difference
    return np.where((n1 > 0) & (n2 > 0), p, np.nan)


def welch_t_log(a, b) -> np.ndarray:
    """Two-sided Welch t-test on ``log(count + 1)``: the "naive" comparison.

    Parameters
    ----------
    a, b : array_like, shape (..., n_a) and (..., n_b)
        Tumour counts (count per liver); NaN marks a missing animal.

    Returns
    -------
    numpy.ndarray, shape (...)
        p-values in [0, 1]; NaN where a group has fewer than 2 animals. Two groups with no
        spread at all give 1 when their means agree and 0 when they differ.

    Examples
    --------
    >>> float(welch_t_log([10, 12, 15, 9], [3, 4, 2, 5]).round(4))
    0.0019
    """
    a, b = paired_counts(a, b)
    la, lb = np.log1p(a), np.log1p(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        n1, n2 = (~np.isnan(la)).sum(-1), (~np.isnan(lb)).sum(-1)
        m1, m2 = np.nansum(la, -1) / n1, np.nansum(lb, -1) / n2
        v1 = np.nansum((la - m1[..., None]) ** 2, -1) / (n1 - 1) / n1
        v2 = np.nansum((lb - m2[..., None]) ** 2, -1) / (n2 - 1) / n2
        se2 = v1 + v2
        t = (m1 - m2) / np.sqrt(se2)
        df = se2**2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
        p = 2.0 * special.stdtr(df, -np.abs(t))
    p = np.where(se2 > 0, p, np.where(m1 == m2, 1.0, 0.0))
    return np.where((n1 > 1) & (n2 > 1), np.clip(p, 0.0, 1.0), np.nan)


def negative_binomial_lrt(a, b, *, reference: str = "F") -> np.ndarray:
    """Likelihood-ratio test of equal means for negative binomial counts with a shared k.

    Under H1 each group has its own mean, under H0 one common mean; in both, the dispersion
    ``k`` is fitted by maximum likelihood (the MLE of each mean is its sample mean). The
    statistic is twice the log-likelihood difference. Underdispersed data (variance below the
    mean) use the Poisson limit (k = inf); groups that are all zero give no NaN.

    The textbook reference distribution, chi-square with 1 degree of freedom
    (``reference="chi2"``), is too liberal for small groups because k is estimated: for NB
    counts with mean 14.6 and k = 3 its false-positive rate at alpha 0.05 is about 0.07 with
    10 mice per group and 0.09 with 5 (20,000 simulated experiments). The default
    ``reference="F"`` reads the statistic against F(1, N - 2), N = all animals (the t-test's
    small-sample correction), which keeps the rate at about 0.045-0.05 from n = 5 up.

    Parameters
    ----------
    a, b : array_like, shape (..., n_a) and (..., n_b)
        Whole-number tumour counts (count per liver); NaN marks a missing animal.
    reference : {"F", "chi2"}
        Distribution the statistic is compared with (see above).

    Returns
    -------
    numpy.ndarray, shape (...)
        p-values in [0, 1] (NaN where a group is empty).

    Examples
    --------
    >>> float(negative_binomial_lrt([12, 20, 9, 15, 30], [4, 2, 6, 1, 3]).round(4))
    0.0058
    >>> float(negative_binomial_lrt([12, 20, 9, 15, 30], [4, 2, 6, 1, 3], reference="chi2").round(4))
    0.0001
    >>> float(negative_binomial_lrt([0, 0, 0], [0, 0, 0]))
    1.0
    """
    reference = require_name("reference distribution", reference, ("F", "chi2"))
    fit = fit_negative_binomial(a, b)
    if reference == "chi2":
        return special.chdtrc(1.0, fit["stat"])
    df = np.maximum(fit["n_a"] + fit["n_b"] - 2.0, 1.0)
    return special.fdtrc(1.0, df, fit["stat"])


#: The tests by the names a widget shows.
TESTS: dict[str, Callable[..., np.ndarray]] = {
    "Mann-Whitney": mann_whitney,
    "negative binomial LRT": negative_binomial_lrt,
    "Welch t on log(count+1)": welch_t_log,
}
