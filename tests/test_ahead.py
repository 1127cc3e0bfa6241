"""Drawing ahead in a quiet spell (course_lib.widgets._ahead): which settings are one step away,
that nothing is drawn until the kernel has been quiet, that a step drawn ahead is then shown
without drawing and exactly as drawing it would, and that nothing happens outside a kernel."""

from __future__ import annotations

import asyncio
import re
import threading
import time
import types
import warnings

import ipywidgets as W
import pytest
from course_testing import run_async

from course_lib import widgets
from course_lib.widgets import _ahead
from course_lib.widgets._ahead import neighbours, steps
from course_lib.widgets._recall import PAGE_AHEAD, PAGE_AHEAD_CLASS, page_key, settings_key
from course_lib.widgets.predict import Answer, Question, predict_box


def _named(control, name):
    control._course_name = name
    return control


def test_one_step_away_for_each_kind_of_control():
    assert sorted(steps(W.FloatLogSlider(value=10.0, base=10, min=-1, max=2, step=0.5))) == (
        pytest.approx([10**0.5, 10**1.5])
    )
    assert steps(W.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.25)) == [0.25]
    assert steps(W.IntSlider(value=9, min=0, max=9, step=3)) == [6]
    assert steps(W.Dropdown(options=["hepatocyte", "HCC cell"], value="HCC cell")) == ["hepatocyte"]
    assert steps(W.ToggleButtons(options=[("a", 1), ("b", 2), ("c", 3)], value=2)) == [1, 3]
    assert steps(W.Checkbox(value=False)) == [True]
    assert steps(W.SelectionSlider(options=[1, 2, 4, 8], value=8)) == [4]
    assert steps(W.SelectionSlider(options=[1, 2, 4, 8], value=2)) == [4, 1]
    assert steps(W.IntSlider(value=3, min=0, max=9, disabled=True)) == []


def test_neighbours_change_one_control_each_the_moved_one_first_and_are_capped():
    dose = _named(W.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.25), "dose")
    cell = _named(W.Dropdown(options=["hepatocyte", "endothelial cell", "HCC cell"]), "cell")
    socs3 = _named(W.Checkbox(value=True), "socs3")
    values = {"dose": 0.5, "cell": "hepatocyte", "socs3": True}
    found = neighbours([dose, cell, socs3], values, moved="socs3")
    assert found[0] == {**values, "socs3": False}
    assert len(found) == 5
    for setting in found:
        assert sum(setting[k] != values[k] for k in values) == 1
    many = [_named(W.IntSlider(value=5, min=0, max=10), f"s{i}") for i in range(20)]
    assert len(neighbours(many, {f"s{i}": 5 for i in range(20)})) == _ahead.AHEAD_LIMIT


@pytest.fixture
def in_a_kernel(monkeypatch):
    """A stand-in kernel (drawing ahead needs one), a fresh scheduler, a short quiet spell and
    a clock the test moves (how long the kernel has been quiet is what the test says)."""
    shell = types.SimpleNamespace(
        kernel=object(), events=types.SimpleNamespace(register=lambda *a: None)
    )
    clock = types.SimpleNamespace(now=0.0)
    monkeypatch.setattr(_ahead, "get_ipython", lambda: shell)
    monkeypatch.setattr(_ahead, "_SPELLS", _ahead._QuietSpells())
    monkeypatch.setattr(_ahead, "QUIET_S", 0.1)
    monkeypatch.setattr(_ahead, "time", types.SimpleNamespace(monotonic=lambda: clock.now))
    return clock


async def _wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


