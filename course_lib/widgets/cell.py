"""Lesson 01 widgets: the cell explorer, and the predictions a student commits to first."""

from __future__ import annotations

import functools

import ipywidgets as W

from course_lib.figures.cell import CellSchematic
from course_lib.models.binding import CELL_TYPES
from course_lib.models.stimuli import (
    PATHWAYS,
    STIMULI,
    STIMULUS_DOSES,
    stimulate,
    stimulus_label,
)
from course_lib.widgets._controls import log_slider, menu, sets_on_change, switch, toggles
from course_lib.widgets._panel import explorer
from course_lib.widgets.predict import Answer, PredictBox, Question, predict_box
from course_lib.widgets.scenarios import with_presets

__all__ = ["PREDICTION_CASES", "cell_explorer", "cell_prediction_quiz"]


def cell_explorer(*, preset: str | None = None) -> W.VBox:
    """Lesson 01: choose a cell type and a stimulus and watch which pathway the cell hears.

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

    Returns
    -------
    ipywidgets.VBox
        A cell-type menu, stimulus buttons, an sgp130Fc tick box and log sliders for the dose
        of IL-6 or Hyper-IL-6 (ng/mL of the protein added, healthy serum to sepsis) and the sgp130Fc dose (ug/mL), above the
        schematic and its description. ``update`` (keywords ``cell_type``, ``stimulus``,
        ``sgp130fc``, ``il6_ng_ml``, ``sgp130fc_ug_ml``), ``controls``, ``panel`` and
        ``schematic`` are exposed for tests. Moving the sgp130Fc dose ticks the box.
    """
    cell = menu(
        list(CELL_TYPES),
        "hepatocyte",
        "cell type",
        hint="cell type: its receptors are in the table above",
    )
    stimulus = toggles(
        list(STIMULI),
        "IL-6",
        "stimulus",
        hint="stimulus: added to the medium",
        tooltips=STIMULI.values(),
    )
    fc = switch(False, "with sgp130Fc", hint="with sgp130Fc: at the dose set below")
    il6 = log_slider(STIMULUS_DOSES["il6"], name="dose of IL-6 or Hyper-IL-6", unit="ng/mL")
    fc_dose = log_slider(STIMULUS_DOSES["sgp130fc"], name="sgp130Fc dose", unit="µg/mL")
    controls = (cell, stimulus, fc, il6, fc_dose)
    names = ("cell_type", "stimulus", "sgp130fc", "il6_ng_ml", "sgp130fc_ug_ml")
    schematic = CellSchematic(
        cell.value, stimulus.value, fc.value, il6_ng_ml=il6.value, sgp130fc_ug_ml=fc_dose.value
    )

    note = (
        "A simulation with cited inputs: receptor numbers from the table above, binding "
        "constants from <code>course_lib.models.affinities</code>. The sgp130Fc dose is an "
        "assumption; IL-6 spans healthy serum (about 0.005 ng/mL) to sepsis."
    )

    box = explorer(
        "Which pathway does this cell hear?",
        controls,
        schematic,
        names=names,
        note=note,
        links=[(fc_dose, sets_on_change(fc, True))],  # moving the dose: wanting the drug
    )
    box.schematic = schematic
    return with_presets(box, "cell_explorer", preset)


#: the cases of the prediction quiz: (cell type, stimulus, sgp130Fc dose ug/mL, explanation)
PREDICTION_CASES: tuple[tuple[str, str, float, str], ...] = (
    (
        "endothelial cell",
        "IL-6",
        0.0,
        "Endothelial cells carry gp130 but no membrane IL-6R (Rabe et al., Blood 2008), and gp130 "
        "alone does not bind IL-6. IL-6 on its own finds nothing to hold on to.",
    ),
    (
        "endothelial cell",
        "IL-6 + sIL-6R",
        0.0,
        "Soluble IL-6R binds IL-6 in the medium, and the IL-6·sIL-6R complex engages gp130 "
        "directly: sIL-6R is an agonist. This is trans-signalling, the only route open to a cell "
        "without IL-6R.",
    ),
    (
        "hepatocyte",
        "IL-6",
        STIMULUS_DOSES.value("sgp130fc"),
        "sgp130Fc binds the IL-6·sIL-6R complex; it does not inhibit the IL-6 responses of "
        "cells with their own IL-6R (Jostock et al., Eur J Biochem 2001). With no sIL-6R in the "
        "medium there is nothing for it to trap, and classic signalling goes on untouched.",
    ),
    (
        "neutrophil",
        "Hyper-IL-6",
        0.0,
        "Hyper-IL-6 already contains sIL-6R, so it binds gp130 directly. The neutrophil's own "
        "IL-6R plays no part: the response is trans-signalling, as it would be on any gp130 "
        "cell.",
    ),
    (
        "hepatocyte",
        "IL-6 + sIL-6R",
        0.0,
        "A hepatocyte has membrane IL-6R and gp130, so it can use both routes at once: IL-6 on "
        "its own IL-6R (classic) and IL-6·sIL-6R from the medium (trans) share its gp130.",
    ),
)


def _case_text(cell: str, stimulus: str, fc: float) -> str:
    dose = STIMULUS_DOSES.value("il6")
    return f"{cell} given {stimulus_label(stimulus, dose, fc)}"


def _case_answer(cell: str, stimulus: str, fc: float) -> Answer:
    """The pathway the model gives for one case, with its gp130 counts (simulated)."""
    result = stimulate(cell, stimulus, sgp130fc_ug_ml=fc)
    occ = result.occupancy
    return Answer(
        result.pathway,
        f"{round(float(occ.classic)):,} gp130 in classic and {round(float(occ.trans)):,} in "
        f"trans complexes, of {round(occ.gp130):,}.",
    )


def cell_prediction_quiz() -> PredictBox:
    """Predict, then reveal: which pathway each cell uses, before the explorer shows it.

    Each case gets a choice of "no response", "classic signalling", "trans-signalling" or
    "both pathways". "Commit predictions" locks the choices (only when every case has one)
    and only then shows the model's answers, computed by
    `course_lib.models.stimuli.stimulate`, with an explanation per case. Built on the
    course's shared `course_lib.widgets.predict.predict_box`.

    Returns
    -------
    PredictBox
        With ``commit()``, ``predictions``, ``answers`` (None until committed), ``record``,
        ``committed``, ``choices`` and ``reveals`` for tests.
    """
    questions = [
        Question(
            _case_text(cell, stim, fc),
            PATHWAYS,
            model=functools.partial(_case_answer, cell, stim, fc),
            why=why,
        )
        for cell, stim, fc, why in PREDICTION_CASES
    ]
    return predict_box(questions, title="Predict first: how does each cell respond?")
