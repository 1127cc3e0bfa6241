"""Fixed-step ROS2 Rosenbrock integrator (Verwer et al. 1999) for one or many conditions.

ROS2 is second order and L-stable. It stays second order with any matrix in place of the
Jacobian (a W-method), so the matrix ``(I - gamma h J)`` is inverted only every few steps and
applied to both stages. The state is either one condition, shape (m,), or a stack of
conditions, shape (n, m): a single condition runs on plain 2-D matrices, because at this size
numpy's per-call overhead, not arithmetic, decides the run time.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ros2"]

GAMMA = 1.0 + 1.0 / np.sqrt(2.0)  # L-stable choice
REFRESH = 4  # steps between Jacobian refreshes


def _apply_stacked(m, v):
    """Matrix-vector products for a stack: (n, m, m) times (n, m) -> (n, m)."""
    return np.matmul(m, v[:, :, None])[:, :, 0]


def ros2(x, rhs, jacobian, t):
    """Integrate ``dx/dt = rhs(x)`` from ``x`` at ``t[0]`` over the time points ``t``.

    Parameters
    ----------
    x : numpy.ndarray
        Initial state: (m,) for one condition or (n, m) for n conditions.
    rhs : callable
        ``rhs(x)`` returns the time derivative, shaped like ``x``.
    jacobian : callable
        ``jacobian(x)`` returns d rhs / dx: (m, m) for one condition, (n, m, m) for n.
    t : numpy.ndarray
        Increasing time points; each interval is one step.

    Returns
    -------
    numpy.ndarray
        States at ``t``, shape (t.size, *x.shape), clipped at 0 after each step.
    """
    eye = np.eye(x.shape[-1])
    apply = np.dot if x.ndim == 1 else _apply_stacked
    out = np.empty((t.size, *x.shape))
    out[0] = x
    h_m = 0.0
    for k, h in enumerate(np.diff(t).tolist()):
        # Refresh the inverse every REFRESH steps, or when the step has changed by 20%.
        if k % REFRESH == 0 or abs(h - h_m) > 0.2 * h_m:
            m, h_m = np.linalg.inv(eye - (GAMMA * h) * jacobian(x)), h
        k1 = apply(m, rhs(x))
        k2 = apply(m, rhs(x + h * k1) - 2.0 * k1)
        x = np.maximum(x + h * (1.5 * k1 + 0.5 * k2), 0.0)
        out[k + 1] = x
    return out