def test_a_step_drawn_in_a_quiet_spell_is_shown_without_drawing(in_a_kernel):
    async def session():
        box = widgets.time_course_explorer()
        drawn = []
        real = box.panel.picture
        box.panel.picture = lambda *a: drawn.append(a) or real(*a)
        dose = box.controls[1]
        assert dose._course_name == "dose_ng_ml"
        shown = box.panel.snapshot()
        texts = box.figure.description, box.figure.headline
        await asyncio.sleep(0.3)  # the clock has not moved: not quiet long enough yet
        assert box.ahead.drawn == 0
        in_a_kernel.now += 0.1
        await _wait_for(lambda: box.ahead.drawn >= 4)
        assert box.ahead.drawn >= 4
        assert len(drawn) == box.ahead.drawn
        # the page and the explorer's texts still show what was asked for; a fifth drawing
        # may be under way (with its setting's texts on the figure): left, it puts them back
        assert box.panel.snapshot() == shown
        box.ahead.abandon()
        assert (box.figure.description, box.figure.headline) == texts
        renders = box.panel.renders
        dose.value = dose.value * 10**dose.step  # one step right: drawn ahead already
        assert len(drawn) == box.ahead.drawn
        assert box.panel.renders == renders + 1
        fresh = widgets.time_course_explorer()
        fresh.controls[1].value = dose.value
        assert box.panel.snapshot() == fresh.panel.snapshot()

    run_async(session())


def test_any_change_postpones_drawing_ahead(in_a_kernel):
    async def session():
        box = widgets.dose_response_explorer()
        socs3 = box.controls[2]
        for _ in range(4):  # a change every 0.06 s of the clock: never quiet for 0.1 s
            in_a_kernel.now += 0.06
            socs3.value = not socs3.value
            await asyncio.sleep(0.15)
            assert box.ahead.drawn == 0
        in_a_kernel.now += 0.06
        _ahead._SPELLS.touched()  # a cell run counts too
        in_a_kernel.now += 0.06
        await asyncio.sleep(0.15)
        assert box.ahead.drawn == 0
        in_a_kernel.now += 0.06  # 0.12 s since the cell run
        await _wait_for(lambda: box.ahead.drawn > 0)
        assert box.ahead.drawn > 0

    run_async(session())


def test_answering_a_prediction_or_naming_a_preset_postpones_drawing_ahead(in_a_kernel):
    # Not a quiet spell: the click that follows (Commit, Save) must not wait for a drawing.
    async def session():
        box = widgets.dose_response_explorer()
        box.controls[2].value = not box.controls[2].value  # settings queued to draw ahead
        question = Question("Which?", {"a": "A", "b": "B"}, lambda: Answer("a"))
        predictions = predict_box([question])
        uses = [
            lambda: setattr(predictions.choices[0], "value", "a"),
            lambda: setattr(predictions.choices[0], "value", "b"),
            lambda: setattr(box.scenarios.name, "value", "my_dose"),
        ]
        for use in uses:  # one every 0.06 s of the clock: never quiet for 0.1 s
            in_a_kernel.now += 0.06
            use()
            await asyncio.sleep(0.15)
            assert box.ahead.drawn == 0
        in_a_kernel.now += 0.12
        await _wait_for(lambda: box.ahead.drawn > 0)
        assert box.ahead.drawn > 0

    run_async(session())


def test_the_explorer_used_last_is_drawn_ahead_first(in_a_kernel):
    async def session():
        first, second = widgets.dose_response_explorer(), widgets.dose_response_explorer()
        second.controls[2].value = not second.controls[2].value
        in_a_kernel.now += 1.0
        await _wait_for(lambda: second.ahead.drawn > 0 or first.ahead.drawn > 0)
        assert second.ahead.drawn == 1 and first.ahead.drawn == 0
        await _wait_for(lambda: first.ahead.drawn > 0)
        assert first.ahead.drawn > 0  # then the other one

    run_async(session())


def test_a_setting_that_fails_is_skipped_and_one_abandoned_is_started_again(in_a_kernel):
    steps_done = []

    def drawing(values):
        for step in range(3):
            if values["x"] == 1:
                raise ValueError("refused")
            steps_done.append((values["x"], step))
            yield

    ahead = _ahead.DrawAhead(drawing, known=lambda values: values["x"] == 2)
    ahead.restart([{"x": 1}, {"x": 2}, {"x": 3}])
    assert ahead.advance() and ahead.drawn == 0  # 1 is refused
    assert ahead.advance() and steps_done == [(3, 0)]  # 2 is kept already: 3 begins
    ahead.abandon()  # something happened: 3 is left half done, and queued again
    assert ahead.abandoned == 1
    while ahead.advance():
        pass
    assert steps_done == [(3, 0), (3, 0), (3, 1), (3, 2)] and ahead.drawn == 1


