"""The course's own numerics, tested directly: the ROS2 Rosenbrock integrator
(course_lib.models._ros2) and the bracketed root finder (course_lib.models._roots).

References come from scipy (solve_ivp with Radau, optimize.brentq) or from closed forms.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from course_lib.errors import CourseLibError, CourseValueError
from course_lib.models._roots import solve_decreasing, solve_decreasing_near
from course_lib.models._ros2 import GAMMA, ros2

# ---------------------------------------------------------------------------------------------
# ROS2 on a stiff problem: Robertson's chemical kinetics


def robertson(y):
    """A -> B (0.04), B + C -> A + C (1e4), 2B -> B + C (3e7): rates 9 orders of magnitude apart."""
    a, b, c = y
    return np.array([-0.04 * a + 1e4 * b * c, 0.04 * a - 1e4 * b * c - 3e7 * b * b, 3e7 * b * b])


def robertson_jacobian(y):
    _, b, c = y
    return np.array(
        [
            [-0.04, 1e4 * c, 1e4 * b],
            [0.04, -1e4 * c - 6e7 * b, -1e4 * b],
            [0.0, 6e7 * b, 0.0],
        ]
    )


ROBERTSON_START = np.array([1.0, 0.0, 0.0])
#: 400 steps growing geometrically from 1e-6 to 40; the last ones (~1.7) are about 1e4 times
#: what an explicit method could take there.
ROBERTSON_T = np.concatenate([[0.0], np.geomspace(1e-6, 40.0, 400)])


@pytest.fixture(scope="module")
def robertson_radau():
    ref = solve_ivp(
        lambda _, y: robertson(y),
        (0.0, 40.0),
        ROBERTSON_START,
        method="Radau",
        t_eval=ROBERTSON_T,
        jac=lambda _, y: robertson_jacobian(y),
        rtol=1e-10,
        atol=1e-16,
    )
    assert ref.success
    return ref.y.T


def test_ros2_agrees_with_radau_on_robertson(robertson_radau):
    # After the initial transient (t >= 1e-3, when B has reached its quasi-steady state),
    # every species agrees with Radau (rtol 1e-10) to 0.2% at every one of the time points.
    ours = ros2(ROBERTSON_START, robertson, robertson_jacobian, ROBERTSON_T)
    late = ROBERTSON_T >= 1e-3
    relative = np.abs(ours[late] - robertson_radau[late]) / np.abs(robertson_radau[late])
    assert relative.max() < 2e-3, f"largest relative deviation {relative.max():.2e}"
    assert ours[-1, 2] == pytest.approx(robertson_radau[-1, 2], rel=1e-3)  # C at t = 40


def test_ros2_conserves_the_linear_invariant_of_robertson():
    # Rosenbrock methods keep linear invariants (here A + B + C = 1) to rounding.
    ours = ros2(ROBERTSON_START, robertson, robertson_jacobian, ROBERTSON_T)
    np.testing.assert_allclose(ours.sum(axis=1), 1.0, rtol=0, atol=1e-13)


def test_stacked_conditions_give_the_single_condition_results():
    starts = np.array([[1.0, 0.0, 0.0], [0.5, 0.0, 0.5], [0.9, 1e-5, 0.1]])

    def stacked_rhs(y):
        return np.stack([robertson(row) for row in y])

    def stacked_jacobian(y):
        return np.stack([robertson_jacobian(row) for row in y])

    t = ROBERTSON_T[::4]
    together = ros2(starts, stacked_rhs, stacked_jacobian, t)
    assert together.shape == (t.size, 3, 3)
    for i, start in enumerate(starts):
        alone = ros2(start, robertson, robertson_jacobian, t)
        np.testing.assert_allclose(together[:, i], alone, rtol=1e-12, atol=1e-18)


# ---------------------------------------------------------------------------------------------
# ROS2: order 2 and L-stability


def predator_prey_with_relaxation(y, k=10.0):
    """Lotka-Volterra (a, b) and a species c relaxing fast to a·b: smooth and mildly stiff."""
    a, b, c = y
    return np.array([a * (1.0 - b), b * (a - 1.0), -k * (c - a * b)])


def predator_prey_jacobian(y, k=10.0):
    a, b, _ = y
    return np.array([[1.0 - b, -a, 0.0], [b, a - 1.0, 0.0], [k * b, k * a, -k]])


def test_halving_the_step_cuts_the_global_error_fourfold():
    start, t_end = np.array([1.5, 0.5, 0.2]), 5.0
    ref = solve_ivp(
        lambda _, y: predator_prey_with_relaxation(y),
        (0.0, t_end),
        start,
        method="Radau",
        jac=lambda _, y: predator_prey_jacobian(y),
        rtol=1e-13,
        atol=1e-14,
    )
    errors = []
    for steps in (100, 200, 400, 800):  # fixed steps h = 0.05 down to 0.00625
        t = np.linspace(0.0, t_end, steps + 1)
        end = ros2(start, predator_prey_with_relaxation, predator_prey_jacobian, t)[-1]
        errors.append(np.max(np.abs(end - ref.y[:, -1])))
    orders = np.log2(np.array(errors[:-1]) / np.array(errors[1:]))
    assert np.all((orders > 1.8) & (orders < 2.2)), f"errors {errors}, observed orders {orders}"


def one_step_factor(z: float) -> float:
    """ROS2's amplification factor R(z): one step of size 1 on y' = z y from y = 1."""
    one_step = ros2(np.array([1.0]), lambda y: z * y, lambda y: np.array([[z]]), np.array([0, 1.0]))
    return float(one_step[1, 0])


def test_one_step_on_the_linear_test_equation_is_second_order_accurate():
    # R(z) = exp(z) + O(z^3): halving z divides the local error by about 8.
    local = [abs(one_step_factor(-z) - np.exp(-z)) for z in (0.02, 0.01, 0.005)]
    ratios = np.array(local[:-1]) / np.array(local[1:])
    assert np.all((ratios > 7.0) & (ratios < 9.0)), f"local errors {local}"


def test_ros2_is_l_stable():
    # |R(z)| <= 1 on the negative axis (A-stable there), and R(z) -> 0 as z -> -infinity.
    for z in -np.logspace(-3, 8, 45):
        assert abs(one_step_factor(z)) <= 1.0, f"R({z:g}) = {one_step_factor(z)}"
    assert abs(one_step_factor(-1e8)) < 1e-7
    # R(-inf) = (gamma^2 - 2 gamma + 1/2) / gamma^2, zero for gamma = 1 + 1/sqrt(2)
    assert abs(GAMMA**2 - 2 * GAMMA + 0.5) < 1e-15


# ---------------------------------------------------------------------------------------------
# The root finder against scipy's brentq


def free_ligand_problem(n: int, seed: int = 0):
    """Free ligand L of total T binding R sites with Kd: T - L - R L / (Kd + L) = 0, decreasing
    in L, for n conditions with T, R and Kd drawn from 1e-9 to 1e3. Returns func (with the
    size of its terms, as solve_decreasing wants it), lo, hi and (T, R, Kd)."""
    rng = np.random.default_rng(seed)
    total, sites, kd = (10.0 ** rng.uniform(-9, 3, n) for _ in range(3))

    def func(x, i=None):
        t, r, k = (v if i is None else v[i] for v in (total, sites, kd))
        bound = r * x / (k + x)
        return t - x - bound, np.maximum(t, x + bound)

    lo = 0.5 * total / (1.0 + sites / kd)  # f(lo) >= T / 2, since L / (Kd + L) <= L / Kd
    return func, lo, total.copy(), (total, sites, kd)


def test_root_finder_agrees_with_brentq_on_a_vectorised_problem():
    func, lo, hi, (total, sites, kd) = free_ligand_problem(300)
    ours = solve_decreasing(func, lo, hi)
    theirs = np.array(
        [
            brentq(lambda x, t=t, r=r, k=k: t - x - r * x / (k + x), a, b, xtol=1e-300, rtol=1e-15)
            for t, r, k, a, b in zip(total, sites, kd, lo, hi, strict=True)
        ]
    )
    assert ours.shape == theirs.shape == (300,)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0)
    assert np.ptp(np.log10(ours)) > 10  # the roots really do span many orders of magnitude


def test_one_element_runs_the_scalar_path_to_the_same_root():
    func, lo, hi, _ = free_ligand_problem(40, seed=1)
    together = solve_decreasing(func, lo, hi)
    for i in range(lo.size):

        def one(x, j=None, i=i):  # element i alone, as a problem of size 1
            value, scale = func(x, np.array([i]))
            return value, scale

        alone = solve_decreasing(one, lo[i : i + 1], hi[i : i + 1])
        assert alone.shape == (1,)
        assert alone[0] == pytest.approx(together[i], rel=1e-13)


@pytest.mark.parametrize("off", [1.0, 3.0, 1 / 9.0, 1e3, 1e-3, 0.0, np.inf, np.nan, -1.0])
def test_a_guessed_start_finds_the_roots_of_the_full_bracket_however_poor_the_guess(off):
    # a good guess narrows the bracket; a poor one (too far off, not a positive number) must
    # fall back to the full bracket, and every root must be the full bracket's
    func, lo, hi, _ = free_ligand_problem(200, seed=2)
    full = solve_decreasing(func, lo, hi)
    rng = np.random.default_rng(3)
    guess = full * off * 10.0 ** rng.uniform(-0.5, 0.5, full.size)  # scattered around off
    near = solve_decreasing_near(func, guess, lo, hi)
    np.testing.assert_allclose(near, full, rtol=1e-12, atol=0)


def test_a_guessed_start_keeps_the_errors_of_a_bracket_without_the_root():
    def falling(x, i=None):  # 1 - x, root 1, with the size of its terms
        return 1.0 - x, np.maximum(1.0, x)

    lo, hi = np.array([0.1, 1e-9]), np.array([0.5, 1e9])  # the first misses the root
    with pytest.raises(CourseValueError, match="root lies above hi"):
        solve_decreasing_near(falling, np.array([0.3, 1.0]), lo, hi)


def test_a_root_at_an_end_is_that_end():
    def falling(x, i=None):
        return 1.0 - x, np.maximum(1.0, x)

    np.testing.assert_array_equal(
        solve_decreasing(falling, np.array([1.0, 0.5]), np.array([3.0, 1.0])), [1.0, 1.0]
    )
    assert solve_decreasing(falling, np.array([1.0]), np.array([3.0]))[0] == 1.0


# ---------------------------------------------------------------------------------------------
# The root finder: a bracket without the root is a course error that says what to do


def line(root: float, slope: float = -1.0):
    """slope * (x - root), with the size of its terms."""

    def func(x, i=None):
        return slope * (x - root), np.abs(slope) * np.maximum(x, root)

    return func


@pytest.mark.parametrize("size", [1, 3], ids=["one element", "three elements"])
@pytest.mark.parametrize(
    ("func", "text"),
    [
        (line(0.5), "both negative, so the root lies below lo. Lower lo until f(lo) > 0"),
        (line(50.0), "both positive, so the root lies above hi. Raise hi until f(hi) < 0"),
        (line(3.0, slope=1.0), "the function rises. Pass the negated function"),
        (lambda x, i=None: (np.full_like(x, np.nan), np.ones_like(x)), "not a number at an end"),
    ],
    ids=["root below lo", "root above hi", "rising", "nan"],
)
def test_a_bracket_without_the_root_raises_a_course_error(func, text, size):
    lo, hi = np.full(size, 2.0), np.full(size, 5.0)
    with pytest.raises(CourseValueError) as info:
        solve_decreasing(func, lo, hi)
    message = str(info.value)
    assert isinstance(info.value, CourseLibError) and isinstance(info.value, ValueError)
    assert "needs a bracket [lo, hi] on which the function falls through zero" in message
    assert f"{size} of {size} brackets fail, e.g. element 0: f(lo=2) = " in message
    assert text in message


def test_the_message_names_the_first_failing_element_of_many():
    func, lo, hi, _ = free_ligand_problem(5, seed=2)
    lo[3], hi[3] = 0.5 * lo[3], 0.9 * lo[3]  # below the root of element 3: f > 0 at both ends
    with pytest.raises(CourseValueError, match=r"1 of 5 brackets fail, e.g. element 3: ") as info:
        solve_decreasing(func, lo, hi)
    assert "both positive, so the root lies above hi" in str(info.value)
