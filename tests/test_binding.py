"""The simple occupancy hyperbola."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.models.binding import fractional_occupancy

conc = st.floats(min_value=0, max_value=1e9, allow_nan=False)
kd = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False)


@given(conc, kd)
def test_occupancy_is_a_fraction(ligand, k):
    theta = fractional_occupancy(ligand, k)
    assert 0.0 <= theta <= 1.0
    assert isinstance(theta, float)


@given(conc, conc, kd)
def test_occupancy_rises_with_ligand(a, b, k):
    lo, hi = sorted((a, b))
    assert fractional_occupancy(lo, k) <= fractional_occupancy(hi, k)


def test_half_occupied_at_kd_and_broadcasting():
    assert fractional_occupancy(3.0, 3.0) == 0.5
    out = fractional_occupancy(np.array([[1.0], [3.0]]), np.array([1.0, 3.0]))
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out, [[0.5, 0.25], [0.75, 0.5]])


def test_bad_input_messages():
    with pytest.raises(ValueError, match="kd_nM must be > 0 nM; got 0.0 nM"):
        fractional_occupancy(1.0, 0.0)
    with pytest.raises(ValueError, match="ligand_nM must be a concentration >= 0 nM; got -2.0"):
        fractional_occupancy(-2.0, 1.0)
    with pytest.raises(ValueError, match=r"shape \(2,\)\).*shape \(3,\)\) cannot be broadcast"):
        fractional_occupancy(np.ones(2), np.ones(3))
    with pytest.raises(TypeError, match="ligand_nM must be a number or an array of numbers in nM"):
        fractional_occupancy("1 nM", 1.0)
