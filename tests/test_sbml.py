"""SBML export of the ODE models (course_lib.models.sbml), validated with libSBML and libRoadRunner.

- the descriptions are the equations the numpy code integrates (right-hand sides compared at
  random states; needs neither libSBML nor libRoadRunner);
- the exported files pass libSBML's consistency checks, units included, with no warning;
- libRoadRunner integrates the signalling SBML for every cell type and stimulus of lesson 03 and
  agrees with an accurate integration of course_lib's own equations, and with
  `course_lib.models.signaling.simulate` (see the two tests for the figures);
- libRoadRunner's steady state of the milieu SBML is `course_lib.models.milieu.steady_state`.

libSBML and libRoadRunner come with the test extra; tests that need them skip only where they
are not installed.
"""

from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import solve_ivp, trapezoid

from course_lib.errors import CourseValueError, UnknownNameError
from course_lib.models import jak_stat, milieu_odes
from course_lib.models.binding import serum_equilibrium
from course_lib.models.cell_types import CELL_TYPES, receptor_numbers
from course_lib.models.culture import LESSON_CELLS
from course_lib.models.milieu import SPECIES, steady_state
from course_lib.models.sbml import (
    MissingDependencyError,
    consistency_problems,
    milieu_description,
    milieu_sbml,
    signaling_description,
    signaling_sbml,
)
from course_lib.models.sbml.__main__ import main
from course_lib.models.signaling import SIGNALING, STIMULI, dose_response, simulate
from course_lib.models.stimuli import stimulus_nM

ROOT = Path(__file__).resolve().parents[1]
#: SBML ids of the states of `jak_stat.Species`, in its order.
STATE_IDS = ("IL6R", "IL6_IL6R", "GP130", "CLASSIC", "TRANS", "pSTAT3_cyt", "pSTAT3_nuc",
             *(f"delay_{i}" for i in range(1, 6)), "SOCS3")  # fmt: skip
#: Lesson 03: every cell type and stimulus, at a low, the default and a high dose (ng/mL).
CASES = [(c, s, d) for c in LESSON_CELLS for s in STIMULI for d in (0.05, 10.0, 1000.0)]
MILIEU_CASES = [
    dict(il6=0.002, sil6r=0.3, sgp130=3.0),  # healthy blood
    dict(il6=0.002, sil6r=0.3, sgp130=3.0, sgp130fc=45.0),  # sgp130Fc
    dict(il6=0.02, sil6r=0.8, sgp130=3.0, anti_il6=10.0),  # inflamed, anti-IL-6
    dict(il6=0.002, sil6r=0.3, sgp130=3.0, anti_il6r=20.0),  # anti-IL-6R
]


# --------------------------------------------------------------------------------------------
# The descriptions are the numpy equations


@pytest.mark.parametrize("feedback", [True, False])
@pytest.mark.parametrize(("cell", "stimulus", "dose"), CASES[1::3])
def test_signalling_description_is_the_jak_stat_right_hand_side(cell, stimulus, dose, feedback):
    d = signaling_description(cell, stimulus, dose, socs3_feedback=feedback)
    _, r0, g0 = receptor_numbers(cell)
    il6, trans = (d.species_by_id(s).initial for s in ("il6_free", "trans_free"))
    x0, rhs, _ = jak_stat.odes(r0, g0, il6, trans, feedback)
    assert np.array_equal(x0, [d.species_by_id(s).initial for s in STATE_IDS])
    rng = np.random.default_rng(14)
    for _ in range(20):
        x = rng.uniform(0, 1, jak_stat.N_SPECIES) * np.r_[[max(r0, 1), 100, g0, 50, 50], [0.5] * 8]
        got = d.rhs(dict(zip(STATE_IDS, x, strict=True)))
        np.testing.assert_allclose([got[s] for s in STATE_IDS], rhs(x), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("levels", MILIEU_CASES)
def test_milieu_description_is_the_milieu_odes_right_hand_side(levels):
    d = milieu_description(**levels)
    production = steady_state(**levels).production
    rng = np.random.default_rng(6)
    for _ in range(20):
        x = rng.uniform(0, 2, len(SPECIES)) * np.array([s.initial + 0.1 for s in d.species])
        got = d.rhs(dict(zip(SPECIES, x, strict=True)))
        expected = milieu_odes.rates(x, production)
        np.testing.assert_allclose([got[s] for s in SPECIES], expected, rtol=1e-12, atol=1e-15)


def test_sgp130fc_lowers_the_trans_ligand_as_the_closed_equilibrium_says():
    d = signaling_description("endothelial cell", "IL-6 + sIL-6R", 10.0, sgp130fc_ug_ml=1.0)
    totals = stimulus_nM("IL-6 + sIL-6R", 10.0)
    eq = serum_equilibrium(
        **totals, sgp130fc=1.0e3 / 220.0, affinities=jak_stat.signaling_affinities()
    )
    assert d.species_by_id("trans_free").initial == pytest.approx(float(eq.trans_complex))
    untreated = signaling_description("endothelial cell", "IL-6 + sIL-6R", 10.0)
    assert (
        d.species_by_id("trans_free").initial < 0.1 * untreated.species_by_id("trans_free").initial
    )


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: signaling_description("hepatocite"), UnknownNameError,
         "unknown cell type 'hepatocite'; expected one of: 'hepatocyte', 'HCC cell'"),
        (lambda: signaling_description("hepatocyte", "IL-7"), UnknownNameError,
         "unknown stimulus 'IL-7'; expected one of: 'IL-6', 'IL-6 + sIL-6R', 'Hyper-IL-6'"),
        (lambda: signaling_description("hepatocyte", "IL-6", -1.0), CourseValueError,
         "dose_ng_ml must be a dose >= 0 ng/mL; got -1.0 ng/mL. Doses cannot be negative"),
        (lambda: milieu_description(il6=[0.1, 0.2]), CourseValueError,
         "il6 must be a single number in nM; got an array of shape (2,)"),
    ],
)  # fmt: skip
def test_bad_input_says_what_was_wrong(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)


