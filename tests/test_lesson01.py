"""Lesson 01: stimuli, the cell schematic, the explorer, the prediction quiz and the checks."""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest

from course_lib.errors import CourseTypeError, CourseValueError, UnknownNameError
from course_lib.figures.cell import CellSchematic
from course_lib.figures.glyphs import MEDIUM_SLOTS, SLOTS, glyph_counts, medium_counts
from course_lib.grading.checks import two_pathways as checks
from course_lib.grading.feedback import CheckFailed
from course_lib.models.binding import CELL_TYPES, receptor_occupancy, serum_equilibrium
from course_lib.models.cell_types import MEMBRANE
from course_lib.models.stimuli import (
    PATHWAYS,
    STIMULI,
    STIMULUS_DOSES,
    pathway,
    receptor_table,
    stimulate,
    stimulus_label,
    stimulus_totals,
)
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import to_molar

CASES = list(itertools.product(CELL_TYPES, STIMULI, (False, True)))


# --------------------------------------------------------------------------------------------
# stimuli


def test_stimulus_totals_put_the_right_molecules_in_the_medium():
    il6 = to_molar(10, "ng/mL", "IL-6")
    assert stimulus_totals("IL-6") == {"il6": il6, "sil6r": 0.0, "hyper_il6": 0.0, "sgp130fc": 0.0}
    both = stimulus_totals("IL-6 + sIL-6R", sgp130fc_ug_ml=1.0)
    assert both["il6"] == il6
    assert both["sil6r"] == pytest.approx(to_molar(SERUM_HUMAN.value("sil6r"), "ng/mL", "sIL-6R"))
    assert both["sgp130fc"] == pytest.approx(to_molar(1.0, "ug/mL", "sgp130Fc"))
    hyper = stimulus_totals("Hyper-IL-6", il6_ng_ml=10)
    # ng/mL of the fusion protein, converted with its own molar mass: fewer molecules than IL-6
    assert hyper["il6"] == 0.0 and hyper["hyper_il6"] == to_molar(10, "ng/mL", "Hyper-IL-6")
    assert hyper["hyper_il6"] < il6
    assert serum_equilibrium(**hyper).hyper_il6 > 0


def test_stimulus_totals_broadcast_arrays():
    totals = stimulus_totals("IL-6 + sIL-6R", il6_ng_ml=[1.0, 10.0], sgp130fc_ug_ml=[[0.0], [1.0]])
    assert all(np.shape(v) == (2, 2) for v in totals.values())


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: stimulus_totals("IL6 + sIL6R + sgp130"), UnknownNameError,
         r"unknown stimulus 'IL6 \+ sIL6R \+ sgp130'; expected one of: 'IL-6', 'IL-6 \+ sIL-6R', "
         r"'Hyper-IL-6'"),
        (lambda: stimulus_totals("hyper il6"), None, None),  # folds to 'Hyper-IL-6'
        (lambda: stimulus_totals("IL-6", il6_ng_ml=-1), CourseValueError,
         r"il6_ng_ml must be a dose >= 0 ng/mL; got -1.0 ng/mL\. Doses cannot be negative"),
        (lambda: stimulus_totals("IL-6", sgp130fc_ug_ml=float("nan")), CourseValueError,
         r"sgp130fc_ug_ml must be finite \(in ug/mL\); got nan ug/mL\. Replace NaN"),
        (lambda: stimulus_totals("IL-6", il6_ng_ml="10"), CourseTypeError,
         r"il6_ng_ml must be a number or an array of numbers in ng/mL; got '10'"),
        (lambda: stimulus_totals(6), CourseTypeError, r"stimulus must be given by name"),
        (lambda: stimulate("Kupffer cell", "IL-6"), UnknownNameError,
         r"unknown cell type 'Kupffer cell'; expected one of: 'hepatocyte'"),
        (lambda: stimulus_label("IL-6", sgp130fc_ug_ml=-2), CourseValueError,
         r"sgp130fc_ug_ml must be a dose >= 0 ug/mL; got -2.0"),
    ],
)  # fmt: skip
def test_bad_stimulus_input_says_what_was_wrong(call, error, message):
    if error is None:
        call()
        return
    with pytest.raises(error, match=message):
        call()


