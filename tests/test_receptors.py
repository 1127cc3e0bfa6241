"""Cell-level behaviours of the binding engine (issue 3, behaviours 1-5 and 7)."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.models.binding import CELL_TYPES, receptor_occupancy, serum_equilibrium
from course_lib.models.cell_types import MEMBRANE
from course_lib.units import to_molar

IL6_INFLAMED = to_molar(10, "ng/mL", "IL-6")
SIL6R = to_molar(40, "ng/mL", "sIL-6R")
SGP130 = to_molar(300, "ng/mL", "sgp130")
IL6_GRID = np.logspace(-6, 2, 200)  # nM


def occ(cell, **totals):
    return receptor_occupancy(cell, serum_equilibrium(**totals))


@pytest.mark.parametrize("cell", sorted(CELL_TYPES))
def test_gp130_is_conserved_and_nothing_is_negative(cell):
    o = occ(cell, il6=IL6_GRID, sil6r=SIL6R, sgp130=SGP130, hyper_il6=0.01)
    np.testing.assert_allclose(o.classic + o.trans + o.free_gp130, o.gp130, rtol=1e-12)
    for part in (o.classic, o.trans, o.free_gp130, o.il6r_bound):
        assert np.all(part >= -1e-9 * o.gp130)
    assert np.all(o.il6r_bound + o.classic <= o.il6r * (1 + 1e-12))


def test_endothelial_cells_need_a_trans_stimulus():
    alone = occ("endothelial cell", il6=IL6_GRID)
    assert np.all(alone.classic == 0.0)
    assert np.all(alone.trans == 0.0)
    with_sr = occ("endothelial cell", il6=IL6_GRID, sil6r=SIL6R)
    assert np.all(with_sr.classic == 0.0)
    assert np.all(with_sr.trans > 0)
    hyper = occ("endothelial cell", hyper_il6=to_molar(1, "ng/mL", "Hyper-IL-6"))
    assert hyper.trans > 0
    assert hyper.response() == 2


def test_hepatocytes_respond_to_il6_alone():
    o = occ("hepatocyte", il6=to_molar(5.19, "pg/mL", "IL-6"))
    assert o.trans == 0.0
    assert o.classic >= MEMBRANE.value("active_strong")


def test_hepatocyte_apparent_kd_is_in_the_measured_range():
    o = occ("hepatocyte", il6=IL6_GRID)
    held = (o.classic + o.il6r_bound) / o.il6r
    kd_app_pm = 1e3 * np.interp(0.5, held, IL6_GRID)
    assert 21 <= kd_app_pm <= 39  # Eur J Clin Invest 1990;20:366


@pytest.mark.parametrize("cell", ["hepatocyte", "HCC cell", "neutrophil", "T cell"])
def test_occupancy_rises_with_il6_and_saturates_below_gp130(cell):
    o = occ(cell, il6=IL6_GRID, sil6r=SIL6R)
    assert np.all(np.diff(o.total) >= -1e-9 * o.gp130)
    assert np.all(o.total < o.gp130)
    assert o.total[-1] > 0.5 * o.gp130


def test_soluble_gp130_lowers_trans_more_than_classic():
    # Inflammatory IL-6 with serum sIL-6R on a hepatocyte (which has both pathways).
    base = occ("hepatocyte", il6=IL6_INFLAMED, sil6r=SIL6R)
    for drug in ({"sgp130": SGP130}, {"sgp130fc": to_molar(1, "ug/mL", "sgp130Fc")}):
        treated = occ("hepatocyte", il6=IL6_INFLAMED, sil6r=SIL6R, **drug)
        trans_kept = treated.trans / base.trans
        classic_kept = treated.classic / base.classic
        assert trans_kept < 1
        assert classic_kept < 1
        assert 1 - classic_kept < 0.5 * (1 - trans_kept), (drug, classic_kept, trans_kept)


@pytest.mark.parametrize("antibody", ["anti_il6r", "anti_il6"])
def test_antibodies_lower_both_pathways(antibody):
    base = occ("hepatocyte", il6=IL6_INFLAMED, sil6r=SIL6R)
    treated = occ("hepatocyte", il6=IL6_INFLAMED, sil6r=SIL6R, **{antibody: 100.0})
    assert treated.classic < 0.5 * base.classic
    assert treated.trans < 0.5 * base.trans


def test_sgp130fc_window_closes_at_very_high_concentration():
    fc = np.logspace(-3, 4, 60)  # nM
    o = occ("hepatocyte", il6=IL6_INFLAMED, sil6r=SIL6R, sgp130fc=fc)
    assert np.all(np.diff(o.trans) <= 1e-9 * o.gp130)
    base = occ("hepatocyte", il6=IL6_INFLAMED, sil6r=SIL6R)
    # Inside the window trans falls while classic is kept (it even rises a little at first:
    # gp130 freed from trans complexes is there for classic ones) ...
    inside = o.trans < 0.5 * base.trans
    assert np.any(inside & (o.classic > 0.8 * base.classic))
    # ... and at the highest concentrations sgp130Fc traps IL-6 and classic falls too.
    assert o.classic[-1] < 0.5 * base.classic


def test_receptor_ratio_override():
    few = occ("hepatocyte", il6=IL6_INFLAMED)
    receptor_occupancy("hepatocyte", serum_equilibrium(il6=IL6_INFLAMED), il6r=500)
    fewer = receptor_occupancy("hepatocyte", serum_equilibrium(il6=IL6_INFLAMED), il6r=500)
    assert fewer.classic < few.classic
    assert fewer.il6r == 500.0


def test_bad_input_messages():
    eq = serum_equilibrium(il6=1.0)
    with pytest.raises(KeyError, match="unknown cell type 'hepatocite'.*Did you mean 'hepatocyte'"):
        receptor_occupancy("hepatocite", eq)
    with pytest.raises(TypeError, match="cell_type must be a name or a ParameterSet; got 3"):
        receptor_occupancy(3, eq)
    with pytest.raises(TypeError, match="serum must be the result of serum_equilibrium"):
        receptor_occupancy("hepatocyte", {"il6": 1.0})
    with pytest.raises(ValueError, match="il6r must be a concentration >= 0 per cell; got -5.0"):
        receptor_occupancy("hepatocyte", eq, il6r=-5)
