"""Bracketed root finding for many monotone equations at once (used by `binding`).

Each element has its own bracket [lo, hi] on which its function changes sign once, from + to
-. Steps run in log space (brackets may span many orders of magnitude), take the Illinois
false-position point, and fall back to bisection when a bracket stops shrinking; elements
leave the loop as they converge. A single element runs the same steps on Python floats.

A bracket without that sign change raises `course_lib.errors.CourseValueError`:

>>> def falling(x, i=None):  # 1 - x, with the size of its terms
...     return 1.0 - x, np.maximum(1.0, x)
>>> solve_decreasing(falling, np.array([0.5, 0.1]), np.array([2.0, 3.0]))
array([1., 1.])
>>> solve_decreasing(falling, np.array([0.5, 2.0]), np.array([2.0, 5.0]))
Traceback (most recent call last):
...
course_lib.errors.CourseValueError: solve_decreasing needs a bracket [lo, hi] on which the function falls through zero, from > 0 at lo to < 0 at hi; 1 of 2 brackets fail, e.g. element 1: f(lo=2) = -1, f(hi=5) = -4: both negative, so the root lies below lo. Lower lo until f(lo) > 0, so that the bracket holds the root.
"""

from __future__ import annotations

import math

import numpy as np

from course_lib.errors import CourseValueError

__all__ = ["solve_decreasing", "solve_decreasing_near"]

_MAX_STEPS = 100  # Illinois steps; typical solves need 10 to 20
_LOG_TOL = 1e-14  # relative width of the final bracket
_REL_TOL = 1e-13  # a residual this small relative to its terms counts as zero
_SPREAD = 10.0  # `solve_decreasing_near` tries [guess / _SPREAD, guess * _SPREAD] first


def solve_decreasing(func, lo, hi, *, rel_tol=_REL_TOL, log_tol=_LOG_TOL):
    """Root of a function that changes sign once, from + to -, on [lo, hi] (1-D, 0 < lo).

    ``func(x, i)`` evaluates the function at ``x`` for the elements ``i`` (all when ``i`` is
    None) and returns it with its scale (the size of the terms it is the difference of), so
    that a value within rounding of zero ends the search. Works in log space, so brackets
    spanning many orders of magnitude cost little. Each step takes the regula falsi point
    inside the bracket (Illinois variant: the end that stays put has its value halved, so
    both ends move); elements leave the loop as soon as their bracket is narrower than a
    relative ``log_tol``.

    A root at an end is returned as that end. An end counts as a root when its value is zero
    within ``rel_tol`` of its scale, when the secant through both ends puts the root within
    ``log_tol`` of it (the precision promised anyway), or when the bracket is narrower than
    ``log_tol``. Any other bracket without a sign change from + to -, or with a function that
    is NaN at an end, raises `CourseValueError`.

    Parameters
    ----------
    func : callable
        ``func(x, i)`` -> ``(value, scale)``, arrays shaped like ``x``.
    lo, hi : numpy.ndarray
        1-D brackets, ``0 < lo <= hi`` (a ``lo`` above ``hi`` is taken as ``hi``).
    rel_tol : float
        A value within ``rel_tol`` of its scale counts as zero.
    log_tol : float
        Relative width of the final bracket in log space.

    Returns
    -------
    numpy.ndarray
        The roots, shaped like ``lo``.
    """
    lo = np.minimum(lo, hi)
    if lo.size == 1:  # one condition: the same steps on Python floats, without array overhead
        return np.array([_solve_one(func, float(lo[0]), float(hi[0]), rel_tol, log_tol)])
    a, b = np.log(lo), np.log(hi)
    (fa, sa), (fb, sb) = func(lo), func(hi)
    root = np.where(fa <= 0, lo, hi)  # a root at an end, within rounding
    bracketed = (fa > 0) & (fb < 0)
    if not np.all(bracketed):
        _check_ends(lo, hi, fa, sa, fb, sb, rel_tol, log_tol)
    idx = np.flatnonzero(bracketed)
    return _illinois(func, root, idx, a[idx], b[idx], fa[idx], fb[idx], rel_tol, log_tol)


