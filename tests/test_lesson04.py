"""Lesson 04, "How sgp130Fc works": its figures, explorers and checks.

Each figure is driven over every control's extremes; its numbers are recomputed here with
`course_lib.models.therapy` directly. Each exercise check passes the library's own answer,
recognises each named misconception, and never prints the expected value.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from course_testing import assert_finite, control_values, fails, thin_code_cells

from course_lib._text import format_number as f
from course_lib.errors import CourseLibError
from course_lib.figures.drugs import DosingPlan, DrugResponse
from course_lib.grading.checks import sgp130fc_mechanism as checks
from course_lib.models.therapy import INFLAMED, inhibition, pk_profile, trans_block_level
from course_lib.units import convert, to_molar

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_drug_explorer_over_every_extreme_agrees_with_the_model(monkeypatch):
    # The figure's artists are checked at every setting: no picture kept from an earlier one.
    monkeypatch.setattr("course_lib.widgets._recall.KEPT_PICTURES", 0)
    from course_lib.widgets import drug_explorer

    box = drug_explorer()
    fig = box.figure
    for drug, conc, aff, il6 in itertools.product(*(control_values(c) for c in box.controls)):
        box.update(drug=drug, concentration_nM=conc, affinity_set=aff, il6_ng_ml=il6)
        assert_finite(fig)
        text = box.panel.text.value
        assert "nan" not in text.lower() and "inf" not in text.lower(), text
        background = {**INFLAMED, "il6": float(to_molar(il6, "ng/mL", "IL-6"))}
        here = inhibition(drug, [conc], background=background, affinities=aff)
        assert f"leaves {f(100 * here.classic_remaining[0])}% of classic" in text
        assert f"and {f(100 * here.trans_remaining[0])}% of trans-signalling" in text
        curve = inhibition(drug, fig.concentrations_nM, background=background, affinities=aff)
        np.testing.assert_allclose(fig._curves[1].get_ydata(), 100 * curve.trans_remaining)
        low, high = curve.window()
        if math.isnan(low):
            assert "(no window)" in text and not fig._window.get_visible()
        else:
            assert f"between {f(low)} and {f(high)} nM" in text and fig._window.get_visible()


def test_sgp130fc_window_opens_when_il6_outnumbers_sil6r():
    fig = DrugResponse()
    fig.update("sgp130Fc", 100.0, "textbook", 10.0)
    assert math.isnan(fig.window_nM[0])  # sIL-6R in excess: the trap takes classic IL-6 too
    fig.update("sgp130Fc", 100.0, "textbook", 100.0)
    assert fig.window_nM[0] < 100.0 <= fig.window_nM[1]
    assert fig.remaining["trans"] < 10 and fig.remaining["classic"] > 90


@pytest.mark.slow
def test_dosing_planner_over_every_extreme_agrees_with_the_model():
    from course_lib.widgets import dosing_planner

    box = dosing_planner()
    level = box.figure.trans90_nM
    assert level == pytest.approx(trans_block_level(), rel=1e-12)
    res = inhibition("sgp130Fc", [level])
    assert res.trans_remaining[0] == pytest.approx(0.1, abs=0.01)
    for dose, tau, hl, n in itertools.product(*(control_values(c) for c in box.controls)):
        box.update(dose_mg=dose, interval_days=tau, half_life_days=hl, n_doses=n)
        assert_finite(box.figure)
        text = box.panel.text.value
        assert "nan" not in text.lower() and "inf" not in text.lower(), text
        p = pk_profile("sgp130Fc", dose=dose, unit="mg", interval_days=tau, n_doses=n,
                       half_life_days=hl)  # fmt: skip
        assert f"trough of {f(p.trough())} nM" in text
        assert f"reached {f(100 * p.time_above(level))}% of the time" in text
        assert "(assumed)" in text and text.count("Simulated") == 1


def test_figures_reject_bad_settings():
    fig = DrugResponse()
    with pytest.raises(CourseLibError, match="tocilizumab"):
        fig.update("tocilizumab", 1.0, "textbook", 10.0)
    with pytest.raises(CourseLibError, match="concentration_nM must lie within"):
        fig.update("sgp130Fc", 1e6, "textbook", 10.0)
    with pytest.raises(CourseLibError, match="dose_mg must be above 0"):
        DosingPlan(dose_mg=-5.0)


# --------------------------------------------------------------------------------------------
# Exercise checks


def test_trans_ic50_check():
    right = inhibition("sgp130Fc", checks.CONCENTRATIONS_NM).ic50("trans")
    assert checks.trans_ic50_nM(right).passed
    classic = inhibition("sgp130Fc", checks.CONCENTRATIONS_NM).ic50("classic")
    msg = fails(checks.trans_ic50_nM, classic, "IC50 for CLASSIC signalling")
    assert f(right) not in msg
    effective = inhibition("sgp130Fc", checks.CONCENTRATIONS_NM, affinities="effective")
    fails(checks.trans_ic50_nM, effective.ic50("trans"), "EFFECTIVE affinity set")
    fails(checks.trans_ic50_nM, float(convert(right, "nM", "ug/mL", "olamkicept")), "µg/mL")
    fails(checks.trans_ic50_nM, right * 1000, "A factor of 1000")


def test_window_check():
    low, high = inhibition("sgp130Fc", checks.CONCENTRATIONS_NM, background=checks.FLOOD).window()
    assert checks.dose_in_window(float(np.sqrt(low * high))).passed
    fails(checks.dose_in_window, low / 10, "more than 10% of trans-signalling is left")
    fails(checks.dose_in_window, low / 2000 * 3, "A factor of 1000")
    fails(checks.dose_in_window, ..., "no answer yet")


def test_trough_check():
    p = pk_profile("sgp130Fc", dose=300, unit="mg", interval_days=14, n_doses=6)
    assert checks.trough_nM(p.trough()).passed
    fails(checks.trough_nM, float(p.concentration_nM.max()), "this is the PEAK")
    p600 = pk_profile("sgp130Fc", dose=600, unit="mg", interval_days=14, n_doses=6)
    fails(checks.trough_nM, p600.trough(), "trough of 600 mg")
    fails(checks.trough_nM, p.trough() / 1000, "A factor of 1000")


def test_choice_checks_name_the_misconceptions():
    assert checks.selective_drugs("b").passed and checks.il6_alone("B").passed
    fails(checks.selective_drugs, "a", "in the same proportion")
    fails(checks.selective_drugs, "c", "binds membrane IL-6R as well as soluble IL-6R")
    fails(checks.il6_alone, "a", "sgp130Fc is selective")
    # the model agrees with the answer of 4.5: no sIL-6R, no effect at any dose
    dish = inhibition("sgp130Fc", [0.0, 1.0, 1e4], background={"il6": 0.5, "sil6r": 0.0})
    assert np.allclose(dish.classic_remaining, 1.0)


def test_notebooks_are_thin_and_the_exercise_has_five_graded_questions():
    sources = thin_code_cells(ROOT / "notebooks" / "04_sgp130fc_mechanism.ipynb")
    assert any("drug_explorer()" in s for s in sources)
    assert any("dosing_planner()" in s for s in sources)
    solution = json.loads(
        (ROOT / "solutions" / "04_sgp130fc_mechanism_exercises.ipynb").read_text("utf-8")
    )
    graded = [c for c in solution["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    assert len(graded) >= 4
