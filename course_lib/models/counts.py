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
#   A(k) = sum_i [psi(y_i + k) - psi(k)],  G(k) = sum_i [lnG(y_i + k) - lnG(k)],
# and the root finding for k needs A's first two derivatives. For whole-number counts these
# are sums over j < y_i of 1/(k + j), 1/(k + j)^2, 1/(k + j)^3 and log(k + j): a table
# c_j = #(animals with y > j), one column per fit, turns them into cheap matrix products.
# Each experiment has two fits, under H1 (two means) and H0 (one), solved together.

_TABLE_LIMIT = 2_000_000  # cells (experiments x largest count) per block of experiments
# A fit has converged when its step in log k is below _U_TOL (Halley's method converges
# cubically: the error left after a step s is of order s**3, here ~1e-12), or when its score is
# zero to rounding (|score| below _F_TOL times A(k)).
_U_TOL = 1e-4
_F_TOL = 1e-13
_MAX_STEP = 2.0  # largest fallback (bisection) step in log k, for a poor start
_PAIR = np.ones(2)  # sums over a fit's two groups (H0 fits have an empty second group)
# |D| (see _nb_dispersion) at most _NEAR_POISSON * sum y^3: the sign of the score at _K_MAX is
# not settled by its leading term -D / (2 k^2), so it is computed.
_NEAR_POISSON = 1e3 / _K_MAX


