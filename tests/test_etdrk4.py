"""The exponential integrator (course_lib.models._etdrk4) and the Hermite readouts
(course_lib.models._hermite), tested against closed forms, 100-digit arithmetic and scipy."""

from __future__ import annotations

from decimal import Decimal, localcontext

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from course_lib.models._etdrk4 import etdrk4, phi_functions
from course_lib.models._hermite import hermite_summary

# --------------------------------------------------------------------------------------------
# phi functions


def _phi_exact(z: float) -> list[float]:
    """exp and phi_1..3 of z in 100-digit decimal arithmetic (their limits at 0)."""
    if z == 0.0:
        return [1.0, 1.0, 0.5, 1.0 / 6.0]
    with localcontext() as ctx:
        ctx.prec = 100  # phi_3 near 0 cancels about 3 x 14 digits
        d = Decimal(z)
        e = d.exp()
        return [
            float(e),
            float((e - 1) / d),
            float((e - 1 - d) / d**2),
            float((e - 1 - d - d * d / 2) / d**3),
        ]


def test_phi_functions_match_50_digit_arithmetic_across_scales():
    # Both branches (series below |z| = 0.1, closed forms above) and the switch between them.
    z = np.concatenate([-np.logspace(-14, 3, 300), [0.0, -0.1, np.nextafter(-0.1, 0.0), 1e-6, 0.5]])
    got = np.array(phi_functions(z))
    want = np.array([_phi_exact(float(v)) for v in z]).T
    tiny = want == 0.0  # exp underflows for z < -745
    rel = np.abs(got - want) / np.where(tiny, 1.0, np.abs(want))
    assert rel.max(axis=1) == pytest.approx([0, 0, 0, 0], abs=1e-13)
    assert np.all(got[1:] > 0)  # phi_k(z) > 0 for every real z


def test_phi_functions_keep_the_shape_and_accept_scalars():
    z = -np.arange(6.0).reshape(2, 3)
    assert all(p.shape == (2, 3) for p in phi_functions(z))
    for z in (-2.0, -0.01, 0.0):  # both branches, and the limits at 0
        values = phi_functions(z)
        assert all(np.ndim(v) == 0 for v in values)
        assert [float(v) for v in values] == pytest.approx(_phi_exact(z), rel=1e-14)


# --------------------------------------------------------------------------------------------
# ETDRK4


@pytest.mark.parametrize("d", [0.0, -1e-9, -0.3, -40.0, -1e4])
def test_constant_forcing_is_integrated_exactly(d):
    # x' = d x + c: the exponential integrator is exact for any step, stiff or not.
    c, x0 = 2.5, np.array([[1.0, 3.0]])
    t = np.array([0.0, 0.01, 0.5, 2.0, 7.0])
    states, slopes = etdrk4(x0, lambda x: d * x + c, lambda x: np.full_like(x, d), t)
    grown = c * t if d == 0.0 else c * np.expm1(d * t) / d  # what the source adds by time t
    exact = np.exp(d * t)[:, None, None] * x0 + grown[:, None, None]
    np.testing.assert_allclose(states, exact, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(slopes, d * exact + c, rtol=1e-12, atol=1e-10)


def _stiff_pair(x):
    """A stiff, nonlinear 2-species system (fast first row) stacked over conditions."""
    u, v = x
    return np.array([-30.0 * u + v * v, -v + 0.5 * np.cos(u)])


def _diag(x):
    u, v = x
    return np.array([np.full_like(u, -30.0), np.full_like(v, -1.0)])


@pytest.mark.parametrize("refresh", [1, 20])
def test_fourth_order_on_a_stiff_nonlinear_system(refresh):
    x0 = np.array([[0.2, 1.0], [1.5, -0.5]])  # two conditions (columns)
    ref = [
        solve_ivp(
            lambda _, y: _stiff_pair(y), (0, 2.0), x0[:, k], method="Radau", rtol=1e-13, atol=1e-13
        ).y[:, -1]
        for k in range(2)
    ]
    errors = []
    for n in (20, 40, 80):
        states, _ = etdrk4(x0, _stiff_pair, _diag, np.linspace(0.0, 2.0, n + 1), refresh)
        errors.append(np.abs(states[-1] - np.array(ref).T).max())
    orders = np.log2(np.array(errors[:-1]) / np.array(errors[1:]))
    assert np.all(orders > 3.4), orders  # h x 30 is 3 at the coarsest: stiff, yet fourth order
    assert errors[-1] < 1e-6  # 80 steps of 0.025


def test_refreshing_the_split_follows_a_moving_stiff_rate():
    # x' = -x^3 + 1 from x = 4: the local rate -3 x^2 falls from -48 to about -3.
    def rates(x):
        return -(x**3) + 1.0

    t = np.linspace(0.0, 3.0, 61)
    x0 = np.array([[4.0]])
    exact = solve_ivp(lambda _, y: rates(y), (0, 3.0), [4.0], rtol=1e-12, atol=1e-12).y[0, -1]
    fresh, _ = etdrk4(x0, rates, lambda x: -3.0 * x**2, t, refresh=5)
    assert abs(fresh[-1, 0, 0] - exact) < 1e-5
    frozen, _ = etdrk4(x0, rates, lambda x: -3.0 * x**2, t, refresh=10**6)
    assert abs(fresh[-1, 0, 0] - exact) < abs(frozen[-1, 0, 0] - exact)


# --------------------------------------------------------------------------------------------
# Hermite readouts


def test_hermite_readouts_are_exact_for_cubics():
    t = np.array([0.0, 0.7, 1.1, 2.6, 3.0, 4.5])
    curves = [  # value and slope of each curve
        (lambda s: 2.0 - (s - 1.9) ** 2, lambda s: -2.0 * (s - 1.9)),  # interior peak
        (lambda s: s**3 - 6 * s**2 + 9 * s, lambda s: 3 * s**2 - 12 * s + 9),  # top at the end
        (lambda s: 0.5 * s, lambda s: 0.5 + 0 * s),  # rises to the end
        (lambda s: 0 * s, lambda s: 0 * s),  # no response
    ]
    y = np.array([f(t) for f, _ in curves]).T
    slopes = np.array([df(t) for _, df in curves]).T
    peak, when, area = hermite_summary(t, y, slopes)
    np.testing.assert_allclose(peak, [2.0, 4.5**3 - 6 * 4.5**2 + 9 * 4.5, 2.25, 0.0], rtol=1e-12)
    np.testing.assert_allclose(when, [1.9, 4.5, 4.5, 0.0], atol=1e-12)
    exact = [
        2.0 * 4.5 - ((4.5 - 1.9) ** 3 + 1.9**3) / 3.0,
        4.5**4 / 4 - 2 * 4.5**3 + 4.5 * 4.5**2,
        0.25 * 4.5**2,
        0.0,
    ]
    np.testing.assert_allclose(area, exact, rtol=1e-12, atol=1e-12)


def test_hermite_peak_finds_a_maximum_between_coarse_points():
    # p(s) = 3 s - 1.5 s^2 on one interval [0, 3]: both ends are below its maximum, 1.5 at 1.
    t = np.array([0.0, 3.0])
    y = np.array([[0.0], [-4.5]])
    slopes = np.array([[3.0], [-6.0]])
    peak, when, _ = hermite_summary(t, y, slopes)
    assert peak[0] == pytest.approx(1.5) and when[0] == pytest.approx(1.0)
