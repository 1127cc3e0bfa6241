"""Bracketed root finding for many monotone equations at once (used by `binding`).

Each element has its own bracket [lo, hi] on which its function changes sign once, from + to
-. Steps run in log space (brackets may span many orders of magnitude), take the Illinois
false-position point, and fall back to bisection when a bracket stops shrinking; elements
leave the loop as they converge. A single element runs the same steps on Python floats.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["solve_decreasing"]

_MAX_STEPS = 100  # Illinois steps; typical solves need 10 to 20
_LOG_TOL = 1e-14  # relative width of the final bracket
_REL_TOL = 1e-13  # a residual this small relative to its terms counts as zero


def solve_decreasing(func, lo, hi, *, rel_tol=_REL_TOL, log_tol=_LOG_TOL):
    """Root of a function that changes sign once, from + to -, on [lo, hi] (1-D, 0 < lo).

    ``func(x, i)`` evaluates the function at ``x`` for the elements ``i`` (all when ``i`` is
    None) and returns it with its scale (the size of the terms it is the difference of), so
    that a value within rounding of zero ends the search. Works in log space, so brackets spanning many orders of magnitude cost little.
    Each step takes the regula falsi point inside the bracket (Illinois variant: the end that
    stays put has its value halved, so both ends move); elements leave the loop as soon as
    their bracket is narrower than a relative 1e-14. A root at an end (within rounding) is
    returned as that end.
    """
    lo = np.minimum(lo, hi)
    if lo.size == 1:  # one condition: the same steps on Python floats, without array overhead
        return np.array([_solve_one(func, float(lo[0]), float(hi[0]), rel_tol, log_tol)])
    a, b = np.log(lo), np.log(hi)
    fa, fb = func(lo)[0], func(hi)[0]
    root = np.where(fa <= 0, lo, hi)  # a root at an end, within rounding
    idx = np.flatnonzero((fa > 0) & (fb < 0))
    a_, b_, fa_, fb_ = a[idx], b[idx], fa[idx], fb[idx]
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
    """`_solve_decreasing` for a single element (same method, scalar arithmetic)."""
    one = np.zeros(1, dtype=np.intp)

    def f(x: float) -> tuple[float, float]:
        value, scale = func(np.array([x]), one)
        return float(value[0]), float(scale[0])

    fa, fb = f(lo)[0], f(hi)[0]
    if fa <= 0:
        return lo
    if fb >= 0:
        return hi
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
