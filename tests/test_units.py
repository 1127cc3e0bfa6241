"""Tests for course_lib.units: hand-checked conversions and invariants (its error messages:
tests/test_unit_errors.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.units import (
    MASS_UNITS,
    MOLAR_MASSES,
    MOLAR_UNITS,
    MOLECULES,
    convert,
    dose_to_molar,
    from_molar,
    molar_mass,
    to_molar,
)

ALL_UNITS = [*MASS_UNITS, *MOLAR_UNITS]
RTOL = 1e-12

# --------------------------------------------------------------------------------------------
# Hand-checked conversions (worked out on paper: c_molar = c_mass / molar mass)


def test_one_ng_per_ml_of_a_50_kda_protein_is_20_pm():
    # 1e-6 g/L / 50_000 g/mol = 2e-11 mol/L = 20 pM
    assert molar_mass("sIL-6R") == 50.0
    assert to_molar(1, "ng/mL", "sIL-6R", to="pM") == pytest.approx(20.0, rel=RTOL)


def test_one_pg_per_ml_il6_is_0_0476_pm():
    # 1e-9 g/L / 21_000 g/mol = 4.7619e-14 mol/L = 0.047619 pM
    assert to_molar(1, "pg/mL", "IL-6", to="pM") == pytest.approx(1 / 21, rel=RTOL)
    assert round(to_molar(1, "pg/mL", "IL-6", to="pM"), 4) == 0.0476


def test_40_ng_per_ml_sil6r_is_0_8_nm():
    assert to_molar(40, "ng/mL", "sIL-6R") == pytest.approx(0.8, rel=RTOL)


def test_healthy_serum_il6_in_pm():
    # 5.19 pg/mL / 21 kDa = 0.2471 pM
    assert to_molar(5.19, "pg/mL", "IL-6", to="pM") == pytest.approx(5.19 / 21, rel=RTOL)


def test_600_mg_olamkicept_in_3_l_is_about_0_91_um():
    # 600 mg / 3 L = 0.2 g/L; / 220_000 g/mol = 9.09e-7 M
    out = dose_to_molar(600, "mg", "olamkicept", volume_l=3.0, to="uM")
    assert out == pytest.approx(0.2 / 220_000 * 1e6, rel=RTOL)
    assert round(out, 2) == 0.91


def test_mg_per_kg_dose_in_an_adult():
    # tocilizumab 8 mg/kg x 70 kg = 560 mg in 3 L = 0.18667 g/L; / 148_000 g/mol = 1.2613 uM
    out = dose_to_molar(8, "mg/kg", "tocilizumab", volume_l=3.0, body_mass_kg=70, to="uM")
    assert out == pytest.approx(560e-3 / 3.0 / 148_000 * 1e6, rel=RTOL)
    assert round(out, 3) == 1.261


def test_mg_per_kg_dose_in_a_mouse():
    # sgp130Fc 0.5 mg/kg x 0.025 kg = 0.0125 mg in 0.002 L = 6.25e-3 g/L; / 220_000 = 28.41 nM
    out = dose_to_molar(0.5, "mg/kg", "sgp130Fc", volume_l=0.002, body_mass_kg=0.025)
    assert out == pytest.approx(6.25e-3 / 220_000 * 1e9, rel=RTOL)


def test_mg_per_kg_equals_whole_dose_of_mass_times_body_mass():
    per_kg = dose_to_molar(2.0, "mg/kg", "IgG", volume_l=3.0, body_mass_kg=60.0)
    whole = dose_to_molar(120.0, "mg", "IgG", volume_l=3.0)
    assert per_kg == pytest.approx(whole, rel=RTOL)


def test_from_molar_examples():
    assert from_molar(0.8, "sIL-6R", "ng/mL") == pytest.approx(40.0, rel=RTOL)
    assert from_molar(1, "sgp130", "ng/mL") == pytest.approx(100.0, rel=RTOL)
    assert from_molar(1, "IgG", "ug/mL", unit="uM") == pytest.approx(148.0, rel=RTOL)
    assert from_molar(47.619047619047616, "IL-6", "pg/mL", unit="pM") == pytest.approx(
        1000.0, rel=RTOL
    )


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        (2.5, "ng/mL", "pg/mL", 2500.0),
        (1, "mg/mL", "ug/mL", 1000.0),
        (1, "pg/mL", "ng/mL", 1e-3),
        (1, "uM", "nM", 1000.0),
        (1, "nM", "pM", 1000.0),
        (7, "nM", "nM", 7.0),
        (7, "ng/mL", "ng/mL", 7.0),
    ],
)
def test_same_kind_conversions_need_no_molecule(value, src, dst, expected):
    assert convert(value, src, dst) == pytest.approx(expected, rel=RTOL)


def test_decade_conversions_print_round_numbers():
    # BUG (student-visible): factors are computed as 1e-6 / 1e-9, which is 999.9999999999999,
    # so a notebook prints "1 ng/mL = 999.9999999999999 pg/mL" and "1 nM = 1000.0000000000001 pM".
    # Exact powers of ten (e.g. 10.0 ** (exponent difference)) would print 1000.0.
    cases = [(1, "ng/mL", "pg/mL"), (1, "uM", "nM"), (1, "nM", "pM"), (3, "ng/mL", "pg/mL")]
    wrong = [
        f"convert({v}, {src!r}, {dst!r}) = {convert(v, src, dst)!r}"
        for v, src, dst in cases
        if convert(v, src, dst) != v * 1000.0
    ]
    assert not wrong, "decade conversions are not exact: " + "; ".join(wrong)


# --------------------------------------------------------------------------------------------
# Aliases and molecule names


@pytest.mark.parametrize(("alias", "unit"), [("µg/mL", "ug/mL"), ("μg/mL", "ug/mL")])
def test_micro_sign_aliases_for_mass(alias, unit):
    assert convert(3.0, alias, "ng/mL") == convert(3.0, unit, "ng/mL")
    assert convert(3.0, "ng/mL", alias) == convert(3.0, "ng/mL", unit)


@pytest.mark.parametrize("alias", ["µM", "μM"])  # micro sign U+00B5 and Greek mu U+03BC
def test_micro_sign_aliases_for_molar(alias):
    assert to_molar(148, "ug/mL", "IgG", to=alias) == pytest.approx(1.0, rel=RTOL)
    assert from_molar(1.0, "IgG", "ug/mL", unit=alias) == pytest.approx(148.0, rel=RTOL)


@pytest.mark.parametrize(
    ("molecule", "kda"),
    [
        ("IL-6", 21.0),
        ("sIL-6R", 50.0),
        ("sgp130", 100.0),
        ("sgp130Fc", 220.0),
        ("olamkicept", 220.0),
        ("Hyper-IL-6", 56.0),
        ("IgG", 148.0),
        ("tocilizumab", 148.0),
        ("siltuximab", 148.0),
    ],
)
def test_molecule_and_drug_names_map_to_their_molar_mass(molecule, kda):
    assert molar_mass(molecule) == kda
    assert MOLAR_MASSES.value(MOLECULES[molecule]) == kda
    # 1 ug/mL = 1e-3 g/L; / (kda * 1000 g/mol) mol/L; in nM:
    assert to_molar(1, "ug/mL", molecule) == pytest.approx(1e3 / kda, rel=RTOL)


@pytest.mark.parametrize(
    ("typed", "kda"), [("il6", 21.0), ("hyper il6", 56.0), ("SGP130FC", 220.0), ("igg", 148.0)]
)
def test_molecule_names_fold_case_and_hyphens(typed, kda):
    assert molar_mass(typed) == kda


def test_every_molecule_points_at_a_molar_mass_in_kda():
    assert set(MOLECULES.values()) == set(MOLAR_MASSES)
    for key in MOLECULES.values():
        assert MOLAR_MASSES[key].unit == "kDa"


def test_molar_mass_uses_a_changed_parameter_set():
    heavier = MOLAR_MASSES.with_values(il6=26.0)
    assert molar_mass("IL-6", heavier) == 26.0
    assert molar_mass("IL-6") == 21.0


# --------------------------------------------------------------------------------------------
# Types and shapes


@pytest.mark.parametrize("scalar", [2, 2.0, np.float64(2.0), np.int64(2), np.array(2.0)])
def test_scalar_in_float_out(scalar):
    for out in (
        convert(scalar, "ng/mL", "pg/mL"),
        to_molar(scalar, "ng/mL", "IL-6"),
        from_molar(scalar, "IL-6", "ng/mL"),
        dose_to_molar(scalar, "mg", "IgG", volume_l=3.0),
    ):
        assert type(out) is float


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 1, 4), (0,)])
def test_array_in_array_out_same_shape(shape):
    data = np.arange(int(np.prod(shape)), dtype=float).reshape(shape)
    for out, per_element in (
        (convert(data, "ng/mL", "pM", "IL-6"), lambda x: convert(x, "ng/mL", "pM", "IL-6")),
        (to_molar(data, "pg/mL", "sIL-6R"), lambda x: to_molar(x, "pg/mL", "sIL-6R")),
        (from_molar(data, "IgG", "ug/mL"), lambda x: from_molar(x, "IgG", "ug/mL")),
        (
            dose_to_molar(data, "mg", "olamkicept", volume_l=3.0),
            lambda x: dose_to_molar(x, "mg", "olamkicept", volume_l=3.0),
        ),
    ):
        assert isinstance(out, np.ndarray)
        assert out.shape == shape
        assert out.dtype == np.float64
        expected = np.array([per_element(float(x)) for x in data.flat]).reshape(shape)
        np.testing.assert_allclose(out, expected, rtol=RTOL)


def test_list_in_array_out():
    out = convert([1, 2, 3], "nM", "pM")
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, [1000.0, 2000.0, 3000.0], rtol=RTOL)


def test_input_array_is_not_modified():
    data = np.array([1.0, 2.0])
    convert(data, "ng/mL", "nM", "IL-6")
    dose_to_molar(data, "mg/kg", "IgG", volume_l=3.0, body_mass_kg=70)
    np.testing.assert_array_equal(data, [1.0, 2.0])


# --------------------------------------------------------------------------------------------
# Property tests

# 0, or far enough from zero that no intermediate result is subnormal (subnormals lose digits,
# which says nothing about the conversion factors).
VALUES = st.one_of(st.just(0.0), st.floats(min_value=1e-200, max_value=1e12))
UNIT_PAIRS = st.sampled_from(list(itertools.product(ALL_UNITS, ALL_UNITS)))
NAMES = st.sampled_from(list(MOLECULES))


@given(x=VALUES, pair=UNIT_PAIRS, molecule=NAMES)
def test_round_trip(x, pair, molecule):
    a, b = pair
    back = convert(convert(x, a, b, molecule), b, a, molecule)
    assert back == pytest.approx(x, rel=RTOL, abs=0)


@given(
    x=st.floats(1e-100, 1e9),
    k=st.one_of(st.just(0.0), st.floats(1e-6, 1e3)),
    pair=UNIT_PAIRS,
    molecule=NAMES,
)
def test_linear_in_value(x, k, pair, molecule):
    a, b = pair
    assert convert(k * x, a, b, molecule) == pytest.approx(
        k * convert(x, a, b, molecule), rel=RTOL, abs=0
    )


@given(x=VALUES, y=VALUES, pair=UNIT_PAIRS, molecule=NAMES)
def test_monotonic_in_value(x, y, pair, molecule):
    a, b = pair
    low, high = sorted((x, y))
    assert convert(low, a, b, molecule) <= convert(high, a, b, molecule)
    if high > low * (1 + 1e-9):  # adjacent floats may round to the same result
        assert convert(low, a, b, molecule) < convert(high, a, b, molecule)


@given(
    xs=st.lists(VALUES, min_size=1, max_size=8),
    pair=UNIT_PAIRS,
    molecule=NAMES,
)
def test_array_conversion_equals_elementwise(xs, pair, molecule):
    a, b = pair
    out = convert(np.array(xs), a, b, molecule)
    expected = [convert(x, a, b, molecule) for x in xs]
    np.testing.assert_allclose(out, expected, rtol=RTOL, atol=0)


@given(x=VALUES, molecule=NAMES)
def test_molar_result_is_inverse_in_molar_mass(x, molecule):
    # the same mass concentration of a heavier molecule is fewer molecules
    nm = to_molar(x, "ng/mL", molecule)
    assert nm == pytest.approx(x / molar_mass(molecule), rel=RTOL, abs=0)