def test_pathway_verdicts_follow_the_biology():
    assert stimulate("endothelial cell", "IL-6").pathway == "none"
    assert stimulate("endothelial cell", "IL-6 + sIL-6R").pathway == "trans"
    assert stimulate("hepatocyte", "IL-6").pathway == "classic"
    assert stimulate("hepatocyte", "IL-6", sgp130fc_ug_ml=1.0).pathway == "classic"
    assert stimulate("neutrophil", "Hyper-IL-6").pathway == "trans"
    assert stimulate("hepatocyte", "IL-6 + sIL-6R").pathway == "both"
    many = stimulate("hepatocyte", "IL-6", il6_ng_ml=np.array([0.0, 10.0])).occupancy
    assert list(pathway(many)) == ["none", "classic"]


def test_sgp130fc_traps_complexes_but_not_il6_alone():
    assert stimulate("hepatocyte", "IL-6", sgp130fc_ug_ml=1.0).trapped_fraction == 0.0
    trapped = stimulate("endothelial cell", "IL-6 + sIL-6R", sgp130fc_ug_ml=1.0)
    assert 0.5 < trapped.trapped_fraction < 1.0
    free = stimulate("endothelial cell", "IL-6 + sIL-6R")
    assert trapped.occupancy.trans < 0.5 * free.occupancy.trans


def test_receptor_table_lists_every_cell_type_with_its_source():
    table = receptor_table()
    assert [row[0] for row in table.rows] == list(CELL_TYPES)
    html = table._repr_html_()
    for name, cell in CELL_TYPES.items():
        assert name in html and f"{cell.value('il6r'):,.0f}" in html
    assert "Rabe" in html and "assumed" in html
    assert "endothelial cell" in repr(table)


def test_stimulus_doses_are_cited_or_assumed():
    assert STIMULUS_DOSES["sgp130fc"].is_assumption
    assert STIMULUS_DOSES.value("il6") == SERUM_HUMAN.value("il6_sepsis") / 1000  # pg -> ng
    assert STIMULUS_DOSES["sil6r"].source == SERUM_HUMAN["sil6r"].source


# --------------------------------------------------------------------------------------------
# the schematic


@pytest.fixture(scope="module")
def schematic():
    return CellSchematic()


def _expected_glyphs(part: float, gp130: float) -> int:
    n = math.floor(SLOTS * part / gp130 + 0.5)
    return max(n, 1) if part >= MEMBRANE.value("active_weak") else n


