"""Pictures kept (course_lib.widgets._recall): the keys under which an explorer finds a picture
it drew before (its behaviour in an explorer is in tests/test_raster.py), and the settings the
page reads off the controls, under which the page keeps the pictures it was sent (in the
browser: tests/test_page_recall.py)."""

from __future__ import annotations

import gc
import math
from types import SimpleNamespace

import ipywidgets as W
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.parameters import Parameter
from course_lib.widgets import _recall, cell_explorer, concentration_explorer, time_course_explorer
from course_lib.widgets._access import EXPLORER_CLASS
from course_lib.widgets._controls import choice_slider, log_slider, menu, slider, switch, toggles
from course_lib.widgets._recall import (
    NO_RECALL_CLASS,
    Pictures,
    page_key,
    page_position,
    recall_script,
    settings_key,
)


def test_keys_forgive_the_last_bit_of_a_float_but_not_a_real_difference():
    a = settings_key({"dose": 10 ** (1 / 3)}, 80.0)
    b = settings_key({"dose": math.pow(10, 1 / 3) * (1 + 1e-15)}, 80.0)
    assert a == b
    assert settings_key({"dose": 2.15}, 80.0) != settings_key({"dose": 2.16}, 80.0)
    assert settings_key({"dose": 2.15}, 80.0) != settings_key({"dose": 2.15}, 160.0)
    assert settings_key({"options": [1, 2]}, 80.0) is None  # cannot be kept: drawn each time
    kept = Pictures(size=2)
    for i in range(3):
        kept.put(settings_key({"i": i}, 80.0), i)
    assert settings_key({"i": 0}, 80.0) not in kept and kept.get(settings_key({"i": 2}, 80.0)) == 2


@pytest.mark.parametrize("in_kernel", [True, False])
def test_a_built_explorer_is_spared_from_full_collections_only_in_a_kernel(in_kernel, monkeypatch):
    shell = SimpleNamespace(kernel=object()) if in_kernel else None
    monkeypatch.setattr(_recall, "get_ipython", lambda: shell)
    gc.unfreeze()
    try:
        box = concentration_explorer()
        frozen = gc.get_freeze_count()
        if in_kernel:  # the explorer's own figure is among the frozen objects
            assert frozen > 1000
            assert not any(o is box.figure.figure for o in gc.get_objects())
        else:
            assert frozen == 0
    finally:
        gc.unfreeze()


# --- The settings as the page reads them off its controls (page_position, page_key) ---


def _stops(control) -> list:
    """Every value of a slider, stop by stop from its minimum, as the page's noUiSlider sets
    them (a log slider's exponents, a selection slider's indices, go up by the step)."""
    if isinstance(control, W.SelectionSlider):
        return list(control._options_values)
    count = round((control.max - control.min) / control.step) + 1
    at = [control.min + i * control.step for i in range(count)]
    return [control.base**e for e in at] if isinstance(control, W.FloatLogSlider) else at


@given(
    low=st.floats(1e-3, 10.0),
    decades=st.floats(0.5, 4.0),
    per_decade=st.integers(4, 40),
    where=st.floats(0.0, 1.0),
)
def test_each_stop_of_a_log_slider_is_its_own_position_in_order(low, decades, per_decade, where):
    high = low * 10**decades
    value = low * (high / low) ** where
    parameter = Parameter("x", value, "ng/mL", "test", "assumed: a test range", bounds=(low, high))
    control = log_slider(parameter, steps_per_decade=per_decade)
    stops = _stops(control)
    assert len(stops) >= 2 and math.isclose(stops[0], 10**control.min)
    assert [page_position(control, v) for v in stops] == [str(i) for i in range(len(stops))]
    assert page_position(control, control.value) is not None  # its start is a stop