def solve_decreasing_near(func, guess, lo, hi, *, rel_tol=_REL_TOL, log_tol=_LOG_TOL):
    """`solve_decreasing` started from a ``guess`` of each root, with [lo, hi] as the fallback.

    Each element first tries the bracket [guess / 10, guess * 10] (inside [lo, hi]); where the
    function does not fall through zero on it (a poor guess, or one that is not a positive
    number), that element is solved on its full bracket [lo, hi] by `solve_decreasing`, with
    its checks and errors. The roots agree with `solve_decreasing` on [lo, hi] to the same
    ``log_tol``; a good guess saves the steps that narrow a wide bracket down to it.

    >>> def falling(x, i=None):  # 1 - x, with the size of its terms
    ...     return 1.0 - x, np.maximum(1.0, x)
    >>> lo, hi = np.array([1e-30, 1e-30]), np.array([1e3, 1e3])
    >>> solve_decreasing_near(falling, np.array([0.9, np.nan]), lo, hi)
    array([1., 1.])
    """
    lo = np.minimum(lo, hi)
    with np.errstate(invalid="ignore", over="ignore"):
        usable = np.isfinite(guess) & (guess > 0)
        near_lo = np.maximum(lo, np.minimum(guess / _SPREAD, hi / _SPREAD))
        near_hi = np.minimum(hi, np.maximum(guess * _SPREAD, lo * _SPREAD))
    near_lo, near_hi = np.where(usable, near_lo, lo), np.where(usable, near_hi, hi)
    (fa, _), (fb, _) = func(near_lo), func(near_hi)
    inside = (fa > 0) & (fb < 0)
    root = np.empty(lo.shape)
    idx = np.flatnonzero(inside)
    if idx.size:
        a, b = np.log(near_lo[idx]), np.log(near_hi[idx])
        _illinois(func, root, idx, a, b, fa[idx], fb[idx], rel_tol, log_tol)
    rest = np.flatnonzero(~inside)
    if rest.size:
        root[rest] = solve_decreasing(
            lambda x, i=None: func(x, rest if i is None else rest[i]),
            lo[rest],
            hi[rest],
            rel_tol=rel_tol,
            log_tol=log_tol,
        )
    return root


def _illinois(func, root, idx, a_, b_, fa_, fb_, rel_tol, log_tol):
    """The vectorised steps of `solve_decreasing`: the elements ``idx`` of ``root`` from their
    log brackets [a_, b_] with end values fa_ > 0 > fb_; ``root`` is filled in and returned."""
    side = np.zeros(idx.size, dtype=np.int8)  # which end moved last: -1 a, +1 b
    widths = (b_ - a_, b_ - a_)  # bracket widths one and two steps ago
    for _ in range(_MAX_STEPS):
        if idx.size == 0:
            break
        mid = 0.5 * (a_ + b_)
        x = b_ - fb_ * (b_ - a_) / (fb_ - fa_)  # false position in log x
        # The (Illinois) false-position point, unless the bracket shrank by less than half
        # over the last two steps: then bisect, so the worst case is half-speed bisection.
        stalled = (b_ - a_) > 0.5 * widths[1]
        use_mid = stalled | ~((x > a_) & (x < b_))
        widths = (b_ - a_, widths[0])
        x = np.where(use_mid, mid, x)
        fx, scale = func(np.exp(x), idx)
        right = fx > 0  # the root lies right of x: x replaces a
        # Illinois: an end kept twice in a row has its value halved, so it moves next time.
        fa_ = np.where(~right & (side == 1), 0.5 * fa_, fa_)
        fb_ = np.where(right & (side == -1), 0.5 * fb_, fb_)
        a_, fa_ = np.where(right, x, a_), np.where(right, fx, fa_)
        b_, fb_ = np.where(right, b_, x), np.where(right, fb_, fx)
        side = np.where(right, -1, 1).astype(np.int8)
        zero = np.abs(fx) <= rel_tol * scale
        done = zero | (b_ - a_ <= log_tol * np.maximum(1.0, np.abs(a_)))
        if np.any(done):
            root[idx[done]] = np.exp(np.where(zero, x, 0.5 * (a_ + b_)))[done]
            keep = ~done
            idx, a_, b_, fa_, fb_, side = (v[keep] for v in (idx, a_, b_, fa_, fb_, side))
            widths = (widths[0][keep], widths[1][keep])
    root[idx] = np.exp(0.5 * (a_ + b_))  # out of steps (not seen in tests): the midpoint
    return root


