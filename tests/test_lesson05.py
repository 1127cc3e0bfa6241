"""Lesson 05, "IL-6 and liver cancer": its figures, explorers and checks.

Each figure is driven over every control's extremes; its numbers are recomputed here with
`course_lib.models.liver` directly (same seed, same condition). Each exercise check passes the
library's own answer, recognises each named misconception, and never prints the expected value.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from course_testing import assert_finite, control_values, fails, thin_code_cells

from course_lib._text import format_number as f
from course_lib.errors import CourseLibError
from course_lib.figures.liver import LOBES, LiverCohort, nodule_centres
from course_lib.figures.mechanisms import MechanismBars
from course_lib.grading.checks import liver_cancer as checks
from course_lib.grading.variants import defaults
from course_lib.models.liver import expected_tumours, simulate_cohort
from course_lib.models.mouse import GENOTYPES, MECHANISMS, signals

ROOT = Path(__file__).resolve().parents[1]
NAME = "05_il6_and_liver_cancer.ipynb"


def _clean(text: str) -> None:
    assert "nan" not in text.lower() and "inf" not in text.lower(), text


@pytest.mark.slow
def test_virtual_liver_explorer_over_every_extreme_agrees_with_the_model():
    from course_lib.widgets import virtual_liver_explorer

    box = virtual_liver_explorer()
    names = [c._course_name for c in box.controls]
    grids = [control_values(c)[:: 1 if c._course_name in ("genotype", "treatment") else 2]
             for c in box.controls]  # fmt: skip
    for values in itertools.product(*grids):
        s = dict(zip(names, values, strict=True))
        box.update(**s)
        assert_finite(box.figure)
        text = box.panel.text.value
        _clean(text)
        cohort = simulate_cohort(s["n"], rng=s["seed"], genotype=s["genotype"], sex=s["sex"],
                                 treatment=s["treatment"], treatment_start=s["treatment_start"],
                                 harvest_week=s["harvest_week"])  # fmt: skip
        np.testing.assert_array_equal(box.figure.cohort.counts, cohort.counts)
        c = cohort.counts
        assert f"{s['n']} {s['genotype']} {s['sex']} mice" in text
        assert f"Incidence {f(100 * cohort.incidence)}% ({(c > 0).sum()} of {c.size} mice" in text
        assert f"mean {f(c.mean())} tumours per liver (range {c.min()} to {c.max()})" in text
        if cohort.diameters_mm.size:
            d = cohort.diameters_mm
            assert f"median {f(np.median(d))} mm, largest {f(d.max())} mm" in text
        else:
            assert "no nodules" in text
        shown = min(s["mouse"], s["n"])
        assert f"Drawn: mouse {shown} with {c[shown - 1]} nodule" in text
        assert (
            box.figure.description.startswith("Simulated")
            and 'alt="Simulated' in box.panel.image.value
        )


def test_the_drawn_liver_is_the_chosen_mouse_to_scale():
    cohort = simulate_cohort(10, rng=3)
    mouse = int(np.argmax(cohort.counts))
    fig = LiverCohort(seed=3, n=10, mouse=mouse + 1)
    liver = cohort.liver(mouse)
    assert liver.count > 3
    np.testing.assert_allclose(fig._nodules.get_widths(), liver.diameters_mm)  # mm = data units
    centres = nodule_centres(liver.positions, liver.diameters_mm)
    np.testing.assert_allclose(fig._nodules.get_offsets(), centres)
    inside = np.zeros(len(centres), dtype=bool)
    for cx, cy, w, h, angle in LOBES:  # each centre lies inside some lobe
        phi = np.radians(angle)
        dx, dy = centres[:, 0] - cx, centres[:, 1] - cy
        u, v = dx * np.cos(phi) + dy * np.sin(phi), -dx * np.sin(phi) + dy * np.cos(phi)
        inside |= (u / (w / 2)) ** 2 + (v / (h / 2)) ** 2 <= 1 + 1e-9
    assert inside.all()


@pytest.mark.slow
def test_mechanism_explorer_over_every_setting_agrees_with_the_model(monkeypatch):
    # The figure's artists are checked at every setting: no picture kept from an earlier one.
    monkeypatch.setattr("course_lib.widgets._recall.KEPT_PICTURES", 0)
    from course_lib.widgets import mechanism_explorer

    box = mechanism_explorer()
    names = [c._course_name for c in box.controls]
    for values in itertools.product(*(control_values(c) for c in box.controls)):
        s = dict(zip(names, values, strict=True))
        box.update(**s)
        text = box.panel.text.value
        _clean(text)
        off = tuple(m for m in MECHANISMS if not s[m])
        kw = {"sex": s["sex"], "harvest_week": s["harvest_week"], "driver": s["driver"],
              "mechanisms_off": off}  # fmt: skip
        for g in GENOTYPES:
            mean = expected_tumours(genotype=g, **kw)
            assert box.figure.expected[g] == pytest.approx(mean, rel=1e-12)
            assert f"{g} {f(round(mean, 2))}" in text
            resp = signals(genotype=g, **kw).responses
            assert all(box.figure.responses[g][m] == resp[m][0] for m in MECHANISMS)
        assert f"mechanisms switched off: {', '.join(sorted(off)) or 'none'}" in text


def test_the_mechanism_figure_shows_the_lesson_s_behaviours():
    fig = MechanismBars()
    wt = fig.expected["wild type"]
    assert fig.expected["hepatocyte IL-6R knockout"] > 0.8 * wt
    assert fig.expected["sgp130Fc transgenic"] < 0.05 * wt
    fig.update(driver="classic")
    assert fig.expected["hepatocyte IL-6R knockout"] < 0.05 * wt  # the deciding experiment
    fig.update(angiogenesis=False)
    assert fig.expected["wild type"] == pytest.approx(wt, rel=0.01)
    fig.update(apoptosis=False)
    assert fig.expected["wild type"] < 0.5 * wt


def test_mouse_slider_follows_the_cohort_size_with_one_redraw():
    from course_lib.widgets import virtual_liver_explorer

    box = virtual_liver_explorer()
    n, mouse = box.controls[5], box.controls[7]
    mouse.value = mouse.max
    renders = box.panel.renders
    n.value = 5
    assert mouse.max == 5 and mouse.value == 5
    assert box.panel.renders == renders + 1
    assert "Drawn: mouse 5 with" in box.panel.text.value


@pytest.mark.parametrize("factory", ["virtual_liver_explorer", "mechanism_explorer"])
def test_each_harvest_week_redraws_once(factory):
    # Timing is measured by `make bench` (tools/bench.py), not asserted here.
    from course_lib import widgets

    box = getattr(widgets, factory)()
    (slider,) = [c for c in box.controls if c._course_name == "harvest_week"]
    texts = set()
    for value in np.linspace(slider.min, slider.max, 12).round().astype(int):
        renders = box.panel.renders
        box.update(**{**{c._course_name: c.value for c in box.controls},
                      slider._course_name: int(value)})  # fmt: skip
        assert box.panel.renders == renders + 1
        _clean(box.panel.text.value)
        texts.add(box.panel.text.value)
    assert len(texts) > 1, "the description ignores the harvest week"


def test_figures_reject_bad_settings():
    fig = LiverCohort()
    with pytest.raises(CourseLibError, match="unknown genotype 'IL-6R knockout'"):
        fig.update(genotype="IL-6R knockout")
    with pytest.raises(CourseLibError, match=r"harvest_week must lie within \[12, 60\] weeks"):
        fig.update(harvest_week=80)
    with pytest.raises(CourseLibError, match="mouse must be a whole number from 1 to 20"):
        fig.update(mouse=21)
    with pytest.raises(CourseLibError, match="n must be a whole number .*got 2.5"):
        fig.update(n=2.5)
    with pytest.raises(CourseLibError, match="seed must be a whole number from 0"):
        fig.update(seed=-1)
    bars = MechanismBars()
    with pytest.raises(CourseLibError, match="apoptosis must be True .* got 'no'"):
        bars.update(apoptosis="no")
    with pytest.raises(CourseLibError, match="unknown driver 'both'"):
        bars.update(driver="both")


# --------------------------------------------------------------------------------------------
# Exercise checks


def _trial(genotype):
    t = checks.TRANSGENE_TRIAL
    return simulate_cohort(t["n"], genotype=genotype, sex="male", rng=t[genotype])


def test_transgenic_fraction_check():
    wt, tg = _trial("wild type"), _trial("sgp130Fc transgenic")
    right = tg.counts.mean() / wt.counts.mean()
    assert checks.transgenic_fraction(right).passed
    assert checks.transgenic_fraction(right, rtol=1e-12).passed
    for wrong, phrase in (
        (1 / right, "the other way round"),
        (100 * right, "looks like a percentage"),
        (tg.incidence / wt.incidence, "ratio of the INCIDENCES"),
        (1 - right, "fraction of tumours PREVENTED"),
    ):
        msg = fails(checks.transgenic_fraction, wrong, phrase)
        assert f(right) not in msg and f"{right:.3g}" not in msg
    fails(checks.transgenic_fraction, ..., "no answer yet")


def test_female_incidence_check():
    cohort = simulate_cohort(checks.FEMALE_COHORT["n"], sex="female",
                             rng=checks.FEMALE_COHORT["seed"])  # fmt: skip
    right = float(np.mean(cohort.counts > 0))
    assert right == cohort.incidence and 0 < right < 0.5  # females: the lesson's 10-20% band
    assert checks.female_incidence(right).passed
    for wrong, phrase in (
        (100 * right, "looks like a percentage"),
        (float((cohort.counts > 0).sum()), "NUMBER of mice with a tumour"),
        (float(cohort.counts.mean()), "mean number of tumours per liver"),
    ):
        msg = fails(checks.female_incidence, wrong, phrase)
        assert f(right) not in msg


def test_choice_checks_name_the_misconceptions():
    assert checks.distinguishing_genotype("c").passed
    assert checks.small_nodule_mechanism("C").passed
    assert checks.sex_difference(" b ").passed
    fails(checks.distinguishing_genotype, "a", "hepatocytes without IL-6R keep gp130")
    fails(checks.distinguishing_genotype, "d", "closed sample with sIL-6R in excess")
    fails(checks.distinguishing_genotype, "b", "both hypotheses predict protection")
    fails(checks.small_nodule_mechanism, "a", "p53 apoptosis")
    fails(checks.sex_difference, "c", "10-20% of DEN-treated females")
    # the model agrees with the answers
    for driver, protected in (("trans", False), ("classic", True)):
        ko = expected_tumours(genotype="hepatocyte IL-6R knockout", driver=driver)
        assert (ko < 1) is protected
        # the transgenic line answers the other way round (answer c)
        tg = expected_tumours(genotype="sgp130Fc transgenic", driver=driver)
        assert (tg < 1) is not protected
    assert signals(genotype="hepatocyte IL-6R knockout").hepatocyte_trans[0] > 0.9
    wt = simulate_cohort(40, rng=2)
    no_angio = simulate_cohort(40, rng=2, mechanisms_off=("angiogenesis",))
    assert abs(no_angio.counts.mean() - wt.counts.mean()) < 0.1 * wt.counts.mean()
    assert np.percentile(no_angio.diameters_mm, 90) < 0.5 * np.percentile(wt.diameters_mm, 90)
    assert expected_tumours(genotype="IL-6 knockout", sex="male") == pytest.approx(
        expected_tumours(genotype="IL-6 knockout", sex="female"))  # fmt: skip


def test_notebooks_are_thin_and_the_exercise_has_five_graded_questions():
    lesson = json.loads((ROOT / "notebooks" / NAME).read_text("utf-8"))
    sources = thin_code_cells(ROOT / "notebooks" / NAME)
    assert any("virtual_liver_explorer()" in s for s in sources)
    assert any("mechanism_explorer()" in s for s in sources)
    prose = " ".join("".join(c["source"]) for c in lesson["cells"] if c["cell_type"] == "markdown")
    for needed in ("866,136", "758,725", "7.8%", "TCPOBOP", "Kupffer", "MyD88", "estrogen",
                   "24 weeks", "40 weeks", "simulated", "Predict", "10.1002/hep.28874"):  # fmt: skip
        assert needed in prose, needed
    solution = json.loads(
        (ROOT / "solutions" / NAME.replace(".ipynb", "_exercises.ipynb")).read_text("utf-8")
    )
    graded = [c for c in solution["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    assert len(graded) >= 4
    seeds = "".join("".join(c["source"]) for c in solution["cells"])
    t, fem = checks.TRANSGENE_TRIAL, checks.FEMALE_COHORT
    # question 5.1 draws its cohort from the student's numbers; without an id, TRANSGENE_TRIAL
    assert 'simulate_cohort(my.n_mice, genotype="wild type", sex="male", rng=my.seed)' in seeds
    assert (defaults("05").n_mice, defaults("05").seed) == (t["n"], t["wild type"])
    assert f'simulate_cohort({fem["n"]}, sex="female", rng={fem["seed"]})' in seeds