# --------------------------------------------------------------------------------------------
# libSBML: the files are consistent, with units and sources


def test_without_libsbml_the_export_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "libsbml", None)
    with pytest.raises(MissingDependencyError) as info:
        signaling_sbml()
    assert str(info.value) == (
        "python-libsbml is not installed, and the SBML export needs it; got no module named "
        "'libsbml'. Install it with: pip install 'il6-course[export]' (or pip install "
        "python-libsbml)."
    )
    assert isinstance(info.value, ImportError)
    from course_lib.widgets import sbml_download

    note = sbml_download(folder=tmp_path)._repr_html_()
    assert not list(tmp_path.iterdir())
    assert "No SBML file written." in note and "pip install &#x27;il6-course[export]&#x27;" in note


@pytest.fixture(scope="module")
def libsbml():
    return pytest.importorskip("libsbml")


@pytest.mark.parametrize(
    "sbml",
    [
        *[lambda c=c, s=s: signaling_sbml(c, s) for c in LESSON_CELLS for s in STIMULI],
        lambda: signaling_sbml("HCC cell", "Hyper-IL-6", 1.0, sgp130fc_ug_ml=10.0),
        *[lambda m=m: milieu_sbml(**m) for m in MILIEU_CASES],
    ],
)
def test_export_passes_libsbml_consistency_checks_without_a_warning(libsbml, sbml):
    assert consistency_problems(sbml()) == []


def test_every_parameter_has_a_unit_and_its_source_in_its_notes(libsbml):
    model = libsbml.readSBMLFromString(signaling_sbml("hepatocyte")).getModel()
    assert model.getLevel() == 3 and model.getTimeUnits() == "min"
    for p in (model.getParameter(i) for i in range(model.getNumParameters())):
        assert p.isSetUnits(), f"{p.getId()} has no unit"
        assert "Source: " in p.getNotesString(), f"{p.getId()} has no source"
    for name, param in SIGNALING.items():
        assert param.source in html.unescape(model.getParameter(name).getNotesString())
        assert model.getParameter(name).getValue() == pytest.approx(param.value, rel=1e-14)
    il6r = model.getSpecies("IL6R")
    assert il6r.getInitialAmount() == CELL_TYPES["hepatocyte"].value("il6r")
    assert CELL_TYPES["hepatocyte"]["il6r"].source in il6r.getNotesString()


# --------------------------------------------------------------------------------------------
# libRoadRunner: an independent simulator


@pytest.fixture(scope="module")
def signalling_runs():
    """Per case of `CASES`: (t, course_lib's pSTAT3, accurate reference, libRoadRunner)."""
    roadrunner = pytest.importorskip("roadrunner")
    runs = {}
    for cell, stimulus, dose in CASES:
        totals = stimulus_nM(stimulus, dose)
        run = simulate(cell, **totals)
        _, r0, g0 = receptor_numbers(cell)
        lf, cf = jak_stat.free_ligands(*totals.values())
        x0, rhs, jac = jak_stat.odes(r0, g0, float(lf[0]), float(cf[0]), True)
        ref = solve_ivp(lambda _, y, f=rhs: f(y), (0.0, 240.0), x0, method="LSODA", t_eval=run.t,
                        jac=lambda _, y, j=jac: j(y), rtol=1e-10, atol=1e-12)  # fmt: skip
        rr = roadrunner.RoadRunner(signaling_sbml(cell, stimulus, dose))
        rr.integrator.relative_tolerance, rr.integrator.absolute_tolerance = 1e-10, 1e-12
        rr.timeCourseSelections = ["time", "pSTAT3"]
        out = rr.simulate(times=run.t)
        runs[cell, stimulus, dose] = (
            run.t,
            run.pstat3,
            jak_stat.total_pstat3(ref.y.T),
            np.asarray(out[:, 1]),
        )
    return runs


def _worst(runs, a: int, b: int) -> tuple[float, tuple]:
    """Largest |a - b| over the 4 h, as a fraction of the pSTAT3 peak, and its case."""
    errors = {
        case: np.max(np.abs(r[a] - r[b])) / max(r[2].max(), 1e-300) for case, r in runs.items()
    }
    case = max(errors, key=errors.get)
    return errors[case], case