@pytest.mark.parametrize(("cell", "stimulus", "fc"), CASES)
def test_schematic_shows_every_case(schematic, cell, stimulus, fc):
    artists = len(schematic.ax.get_children())
    text = schematic.update(cell, stimulus, fc)
    assert len(schematic.ax.get_children()) == artists, "update must not add artists"
    s = schematic.stimulation
    occ = s.occupancy
    assert (s.cell_type, s.stimulus, s.sgp130fc_ug_ml > 0) == (cell, stimulus, fc)
    assert text.startswith(("A ", "An ")) and cell in text and "(simulated)" in text
    assert f"{round(occ.classic):,} of 5,000 gp130 in classic" in text
    assert f"{round(occ.trans):,} in trans" in text
    route = pathway(occ)
    assert (f"through {PATHWAYS[route]}" in text) == (route != "none")
    assert ("STAT3 off" in text) == (occ.response() == 0)
    if cell == "endothelial cell":
        assert occ.classic == 0 and "no membrane IL-6R" in text
    if stimulus == "IL-6":
        assert occ.trans == 0
    else:
        assert route in ("trans", "both") and occ.trans > 0

    # glyph counts follow the occupancy rounding
    n = glyph_counts(occ)
    classic = _expected_glyphs(occ.classic, occ.gp130)
    assert n["classic"] == classic
    assert n["trans"] == min(_expected_glyphs(occ.trans, occ.gp130), SLOTS - classic)
    glyphs = schematic._glyphs
    carrier = glyphs["hyper" if stimulus == "Hyper-IL-6" else "sil6r"]
    other = glyphs["sil6r" if stimulus == "Hyper-IL-6" else "hyper"]
    assert len(other.get_xdata()) == 0
    y_carrier = np.asarray(carrier.get_ydata())
    assert np.sum(y_carrier < 4.5) == n["trans"]  # on gp130 stems, below the medium row
    assert len(glyphs["il6r"].get_xdata()) == n["il6r"]
    y_il6 = np.asarray(glyphs["il6"].get_ydata())
    assert np.sum(y_il6 < 4.6) == n["classic"] + n["trans"]
    m = medium_counts(s)
    assert len(glyphs["fc"].get_xdata()) == m["trapped"] == (MEDIUM_SLOTS if fc and
                                                             stimulus != "IL-6" else 0)  # fmt: skip
    assert len(glyphs["fc_empty"].get_xdata()) == (MEDIUM_SLOTS // 2 if fc and
                                                   stimulus == "IL-6" else 0)  # fmt: skip
    for line in schematic.ax.get_lines():
        assert np.all(np.isfinite(np.asarray(line.get_xydata(), dtype=float)))

    # STAT3 and the bars say the same as the numbers
    words = ("off", "weakly on", "strongly on")[occ.response()]
    assert schematic._stat3_text.get_text() == f"STAT3 {words}"
    assert schematic._bar_text[0].get_text() == f"{round(occ.classic):,}"
    assert schematic._bar_text[1].get_text() == f"{round(occ.trans):,}"


def test_glyph_counts_round_and_keep_one_for_a_measurable_response():
    t_cell = stimulate("T cell", "IL-6").occupancy  # about 100 classic of 5000: 0.2 of a glyph
    assert 4 <= t_cell.classic < 0.5 * 5000 / SLOTS
    assert glyph_counts(t_cell) == {"classic": 1, "trans": 0, "il6r": 1, "free_il6r": 0}
    assert glyph_counts(stimulate("endothelial cell", "IL-6").occupancy)["il6r"] == 0
    hep = stimulate("hepatocyte", "IL-6").occupancy
    assert glyph_counts(hep)["il6r"] == round(SLOTS * 4500 / 5000)


def test_schematic_rejects_bad_input_even_for_an_unticked_dose(schematic):
    with pytest.raises(UnknownNameError, match="unknown cell type 'liver cell'"):
        schematic.update("liver cell", "IL-6")
    with pytest.raises(CourseValueError, match="sgp130fc_ug_ml must be a dose >= 0"):
        schematic.update("hepatocyte", "IL-6", False, sgp130fc_ug_ml=-1.0)


def test_sgp130fc_note_follows_the_dose(schematic):
    schematic.update("endothelial cell", "IL-6 + sIL-6R", True, sgp130fc_ug_ml=1.0)
    assert re.fullmatch(r"sgp130Fc 1 µg/mL: [\d.]+% trapped", schematic._medium_note.get_text())
    schematic.update("hepatocyte", "IL-6", True, sgp130fc_ug_ml=10.0)
    assert schematic._medium_note.get_text() == "sgp130Fc 10 µg/mL: nothing to trap"
    schematic.update("hepatocyte", "IL-6", False)
    assert schematic._medium_note.get_text() == "no sgp130Fc"


# --------------------------------------------------------------------------------------------
# the explorer and the quiz


def test_moving_the_sgp130fc_dose_ticks_the_box_and_redraws_once():
    from course_lib import widgets

    box = widgets.cell_explorer()
    _cell, stimulus, fc, _il6, fc_dose = box.controls
    assert fc.value is False
    stimulus.value = "IL-6 + sIL-6R"
    renders = box.panel.renders
    fc_dose.value = 10 ** (fc_dose.max)
    assert fc.value is True and box.panel.renders == renders + 1
    assert "with sgp130Fc (200 µg/mL)" in box.panel.text.value