def _solve_one(func, lo: float, hi: float, rel_tol: float, log_tol: float) -> float:
    """`solve_decreasing` for a single element (same method, scalar arithmetic)."""
    one = np.zeros(1, dtype=np.intp)

    def f(x: float) -> tuple[float, float]:
        value, scale = func(np.array([x]), one)
        return float(value[0]), float(scale[0])

    (fa, sa), (fb, sb) = f(lo), f(hi)
    if not (fa > 0 and fb < 0):
        _check_ends(*(np.array([v]) for v in (lo, hi, fa, sa, fb, sb)), rel_tol, log_tol)
        return lo if fa <= 0 else hi
    a, b = math.log(lo), math.log(hi)
    side, widths = 0, (b - a, b - a)
    for _ in range(_MAX_STEPS):
        x = b - fb * (b - a) / (fb - fa) if fb != fa else 0.5 * (a + b)
        if (b - a) > 0.5 * widths[1] or not a < x < b:
            x = 0.5 * (a + b)
        widths = (b - a, widths[0])
        fx, scale = f(math.exp(x))
        if abs(fx) <= rel_tol * scale:
            return math.exp(x)
        if fx > 0:
            fb = 0.5 * fb if side == -1 else fb
            a, fa, side = x, fx, -1
        else:
            fa = 0.5 * fa if side == 1 else fa
            b, fb, side = x, fx, 1
        if b - a <= log_tol * max(1.0, abs(a)):
            break
    return math.exp(0.5 * (a + b))


def _check_ends(lo, hi, fa, sa, fb, sb, rel_tol, log_tol) -> None:
    """Raise `CourseValueError` unless each bracket changes sign from + to - or has its root
    at an end: a value within ``rel_tol`` of its scale, a secant through both ends that puts
    the root within ``log_tol`` of an end, or a bracket narrower than ``log_tol``."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        a = np.log(lo)
        width, tol = np.log(hi) - a, log_tol * np.maximum(1.0, np.abs(a))
        change = np.abs(fa - fb)
        ok = (
            ((fa > 0) & (fb < 0))
            | (np.abs(fa) <= rel_tol * sa)
            | (np.abs(fb) <= rel_tol * sb)
            | (np.abs(fa) * width <= tol * change)
            | (np.abs(fb) * width <= tol * change)
            | (width <= tol)
        )
    bad = np.flatnonzero(~ok)
    if bad.size == 0:
        return
    i = bad[0]
    if np.isnan(fa[i]) or np.isnan(fb[i]):
        why, fix = "the function is not a number at an end", "Keep lo and hi where it is defined"
    elif fa[i] < 0 and fb[i] < 0:
        why, fix = "both negative, so the root lies below lo", "Lower lo until f(lo) > 0"
    elif fa[i] > 0 and fb[i] > 0:
        why, fix = "both positive, so the root lies above hi", "Raise hi until f(hi) < 0"
    else:
        why, fix = "the function rises", "Pass the negated function, which falls"
    raise CourseValueError(
        "solve_decreasing needs a bracket [lo, hi] on which the function falls through zero, "
        f"from > 0 at lo to < 0 at hi; {bad.size} of {lo.size} brackets fail, e.g. element "
        f"{i}: f(lo={lo[i]:.6g}) = {fa[i]:.6g}, f(hi={hi[i]:.6g}) = {fb[i]:.6g}: {why}. "
        f"{fix}, so that the bracket holds the root."
    )
