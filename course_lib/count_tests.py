"""Statistical tests for tumour counts, run on many simulated experiments at once.

Tumour counts per liver are overdispersed: the variance is far larger than the mean, and a
negative binomial (gamma-Poisson) distribution describes them well (Drinkwater & Klotz, Cancer
Res 1981;41:113, PMID:7448751). This module compares two groups of counts three ways:

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

from course_lib.errors import CourseTypeError, CourseValueError, ShapeError, require_name

__all__ = ["TESTS", "mann_whitney", "negative_binomial", "negative_binomial_lrt", "welch_t_log"]

_K_MIN = 1e-6  # the dispersion search runs over k in [_K_MIN, _K_MAX]
_K_MAX = 1e8  # above this the data are treated as Poisson (k -> infinity)


def _as_counts(name: str, value: object) -> np.ndarray:
    """``value`` as a float array with at least one axis; NaN marks a missing animal."""
    arr = None if isinstance(value, str | bytes) or value is None else np.asarray(value)
    if arr is None or arr.dtype.kind not in "iuf":
        raise CourseTypeError(
            f"{name} must be an array of tumour counts (number per liver); got {value!r}. "
            f"Pass numbers, e.g. {name}=[12, 7, 20], with NaN for a missing animal."
        )
    arr = np.atleast_1d(arr.astype(float))
    if np.any(np.isinf(arr) | (arr < 0)):
        bad = float(arr[np.isinf(arr) | (arr < 0)].flat[0])
        raise CourseValueError(
            f"{name} contains the count {bad}; tumour counts are finite and >= 0. Check the "
            "data, and use NaN for a missing animal."
        )
    return arr


def _pair(a: object, b: object) -> tuple[np.ndarray, np.ndarray]:
    a, b = _as_counts("a", a), _as_counts("b", b)
    try:
        lead = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    except ValueError:
        raise ShapeError(
            f"the leading (experiment) axes of a {a.shape} and b {b.shape} do not broadcast; "
            "animals go on the last axis, experiments on the axes before it."
        ) from None
    return (np.broadcast_to(a, (*lead, a.shape[-1])), np.broadcast_to(b, (*lead, b.shape[-1])))


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
    a, b = _pair(a, b)
    va, vb = ~np.isnan(a), ~np.isnan(b)
    n1, n2 = va.sum(-1).astype(float), vb.sum(-1).astype(float)
    n = n1 + n2
    ranks, ties = _average_ranks(np.concatenate([a, b], axis=-1))
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
    a, b = _pair(a, b)
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


# ---------------------------------------------------------------------------------------------
# Negative binomial likelihood ratio test
#
# With each group mean at its MLE (the sample mean), the log-likelihood in k needs only
#   A(k) = sum_i [psi(y_i + k) - psi(k)],  B(k) = -dA/dk,  G(k) = sum_i [lnG(y_i + k) - lnG(k)].
# For whole-number counts these are sums over j < y_i of 1/(k + j), 1/(k + j)^2 and
# log(k + j): a table c_j = #(animals with y > j) turns them into cheap dot products.

_TABLE_LIMIT = 4_000_000  # cells (experiments x largest count) per block of experiments


class _Sums:
    """A(k), B(k) and G(k) for every experiment (rows), from whole-number counts ``y``."""

    def __init__(self, y: np.ndarray, w: np.ndarray) -> None:
        top = int(y.max(initial=0))
        flat = (np.arange(y.shape[0])[:, None] * (top + 1) + y).astype(np.int64)
        hist = np.bincount(flat.ravel(), w.ravel(), y.shape[0] * (top + 1))
        hist = hist.reshape(-1, top + 1)
        self.c = np.cumsum(hist[:, ::-1], axis=1)[:, ::-1][:, 1:]  # c_j = #(y > j), j < top
        self.j = np.arange(top, dtype=float)

    def __call__(self, k: np.ndarray, need: str = "AB", rows=slice(None)) -> dict[str, np.ndarray]:
        out, c = {}, self.c[rows]
        inv = 1.0 / (k[..., None] + self.j)
        if "A" in need:
            out["A"] = (c * inv).sum(-1)
        if "B" in need:
            out["B"] = (c * inv * inv).sum(-1)
        if "G" in need:
            out["G"] = (c * np.log(k[..., None] + self.j)).sum(-1)
        return out


def _nb_dispersion(sums: _Sums, n: np.ndarray, m: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Maximum-likelihood k given group sizes ``n`` and means ``m`` (last axis = groups).

    The score ``A(k) - sum_g n_g log(1 + m_g / k)`` is solved by Newton's method in log k inside
    a shrinking bracket (bisection when a Newton step would leave it). Rows whose score is still
    positive at k = 1e8 are underdispersed or Poisson-like, and rows without a single tumour
    have no information on k: both get k = inf, the Poisson limit.
    """

    def score(u, rows=slice(None)):
        k, nr, mr = np.exp(u)[:, None], n[rows], m[rows]
        s = sums(k[:, 0], "AB", rows)
        f = s["A"] - (nr * np.log1p(mr / k)).sum(-1)
        df = -s["B"] + (nr * mr / (k * (k + mr))).sum(-1)
        return f, df * k[:, 0]

    poisson = (score(np.full(total.shape, np.log(_K_MAX)))[0] >= 0) | (total == 0)
    # start from the moment estimate k = mean^2 / (variance - mean)
    mean = (n * m).sum(-1) / np.maximum(n.sum(-1), 1.0)
    second = (sums.c * (2.0 * sums.j + 1.0)).sum(-1) / np.maximum(n.sum(-1), 1.0)  # mean y^2
    excess = second - mean**2 - mean
    guess = np.where(excess > 0, mean**2 / np.where(excess > 0, excess, 1.0), 1.0)
    u = np.log(np.clip(guess, 10 * _K_MIN, _K_MAX / 10))
    idx = np.flatnonzero(~poisson)
    lo, hi = np.full(idx.size, np.log(_K_MIN)), np.full(idx.size, np.log(_K_MAX))
    for _ in range(200):
        if idx.size == 0:
            break
        ui = u[idx]
        f, df = score(ui, idx)
        lo, hi = np.where(f > 0, ui, lo), np.where(f <= 0, ui, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = ui - f / df
        ok = (df < 0) & (step > lo) & (step < hi)
        new = np.where(ok, step, 0.5 * (lo + hi))
        u[idx] = new
        going = (np.abs(new - ui) > 1e-9) & (hi - lo > 1e-9)
        idx, lo, hi = idx[going], lo[going], hi[going]
    return np.where(poisson, np.inf, np.exp(u))


def _nb_loglik(sums: _Sums, n: np.ndarray, m: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Log-likelihood without the constant -sum log(y!), which cancels in the LRT."""
    s = n * m  # tumours per group
    pois = (special.xlogy(s, m) - s).sum(-1)
    kf = np.where(np.isinf(k), 1.0, k)[..., None]
    nb = sums(kf[..., 0], "G")["G"] + (
        -n * kf * np.log1p(m / kf) + special.xlogy(s, m) - special.xlogy(s, m + kf)
    ).sum(-1)
    return np.where(np.isinf(k), pois, nb)


def _compact(x: np.ndarray) -> np.ndarray:
    """Sort each row with NaN last and drop columns that are NaN in every row."""
    x = np.sort(x, axis=-1)
    keep = max(int((~np.isnan(x)).sum(-1).max(initial=0)), 1)
    return x[..., :keep]


def _nb_fit_rows(y: np.ndarray, w: np.ndarray, n_a: int) -> dict[str, np.ndarray]:
    """NB fits for 2-D rows of counts ``y`` (first ``n_a`` columns: group a; ``w`` = present)."""
    wy = w * y
    na, nb = w[:, :n_a].sum(-1), w[:, n_a:].sum(-1)
    sa, sb = wy[:, :n_a].sum(-1), wy[:, n_a:].sum(-1)
    ma, mb = sa / np.maximum(na, 1.0), sb / np.maximum(nb, 1.0)
    n1, m1 = np.stack([na, nb], -1), np.stack([ma, mb], -1)
    n0, m0 = (na + nb)[:, None], ((sa + sb) / np.maximum(na + nb, 1.0))[:, None]
    sums, total = _Sums(y, w), sa + sb
    k1, k0 = _nb_dispersion(sums, n1, m1, total), _nb_dispersion(sums, n0, m0, total)
    stat = 2.0 * (_nb_loglik(sums, n1, m1, k1) - _nb_loglik(sums, n0, m0, k0))
    stat = np.where((na == 0) | (nb == 0), np.nan, np.maximum(stat, 0.0))
    return {"mean_a": ma, "mean_b": mb, "n_a": na, "n_b": nb, "k1": k1, "k0": k0,
            "stat": stat}  # fmt: skip


def _nb_fit(a, b) -> dict[str, np.ndarray]:
    """NB fits with a shared k, in blocks of experiments: group means and sizes, k under H1
    (``k1``) and H0 (``k0``), and the LRT statistic, each shaped like the leading axes."""
    a, b = _pair(a, b)
    a, b = _compact(a), _compact(b)
    if np.any(np.nan_to_num(a) % 1) or np.any(np.nan_to_num(b) % 1):
        raise CourseValueError(
            "the negative binomial test needs whole-number counts (tumours per liver); got "
            "fractional values. Round the counts, or use mann_whitney for measured quantities."
        )
    lead = a.shape[:-1]
    y = np.concatenate([a, b], axis=-1).reshape(-1, a.shape[-1] + b.shape[-1])
    w = (~np.isnan(y)).astype(float)
    y = np.nan_to_num(y)
    step = max(1, _TABLE_LIMIT // (int(y.max(initial=0)) + 1))
    parts = [_nb_fit_rows(y[i : i + step], w[i : i + step], a.shape[-1])
             for i in range(0, y.shape[0], step)]  # fmt: skip
    return {key: np.concatenate([p[key] for p in parts]).reshape(lead) for key in parts[0]}


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
    fit = _nb_fit(a, b)
    if reference == "chi2":
        return special.chdtrc(1.0, fit["stat"])
    df = np.maximum(fit["n_a"] + fit["n_b"] - 2.0, 1.0)
    return special.fdtrc(1.0, df, fit["stat"])


def _check_k(k) -> float:
    """``k`` as a float after checking it is a number > 0 (inf allowed: Poisson)."""
    number = isinstance(k, int | float | np.integer | np.floating) and not isinstance(k, bool)
    if not number or not k > 0:
        raise CourseValueError(
            f"k must be a number > 0 (negative binomial size); got {k!r}. "
            "Use e.g. k=3 for DEN liver tumours, or numpy.inf for Poisson counts."
        )
    return float(k)


def negative_binomial(mean, k: float, size=None, rng=None) -> np.ndarray:
    """Draw negative binomial counts as a gamma-Poisson mixture.

    Each animal gets a gamma "frailty" with mean 1 and shape ``k`` that scales its Poisson
    mean, so the variance is ``mean + mean**2 / k``.

    Parameters
    ----------
    mean : float or array_like
        Mean count per liver (count), >= 0; broadcasts against ``size``.
    k : float
        Size (dispersion) parameter, > 0; ``numpy.inf`` gives Poisson counts.
    size : int or tuple of int, optional
        Output shape (default: the shape of ``mean``).
    rng : numpy.random.Generator, int or None
        Random generator or seed.

    Returns
    -------
    numpy.ndarray of int

    Examples
    --------
    >>> x = negative_binomial(14.6, 3.0, size=20000, rng=1)
    >>> round(float(x.mean()), 0), round(float(x.var() / x.mean()), 0)
    (15.0, 6.0)
    """
    rng = np.random.default_rng(rng)
    mean = np.asarray(mean, dtype=float)
    if not np.all(np.isfinite(mean)) or np.any(mean < 0):
        raise CourseValueError(
            f"mean must be finite and >= 0 (tumours per liver); got {mean!r}. "
            "Pass the expected number of tumours, e.g. 14.6."
        )
    k = _check_k(k)
    shape = mean.shape if size is None else size
    lam = np.broadcast_to(mean, shape)
    if np.isfinite(k):
        lam = lam * rng.gamma(k, 1.0 / k, size=shape)
    return rng.poisson(lam)


#: The tests by the names a widget shows.
TESTS: dict[str, Callable[..., np.ndarray]] = {
    "Mann-Whitney": mann_whitney,
    "negative binomial LRT": negative_binomial_lrt,
    "Welch t on log(count+1)": welch_t_log,
}