def test_a_browser_rounding_echo_neither_ticks_the_box_nor_redraws():
    from course_lib import widgets

    box = widgets.cell_explorer()
    _cell, _stimulus, fc, il6, fc_dose = box.controls
    renders = box.panel.renders
    il6.value, fc_dose.value = 9.99999999999999, 1.000000000000001  # what JupyterLab sends back
    assert fc.value is False and box.panel.renders == renders


def test_quiz_hides_answers_until_commit_then_locks_predictions():
    from course_lib import widgets

    quiz = widgets.cell_prediction_quiz()
    assert not quiz.committed and quiz.answers is None
    assert all(r.value == "" for r in quiz.reveals)
    quiz.choices[0].value = "none"
    assert quiz.commit() is False
    assert "question 2, 3, 4, 5 have no answer yet" in quiz.status.value
    assert quiz.answers is None and all(r.value == "" for r in quiz.reveals)

    for choice in quiz.choices:
        choice.value = "classic"
    assert quiz.commit() is True and quiz.committed
    engine = {
        i: stimulate(cell, stim, sgp130fc_ug_ml=fc).pathway
        for i, (cell, stim, fc, _) in enumerate(widgets.cell.PREDICTION_CASES)
    }
    assert quiz.answers == engine
    assert list(engine.values()) == ["none", "trans", "classic", "trans", "both"]
    for i, reveal in enumerate(quiz.reveals):
        assert f"the model (simulated) gives <b>{PATHWAYS[engine[i]]}</b>" in reveal.value
        assert ("as you predicted" in reveal.value) == (engine[i] == "classic")
    assert "1 of 5 predictions matches the model" in quiz.status.value
    assert [row["match"] for row in quiz.record] == [False, False, True, False, False]

    quiz.choices[1].value = "trans"  # locked: reverted
    assert quiz.choices[1].value == "classic"
    assert quiz.predictions == dict.fromkeys(range(5), "classic")
    assert all(c.disabled for c in quiz.choices) and quiz.button.disabled
    assert quiz.commit() is True  # committing again changes nothing


# --------------------------------------------------------------------------------------------
# checks


def _solution_trans() -> float:
    serum = serum_equilibrium(
        il6=to_molar(1, "ng/mL", "IL-6"), sil6r=to_molar(40, "ng/mL", "sIL-6R")
    )
    return receptor_occupancy("endothelial cell", serum).trans


def test_solution_answers_pass():
    assert checks.il6_alone_cells("c").passed
    assert checks.sil6r_role("B ").passed
    assert checks.trans_endothelial(_solution_trans(), rtol=1e-6).passed
    assert checks.hcc_il6_nM(17.6e-12 / 1e-3 / 21_000 / 1e-9, rtol=1e-6).passed
    assert checks.hyper_il6_kept(_hyper_solution(), rtol=1e-6).passed


def _hyper_solution():
    without = stimulate("endothelial cell", "Hyper-IL-6").occupancy.trans
    return stimulate("endothelial cell", "Hyper-IL-6", sgp130fc_ug_ml=1.0).occupancy.trans / without


_TRANS = _solution_trans()
_IL6_NM = to_molar(1, "ng/mL", "IL-6")
_SIL6R_NM = to_molar(40, "ng/mL", "sIL-6R")
_HCC = to_molar(17.6, "pg/mL", "IL-6")


def _trans(cell, il6, sil6r):
    return receptor_occupancy(cell, serum_equilibrium(il6=il6, sil6r=sil6r)).trans


