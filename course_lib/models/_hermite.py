"""Peak, time of the peak and area of a curve known by its values and slopes at time points.

Between two points the curve is taken to be the cubic with those two values and two slopes
(cubic Hermite interpolation): its area is exact for any cubic, and its maximum is found among
the interval's ends and the roots of its derivative (a quadratic). An integrator that takes a
few long steps can so report a peak between its points, not only at them.

>>> t = np.array([0.0, 1.0, 2.0])
>>> y = np.array([[0.0], [1.0], [0.0]])
>>> slopes = np.array([[2.0], [0.0], [-2.0]])  # the parabola 2t - t^2
>>> peak, when, area = hermite_summary(t, y, slopes)
>>> float(peak[0]), float(when[0]), round(float(area[0]), 6)
(1.0, 1.0, 1.333333)
"""

from __future__ import annotations

import numpy as np

__all__ = ["hermite_summary"]


def hermite_summary(t, y, slopes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Largest value, its time, and the area under piecewise cubic Hermite curves.

    Parameters
    ----------
    t : numpy.ndarray
        Increasing time points, shape (m,).
    y, slopes : numpy.ndarray
        Values and time derivatives at the points, shape (m, n): n curves.

    Returns
    -------
    tuple of numpy.ndarray
        ``(peak, peak_time, area)``, each of shape (n,). Where a curve has several equal
        maxima, the earliest is reported.
    """
    h = np.diff(t)[:, None]
    y0, y1, d0, d1 = y[:-1], y[1:], slopes[:-1] * h, slopes[1:] * h
    area = np.sum(h * (0.5 * (y0 + y1) + (d0 - d1) / 12.0), axis=0)
    # On an interval, with s in [0, 1]: p(s) = y0 + d0 s + b s^2 + c s^3.
    b = 3.0 * (y1 - y0) - 2.0 * d0 - d1
    c = 2.0 * (y0 - y1) + d0 + d1
    disc = b * b - 3.0 * c * d0  # p'(s) = d0 + 2 b s + 3 c s^2
    root = np.sqrt(np.maximum(disc, 0.0))
    cubic = np.abs(c) > 1e-12 * (np.abs(b) + np.abs(d0) + 1e-300)
    with np.errstate(divide="ignore", invalid="ignore"):
        c3 = np.where(cubic, 3.0 * c, 1.0)
        quadratic = np.where(b != 0.0, -d0 / (2.0 * np.where(b != 0.0, b, 1.0)), -1.0)
        s1 = np.where(cubic, (-b - root) / c3, quadratic)
        s2 = np.where(cubic, (-b + root) / c3, -1.0)
    real = disc >= 0.0
    candidates = [np.zeros_like(y0), np.ones_like(y0)]
    candidates += [np.where(real & (s >= 0.0) & (s <= 1.0), s, 0.0) for s in (s1, s2)]
    best = np.full(y.shape[1], -np.inf)
    when = np.zeros(y.shape[1])
    cols = np.arange(y.shape[1])
    for s in candidates:
        value = y0 + s * (d0 + s * (b + s * c))
        i = np.argmax(value, axis=0)
        top = value[i, cols]
        better = top > best
        best = np.where(better, top, best)
        when = np.where(better, t[i] + s[i, cols] * h[i, 0], when)
    return best, when, area