def test_roadrunner_agrees_with_course_lib_equations_integrated_accurately(signalling_runs):
    worst, case = _worst(signalling_runs, 3, 2)
    assert worst < 1e-6, f"libRoadRunner and course_lib's equations differ by {worst:.2e} {case}"
    for (cell, stimulus, _), (_, ours, _, theirs) in signalling_runs.items():
        silent = cell == "endothelial cell" and stimulus == "IL-6"
        assert bool(ours.max() == 0 and theirs.max() == 0) == silent


def test_roadrunner_agrees_with_simulate_within_1_percent_of_the_peak(signalling_runs):
    # simulate() integrates with fixed ROS2 steps, 20 s around the peak (1-min steps were off by
    # up to 5% of the peak at low doses with sIL-6R); the accurate reference agrees as well.
    worst, case = _worst(signalling_runs, 3, 1)
    assert _worst(signalling_runs, 2, 1)[0] == pytest.approx(worst, rel=1e-3)
    assert worst < 0.01, f"simulate() and libRoadRunner differ by {worst:.1%} of the peak {case}"


@pytest.mark.parametrize("stimulus", STIMULI)
@pytest.mark.parametrize("cell", LESSON_CELLS)
def test_roadrunner_agrees_with_dose_response_readouts(cell, stimulus):
    # dose_response integrates in about 32 exponential steps (course_lib.models.jak_stat_doses)
    # and reads peak, area and peak time off cubic Hermite curves; libRoadRunner, with tight
    # tolerances and output every 0.05 min, gives the same three numbers.
    roadrunner = pytest.importorskip("roadrunner")
    for dose in (0.05, 10.0, 1000.0):
        totals = stimulus_nM(stimulus, dose)
        given = totals["hyper_il6" if stimulus == "Hyper-IL-6" else "il6"]
        dr = dose_response(cell, [given], stimulus=stimulus, sil6r=totals["sil6r"] or None)
        rr = roadrunner.RoadRunner(signaling_sbml(cell, stimulus, dose))
        rr.integrator.relative_tolerance, rr.integrator.absolute_tolerance = 1e-10, 1e-12
        rr.timeCourseSelections = ["time", "pSTAT3"]
        out = np.asarray(rr.simulate(0.0, 240.0, 4801))
        t, y = out[:, 0], out[:, 1]
        case = f"{cell}, {stimulus}, {dose} ng/mL"
        if y.max() == 0.0:
            assert dr.peak[0] == dr.auc[0] == 0.0, case
            continue
        assert dr.peak[0] == pytest.approx(y.max(), rel=5e-3), case
        assert dr.auc[0] == pytest.approx(trapezoid(y, t), rel=3e-3), case
        assert abs(dr.peak_time[0] - t[np.argmax(y)]) <= 0.25, case


@pytest.mark.parametrize("levels", MILIEU_CASES)
def test_roadrunner_steady_state_is_the_milieu_steady_state(levels):
    roadrunner = pytest.importorskip("roadrunner")
    rr = roadrunner.RoadRunner(milieu_sbml(**levels))
    rr.steadyState()
    expected = steady_state(**levels).species()
    for name in SPECIES:
        got, want = rr[f"[{name}]"], float(expected[name])
        assert abs(got - want) <= 1e-6 * max(want, 1e-9), f"{name}: {got} vs {want} nM"


# --------------------------------------------------------------------------------------------
# The command


def test_command_writes_a_file_and_reports_errors(libsbml, tmp_path, capsys):
    out = tmp_path / "milieu.xml"
    assert main(["milieu", "--il6", "0.002", "--sil6r", "0.3", "--out", str(out)]) == 0
    assert libsbml.readSBMLFromFile(str(out)).getModel().getNumSpecies() == len(SPECIES)
    assert main(["signaling", "--cell", "kupffer", "--out", str(tmp_path / "x.xml")]) == 2
    assert "error: unknown cell type 'kupffer'" in capsys.readouterr().err


def test_python_dash_m_command(libsbml, tmp_path):
    out = tmp_path / "model.xml"
    cmd = [sys.executable, "-m", "course_lib.models.sbml", "signaling", "--cell", "hepatocyte",
           "--stimulus", "Hyper-IL-6", "--dose", "1", "--out", str(out)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out}"
    model = libsbml.readSBMLFromFile(str(out)).getModel()
    assert model.getSpecies("IL6R").getInitialAmount() == 4500.0


def test_lesson_03_download_link_writes_the_file(libsbml, tmp_path):
    from course_lib.widgets import sbml_download

    link = sbml_download("endothelial cell", "IL-6 + sIL-6R", 10.0, folder=tmp_path)
    path = tmp_path / "il6_signalling_endothelial_cell_il_6_sil_6r.xml"
    assert path.name in link._repr_html_() and path.is_file()
    assert consistency_problems(path.read_text(encoding="utf-8")) == []
