"""Defects a student met in the explorers, each pinned by a test that failed before its fix."""

from __future__ import annotations

import html
import re

import ipywidgets as W
import pytest

from course_lib import widgets
from course_lib._text import format_number, format_percent
from course_lib.models.power import INTERACTIVE_EXPERIMENTS
from course_lib.models.stimuli import stimulate


def _words(value: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", value))


def _caption(box) -> str:
    """The always-visible caption: the figure's headline (the rest is under "Describe the
    figure")."""
    return _words(re.search(r"<p[^>]*>(.*?)</p>", box.panel.headline.value).group(1))


# 1. Lesson 06: the power explorer's note named None experiments.
def test_power_note_names_the_simulated_experiments_per_point():
    box = widgets.power_explorer()
    notes = [c.value for c in box.children if isinstance(getattr(c, "value", None), str)]
    note = next(n for n in notes if "Each point" in n)
    assert "None" not in note
    for n in INTERACTIVE_EXPERIMENTS.values():
        assert f"{n:,}" in note
    assert "negative binomial LRT" in note  # the test that runs fewer


# 2. Lesson 03: a ratio set on one cell type was carried to the next.
def test_a_new_cell_type_starts_from_its_own_receptor_ratio():
    box = widgets.time_course_explorer()
    cell, _dose, _sil6r, stimulus, _feedback, ratio = box.controls
    ratio.value = 10.0
    stimulus.value = "IL-6"
    renders = box.panel.renders
    cell.value = "endothelial cell"
    assert ratio.value == "cell"
    assert box.panel.renders == renders + 1  # one redraw for the cell and the reset
    text = _words(box.panel.text.value)
    assert "the cell's own" in text and "no pSTAT3 at any time" in text  # no IL-6R, no response
    ratio.value = 1.0  # a student may still give the cell IL-6R on purpose
    assert "no pSTAT3" not in box.panel.text.value


def test_dose_response_and_other_explorers_keep_no_cell_specific_value():
    # Only the time course has a control whose meaning depends on the cell type.
    box = widgets.dose_response_explorer()
    assert {c._course_name for c in box.controls} == {"cell_type", "stimulus", "socs3_feedback"}


# 3. Lesson 01: "traps 100% of the complexes" while STAT3 was still on.
def test_percent_never_rounds_a_fraction_below_one_to_100():
    assert format_percent(0.9999449) == "99.99%"
    assert format_percent(0.9996) == "99.96%"
    assert format_percent(1.0) == "100%"
    assert format_percent(0.476) == "47.6%"
    assert format_percent(0.0) == "0%"
    assert format_percent(0.00004) == "0.004%"
    assert format_percent(1 - 1e-9) == "more than 99.999%"
    assert format_percent(1e-9) == "less than 0.001%"


@pytest.mark.parametrize(
    ("cell", "stimulus", "il6", "fc"),
    [
        ("endothelial cell", "IL-6 + sIL-6R", 100.0, 200.0),  # trans left: weakly on
        ("HCC cell", "IL-6 + sIL-6R", 10.0, 200.0),  # classic and trans left
        ("hepatocyte", "IL-6 + sIL-6R", 1000.0, 200.0),  # classic goes on
        ("hepatocyte", "Hyper-IL-6", 1000.0, 200.0),  # the leftover 0.006% still signals
    ],
)
def test_cell_explorer_says_which_complexes_are_trapped_and_why_stat3_is_on(
    cell, stimulus, il6, fc
):
    box = widgets.cell_explorer()
    box.update(cell_type=cell, stimulus=stimulus, sgp130fc=True, il6_ng_ml=il6, sgp130fc_ug_ml=fc)
    s = stimulate(cell, stimulus, il6_ng_ml=il6, sgp130fc_ug_ml=fc)
    text = _words(box.panel.text.value)
    assert s.trapped_fraction < 1 and "100%" not in text
    assert f"holds {format_percent(s.trapped_fraction)} of " in text
    assert "sIL-6R complexes" in text or "Hyper-IL-6" in text  # which complexes
    if round(float(s.occupancy.classic)) > 0:
        assert "free IL-6" in text and "not trapped" in text  # classic goes on untouched
    if round(float(s.occupancy.trans)) > 0:
        assert "left free" in text  # the untrapped rest still reaches gp130


# 5. Parameter tables printed "0.00166667 to 0.0833333" and "1e+04".
def test_numbers_for_people_have_three_figures_and_no_e_notation():
    assert format_number(1.0e4) == "10,000"
    assert format_number(2.5e7) == "25,000,000"
    assert format_number(0.00166667) == "0.00167"
    assert format_number(0.0833333) == "0.0833"
    assert format_number(3.2e-6) == "0.0000032"
    assert "e" not in format_number(4.2e-9) and "e" not in format_number(6.1e12)


def test_parameter_tables_print_numbers_for_people():
    from course_lib.parameters import SERUM_HUMAN, all_parameter_sets

    table = SERUM_HUMAN._repr_html_()
    assert "1e+04" not in table and "10,000" in table
    for pset in all_parameter_sets():
        cells = re.findall(r"<td>([^<]*)</td>", pset._repr_html_())
        numbers = [c for c in cells if re.fullmatch(r"[\d.,e+\- to]+", c)]
        for cell in numbers:
            assert not re.search(r"\de[+-]?\d", cell), f"{pset.title}: {cell}"
            for number in cell.split(" to "):
                figures = re.sub(r"\D", "", number).strip("0")
                assert len(figures) <= 3, f"{pset.title}: {cell}"
        assert "e+" not in repr(pset), pset.title


# 6. Lesson 05: the mechanism explorer's caption was ~200 words of numbers.
@pytest.mark.parametrize(
    "factory", [name for name in widgets.__all__ if name.endswith(("_explorer", "_planner"))]
)
def test_every_caption_is_one_sentence_and_the_numbers_are_on_demand(factory):
    box = getattr(widgets, factory)()
    caption = _caption(box)
    assert len(re.split(r"(?<=[.!?])\s+(?=\S)", caption.strip())) == 1, caption
    alt = html.unescape(re.search(r'alt="([^"]*)"', box.panel.image.value).group(1))
    assert _words(box.panel.text.value).split() == alt.split()  # all of it, on demand
    assert box.panel.details.titles == ("Describe the figure",)


def test_the_mechanism_caption_is_short_and_the_numbers_are_in_details():
    box = widgets.mechanism_explorer()
    assert len(_caption(box).split()) < 70
    assert "Mechanism responses" in _words(box.panel.text.value)  # on demand


def test_a_menu_is_wide_enough_for_its_longest_choice_not_only_the_first():
    # Lesson 06 opened on a preset showed "wild type vs wild type (no true difference)" cut off
    # in a <select> sized for the default choice.
    from course_lib.widgets import experiment_explorer
    from course_lib.widgets._controls import SLIDER_WIDTH, fit_menu

    comparison = experiment_explorer().controls[0]
    longest = max(len(o) for o in comparison._options_labels)
    label = float(comparison.style.description_width.removesuffix("px"))
    assert (
        longest > 40 and float(comparison.layout.width.removesuffix("px")) >= label + 5.5 * longest
    )
    assert float(comparison.layout.width.removesuffix("px")) <= 592  # fits the 1024x768 page
    short = W.Dropdown(options=["a", "b"], layout=W.Layout(width=SLIDER_WIDTH))
    fit_menu(short, "230px")
    assert short.layout.width == SLIDER_WIDTH  # never narrower than the course's width
