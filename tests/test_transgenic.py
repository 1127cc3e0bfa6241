"""sgp130Fc in a living mouse: the transgene spares classic signalling (Rabe 2008), so the
transgenic line tells trans from classic signalling apart, as Bergmann et al. used it.

Blood is an open system (course_lib.models.milieu): IL-6 is removed in minutes, long before it
meets sIL-6R, so a trap for IL-6·sIL-6R leaves free IL-6 alone. Whether the trap removes
trans-signalling hangs on an unmeasured number, the removal rate of the captured complex;
these tests pin the model's behaviour at its default and at both ends of its range.
"""

from __future__ import annotations

import pytest

from course_lib.models.liver import expected_tumours
from course_lib.models.milieu import MILIEU_KINETICS
from course_lib.models.mouse import blood, signals

TG = "sgp130Fc transgenic"
SLOW, FAST = MILIEU_KINETICS["clear_trapped"].bounds


def _ratios(**kw) -> tuple[float, float, float]:
    s = signals(genotype=TG, **kw)
    return s.hepatocyte_classic[0], s.hepatocyte_trans[0], s.endothelial_trans[0]


def test_the_transgene_spares_classic_and_blocks_trans_signalling():
    classic, hep_trans, endo_trans = _ratios()
    assert classic >= 0.8  # Rabe 2008: membrane-IL-6R responses intact
    assert hep_trans <= 0.3 and endo_trans <= 0.3


def test_selectivity_hangs_on_how_fast_the_captured_complex_is_removed():
    slow = MILIEU_KINETICS.with_values(clear_trapped=SLOW)  # recycled like an antibody
    fast = MILIEU_KINETICS.with_values(clear_trapped=FAST)
    _, _, at_slow = _ratios(kinetics=slow)
    _, _, at_default = _ratios()
    _, _, at_fast = _ratios(kinetics=fast)
    assert at_fast < at_default < at_slow
    assert at_slow >= 0.8  # a trap that keeps its catch only buffers it
    for kinetics in (slow, fast):
        assert _ratios(kinetics=kinetics)[0] >= 0.95  # classic is spared at every removal rate


def test_a_slower_letting_go_restores_the_blockade_when_removal_is_slow():
    slow = MILIEU_KINETICS.with_values(clear_trapped=SLOW)
    held = slow.with_values(koff_sgp130fc=MILIEU_KINETICS["koff_sgp130fc"].bounds[0])
    assert _ratios(kinetics=held)[2] < 0.5 * _ratios(kinetics=slow)[2]


def test_total_serum_il6_rises_in_transgenic_mice():
    wt, tg = blood(), blood(genotype=TG)
    rise = float(tg.total_il6 / wt.total_il6)
    assert 1.05 < rise < 2.0  # a testable prediction: about 1.2x at the default removal
    assert float(tg.il6 / wt.il6) == pytest.approx(1.0, abs=0.01)  # free IL-6 is unchanged
    slow = MILIEU_KINETICS.with_values(clear_trapped=SLOW)
    assert float(blood(genotype=TG, kinetics=slow).total_il6 / blood(kinetics=slow).total_il6) > 3


def test_the_transgenic_line_discriminates_the_two_hypotheses():
    wt = expected_tumours()
    assert expected_tumours(genotype=TG) <= 0.3 * wt  # trans drives tumours: protected
    # classic drives tumours: the line keeps classic signalling, so it is not protected
    assert expected_tumours(genotype=TG, driver="classic") >= 0.5 * expected_tumours(
        driver="classic"
    )


def test_a_closed_equilibrium_would_make_the_transgenic_mouse_an_il6_knockout():
    classic, hep_trans, _ = _ratios(system="closed")
    assert classic < 0.2 and hep_trans < 0.2  # sIL-6R in excess: the trap takes IL-6 too
    assert expected_tumours(genotype=TG, driver="classic", system="closed") < 0.1 * (
        expected_tumours(driver="classic", system="closed")
    )


def test_if_sgp130fc_also_capped_membrane_il6r_the_line_would_lose_classic_signalling():
    classic, _, endo_trans = _ratios(cis_binding=True)  # the disputed view (Widjaja 2024)
    assert classic < 0.5 and endo_trans <= 0.3
    assert _ratios(cis_binding=False)[0] >= 0.8
