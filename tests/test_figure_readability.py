"""Figures a lecture hall can read: text size, nothing cut off, a page-sized image, a short
live headline.

Every figure class of `course_lib.figures` is drawn at its defaults and in settings that make
its texts long; the texts a full draw really renders (animated ones included) are walked.
No timing here (that is `make bench`).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

import course_lib.figures
from course_lib._text import count_of, p_value
from course_lib.figures import plotting
from course_lib.figures.cell import CellSchematic
from course_lib.figures.concentration import ConcentrationScale
from course_lib.figures.design import _ROWS as ROWS
from course_lib.figures.design import ExperimentFigure
from course_lib.figures.drugs import DosingPlan, DrugResponse
from course_lib.figures.dynamics import DoseResponseView, TimeCourseView
from course_lib.figures.liver import LiverCohort
from course_lib.figures.mechanisms import MechanismBars
from course_lib.figures.power import PowerFigure
from course_lib.figures.prevention import PreventionStudy
from course_lib.figures.selectivity import SettingsFigure
from course_lib.figures.serum import SerumPartition
from course_lib.models.milieu import MILIEU_KINETICS
from course_lib.parameters import SERUM_HUMAN

#: A notebook in a 1024-px-wide window (sidebar tabs, prompt and padding take ~120 px).
NOTEBOOK_WIDTH_1024 = 900

_RATES = ("clear_trapped", "koff_sgp130fc")
# (figure class, settings of `update`): the defaults and settings with long or extreme texts.
STATES = [
    (CellSchematic, None),
    (CellSchematic, ("HCC cell", "IL-6 + sIL-6R", True)),
    (CellSchematic, ("endothelial cell", "Hyper-IL-6", True)),
    (ConcentrationScale, None),
    (ConcentrationScale, (SERUM_HUMAN["il6_sepsis"].bounds[1], 20.0)),  # the slider top
    (ConcentrationScale, (0.0, 0.5)),
    (SerumPartition, None),
    (SerumPartition, (1e6, 400.0, 3000.0, 1000.0, "effective")),
    (TimeCourseView, None),
    (TimeCourseView, ("endothelial cell", "IL-6", 40.0, 40.0, False, "cell")),
    (DoseResponseView, None),
    (DoseResponseView, ("endothelial cell", "Hyper-IL-6", False)),
    (DrugResponse, None),
    (DrugResponse, ("anti-IL-6R", 1e4, "effective", 100.0)),
    (DosingPlan, None),
    (DosingPlan, (10_000.0, 28.0, 30.0, 12)),
    (SettingsFigure, None),
    (
        SettingsFigure,
        ("human, high IL-6", 300.0, *(MILIEU_KINETICS[k].bounds[1] for k in _RATES), True),
    ),
    (LiverCohort, None),
    (LiverCohort, {"treatment": "sgp130Fc", "n": 200, "seed": 4_294_967_295, "mouse": 200}),
    (MechanismBars, None),
    (MechanismBars, {"apoptosis": False, "driver": "classic", "sex": "female"}),
    (ExperimentFigure, None),
    (
        ExperimentFigure,
        ("wild type vs wild type (no true difference)", 3, "female", "simple", False, 1.0, 0.3, 7),
    ),
    (PowerFigure, None),
    (PowerFigure, (0.0, "negative binomial LRT", 0.5, 3.0, "simple", 0.5)),
    (PreventionStudy, None),
    (PreventionStudy, (0.1, 30, 3, "negative binomial LRT")),
]


def _figure_classes() -> set[type]:
    """Every class of course_lib.figures that draws a figure and describes it."""
    found = set()
    for info in pkgutil.iter_modules(course_lib.figures.__path__):
        module = importlib.import_module(f"course_lib.figures.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__ and hasattr(obj, "update"):
                found.add(obj)
    return found


_CACHE: dict[int, object] = {}
_REQUIRED = {ConcentrationScale: (5.19, 1.0)}  # classes whose constructor needs settings


def _view(cls: type, settings):
    """The figure class made at its defaults and moved to ``settings`` (made once per state)."""
    key = STATES.index((cls, settings))
    if key not in _CACHE:
        view = _CACHE[key] = cls(*_REQUIRED.get(cls, ()))
        if isinstance(settings, dict):
            view.update(**settings)
        elif settings is not None:
            view.update(*settings)
    return _CACHE[key]


def _drawn_texts(figure) -> list[Text]:
    """The texts a full draw of ``figure`` renders, animated artists included."""
    drawn: list[Text] = []
    original = Text.draw

    def draw(self, renderer):
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        return original(self, renderer)

    animated = [a for a in figure.findobj() if a.get_animated()]
    for artist in animated:
        artist.set_animated(False)
    Text.draw = draw
    try:
        FigureCanvasAgg(figure).draw()
    finally:
        Text.draw = original
        for artist in animated:
            artist.set_animated(True)
    return drawn


def _state_id(state) -> str:
    cls, settings = state
    return f"{cls.__name__}-{'defaults' if settings is None else 'extreme'}"


def test_every_figure_class_is_checked_here():
    assert _figure_classes() == {cls for cls, _ in STATES}


@pytest.mark.parametrize("state", STATES, ids=[_state_id(s) for s in STATES])
def test_every_text_is_12_pt_or_more_and_inside_the_figure(state):
    figure = _view(*state).figure
    texts = _drawn_texts(figure)
    assert len(texts) > 5
    small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < 12]
    assert not small, f"texts under 12 pt: {small}"
    renderer = figure.canvas.get_renderer()
    box = figure.bbox
    cut = [
        t.get_text()
        for t in texts
        if (e := t.get_window_extent(renderer)).x0 < box.x0 - 1
        or e.y0 < box.y0 - 1
        or e.x1 > box.x1 + 1
        or e.y1 > box.y1 + 1
    ]
    assert not cut, f"texts cut off at the figure's edge: {cut}"


@pytest.mark.parametrize("cls", sorted({c for c, _ in STATES}, key=lambda c: c.__name__))
def test_figure_fits_a_1024_px_window_and_renders_at_2x(cls):
    figure = _view(cls, None).figure
    width, height = plotting.css_size(figure)
    assert 500 <= width <= NOTEBOOK_WIDTH_1024, f"natural width {width} px"
    assert height <= 520, f"natural height {height} px: taller than a 1024x768 screen shows"
    assert figure.dpi == plotting.CSS_DPI * plotting.PIXEL_RATIO >= 2 * plotting.CSS_DPI


@pytest.mark.parametrize("state", STATES, ids=[_state_id(s) for s in STATES])
def test_headline_is_one_short_sentence_of_the_description(state):
    view = _view(*state)
    headline = view.headline
    assert headline.endswith(".") and len(headline) <= 160, headline
    assert not re.search(r"[.!?]\s+[A-Z]", headline), f"more than one sentence: {headline!r}"
    assert headline != view.description and len(headline) < len(view.description)


def test_lesson05_draws_no_treatment_bar_without_a_treatment():
    fig = LiverCohort()
    assert not fig._window.get_visible()
    fig.update(treatment="sgp130Fc", treatment_start=4.0)
    assert fig._window.get_visible() and fig._window.get_width() == 36.0
    fig.update(treatment="none")
    assert not fig._window.get_visible()


def test_lesson05_treatment_start_applies_only_with_a_treatment():
    from course_lib.widgets import virtual_liver_explorer

    box = virtual_liver_explorer()
    treatment, start = box.controls[2], box.controls[3]
    assert treatment.value == "none" and start.disabled
    untreated = box.panel.image.value
    treatment.value = "sgp130Fc"
    assert not start.disabled and box.figure._window.get_visible()
    assert box.panel.image.value != untreated
    treatment.value = "none"  # settings shown before: the same picture again, bar and all
    assert start.disabled and box.panel.image.value == untreated


def test_counts_and_p_values_read_as_words():
    assert count_of(1, "mouse", "mice") == "1 mouse"
    assert count_of(3, "mouse", "mice") == "3 mice"
    assert count_of(1, "nodule") == "1 nodule" and count_of(2, "nodule") == "2 nodules"
    assert p_value(0.000166667) == "p = 0.000167" and p_value(1e-9) == "p < 0.0001"
    fig = ExperimentFigure(attrition=0.2)
    for seed in range(1, 40):
        fig.update("wild type vs sgp130Fc transgenic", 5, "male", "simple", True, 0.2, 0.2, seed)
        if fig.experiment.excluded.sum() == 1:
            break
    else:
        pytest.fail("no seed in 1-39 loses exactly one mouse")
    assert "1 mouse died before harvest" in fig.description
    assert "1 mice" not in fig.description
    rows = zip(ROWS, [t.get_text() for t in fig._readout], strict=True)  # name, then value
    readout = "\n".join(f"{name} {value}".strip() for name, value in rows)
    assert "died 1 of 10" in readout and "e-0" not in readout and "e+0" not in readout


@pytest.mark.parametrize("state", STATES, ids=[_state_id(s) for s in STATES])
def test_no_scientific_notation_noise_in_the_figure_text(state):
    texts = [t.get_text() for t in _drawn_texts(_view(*state).figure) if "$" not in t.get_text()]
    noisy = [t for t in texts if re.search(r"\de[+-]\d", t)]  # 1e+04, 8.6e-05
    for text in texts:  # 0.00166667: more than the 3 significant digits of format_number
        for number in re.findall(r"\d[\d,]*\.\d+", text):
            if len(number.replace(",", "").replace(".", "").lstrip("0")) > 3:
                noisy.append(text)
    assert not noisy, f"raw number formatting: {noisy}"
