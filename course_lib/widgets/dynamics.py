"""Lesson 03 explorers: pSTAT3 and SOCS3 time courses, and the dose-response with its EC50."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import ipywidgets as W
from IPython.display import HTML, FileLink

from course_lib.figures.dynamics import DoseResponseView, TimeCourseView
from course_lib.models.culture import LESSON_CELLS, precompute_dose_response_curves
from course_lib.models.sbml import MissingDependencyError, signaling_sbml
from course_lib.models.signaling import STIMULI
from course_lib.models.stimuli import STIMULUS_DOSES
from course_lib.widgets._controls import (
    choice_slider,
    log_slider,
    menu,
    sets_on_change,
    switch,
    toggles,
)
from course_lib.widgets._panel import explorer
from course_lib.widgets.scenarios import with_presets

__all__ = [
    "RATIO_STOPS",
    "dose_response_explorer",
    "reset_ratio",
    "sbml_download",
    "time_course_explorer",
]

#: The stops of the IL-6R:gp130 slider: the cell's own receptor numbers first, then ratios
#: from none (an endothelial cell) to 100 IL-6R per gp130 (an IL-6R-overexpressing cell).
RATIO_STOPS: tuple[tuple[str, object], ...] = (
    ("cell's own", "cell"),
    ("0", 0.0),
    ("0.1", 0.1),
    ("1", 1.0),
    ("10", 10.0),
    ("100", 100.0),
)
_LABEL_WIDTH = "220px"


def _cell_and_stimulus(hint: str = "stimulus: added to the medium at t = 0"):
    cell = menu(
        list(LESSON_CELLS),
        "hepatocyte",
        "cell type",
        width="420px",
        hint="cell type: its receptors as in lesson 01",
    )
    stimulus = toggles(list(STIMULI), "IL-6", "stimulus", hint=hint, tooltips=STIMULI.values())
    feedback = switch(True, "SOCS3 feedback", hint="SOCS3 feedback: on when ticked")
    return cell, stimulus, feedback


def reset_ratio(ratio: W.SelectionSlider) -> Callable[[dict], None]:
    """A callback for the cell-type menu: a new cell type starts from its own IL-6R:gp130.

    A ratio chosen for one cell type is not carried to the next (10 IL-6R per gp130 set on a
    hepatocyte would give an endothelial cell, which has no IL-6R, a response to IL-6 alone).
    """

    return sets_on_change(ratio, "cell")


def time_course_explorer(*, preset: str | None = None) -> W.VBox:
    """Lesson 03: pSTAT3 and SOCS3 in one cell over 4 hours after a stimulus.

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

    Returns
    -------
    ipywidgets.VBox
        A cell-type menu, log sliders for the dose (ng/mL of IL-6 or Hyper-IL-6) and sIL-6R
        (ng/mL, used with "IL-6 + sIL-6R"), stimulus buttons, a SOCS3 feedback switch and
        a slider of IL-6R:gp130 ratios (the cell's own first), above the
        `course_lib.figures.dynamics.TimeCourseView` figure and its description. ``update``
        (keywords ``cell_type``, ``dose_ng_ml``, ``sil6r_ng_ml``, ``stimulus``,
        ``socs3_feedback``, ``il6r_per_gp130``), ``controls`` and ``panel`` are exposed. A new
        cell type resets the ratio to the cell's own (`reset_ratio`).
    """
    cell, stimulus, feedback = _cell_and_stimulus()
    stimulus.value = "IL-6 + sIL-6R"  # every control then changes the picture
    dose = log_slider(STIMULUS_DOSES["il6"], name="dose of IL-6 or Hyper-IL-6", unit="ng/mL")
    sil6r = log_slider(STIMULUS_DOSES["sil6r"], name="sIL-6R added", unit="ng/mL")
    ratio = choice_slider(list(RATIO_STOPS), "cell", "IL-6R:gp130", "IL-6R per gp130")
    # The dose and sIL-6R come before the stimulus buttons that decide what they add.
    controls = (cell, dose, sil6r, stimulus, feedback, ratio)
    names = (
        "cell_type",
        "dose_ng_ml",
        "sil6r_ng_ml",
        "stimulus",
        "socs3_feedback",
        "il6r_per_gp130",
    )
    box = explorer(
        "pSTAT3 and SOCS3 over time (simulated)",
        controls,
        TimeCourseView(),
        names=names,
        label_width=_LABEL_WIDTH,
        links=[(cell, reset_ratio(ratio))],
    )
    return with_presets(box, "time_course_explorer", preset)


def dose_response_explorer(*, preset: str | None = None) -> W.VBox:
    """Lesson 03: peak pSTAT3 against dose on a log axis, with the EC50 marked and stated.

    Parameters
    ----------
    preset : str, optional
        A scenario preset to open on: its name (`course_lib.widgets.presets.list_presets`)
        or the path of its JSON file. The explorer's "Scenarios" section saves and loads them.

    Returns
    -------
    ipywidgets.VBox
        A cell-type menu, stimulus buttons and a SOCS3 feedback switch above the
        `course_lib.figures.dynamics.DoseResponseView` figure and its description. ``update``
        (keywords ``cell_type``, ``stimulus``, ``socs3_feedback``), ``controls`` and ``panel``
        are exposed.
    """
    controls = _cell_and_stimulus("stimulus: with IL-6 + sIL-6R the sIL-6R is equimolar")
    precompute_dose_response_curves()  # all 9 settings, once: every button then answers at once
    box = explorer(
        "Peak pSTAT3 against dose (simulated)",
        controls,
        DoseResponseView(),
        names=("cell_type", "stimulus", "socs3_feedback"),
        label_width=_LABEL_WIDTH,
    )
    return with_presets(box, "dose_response_explorer", preset)


def sbml_download(
    cell_type: str = "hepatocyte",
    stimulus: str = "IL-6",
    dose_ng_ml: float = 10.0,
    *,
    folder: str | Path = ".",
) -> FileLink | HTML:
    """Lesson 03: write the signalling model as SBML next to the notebook; a download link.

    Parameters
    ----------
    cell_type, stimulus, dose_ng_ml
        As in `course_lib.models.sbml.signaling_sbml` (ng/mL of IL-6 or Hyper-IL-6).
    folder : str or Path
        Where to write ``il6_signalling_<cell type>_<stimulus>.xml`` (the notebook's folder).

    Returns
    -------
    IPython.display.FileLink or IPython.display.HTML
        A link to the file; without python-libsbml, a note that says how to install it.
    """
    slug = re.sub(r"[^a-z0-9]+", "_", f"{cell_type} {stimulus}".lower()).strip("_")
    path = Path(folder) / f"il6_signalling_{slug}.xml"
    try:
        signaling_sbml(cell_type, stimulus, dose_ng_ml, path=path)
    except MissingDependencyError as exc:
        return HTML(f"<p><b>No SBML file written.</b> {html.escape(str(exc))}</p>")
    return FileLink(str(path), result_html_prefix="SBML model (simulated teaching model): ")
