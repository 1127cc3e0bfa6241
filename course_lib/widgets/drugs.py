"""Lesson 04 explorers: what sgp130Fc and the antibodies block, and a dosing planner."""

from __future__ import annotations

import ipywidgets as W

from course_lib.figures.drugs import DosingPlan, DrugResponse
from course_lib.models.affinities import AFFINITY_SETS
from course_lib.models.therapy import CONCENTRATION_AXIS_NM, DOSING, DRUGS, IL6_RANGE_NG_ML
from course_lib.parameters import SERUM_HUMAN
from course_lib.widgets._controls import log_slider, slider, toggles
from course_lib.widgets._panel import explorer
from course_lib.widgets.scenarios import with_presets

__all__ = ["dosing_planner", "drug_explorer"]

_SET_LABELS = {"textbook": "textbook", "effective": "effective (Baran-like)"}
_LABEL_WIDTH = "230px"
_DRUG_LABELS = {"sgp130Fc": "sgp130Fc", "anti-IL-6R": "anti-IL-6R", "anti-IL-6": "anti-IL-6"}


def drug_explorer(*, preset: str | None = None) -> W.VBox:
    """Lesson 04: signalling left by sgp130Fc, an anti-IL-6R or an anti-IL-6 antibody.

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

    Returns
    -------
    ipywidgets.VBox
        Buttons for the drug, a log slider of its concentration (nM), a switch between the
        affinity sets and a log slider of serum IL-6 (ng/mL), above the
        `course_lib.figures.drugs.DrugResponse` figure and its description. ``update``
        (keywords ``drug``, ``concentration_nM``, ``affinity_set``, ``il6_ng_ml``),
        ``controls`` and ``panel`` are exposed for tests.
    """
    drug = toggles(
        [(_DRUG_LABELS[name], name) for name in DRUGS],
        "sgp130Fc",
        "drug",
        hint="drug: each choice's tooltip says what it binds",
        tooltips=[f"{name} binds {d.target}; blocks {d.blocks}" for name, d in DRUGS.items()],
    )
    conc = log_slider(
        DOSING["sgp130Fc"]["dose"],  # only the name is used: range and start given here
        low=CONCENTRATION_AXIS_NM[0],
        high=CONCENTRATION_AXIS_NM[1],
        value=10.0,
        name="drug concentration",
        unit="nM",
    )
    affinity = toggles(
        [(_SET_LABELS.get(name, name), name) for name in AFFINITY_SETS],
        "textbook",
        "affinity set",
        hint="affinity set: the dissociation constants (Kd) the binding model uses",
    )
    il6 = log_slider(
        SERUM_HUMAN["il6_sepsis"],
        low=IL6_RANGE_NG_ML[0],
        high=IL6_RANGE_NG_ML[1],
        value=10.0,  # the INFLAMED background of course_lib.models.therapy
        name="serum IL-6",
        unit="ng/mL",
    )
    controls = (drug, conc, affinity, il6)
    figure = DrugResponse(drug.value, conc.value, affinity.value, il6.value)
    box = explorer(
        "Which pathway does each drug block? (simulated)",
        controls,
        figure,
        names=("drug", "concentration_nM", "affinity_set", "il6_ng_ml"),
        label_width=_LABEL_WIDTH,
    )
    return with_presets(box, "drug_explorer", preset)


def dosing_planner(*, preset: str | None = None) -> W.VBox:
    """Lesson 04: an olamkicept regimen against the level that blocks 90% of trans-signalling.

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

    Returns
    -------
    ipywidgets.VBox
        A log slider of the dose (mg), sliders of the interval (days), the half-life (days,
        an assumption for olamkicept) and the number of doses, above the
        `course_lib.figures.drugs.DosingPlan` figure and its description. ``update`` (keywords
        ``dose_mg``, ``interval_days``, ``half_life_days``, ``n_doses``), ``controls`` and
        ``panel`` are exposed for tests.
    """
    pars = DOSING["sgp130Fc"]
    dose = log_slider(
        pars["dose"],
        low=10.0,
        high=3000.0,
        name="dose, IV",
        unit="mg",
    )
    interval = slider(int(pars.value("interval")), 1, 28, 1, "dosing interval", "days", whole=True)
    low, high = pars["half_life"].bounds
    half_life = slider(pars.value("half_life"), low, high, 0.5, "half-life, an assumption", "days")
    n_doses = slider(6, 1, 26, 1, "number of doses", whole=True)
    controls = (dose, interval, half_life, n_doses)
    figure = DosingPlan(dose.value, interval.value, half_life.value, n_doses.value)
    box = explorer(
        "Does the regimen keep trans-signalling blocked? (simulated)",
        controls,
        figure,
        names=("dose_mg", "interval_days", "half_life_days", "n_doses"),
        note=f"The half-life is an assumption: {pars['half_life'].source}.",
        label_width=_LABEL_WIDTH,
    )
    return with_presets(box, "dosing_planner", preset)
