"""One dosing convention in every lesson: a stimulus dose is ng/mL of the protein added.

Lesson 01 (cells at equilibrium), lesson 03 (time courses and dose-response curves) and the
figures all convert a dose through `course_lib.models.stimuli.stimulus_nM`; the same dose of the
same stimulus must give the same nM everywhere (Hyper-IL-6 with its own molar mass).
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.models.culture import DOSES_NG_ML, dose_response_curve, time_course
from course_lib.models.signaling import simulate
from course_lib.models.stimuli import STIMULI, stimulate, stimulus_nM, stimulus_totals
from course_lib.units import to_molar

MASS = {"IL-6": "IL-6", "IL-6 + sIL-6R": "IL-6", "Hyper-IL-6": "Hyper-IL-6"}


@pytest.mark.parametrize("stimulus", list(STIMULI))
@pytest.mark.parametrize("dose", [0.01, 10.0, 500.0])
def test_every_lesson_converts_a_dose_the_same_way(stimulus, dose):
    protein = to_molar(dose, "ng/mL", MASS[stimulus])
    key = "hyper_il6" if stimulus == "Hyper-IL-6" else "il6"
    one = stimulus_nM(stimulus, dose, 40.0)
    assert one[key] == pytest.approx(protein, rel=1e-15)
    # lesson 01: the medium of the cell explorer
    totals = stimulus_totals(stimulus, il6_ng_ml=dose, sil6r_ng_ml=40.0)
    assert {k: totals[k] for k in one} == one
    assert stimulate("hepatocyte", stimulus, il6_ng_ml=dose).serum.totals()[
        "hyper_il6" if stimulus == "Hyper-IL-6" else "il6"
    ] == pytest.approx(protein, rel=1e-9)
    # lesson 03: a time course in ng/mL is the model run at the same nM
    run = time_course("hepatocyte", stimulus, dose, 40.0)
    direct = simulate("hepatocyte", **one, t_end=run.t[-1])
    np.testing.assert_allclose(run.pstat3, direct.pstat3, rtol=1e-12)


@pytest.mark.parametrize("stimulus", list(STIMULI))
def test_the_dose_response_axis_uses_the_same_conversion(stimulus):
    curve = dose_response_curve("endothelial cell", stimulus, True)
    np.testing.assert_allclose(curve.doses, to_molar(DOSES_NG_ML, "ng/mL", MASS[stimulus]))


def test_ten_ng_of_hyper_il6_is_fewer_molecules_than_ten_ng_of_il6():
    hyper = stimulus_nM("Hyper-IL-6", 10.0)["hyper_il6"]
    il6 = stimulus_nM("IL-6", 10.0)["il6"]
    assert hyper == pytest.approx(
        il6 * to_molar(1, "ng/mL", "Hyper-IL-6") / to_molar(1, "ng/mL", "IL-6")
    )
    assert 0.3 < hyper / il6 < 0.45  # about 21 kDa against about 56 kDa
