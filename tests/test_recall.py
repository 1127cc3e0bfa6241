"""Pictures kept and drawn ahead (course_lib.widgets._recall): what a step away is for each kind
of control, and that a step the kernel drew while idle is shown without drawing again."""

from __future__ import annotations

import asyncio
import math

import ipywidgets as W
import pytest

from course_lib import widgets
from course_lib.widgets import _recall
from course_lib.widgets._recall import Pictures, neighbours, settings_key


def _named(control, name):
    control._course_name = name
    return control


def test_a_step_away_for_every_kind_of_control():
    log = _named(W.FloatLogSlider(value=10.0, base=10, min=-1, max=2, step=0.5), "dose")
    lin = _named(W.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.25), "ratio")
    menu = _named(W.Dropdown(options=["hepatocyte", "endothelial cell", "HCC cell"]), "cell")
    box = _named(W.Checkbox(value=True), "socs3")
    stops = _named(W.SelectionSlider(options=[1, 2, 4, 8], value=8), "k")
    off = _named(W.IntSlider(value=3, min=0, max=9, disabled=True), "seed")
    controls = [log, lin, menu, box, stops, off]
    values = {c._course_name: c.value for c in controls}
    found = neighbours(controls, values, moved="cell")
    changed = [next(k for k in v if v[k] != values[k]) for v in found]
    assert changed[:2] == ["cell", "cell"]  # the control moved last comes first
    by_name = {}
    for name, v in zip(changed, found, strict=True):
        by_name.setdefault(name, []).append(v[name])
    assert sorted(by_name["dose"]) == pytest.approx([10**0.5, 10**1.5])
    assert by_name["ratio"] == [0.25]  # 0 - 0.25 is below the minimum
    assert sorted(by_name["cell"]) == ["HCC cell", "endothelial cell"]
    assert by_name["socs3"] == [False]
    assert by_name["k"] == [4]  # at the last stop: only the one before
    assert "seed" not in by_name  # a disabled control has no step to take
    for v in found:  # one control changed at a time
        assert sum(v[k] != values[k] for k in v) == 1


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


def test_settings_drawn_ahead_while_idle_are_shown_without_drawing(monkeypatch):
    monkeypatch.setattr(_recall, "DRAW_AHEAD", True)

    async def session():
        box = widgets.time_course_explorer()
        calls = []
        real = box.panel.picture
        box.panel.picture = lambda *a: calls.append(a) or real(*a)
        dose = box.controls[1]
        assert dose._course_name == "dose_ng_ml"
        dose.value = dose.value * 10**dose.step  # one step right: drawn now
        drawn_now = len(calls)
        for _ in range(200):  # the kernel is idle: let it draw ahead
            await asyncio.sleep(0.01)
            if box.ahead.drawn >= 4:
                break
        assert box.ahead.drawn >= 4 and len(calls) == drawn_now + box.ahead.drawn
        shown_before = box.panel.renders
        dose.value = dose.value * 10**dose.step  # the next step: drawn ahead already
        assert len(calls) == drawn_now + box.ahead.drawn  # no drawing for this move
        assert box.panel.renders == shown_before + 1  # but the page got the new picture
        fresh = widgets.time_course_explorer()  # the same settings drawn from scratch
        fresh.controls[1].value = dose.value
        assert box.panel.snapshot() == fresh.panel.snapshot()

    asyncio.run(session())


def test_without_an_event_loop_nothing_is_drawn_ahead():
    box = widgets.time_course_explorer()
    box.controls[1].value = box.controls[1].value * 10 ** box.controls[1].step
    assert box.ahead.drawn == 0
