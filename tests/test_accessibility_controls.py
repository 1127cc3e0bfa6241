"""The controls of one lesson, as assistive technology sees them in JupyterLab (headless Chromium).

One lesson (03 by default: a menu, log sliders, a slider of stops, a row of choices, a tick box,
a prediction's toggle buttons; set COURSE_A11Y_LESSON to another notebook's file name) is opened
and run. Then, in the page:

- every slider handle (role="slider") has an accessible name equal to its visible label, with
  the unit when the label has one, and an ``aria-valuetext`` that is the shown value with that
  unit (ipywidgets 8.1 gives the handle no name, and a log slider's exponent as its value);
- every row of choices (radio buttons) is a named radio group whose inputs share one name of
  their own, so that the arrow keys move the choice, and the kernel follows them; each choice
  shows its tooltip;
- every row of toggle buttons (a prediction's options) is a named group and each button says
  whether it is pressed (``aria-pressed``), and follows a click;
- no element carries ``title="null"`` (ipywidgets 8.1 writes a tooltip of None that way);
- Chromium's own accessibility tree finds the sliders by those names (``get_by_role``).

Run by hand:  PYTHONPATH=. python -m pytest -p no:nbval -m browser tests/test_accessibility_controls.py
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from lab_server import CELL_ACTIVE_JS, NOTEBOOK, lab_page, run_all

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
LESSON = os.environ.get("COURSE_A11Y_LESSON", "03_signalling_dynamics.ipynb")
TIMEOUT_MS = 120_000

# What the page exposes about each control of the notebook.
CONTROLS_JS = f"""() => {{
  const nb = document.querySelector('{NOTEBOOK}');
  const text = (el) => (el ? el.textContent.trim() : '');
  const sliders = [...nb.querySelectorAll('.widget-slider')].map((w) => {{
    const h = w.querySelector('.noUi-handle');
    return {{label: text(w.querySelector('.widget-label')), readout: text(w.querySelector('.widget-readout')),
             name: h.getAttribute('aria-label'), valuetext: h.getAttribute('aria-valuetext')}};
  }});
  const groups = [...nb.querySelectorAll('.widget-toggle-buttons')].map((w) => {{
    const buttons = [...w.querySelectorAll('button.widget-toggle-button')];
    const row = buttons.length ? buttons[0].parentElement : null;
    return {{label: text(w.querySelector('.widget-label')),
             role: row && row.getAttribute('role'), name: row && row.getAttribute('aria-label'),
             pressed: buttons.map((b) => b.getAttribute('aria-pressed')),
             active: buttons.map((b) => b.classList.contains('mod-active'))}};
  }});
  const choices = [...nb.querySelectorAll('.widget-radio')].map((w) => {{
    const box = w.querySelector('.widget-radio-box');
    const inputs = [...box.querySelectorAll('input[type="radio"]')];
    return {{label: text(w.querySelector('.widget-label')),
             role: box.getAttribute('role'), name: box.getAttribute('aria-label'),
             groups: inputs.map((i) => i.name), checked: inputs.map((i) => i.checked),
             titles: [...box.querySelectorAll('label')].map((l) => l.getAttribute('title'))}};
  }});
  return {{sliders, groups, choices, nullTitles: nb.querySelectorAll('[title="null"]').length}};
}}"""
# The page has named the controls once every handle has an aria-label.
NAMED_JS = f"""() => {{
  const handles = [...document.querySelectorAll('{NOTEBOOK} .widget-slider .noUi-handle')];
  return handles.length > 0 && handles.every((h) => h.hasAttribute('aria-label'));
}}"""


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y-notebooks")
    shutil.copy(REPO / "notebooks" / LESSON, folder / LESSON)
    with lab_page(browser, folder, tmp_path_factory.mktemp("a11y-lab")) as (server, page):
        _run_all(page, server.lab_url(LESSON))
        yield page


def _run_all(page, url: str) -> None:
    run_all(page, url, TIMEOUT_MS)
    page.wait_for_function(NAMED_JS, timeout=30_000)


def _unit(label: str) -> str | None:
    match = re.search(r"\(([^)]+)\)$", label)
    return match.group(1) if match else None


def test_every_slider_handle_is_named_with_its_unit_and_value(page):
    sliders = page.evaluate(CONTROLS_JS)["sliders"]
    assert sliders, f"no sliders in {LESSON}"
    for s in sliders:
        assert s["label"] and s["name"] == s["label"], s
        unit = _unit(s["label"])
        numeric = re.match(r"[-+.\d]", s["readout"])
        assert s["valuetext"] == s["readout"] + (f" {unit}" if unit and numeric else ""), s
        # Chromium computes the same name for the accessibility tree.
        assert page.get_by_role("slider", name=s["label"], exact=True).count() >= 1, s


def test_toggle_buttons_are_a_named_group_and_say_which_is_pressed(page):
    groups = page.evaluate(CONTROLS_JS)["groups"]
    assert groups, f"no toggle buttons in {LESSON}"
    for g in groups:
        assert g["role"] == "group" and g["name"], g
        if g["label"]:
            assert g["name"] == g["label"], g
        assert g["pressed"] == [str(a).lower() for a in g["active"]], g


def test_rows_of_choices_are_named_radio_groups_with_their_tooltips(page):
    from course_lib.models.signaling import STIMULI

    choices = page.evaluate(CONTROLS_JS)["choices"]
    assert choices, f"no rows of choices in {LESSON}"
    for c in choices:
        assert c["role"] == "radiogroup" and c["name"] == c["label"] and c["label"], c
        assert c["groups"][0] and len(set(c["groups"])) == 1, c  # one group: arrow keys move
        assert c["checked"].count(True) == 1, c
    names = [c["groups"][0] for c in choices]
    assert len(set(names)) == len(names), names  # no two rows share a group
    if LESSON.startswith("03_"):  # the time course's stimuli, each with what it is
        stimuli = [c for c in choices if c["label"] == "stimulus"]
        assert stimuli, choices
        for row in stimuli:
            assert row["titles"] == list(STIMULI.values()), row


# At the radio button's click (the widget's own handler sends the kernel its value): was its
# cell already the active one, and had the radio button the focus? Then, once the cell is active:
# which element has the focus.
FIRST_CLICK_JS = f"""(input) => {{
  window.courseFirstClick = null;
  input.addEventListener('click', () => {{
    window.courseFirstClick = {{cellActive: ({CELL_ACTIVE_JS})(input),
                               focused: document.activeElement === input}};
  }}, {{capture: true, once: true}});
}}"""


# The src of the figure in an explorer's output area. The figure is asked for at each poll:
# every new picture replaces the <img> element (ipywidgets' HTML widget sets innerHTML), so a
# handle on the old element would never see the change.
FIGURE_SRC_JS = "(area) => area.querySelector('img.course-figure').getAttribute('src')"


def _output_area(row):
    """The cell output area (a stable element) of the explorer that holds ``row``."""
    return row.locator("xpath=ancestor::div[contains(@class, 'jp-Cell-outputArea')]")


def _wait_for_new_figure(page, area, before: str) -> None:
    """Wait until the kernel has shown, in output ``area``, a picture other than ``before``."""
    page.wait_for_function(
        f"([area, old]) => ({FIGURE_SRC_JS})(area) !== old",
        arg=[area.element_handle(), before],
        timeout=30_000,
    )


def test_a_first_click_on_a_choice_text_answers_before_the_cell_is_selected(page):
    """widgets._first_click: the click checks the radio button without the focus that would
    select the cell first (and delay the kernel message); the cell is selected later, and the
    radio button then has the keyboard focus, as after any click."""
    rows = page.locator(f"{NOTEBOOK} .course-explorer .widget-radio")
    row = next(r for r in rows.all() if not r.evaluate(CELL_ACTIVE_JS))
    row.scroll_into_view_if_needed()
    area = _output_area(row)
    before = area.evaluate(FIGURE_SRC_JS)
    start = row.locator("input:checked").element_handle()
    choice = row.locator(".widget-radio-box label:not(:has(input:checked))").first
    radio = choice.locator("input").element_handle()
    page.evaluate(FIRST_CLICK_JS, radio)
    box = choice.bounding_box()
    choice.click(position={"x": box["width"] - 4, "y": box["height"] / 2})  # on its text
    page.wait_for_function("() => window.courseFirstClick !== null")
    assert page.evaluate("() => window.courseFirstClick") == {"cellActive": False, "focused": False}
    _wait_for_new_figure(page, area, before)  # the kernel drew the new choice
    page.wait_for_function(CELL_ACTIVE_JS, arg=radio, timeout=10_000)
    page.wait_for_function("(i) => document.activeElement === i", arg=radio)
    assert radio.evaluate("(i) => i.checked")
    start.click()  # back, for the tests after this one (the cell is active now)
    page.wait_for_function("(i) => i.checked", arg=start)


def test_arrow_keys_move_the_choice_and_the_kernel_follows(page):
    row = page.locator(f"{NOTEBOOK} .widget-radio").first
    area = _output_area(row)
    before = area.evaluate(FIGURE_SRC_JS)
    checked = row.locator("input[type=radio]:checked")
    start = checked.evaluate("(i) => i.value")
    checked.focus()
    page.keyboard.press("ArrowRight")
    moved = "([row, start]) => row.querySelector('input:checked').value !== start"
    page.wait_for_function(moved, arg=[row.element_handle(), start])
    _wait_for_new_figure(page, area, before)
    page.keyboard.press("ArrowLeft")  # and back, for the tests after this one
    page.wait_for_function(
        f"([row, start]) => !({moved})([row, start])", arg=[row.element_handle(), start]
    )


def test_no_null_tooltips(page):
    assert page.evaluate(CONTROLS_JS)["nullTitles"] == 0


def test_names_and_states_follow_the_student(page):
    row = page.locator(f"{NOTEBOOK} .widget-toggle-buttons").first
    button = row.locator("button.widget-toggle-button:not(.mod-active)").first
    button.scroll_into_view_if_needed()
    element = button.element_handle()  # this button, not the next unpressed one after the click
    element.click()
    page.wait_for_function("(b) => b.getAttribute('aria-pressed') === 'true'", arg=element)
    slider = page.locator(f"{NOTEBOOK} .widget-slider").first
    handle = slider.locator(".noUi-handle")
    before = handle.get_attribute("aria-valuetext")
    handle.focus()
    page.keyboard.press(
        "ArrowLeft"
        if handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        else "ArrowRight"
    )
    page.wait_for_function(
        "([h, old]) => h.getAttribute('aria-valuetext') !== old",
        arg=[handle.element_handle(), before],
    )
    s = page.evaluate(CONTROLS_JS)["sliders"][0]
    assert s["valuetext"].startswith(s["readout"]), s
