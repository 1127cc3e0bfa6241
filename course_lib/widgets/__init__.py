"""Widget explorers: controls -> model -> figure, one factory per explorer.

Only notebooks import this package. A factory returns the widget (a notebook cell is one
line); it never calls ``display``. Every control is made by a builder of
`course_lib.widgets._controls`: a label with its unit when it has one, a tooltip, and an
accessible name in the browser (`course_lib.widgets._access`); concentration sliders are
logarithmic. Each returned box exposes ``update(**values)``, ``controls`` and
``panel`` for tests. Every factory takes ``preset="name"`` to open on a scenario preset, and
every explorer has a folded "Scenarios" section to save and load them
(`course_lib.widgets.presets`).
"""

from course_lib.widgets._panel import FigurePanel, explorer, log_slider, wire

# every lesson: predict, commit, reveal
from course_lib.widgets.predict import Answer, Question, predict_box  # isort: skip

# lesson 00
from course_lib.widgets.concentration import concentration_explorer

# lesson 01
from course_lib.widgets.cell import cell_explorer, cell_prediction_quiz  # isort: skip

# lesson 02
from course_lib.widgets.serum import serum_explorer  # isort: skip (lesson order)

# lesson 03
from course_lib.widgets.dynamics import (  # isort: skip
    dose_response_explorer,
    sbml_download,
    time_course_explorer,
)

# lesson 04
from course_lib.widgets.drugs import dosing_planner, drug_explorer  # isort: skip
from course_lib.widgets.selectivity import selectivity_explorer  # isort: skip

# lesson 05
from course_lib.widgets.liver import virtual_liver_explorer  # isort: skip
from course_lib.widgets.mechanisms import mechanism_explorer  # isort: skip

# lesson 06
from course_lib.widgets.design import experiment_explorer  # isort: skip
from course_lib.widgets.power import power_explorer  # isort: skip

# lesson 07
from course_lib.widgets.prevention import prevention_study_planner  # isort: skip

# every explorer: scenario presets (its "Scenarios" section, and preset= on each factory)
from course_lib.widgets.presets import list_presets, load_preset, save_preset  # isort: skip

__all__ = [
    "Answer",
    "FigurePanel",
    "Question",
    "cell_explorer",
    "cell_prediction_quiz",
    "concentration_explorer",
    "dose_response_explorer",
    "dosing_planner",
    "drug_explorer",
    "experiment_explorer",
    "explorer",
    "list_presets",
    "load_preset",
    "log_slider",
    "mechanism_explorer",
    "power_explorer",
    "predict_box",
    "prevention_study_planner",
    "save_preset",
    "sbml_download",
    "selectivity_explorer",
    "serum_explorer",
    "time_course_explorer",
    "virtual_liver_explorer",
    "wire",
]
