"""Fixed-step ETDRK4 (Cox & Matthews 2002, J Comput Phys 176:430) for a diagonal split system.

The system is split as ``dx/dt = d * x + g(x)``: ``d`` an array of first-order rates (one per
state element, so "diagonal"; the diagonal of the Jacobian), ``g`` the rest. The exponential
integrator solves the ``d`` part exactly, so a fast first-order loss (ligand binding, for
example) does not limit the step, and integrates ``g`` with fourth-order weights built from
the phi functions of ``h * d``. ``d`` is renewed from the current state every `REFRESH` steps,
so that ``g`` stays small as the state moves. Any shape of state works, and a stack of
conditions is integrated together, element by element.

Besides the states, `etdrk4` returns the time derivative at every time point, which is what a
cubic Hermite interpolant between the points needs (`course_lib.models._hermite`).
"""

from __future__ import annotations

from math import factorial

import numpy as np

__all__ = ["REFRESH", "etdrk4", "phi_functions"]

#: Below this |z| the phi functions come from their Taylor series (the closed forms cancel).
_SMALL = 0.1
#: Steps between renewals of the split (the diagonal at the current state).
REFRESH = 20
_TERMS = 8  # terms of the series of phi_3: the first one left out is below 0.1**8 / 11!


def _phi3_series(z: np.ndarray) -> np.ndarray:
    """phi_3(z) = sum over j >= 0 of z**j / (j + 3)!, by Horner's rule (for small |z|)."""
    acc = np.full_like(z, 1.0 / factorial(_TERMS + 2))
    for j in range(_TERMS - 2, -1, -1):
        acc = acc * z + 1.0 / factorial(j + 3)
    return acc


def phi_functions(z) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``exp(z)`` and the phi functions phi_1, phi_2, phi_3 of ``z``, element by element.

    phi_1(z) = (e^z - 1) / z, phi_2(z) = (e^z - 1 - z) / z^2 and
    phi_3(z) = (e^z - 1 - z - z^2 / 2) / z^3, with their limits 1, 1/2 and 1/6 at z = 0.
    Near 0 the closed forms cancel, so there phi_3 comes from its Taylor series and the others
    from phi_k(z) = 1 / k! + z phi_(k+1)(z).

    Parameters
    ----------
    z : array_like
        Real numbers (step times rate); any shape.

    Returns
    -------
    tuple of numpy.ndarray
        ``(exp(z), phi_1, phi_2, phi_3)``, each shaped like ``z``.

    Examples
    --------
    >>> [round(float(v), 6) for v in phi_functions(0.0)]
    [1.0, 1.0, 0.5, 0.166667]
    """
    shape = np.shape(z)
    z = np.array(z, dtype=float).reshape(-1)  # 1-D inside, so that a number works too
    small = np.abs(z) < _SMALL
    zb = np.where(small, 1.0, z)  # the closed forms, kept finite where they are not used
    phi1 = np.expm1(zb) / zb
    phi2 = (phi1 - 1.0) / zb
    phi3 = (phi2 - 0.5) / zb
    if small.any():
        zs = z[small]
        p3 = _phi3_series(zs)
        p2 = 0.5 + zs * p3
        phi1[small], phi2[small], phi3[small] = 1.0 + zs * p2, p2, p3
    return tuple(v.reshape(shape) for v in (np.exp(z), phi1, phi2, phi3))


def _weights(steps: np.ndarray, d: np.ndarray) -> list[tuple[np.ndarray, ...]]:
    """The ETDRK4 weights of each distinct step size: (e^hd, e^(hd/2), half-step weight, and the
    three final weights), each shaped like ``d``. They are computed once per distinct rate
    (conditions often share most of theirs) and for all step sizes in one vectorised pass."""
    rates, where = np.unique(d, return_inverse=True)
    h = steps[:, None]
    z = h * rates
    e, phi1, phi2, phi3 = phi_functions(z)
    e_half = np.exp(0.5 * z)
    # The half step's weight (h / 2) phi_1(z / 2), from phi_1(z) = phi_1(z/2) (e^(z/2) + 1) / 2.
    half = h * phi1 / (e_half + 1.0)
    w1 = h * (phi1 - 3.0 * phi2 + 4.0 * phi3)
    w23 = 2.0 * h * (phi2 - 2.0 * phi3)  # the weight of g(a) + g(b)
    w4 = h * (4.0 * phi3 - phi2)
    shape = (steps.size, *d.shape)
    spread = [w[:, where.reshape(-1)].reshape(shape) for w in (e, e_half, half, w1, w23, w4)]
    return list(zip(*spread, strict=True))


def etdrk4(x: np.ndarray, rates, diagonal, t: np.ndarray, refresh: int = REFRESH):
    """Integrate ``dx/dt = rates(x)`` from ``x`` at ``t[0]`` over the time points ``t``.

    Every ``refresh`` steps the split is renewed: ``d = diagonal(x)`` at the current state, and
    ``g(x) = rates(x) - d * x`` over the next ``refresh`` steps.

    Parameters
    ----------
    x : numpy.ndarray
        Initial state, any shape.
    rates : callable
        ``rates(x)``: the time derivative, shaped like ``x``.
    diagonal : callable
        ``diagonal(x)``: first-order rates (1/time, usually <= 0) shaped like ``x``, usually the
        diagonal of the Jacobian of ``rates`` at ``x``.
    t : numpy.ndarray
        Increasing time points; each interval is one step.
    refresh : int
        Steps between renewals of the split.

    Returns
    -------
    tuple of numpy.ndarray
        ``(states, slopes)``, each of shape (t.size, *x.shape): the state at each time point
        and ``rates`` there.
    """
    steps = np.diff(t)
    states = np.empty((t.size, *x.shape))
    slopes = np.empty_like(states)
    states[0] = x
    for i in range(steps.size):
        if i % refresh == 0:
            d = diagonal(x)
            sizes, which = np.unique(steps[i : i + refresh], return_inverse=True)
            weights, k = _weights(sizes, d), iter(which.tolist())
        e, e_half, half, w1, w23, w4 = weights[next(k)]
        fx = rates(x)
        slopes[i] = fx
        gx = fx - d * x
        ex = e_half * x
        a = ex + half * gx
        ga = rates(a) - d * a
        b = ex + half * ga
        gb = rates(b) - d * b
        c = e_half * a + half * (2.0 * gb - gx)
        x = e * x + w1 * gx + w23 * (ga + gb) + w4 * (rates(c) - d * c)
        states[i + 1] = x
    slopes[-1] = rates(x)
    return states, slopes