@pytest.mark.parametrize(
    "control",
    [
        slider(10, 3, 30, 1, "mice per group", "mice", whole=True),
        slider(0.3, 0.0, 1.0, 0.1, "litter effect, as a CV"),
        slider(3.0, 0.5, 10.0, 0.5, "dispersion"),
        choice_slider([("none", 0.0), ("1", 1.0), ("4", 4.0)], 1.0, "ratio"),
    ],
)
def test_each_stop_of_a_linear_slider_is_its_own_position_in_order(control):
    stops = _stops(control)
    assert len(stops) > 2
    assert [page_position(control, v) for v in stops] == [str(i) for i in range(len(stops))]
    if not isinstance(control, W.SelectionSlider):  # the page sends a stop's index there
        # A value a float's last bit away from a stop (the page's arithmetic) is on that stop.
        assert page_position(control, stops[1] * (1 + 1e-15)) == "1"


def test_choices_menus_and_boxes_are_read_as_the_page_reads_them():
    row = toggles(["IL-6", "Hyper-IL-6", "IL-6 + sIL-6R"], "IL-6", "stimulus")
    assert [page_position(row, v) for v in row.options] == ["0", "1", "2"]
    pick = menu([("hepatocyte", "hep"), ("endothelial cell", "endo")], "hep", "cell type")
    assert page_position(pick, "endo") == "1"
    tick = switch(True, "SOCS3 feedback")
    assert (page_position(tick, True), page_position(tick, False)) == ("1", "0")
    # What the page cannot show exactly is never kept under a key: between two stops, not an
    # option, not a state of a box, a kind of control the page does not read.
    assert page_position(slider(0.3, 0.0, 1.0, 0.1, "x"), 0.35) is None
    assert page_position(row, "IL-11") is None
    assert page_position(tick, None) is None
    assert page_position(W.Text("a"), "a") is None


def test_an_explorer_puts_its_settings_on_its_picture_and_leaves_linked_controls_to_the_kernel():
    box = time_course_explorer()
    values = {c._course_name: c.value for c in box.controls}
    key = page_key(box.controls, values)
    assert key is not None and key.count("|") == len(box.controls) - 1
    image = box.panel.image.value
    assert f'data-settings="{key}"' in image
    assert f'data-dpi="{box.panel.figure.dpi:g}"' in image
    assert "data-headline=" in image
    box.update(**{**values, "socs3_feedback": not values["socs3_feedback"]})
    assert (
        'data-settings="'
        + page_key(box.controls, {**values, "socs3_feedback": not values["socs3_feedback"]})
        in box.panel.image.value
    )
    cell_type = box.controls[0]  # resets the receptor ratio in the kernel
    assert NO_RECALL_CLASS in cell_type._dom_classes
    assert all(NO_RECALL_CLASS not in c._dom_classes for c in box.controls[1:])
    fc_dose = next(c for c in cell_explorer().controls if "sgp130Fc dose" in c.description)
    assert NO_RECALL_CLASS in fc_dose._dom_classes  # moving it ticks "with sgp130Fc"


def test_the_page_script_is_filled_in_and_only_for_controls_it_can_read():
    box = time_course_explorer()
    cell_type, ratio = box.controls[0], box.controls[5]  # a new cell type resets the ratio
    script = recall_script(box.controls, [(cell_type, ratio, "cell")])
    assert "%(" not in script and EXPLORER_CLASS in script and NO_RECALL_CLASS in script
    assert [f"course-control-{i}" in script for i in range(len(box.controls))] == [True] * 6
    scripts = [o["data"].get("application/javascript", "") for o in box.accessibility.outputs]
    assert script in scripts
    assert recall_script([*box.controls, W.Text("free text")]) is None
    # What a linked control sets goes to the page: the cell-type menu puts the ratio slider
    # (control 5) at its first stop, the cell's own; the sgp130Fc dose ticks its box.
    menu = '"cls": "course-control-0", "kind": "menu", "sets": {"cls": "course-control-5"'
    assert menu + ', "kind": "slider", "at": "0"}' in script
    cell = cell_explorer()
    fc_dose = cell.controls[4]
    assert "sgp130Fc dose" in fc_dose.description
    ticks = '"sets": {"cls": "course-control-2", "kind": "box", "at": "1"}'
    assert ticks in recall_script(cell.controls, [(fc_dose, cell.controls[2], True)])
    assert ticks not in recall_script(cell.controls)