def _table(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """c_j = #(animals with y > j) for j < max y (rows) and each experiment (columns).

    ``y`` holds whole-number counts, one experiment per row; ``w`` is 1 where an animal is
    present and 0 where it is missing.
    """
    top = int(y.max(initial=0))
    flat = (np.arange(y.shape[0])[:, None] * (top + 1) + y).astype(np.int64)
    hist = np.bincount(flat.ravel(), w.ravel(), y.shape[0] * (top + 1))
    hist = hist.reshape(-1, top + 1)
    return np.cumsum(hist[:, ::-1], axis=1)[:, -2::-1].T.copy()


def _nb_score(c: np.ndarray, n: np.ndarray, m: np.ndarray, u: np.ndarray) -> tuple:
    """The score in k, and two derivatives of k times the score, at k = exp(u) (one per fit).

    ``c`` holds the table columns of the fits, ``n`` and ``m`` their group sizes and means.
    Returns the score ``f = A - sum_g n_g log(1 + m_g / k)``, ``d(k f)/du / k`` and
    ``d2(k f)/du2 / k``, and ``A`` (the size of the rounding error of ``f``).
    """
    k = np.exp(u)
    inv = np.add(np.arange(c.shape[0], dtype=float)[:, None], k)
    np.divide(1.0, inv, out=inv)  # 1 / (k + j)
    ones, t = np.ones(c.shape[0]), c * inv
    a = ones @ t
    t *= inv
    b = ones @ t
    t *= inv
    c3 = ones @ t
    r = m / k[:, None]
    q = n * r / (1.0 + r)  # n m / (k + m)
    f = a - (n * np.log1p(r)) @ _PAIR
    kf1 = q @ _PAIR - k * b  # k df/dk
    k2f2 = 2.0 * k * k * c3 - (q * (2.0 + r) / (1.0 + r)) @ _PAIR  # k^2 d2f/dk2
    return f, f + kf1, f + 3.0 * kf1 + k2f2, a


def _nb_dispersion(c: np.ndarray, n: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Maximum-likelihood k of each fit: table columns ``c``, group sizes ``n`` and means ``m``.

    The score ``A(k) - sum_g n_g log(1 + m_g / k)`` has one root when the variance exceeds the
    mean. It is solved by Halley's method for k times the score, in log k, from the moment
    estimate, inside a shrinking bracket (a bisection step of at most `_MAX_STEP` when a Halley
    step would leave it). Fits whose score is still >= 0 at k = 1e8 (there its sign is that of
    -D unless D is near 0) are underdispersed or Poisson-like, and fits without a single tumour
    have no information on k: both get k = inf, the Poisson limit.
    """
    j = np.arange(c.shape[0], dtype=float)
    total, spread = (n * m) @ _PAIR, (n * m * m) @ _PAIR
    # D = sum_g sum_i (y_i - m_g)^2 - sum y; at large k the score is -D / (2 k^2) + O(y^3 / k^3)
    excess = (2.0 * j + 1.0) @ c - total - spread
    poisson = (excess <= 0) | (total == 0)
    near = np.abs(excess) <= _NEAR_POISSON * ((3.0 * j * (j + 1.0) + 1.0) @ c)
    if near.any():
        top = np.full(np.count_nonzero(near), np.log(_K_MAX))
        poisson[near] = (_nb_score(c[:, near], n[near], m[near], top)[0] >= 0) | (total[near] == 0)
    # start from the moment estimate 1/k = D / sum_g n_g m_g^2
    idx = np.flatnonzero(~poisson)
    u = np.full(total.shape, np.log(_K_MAX))
    # (D can be 0 or below here when the exact score at k = 1e8 still said "not Poisson")
    start = np.full(idx.size, _K_MAX / 10)
    np.divide(spread[idx], excess[idx], out=start, where=excess[idx] > 0)
    ui = np.log(np.clip(start, 10 * _K_MIN, _K_MAX / 10))
    lo, hi = np.full(idx.size, np.log(_K_MIN)), np.full(idx.size, np.log(_K_MAX))
    c, n, m = c[:, idx], n[idx], m[idx]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(200):
            if idx.size == 0:
                break
            f, g1, g2, a = _nb_score(c, n, m, ui)
            up = f > 0
            lo, hi = np.where(up, ui, lo), np.where(up, hi, ui)
            new = ui - f * g1 / (g1 * g1 - 0.5 * f * g2)
            ok = (g1 < 0) & (new >= lo) & (new <= hi)
            if not ok.all():
                bisect = np.clip(0.5 * (lo + hi), ui - _MAX_STEP, ui + _MAX_STEP)
                new = np.where(ok, new, bisect)
            u[idx] = new
            going = (np.abs(new - ui) > _U_TOL) & (np.abs(f) > _F_TOL * a)
            if not going.all():
                idx, new, lo, hi = idx[going], new[going], lo[going], hi[going]
                c, n, m = c[:, going], n[going], m[going]
            ui = new
    return np.where(poisson, np.inf, np.exp(u))


def _nb_loglik(c: np.ndarray, n: np.ndarray, m: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Log-likelihood without the constant -sum log(y!), which cancels in the LRT."""
    s = n * m  # tumours per group
    slogm = special.xlogy(s, m)
    pois = (slogm - s) @ _PAIR
    kf = np.where(np.isinf(k), 1.0, k)
    g = np.einsum("ij,ij->j", c, np.log(np.arange(c.shape[0], dtype=float)[:, None] + kf))
    kc = kf[:, None]
    nb = g + (slogm - n * kc * np.log1p(m / kc) - s * np.log(m + kc)) @ _PAIR
    return np.where(np.isinf(k), pois, nb)


def _compact(x: np.ndarray) -> np.ndarray:
    """Sort each row with NaN last and drop columns that are NaN in every row."""
    x = np.sort(x, axis=-1)
    keep = max(int((~np.isnan(x)).sum(-1).max(initial=0)), 1)
    return x[..., :keep]


def _nb_fit_rows(y: np.ndarray, w: np.ndarray, n_a: int) -> dict[str, np.ndarray]:
    """NB fits for 2-D rows of counts ``y`` (first ``n_a`` columns: group a; ``w`` = present).

    The fits under H1 (means ``ma``, ``mb``) and H0 (one mean; its second group is empty) of
    all experiments are solved together.
    """
    wy = w * y
    na, nb = w[:, :n_a].sum(-1), w[:, n_a:].sum(-1)
    sa, sb = wy[:, :n_a].sum(-1), wy[:, n_a:].sum(-1)
    ma, mb = sa / np.maximum(na, 1.0), sb / np.maximum(nb, 1.0)
    m0, none = (sa + sb) / np.maximum(na + nb, 1.0), np.zeros_like(na)
    n = np.concatenate([np.stack([na, nb], -1), np.stack([na + nb, none], -1)])
    m = np.concatenate([np.stack([ma, mb], -1), np.stack([m0, none], -1)])
    c = _table(y, w)
    c = np.concatenate([c, c], axis=1)
    k = _nb_dispersion(c, n, m)
    ll = _nb_loglik(c, n, m, k)
    rows = y.shape[0]
    stat = 2.0 * (ll[:rows] - ll[rows:])
    stat = np.where((na == 0) | (nb == 0), np.nan, np.maximum(stat, 0.0))
    return {
        "mean_a": ma,
        "mean_b": mb,
        "n_a": na,
        "n_b": nb,
        "k1": k[:rows],
        "k0": k[rows:],
        "stat": stat,
    }


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
    lead = a.shape[:-1]
    y = np.concatenate([a, b], axis=-1).reshape(-1, a.shape[-1] + b.shape[-1])
    present = ~np.isnan(y)
    y = np.where(present, y, 0.0)
    if np.any(np.floor(y) != y):
        raise CourseValueError(
            "the negative binomial test needs whole-number counts (tumours per liver); got "
            "fractional values. Round the counts, or use mann_whitney for measured quantities."
        )
    w = present.astype(float)
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