def test_a_warning_while_drawing_ahead_is_not_shown_but_is_when_chosen(in_a_kernel):
    """A warning printed while drawing ahead would appear under whichever cell ran last; the
    student sees it when they choose that setting, as before."""

    def drawing(values):
        warnings.warn("extreme setting", RuntimeWarning, stacklevel=1)
        yield

    ahead = _ahead.DrawAhead(drawing, known=lambda values: False)
    ahead.restart([{"x": 1}])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        while ahead.advance():
            pass
    assert ahead.drawn == 1
    with pytest.warns(RuntimeWarning, match="extreme setting"):
        next(drawing({"x": 1}))


def test_nothing_is_drawn_ahead_outside_a_kernel():
    async def session():
        box = widgets.dose_response_explorer()
        box.controls[2].value = not box.controls[2].value
        await asyncio.sleep(_ahead.QUIET_S + 0.3)
        return box

    box = run_async(session())
    assert box.ahead.drawn == 0
    assert not _ahead._SPELLS._waiting  # and no explorer is held on to


def test_switched_off_nothing_is_drawn_ahead(in_a_kernel, monkeypatch):
    monkeypatch.setattr(_ahead, "DRAW_AHEAD", False)

    async def session():
        box = widgets.dose_response_explorer()
        box.controls[2].value = not box.controls[2].value
        in_a_kernel.now += 1.0
        await asyncio.sleep(0.5)
        return box

    assert run_async(session()).ahead.drawn == 0


def test_linked_controls_are_not_stepped_ahead():
    """The cell explorer's sgp130Fc dose slider ticks its box when moved: a step of the slider
    alone is never asked for, so it is not drawn ahead; the other controls are."""
    box = widgets.cell_explorer()
    now = {c._course_name: c.value for c in box.controls}
    changed = {next(k for k in q if q[k] != now[k]) for q in box.ahead._queue}
    assert "sgp130fc_ug_ml" not in changed
    assert {"cell_type", "stimulus", "sgp130fc", "il6_ng_ml"} <= changed


def test_a_change_in_the_middle_of_a_drawing_ahead_keeps_no_wrong_picture():
    box = widgets.selectivity_explorer()
    for _ in range(3):  # the model run and two artists of the first setting one step away
        assert box.ahead.advance()
    half_done = dict(box.ahead._values)
    level = box.controls[1]
    level.value = level.value * 10 ** (-3 * level.step)  # the student moves elsewhere
    assert box.ahead.abandoned == 1
    assert settings_key(half_done, box.panel.figure.dpi) not in box.pictures
    while box.ahead.advance():  # the new neighbours, drawn to the end
        pass
    assert box.ahead.drawn > 0
    pictures = len(box.pictures._kept)
    level.value = level.value * 10**level.step  # one step back: drawn ahead, shown as is
    assert len(box.pictures._kept) == pictures  # nothing new was drawn for it
    fresh = widgets.selectivity_explorer()
    fresh.controls[1].value = level.value
    assert box.panel.snapshot() == fresh.panel.snapshot()


