"""Lesson checks: the course's own solutions pass, the named misconceptions are recognised."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.grading.checks import start_here as checks
from course_lib.grading.feedback import CheckFailed
from course_lib.units import convert


def _feedback(func, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as info:
        func(*args, **kwargs)
    return str(info.value)


def test_il6_healthy_pm():
    answer = convert(5.19, "pg/mL", "pM", "IL-6")
    assert checks.il6_healthy_pM(answer).passed
    assert checks.il6_healthy_pM(answer * 1.01).passed
    assert "26 kDa" in _feedback(checks.il6_healthy_pM, 5.19 / 26)
    assert "multiplied by the molar mass" in _feedback(checks.il6_healthy_pM, 5.19 * 21)
    assert "1,000x too large" in _feedback(checks.il6_healthy_pM, answer * 1e3)
    # the hidden variant is stricter
    assert "not yet" in _feedback(checks.il6_healthy_pM, answer * 1.01, rtol=0.002)


def test_sil6r_example():
    assert checks.sil6r_nM(0.8).passed
    assert "1,000x too large" in _feedback(checks.sil6r_nM, 800)


def test_conversion_function():
    assert checks.pg_per_ml_to_pM(lambda c, m: c / m).passed
    assert "FEWER" in _feedback(checks.pg_per_ml_to_pM, lambda c, m: c * m)
    # a function that only works on scalars fails on the array case with a clear message
    text = _feedback(checks.pg_per_ml_to_pM, lambda c, m: float(c) / m)
    assert "raised TypeError" in text and "array" in text


@pytest.mark.parametrize(
    ("func", "right", "wrong"),
    [
        (checks.sepsis_vs_kd, "b", {"a": "HEALTHY", "c": "factor-1000"}),
        (checks.gp130_cells, "b", {"a": "only on hepatocytes", "c": "endothelial"}),
    ],
)
def test_choices(func, right, wrong):
    assert func(right).passed
    for option, words in wrong.items():
        assert words in _feedback(func, option)


def test_sepsis_answer_agrees_with_the_units():
    # 10 ng/mL of IL-6 against a 1 nM Kd: within 10-fold, which is option b
    ratio = 1.0 / convert(10.0, "ng/mL", "nM", "IL-6")
    assert 1 / 10 < ratio < 10
    assert np.isclose(ratio, 2.1, rtol=0.01)