MISCONCEPTIONS = [
    (checks.il6_alone_cells, "a", "'gp130 is only on hepatocytes' is a common misconception"),
    (checks.il6_alone_cells, "b", "gp130 alone has no measurable affinity for IL-6"),
    (checks.il6_alone_cells, "d", "this mixes up the two pathways"),
    (checks.sil6r_role, "a", "'sIL-6R is an antagonist' is a common misconception"),
    (checks.sil6r_role, "c", "membrane IL-6R is not the only way in"),
    (checks.hyper_il6_kept, 250.0, "number of gp130 molecules per cell"),
    (checks.hyper_il6_kept, 1.0, "nothing changed?"),
    (checks.hyper_il6_kept, 0.0, "did you read .classic?"),
    (checks.trans_endothelial, _trans("hepatocyte", _IL6_NM, _SIL6R_NM),
     "that is the trans occupancy of a hepatocyte, not of an endothelial cell"),
    (checks.trans_endothelial, _trans("T cell", _IL6_NM, _SIL6R_NM),
     "that is the trans occupancy of a T cell"),
    (checks.trans_endothelial, 0.0, "Either sIL-6R is missing from the medium"),
    (checks.trans_endothelial, _trans("endothelial cell", 1.0, _SIL6R_NM),
     "you passed the IL-6 dose in ng/mL where the engine expects nM"),
    (checks.trans_endothelial, _trans("endothelial cell", _IL6_NM, 40.0),
     "you passed sIL-6R in ng/mL"),
    (checks.trans_endothelial, _TRANS / 5000, "that looks like a fraction of the cell's gp130"),
    (checks.hcc_il6_nM, _HCC * 1000, "you treated pg/mL as ng/mL"),
    (checks.hcc_il6_nM, _HCC / 1000, "your value is 1000x too small"),
    (checks.hcc_il6_nM, _HCC * 21 / 26, "you used 26 kDa"),
    (checks.hcc_il6_nM, 17.6 * 21, "you multiplied by the molar mass"),
    (checks.hcc_il6_nM, _HCC * 1.5, "your value is too large"),
    (checks.hcc_il6_nM, ..., "no answer yet"),
]  # fmt: skip


def _numbers(value: float) -> set[str]:
    """Ways the expected value could be printed."""
    forms = {f"{value:.3g}", f"{value:.4g}", f"{value:,.0f}", f"{value:.2e}", f"{value:.3e}"}
    if value < 1:
        forms |= {f"{value:.4f}", f"{value:.5f}", f"{value:.6f}"}
    return {f for f in forms if f.strip("0.,") and f not in {"0", "1"}}


@pytest.mark.parametrize(
    ("check", "answer", "feedback"),
    MISCONCEPTIONS,
    ids=[f"{c.__name__}-{i}" for i, (c, _, _) in enumerate(MISCONCEPTIONS)],
)
def test_each_misconception_gets_its_feedback_and_never_the_answer(check, answer, feedback):
    with pytest.raises(CheckFailed) as failed:
        check(answer)
    message = str(failed.value)
    assert feedback in message
    for expected in (_TRANS, _HCC):
        leaked = [form for form in _numbers(expected) if form in message]
        assert not leaked, f"the expected value appears in the feedback: {leaked}: {message}"
    assert not re.search(r"answer is|correct (option|answer)", message)


def test_checks_follow_the_engine_not_hard_coded_numbers(monkeypatch):
    # Change the course's sIL-6R dose: the expected value of exercise 1.3 moves with it.
    monkeypatch.setattr(checks, "STIMULUS_DOSES", STIMULUS_DOSES.with_values(sil6r=80.0))
    doubled = _trans("endothelial cell", _IL6_NM, to_molar(80, "ng/mL", "sIL-6R"))
    assert checks.trans_endothelial(doubled).passed
    with pytest.raises(CheckFailed):
        checks.trans_endothelial(_TRANS)


def test_the_trap_is_never_said_to_hold_100_percent_while_complexes_still_signal(schematic):
    # 1000 ng/mL IL-6 with 200 ug/mL sgp130Fc: 99.99% held, yet free complexes reach gp130.
    schematic.update(
        "endothelial cell", "IL-6 + sIL-6R", True, il6_ng_ml=1000.0, sgp130fc_ug_ml=200.0
    )
    text = schematic.describe(schematic.stimulation)
    assert "100%" not in text and "100%" not in schematic._medium_note.get_text()
    assert "99.99% of the IL-6·sIL-6R complexes" in text and "left free still reach" in text