@pytest.mark.notebooks
def test_in_a_real_kernel_a_pause_draws_ahead_and_a_cell_run_sees_the_shown_texts():
    """ipykernel's own event loop and IPython's cell events, not stand-ins: after a pause the
    explorer has drawn the settings one step away, and its texts are still those on screen."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:

        def run(code: str) -> str:
            reply = client.execute_interactive(code, timeout=120, output_hook=out.append)
            assert reply["content"]["status"] == "ok", reply["content"]
            return "".join(m["content"].get("text", "") for m in out if m["msg_type"] == "stream")

        out: list = []
        run(
            "import time, course_lib.widgets as w\n"
            "box = w.dose_response_explorer()\n"
            "shown = box.figure.description\n"
            "box.controls[2].value = not box.controls[2].value\n"
            "shown = box.figure.description"
        )
        time.sleep(_ahead.QUIET_S + 2.0)  # the kernel is idle: a quiet spell
        out.clear()
        printed = run(
            "print(box.ahead.drawn, box.figure.description == shown, len(box.pictures._kept))"
        )
        drawn, same_texts, kept = printed.split()
        assert int(drawn) >= 2 and same_texts == "True" and int(kept) >= 4
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_changes_from_another_thread_wait_for_the_step_under_way(in_a_kernel, monkeypatch):
    """JupyterLab sends widget messages on a kernel subshell: updates run in a thread of their
    own while the main thread draws ahead. Neither may close or draw over the other's work."""
    monkeypatch.setattr(_ahead, "QUIET_S", 0.0)  # draw ahead between any two moves
    errors: list = []

    def student(level):  # a subshell's thread moving the slider while drawing ahead goes on
        for i in range(30):
            try:
                level.value = level.value * 10 ** (level.step if i % 3 else -level.step)
            except Exception as error:  # collected, then asserted to be none
                errors.append(error)
            time.sleep(0.004)

    async def session():
        box = widgets.selectivity_explorer()  # built here: the scheduler pins this loop
        thread = threading.Thread(target=student, args=(box.controls[1],))
        thread.start()
        while thread.is_alive():
            await asyncio.sleep(0.002)
        thread.join()
        return box

    box = run_async(session())
    assert not errors
    assert box.ahead.drawn + box.ahead.abandoned > 0  # drawing ahead did run meanwhile
    fresh = widgets.selectivity_explorer()
    fresh.controls[1].value = box.controls[1].value
    assert box.panel.snapshot() == fresh.panel.snapshot()


def test_a_new_pixel_ratio_waits_for_the_step_under_way():
    """The page reports its pixel ratio in a subshell's thread too: the figure must not change
    size while a step drawn ahead (which holds `DRAWING`) is using it."""
    box = widgets.dose_response_explorer()
    dpi = box.panel.figure.dpi
    with _ahead.DRAWING:  # as a step drawn ahead in the main thread does
        page = threading.Thread(target=setattr, args=(box.panel.pixel_ratio, "value", 1.0))
        page.start()
        page.join(timeout=1.0)
        assert page.is_alive() and box.panel.figure.dpi == dpi  # it waits for the lock
    page.join(timeout=30)
    assert not page.is_alive() and box.panel.figure.dpi == dpi / 2  # then the 1x picture
    fresh = widgets.dose_response_explorer()
    fresh.panel.pixel_ratio.value = 1.0
    assert box.panel.snapshot() == fresh.panel.snapshot()


def test_the_first_pictures_drawn_ahead_after_a_change_are_sent_to_the_page(in_a_kernel):
    """`_recall.PAGE_AHEAD` of them, the moved control's next settings first, into the hidden
    box the page keeps them from (never shown); again after each change."""

    async def session():
        box = widgets.time_course_explorer()
        sent = []
        box.panel.ahead.observe(lambda change: sent.append(change["new"]), names="value")
        dose = box.controls[1]
        shown = page_key(box.controls, {c._course_name: c.value for c in box.controls})
        dose.value = dose.value * 10**dose.step  # a change: the dose moved last
        values = {c._course_name: c.value for c in box.controls}
        in_a_kernel.now += 0.1
        await _wait_for(lambda: box.ahead.drawn >= PAGE_AHEAD + 2)
        assert box.ahead.drawn >= PAGE_AHEAD + 2  # drawn ahead, but not all of them sent
        assert len(sent) == PAGE_AHEAD
        settings = [re.search(r'data-settings="([^"]+)"', html).group(1) for html in sent]
        expected = [
            page_key(box.controls, v)  # the cell-type menu, linked, is not stepped ahead
            for v in neighbours(box.controls[1:], values, "dose_ng_ml")
        ]
        # The dose's next stop first, then the other controls' (its stop back was shown, the
        # page has it already).
        assert settings == [k for k in expected if k != shown][:PAGE_AHEAD]
        assert all(html.startswith('<img class="course-figure"') for html in sent)
        assert box.panel.ahead.layout.display == "none"
        assert PAGE_AHEAD_CLASS in box.panel.ahead._dom_classes
        sent.clear()
        in_a_kernel.now += 0.1
        box.controls[4].value = not box.controls[4].value  # another change: sent again
        in_a_kernel.now += 0.1
        await _wait_for(lambda: len(sent) >= PAGE_AHEAD)
        assert 0 < len(sent) <= PAGE_AHEAD

    run_async(session())
