"""Drugs in the equilibrium: what each blocks, and the one-compartment PK of repeated doses."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib.models.therapy import DRUGS, INFLAMED, inhibition, pk_profile
from course_lib.units import dose_to_molar, to_molar

CONC = np.logspace(-3, 5, 240)  # nM


@pytest.mark.parametrize("drug", ["anti-IL-6R", "anti-IL-6"])
@pytest.mark.parametrize("affinities", ["textbook", "effective"])
def test_antibodies_block_both_pathways_alike(drug, affinities):
    r = inhibition(drug, CONC, affinities=affinities)
    classic, trans = r.ic50("classic"), r.ic50("trans")
    assert math.isfinite(classic)
    assert math.isfinite(trans)
    assert r.classic_remaining[-1] < 0.05
    assert r.trans_remaining[-1] < 0.05


@pytest.mark.parametrize("affinities", ["textbook", "effective"])
def test_sgp130fc_blocks_trans_at_lower_concentration_than_classic(affinities):
    r = inhibition("sgp130Fc", CONC, affinities=affinities)
    assert r.ic50("trans") < r.ic50("classic")
    assert np.all(np.diff(r.trans_remaining) <= 1e-12)
    # and it is more selective than either antibody
    for antibody in ("anti-IL-6R", "anti-IL-6"):
        other = inhibition(antibody, CONC, affinities=affinities)
        if affinities == "effective":  # the antibodies' ratio there comes from sIL-6R alone
            continue
        assert r.ic50("classic") / r.ic50("trans") > other.ic50("classic") / other.ic50("trans")


def test_sgp130fc_selectivity_is_wider_with_the_weak_serum_buffer():
    textbook = inhibition("sgp130Fc", CONC, affinities="textbook")
    effective = inhibition("sgp130Fc", CONC, affinities="effective")
    ratio_t = textbook.ic50("classic") / textbook.ic50("trans")
    ratio_e = effective.ic50("classic") / effective.ic50("trans")
    assert ratio_e > 5 * ratio_t
    low, high = effective.window(trans_below=0.2, classic_above=0.8)
    assert low < high


def test_window_closes_when_sil6r_outnumbers_il6():
    # 10 ng/mL IL-6 (0.48 nM) is below serum sIL-6R (0.8 nM): enough sgp130Fc traps it all,
    # and classic signalling falls too (Garbers 2011) ...
    assert INFLAMED["il6"] < INFLAMED["sil6r"]
    r = inhibition("sgp130Fc", CONC)
    assert r.classic_remaining[-1] < 0.1
    # ... whereas with IL-6 in excess over sIL-6R the trap fills up and classic is kept.
    flood = dict(INFLAMED, il6=to_molar(100, "ng/mL", "IL-6"))
    r = inhibition("sgp130Fc", CONC, background=flood)
    assert r.ic50("classic") == math.inf
    assert r.trans_remaining[-1] < 0.01


def test_drugs_say_what_they_block_and_the_mouse_caveat():
    assert "does not block IL-6 signalling in mouse cells" in DRUGS["anti-IL-6R"].species_note
    assert DRUGS["sgp130Fc"].blocks.startswith("trans-signalling")
    assert DRUGS["sgp130Fc"].parameters["half_life"].is_assumption


def test_single_dose_peak_and_half_life():
    p = pk_profile("sgp130Fc", n_doses=1, half_life_days=10.0, points=1401)
    peak = dose_to_molar(600, "mg", "olamkicept", volume_l=2.88)
    assert p.concentration_nM[0] == pytest.approx(peak)
    at_10_days = np.interp(10.0, p.t_days, p.concentration_nM)
    assert at_10_days == pytest.approx(peak / 2, rel=1e-3)


def test_repeated_doses_accumulate_to_the_analytic_steady_state():
    hl, tau = 16.0, 14.0
    p = pk_profile(
        "sgp130Fc", n_doses=40, half_life_days=hl, interval_days=tau, points=40 * 140 + 1
    )
    k = math.log(2) / hl
    c0 = p.concentration_nM[0]
    trough_ss = c0 * math.exp(-k * tau) / (1 - math.exp(-k * tau))
    last = p.concentration_nM[-1]  # end of the last interval: the trough
    assert last == pytest.approx(trough_ss, rel=1e-6)


def test_mg_per_kg_doses_scale_with_body_mass():
    light = pk_profile("anti-IL-6R", n_doses=1, body_mass_kg=50.0, points=2)
    heavy = pk_profile("anti-IL-6R", n_doses=1, body_mass_kg=100.0, points=2)
    assert heavy.concentration_nM[0] == pytest.approx(2 * light.concentration_nM[0])


def test_bad_input_messages():
    with pytest.raises(KeyError, match="unknown drug 'tocilizumab'.*'anti-IL-6R'"):
        inhibition("tocilizumab", CONC)
    with pytest.raises(ValueError, match="concentrations_nM must be a concentration >= 0 nM"):
        inhibition("sgp130Fc", [-1.0])
    with pytest.raises(ValueError, match="must be a 1-D list of concentrations; got shape"):
        inhibition("sgp130Fc", np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"half_life_days must lie within \[0.1, 60\] days"):
        pk_profile("sgp130Fc", half_life_days=0.0)
    with pytest.raises(ValueError, match=r"interval_days must lie within \[1, 56\] days"):
        pk_profile("sgp130Fc", interval_days=100)
    with pytest.raises(ValueError, match="n_doses must be a whole number; got 2.5"):
        pk_profile("sgp130Fc", n_doses=2.5)
    with pytest.raises(KeyError, match="unknown pathway 'clasic'"):
        inhibition("sgp130Fc", CONC).ic50("clasic")
