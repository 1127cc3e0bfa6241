"""Tumour counts: checking them, drawing them and fitting them with a negative binomial.

Tumour counts per liver are overdispersed: the variance is far larger than the mean, and a
negative binomial (gamma-Poisson) distribution describes them well (Drinkwater & Klotz, Cancer
Res 1981;41:113, PMID:7448751). Each animal gets a gamma "frailty" with mean 1 and shape ``k``
that scales its Poisson mean, so the variance is ``mean + mean**2 / k``; ``k = inf`` gives
Poisson counts.

- `negative_binomial` draws counts (used by the virtual liver and the experiment simulator);
- `fit_negative_binomial` fits two groups with a shared ``k`` by maximum likelihood, for many
  experiments at once (`course_lib.models.count_tests.negative_binomial_lrt` builds on it);
- `paired_counts` checks two groups of counts and lines up their experiment axes.

>>> fit = fit_negative_binomial([12, 20, 9, 15, 30], [4, 2, 6, 1, 3])
>>> round(float(fit["k1"][()]), 2) > 1
True
"""

from __future__ import annotations

import numpy as np
from scipy import special

from course_lib.errors import CourseTypeError, CourseValueError, ShapeError

__all__ = ["fit_negative_binomial", "negative_binomial", "paired_counts", "require_k"]

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


def paired_counts(a: object, b: object) -> tuple[np.ndarray, np.ndarray]:
    """Two groups of counts as float arrays with broadcast experiment (leading) axes.

    Animals go on the last axis; NaN marks a missing animal.

    >>> a, b = paired_counts([[1, 2], [3, 4]], [5, 6, 7])
    >>> a.shape, b.shape
    ((2, 2), (2, 3))
    """
    a, b = _as_counts("a", a), _as_counts("b", b)
    try:
        lead = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    except ValueError:
        raise ShapeError(
            f"the leading (experiment) axes of a {a.shape} and b {b.shape} do not broadcast; "
            "animals go on the last axis, experiments on the axes before it."
        ) from None
    return (np.broadcast_to(a, (*lead, a.shape[-1])), np.broadcast_to(b, (*lead, b.shape[-1])))


# ---------------------------------------------------------------------------------------------
# Maximum-likelihood fit of a negative binomial with a shared k
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
    return {"mean_a": ma, "mean_b": mb, "n_a": na, "n_b": nb, "k1": k1, "k0": k0, "stat": stat}


def fit_negative_binomial(a, b) -> dict[str, np.ndarray]:
    """Negative binomial fits of two groups of counts with a shared size ``k``.

    Parameters
    ----------
    a, b : array_like
        Tumour counts (count) of each group along the last axis; leading axes are separate
        experiments; NaN marks a missing animal.

    Returns
    -------
    dict of numpy.ndarray, each shaped like the leading axes
        ``mean_a``, ``mean_b`` (count), ``n_a``, ``n_b`` (animals), ``k1`` (size under H1:
        separate means), ``k0`` (under H0: one mean) and ``stat`` (the LRT statistic).

    Examples
    --------
    >>> fit = fit_negative_binomial([12, 20, 9, 15, 30], [4, 2, 6, 1, 3])
    >>> float(fit["mean_a"][()]), float(fit["mean_b"][()]), int(fit["n_a"][()])
    (17.2, 3.2, 5)
    """
    a, b = paired_counts(a, b)
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
    parts = [
        _nb_fit_rows(y[i : i + step], w[i : i + step], a.shape[-1])
        for i in range(0, y.shape[0], step)
    ]
    return {key: np.concatenate([p[key] for p in parts]).reshape(lead) for key in parts[0]}


def require_k(k) -> float:
    """``k`` (negative binomial size) as a float, after checking it is a number > 0.

    ``numpy.inf`` is allowed (Poisson counts).

    >>> require_k(3)
    3.0
    >>> require_k(0)
    Traceback (most recent call last):
    ...
    course_lib.errors.CourseValueError: k must be a number > 0 (negative binomial size); got 0. Use e.g. k=3 for DEN liver tumours, or numpy.inf for Poisson counts.
    """
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
    k = require_k(k)
    shape = mean.shape if size is None else size
    lam = np.broadcast_to(mean, shape)
    if np.isfinite(k):
        lam = lam * rng.gamma(k, 1.0 / k, size=shape)
    return rng.poisson(lam)
