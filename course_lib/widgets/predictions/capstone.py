"""Lesson 07's predictions: selectivity at a patient's dose and in the prevention study planner.

>>> box = planner_window()
>>> box.choices[0].value = "high"
>>> box.commit(), box.answers
(True, {0: 'inside'})
"""

from __future__ import annotations

from course_lib._text import format_number as fmt
from course_lib.models.prevention import N_GRID, study_numbers
from course_lib.models.selectivity import compare_settings
from course_lib.models.therapy import pk_profile
from course_lib.units import convert
from course_lib.widgets.predict import Answer, PredictBox, Question, predict_box

__all__ = ["late_start", "patient_peak", "peak_ug_ml", "planner_window"]

#: The planner setting of the lesson: serum sgp130Fc (µg/mL) and the early start (week of age).
LEVEL_UG_ML, EARLY, LATE = 30.0, 4.0, 20.0


def _pct(x: float) -> str:
    return f"{fmt(100 * x)}%"


def peak_ug_ml(dose_mg: float = 600.0) -> float:
    """The simulated serum peak after one IV dose of olamkicept, µg/mL."""
    nm = pk_profile("sgp130Fc", dose=dose_mg, unit="mg", n_doses=1).concentration_nM.max()
    return float(convert(nm, "nM", "ug/mL", "olamkicept"))


def _patient_peak() -> Answer:
    peak = peak_ug_ml()
    here = compare_settings("human, high IL-6", level_ug_ml=peak).at_level()
    kept = tuple(here[s]["classic"] >= 0.9 for s in ("dish", "blood"))
    key = {(True, True): "both", (False, False): "neither", (False, True): "blood"}.get(
        kept, "dish"
    )
    return Answer(
        key,
        f"At the simulated peak of {fmt(peak)} µg/mL: classic signalling left "
        f"{_pct(here['dish']['classic'])} in the dish and {_pct(here['blood']['classic'])} in "
        f"blood; trans left {_pct(here['dish']['trans'])} and {_pct(here['blood']['trans'])}.",
    )


def patient_peak() -> PredictBox:
    """At the peak after 600 mg olamkicept, does a patient keep classic signalling?"""
    q = Question(
        "A patient with serum IL-6 of 10 ng/mL (less than sIL-6R, in molar terms) is at the "
        "peak after 600 mg olamkicept IV. Where does the hepatocyte keep at least 90% of its "
        "classic signal?",
        {
            "both": "in the dish view and in blood",
            "dish": "only in the dish view",
            "blood": "only in blood",
            "neither": "in neither",
        },
        _patient_peak,
        "A dish at equilibrium lets a large excess of the trap drain free IL-6 through sIL-6R; "
        "in blood, IL-6 is made and cleared within minutes, so free IL-6 stays where production "
        "and clearance put it, if captured complexes are removed fast enough (unmeasured).",
    )
    return predict_box([q], title="Predict: selectivity at a patient's dose")


def _planner_window() -> Answer:
    s = study_numbers(LEVEL_UG_ML, EARLY)
    key = "inside" if s.in_window else ("low" if s.endothelial_trans > 0.1 else "high")
    return Answer(
        key,
        f"At {fmt(LEVEL_UG_ML)} µg/mL: trans-signalling {_pct(s.endothelial_trans)} and classic "
        f"{_pct(s.hepatocyte_classic)} of an untreated male's; the window runs from "
        f"{fmt(s.window_ug_ml[0])} to {fmt(s.window_ug_ml[1])} µg/mL.",
    )


def planner_window() -> PredictBox:
    """Is 30 µg/mL of serum sgp130Fc inside the mouse's selectivity window?"""
    q = Question(
        f"In the planner's mouse, serum sgp130Fc is {fmt(LEVEL_UG_ML)} µg/mL. Is that inside "
        "the selectivity window (trans at most 10%, classic at least 90%)?",
        {
            "inside": "yes, inside the window",
            "low": "no: too little, trans-signalling is above 10%",
            "high": "no: too much, classic signalling falls below 90%",
        },
        _planner_window,
        "In the model's blood the trap catches IL-6·sIL-6R but leaves free IL-6 to production "
        "and clearance, so a wide range of levels silences trans and spares classic signalling.",
    )
    return predict_box([q], title="Predict: the dose in the planner")


def _late_start() -> Answer:
    early, late = study_numbers(LEVEL_UG_ML, EARLY), study_numbers(LEVEL_UG_ML, LATE)
    n_early, n_late = early.n_for_80, late.n_for_80
    if n_late is None:
        key = "beyond"
    else:
        key = "same" if n_early is not None and n_late <= 1.5 * n_early else "more"
    shown = f"{n_late} mice" if n_late is not None else f"more than {N_GRID[-1]} mice"
    return Answer(
        key,
        f"Tumours cut by {_pct(early.reduction)} from week {fmt(EARLY)} and by "
        f"{_pct(late.reduction)} from week {fmt(LATE)}; 80% power needs {n_early} mice per "
        f"group from week {fmt(EARLY)} and {shown} per group from week {fmt(LATE)}.",
    )


def late_start() -> PredictBox:
    """Mice per group for 80% power when treatment starts at week 20 instead of week 4."""
    q = Question(
        f"Same study, same {fmt(LEVEL_UG_ML)} µg/mL, but treatment starts at week {fmt(LATE)} "
        f"instead of week {fmt(EARLY)}. The mice per group needed for 80% power...",
        {
            "same": "stay about the same",
            "more": "rise, but stay within the planner's range",
            "beyond": f"go beyond the planner's largest group ({N_GRID[-1]})",
        },
        _late_start,
        "Only a drug present at the DEN injection removes trans-signalling's protection from "
        "apoptosis; a late start can only slow clones that are already growing.",
    )
    return predict_box([q], title="Predict: a late start")
