"""course_lib.units refusing what it cannot convert: each error says what was wrong and how to
fix it (the conversions themselves: tests/test_units.py)."""

from __future__ import annotations

import pytest

from course_lib.errors import CourseTypeError, CourseValueError, UnitError, UnknownNameError
from course_lib.units import (
    convert,
    dose_to_molar,
    from_molar,
    molar_mass,
    to_molar,
)

VALID_UNITS_TEXT = "'pg/mL', 'ng/mL', 'ug/mL', 'mg/mL', 'pM', 'nM', 'uM'"
VALID_MOLECULES_TEXT = (
    "'IL-6', 'sIL-6R', 'sgp130', 'sgp130Fc', 'olamkicept', 'Hyper-IL-6', 'IgG', "
    "'tocilizumab', 'siltuximab'"
)
RTOL = 1e-12


def test_unknown_unit_case_slip_gets_suggestion():
    with pytest.raises(UnitError) as info:
        to_molar(5, "pg/ml", "IL-6")
    assert str(info.value) == (
        f"unknown concentration unit 'pg/ml'; expected one of: {VALID_UNITS_TEXT}. "
        "Did you mean 'pg/mL'?"
    )


@pytest.mark.parametrize(("typed", "meant"), [("pm", "pM"), ("NM", "nM"), ("ug/ml", "ug/mL")])
def test_unknown_unit_short_case_slips_get_suggestion(typed, meant):
    with pytest.raises(UnitError, match=rf"Did you mean '{meant}'\?$"):
        convert(1, typed, "nM", "IL-6")


def test_unknown_unit_far_miss_lists_units_without_suggestion():
    with pytest.raises(UnitError) as info:
        convert(1, "nM", "furlongs")
    assert str(info.value) == (
        f"unknown concentration unit 'furlongs'; expected one of: {VALID_UNITS_TEXT}."
    )


def test_unknown_unit_is_a_value_error():
    with pytest.raises(ValueError, match="unknown concentration unit"):
        convert(1, "mol/L", "nM")


@pytest.mark.parametrize(("src", "dst"), [("ng/mL", "nM"), ("pM", "pg/mL")])
def test_mass_molar_without_molecule(src, dst):
    with pytest.raises(UnitError) as info:
        convert(1, src, dst)
    assert str(info.value) == (
        f"converting {src} to {dst} needs the molecule's molar mass; got molecule=None. "
        f"Pass molecule=..., one of: {VALID_MOLECULES_TEXT}."
    )


def test_unknown_molecule_with_suggestion():
    with pytest.raises(UnknownNameError) as info:
        to_molar(1, "ng/mL", "IL-7")
    assert str(info.value) == (
        f"unknown molecule 'IL-7'; expected one of: {VALID_MOLECULES_TEXT}. Did you mean 'IL-6'?"
    )


def test_unknown_molecule_is_a_key_error():
    with pytest.raises(KeyError):
        molar_mass("TNF-alpha")


def test_molecule_given_as_number_is_type_error():
    with pytest.raises(CourseTypeError, match=r"^molecule must be given by name \(a str\); got 5"):
        convert(1, "ng/mL", "nM", 5)


def test_negative_value_message():
    with pytest.raises(CourseValueError) as info:
        convert(-1, "ng/mL", "nM", "IL-6")
    assert str(info.value) == (
        "value must be a concentration >= 0 ng/mL; got -1.0 ng/mL. "
        "Concentrations cannot be negative: check the sign."
    )


def test_nan_value_message():
    with pytest.raises(CourseValueError) as info:
        to_molar([1.0, float("nan")], "pg/mL", "IL-6")
    assert str(info.value) == (
        "value must be finite (in pg/mL); got nan pg/mL. "
        "Replace NaN or infinite values with a real concentration, e.g. 0 for none."
    )


def test_string_value_is_type_error():
    with pytest.raises(CourseTypeError, match=r"^value must be a number or an array of numbers"):
        convert("5", "ng/mL", "pg/mL")


def test_to_molar_to_a_mass_unit():
    with pytest.raises(UnitError) as info:
        to_molar(1, "ng/mL", "IL-6", to="ng/mL")
    assert str(info.value) == (
        "to_molar converts to a molar unit; got to='ng/mL'. "
        "Use one of 'pM', 'nM', 'uM', or convert() for mass units."
    )


def test_from_molar_from_a_mass_unit():
    with pytest.raises(UnitError) as info:
        from_molar(1, "IL-6", "pg/mL", unit="ng/mL")
    assert str(info.value) == (
        "from_molar starts from a molar unit; got unit='ng/mL'. "
        "Use one of 'pM', 'nM', 'uM', or convert() for mass units."
    )


def test_mg_per_kg_without_body_mass():
    with pytest.raises(CourseValueError) as info:
        dose_to_molar(8, "mg/kg", "tocilizumab", volume_l=3.0)
    assert str(info.value) == (
        "a dose in mg/kg needs the body mass; got body_mass_kg=None. "
        "Pass body_mass_kg=..., e.g. 70 for an adult or 0.025 for a mouse."
    )


@pytest.mark.parametrize("mass", [0.0, 1000.0, float("nan")])
def test_body_mass_out_of_range(mass):
    with pytest.raises(CourseValueError, match=r"^body_mass_kg must lie within \[0\.001, 500\] kg"):
        dose_to_molar(8, "mg/kg", "tocilizumab", volume_l=3.0, body_mass_kg=mass)


@pytest.mark.parametrize("unit", ["g", "mg/mL", "ug"])
def test_unknown_dose_unit(unit):
    with pytest.raises(UnitError) as info:
        dose_to_molar(1, unit, "IgG", volume_l=3.0)
    assert str(info.value) == f"unknown dose unit {unit!r}; expected one of: 'mg', 'mg/kg'."


@pytest.mark.parametrize("volume", [0.0, 5e-5, 101.0, float("inf")])
def test_volume_out_of_range(volume):
    with pytest.raises(CourseValueError) as info:
        dose_to_molar(1, "mg", "IgG", volume_l=volume)
    assert str(info.value) == (
        f"volume_l must lie within [0.0001, 100] L; got {volume}. Choose a value inside that range."
    )


def test_volume_as_string_is_type_error():
    with pytest.raises(CourseTypeError, match=r"^volume_l must be a number in L; got '3'"):
        dose_to_molar(1, "mg", "IgG", volume_l="3")


def test_negative_dose_is_rejected():
    with pytest.raises(CourseValueError) as info:
        dose_to_molar(-5, "mg", "IgG", volume_l=3.0)
    message = str(info.value)
    assert message.startswith("dose must be ")
    assert "got -5.0 mg" in message


def test_dose_to_molar_to_a_mass_unit_converts_concentration():
    # 600 mg in 3 L is 200 ug/mL whatever the molecule.
    assert dose_to_molar(600, "mg", "IgG", volume_l=3.0, to="ug/mL") == pytest.approx(
        200.0, rel=RTOL
    )
