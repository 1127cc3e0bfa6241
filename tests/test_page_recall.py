"""The page shows a picture it was sent before, without the kernel (course_lib.widgets._recall).

A notebook with two explorers (the time course of lesson 03: a menu linked to the receptor
ratio, log sliders, a slider of stops, a row of choices, a tick box; the power explorer of
lesson 06: whole-number and decimal sliders) and a tick box that holds the time course in the
kernel (while ticked, its update draws nothing and the kernel sends no picture) is run in
JupyterLab, in headless Chromium. Then:

- after every kind of control is moved, the settings the page reads off the controls are the
  ones the kernel drew (the two keys agree, or nothing could ever be recalled);
- with the kernel held, a slider moved back to a stop shown before shows that stop's picture,
  headline and description; a stop never shown leaves the figure as it is;
- a control that sets another one in the kernel (the cell type resets the receptor ratio) is
  left to the kernel even where the page has a picture of the settings it shows.

Run by hand:  PYTHONPATH=. python -m pytest -p no:nbval -m browser tests/test_page_recall.py
"""

from __future__ import annotations

import pytest
from lab_server import NOTEBOOK, run_notebook

pytestmark = pytest.mark.browser

NAME = "recall.ipynb"
CELLS = [
    "from course_lib.widgets import power_explorer, time_course_explorer\n"
    "course = time_course_explorer()\n"
    "course",
    "import ipywidgets as widgets\n"
    "hold = widgets.Checkbox(description='hold the time course')\n"
    "state = widgets.HTML('free', _dom_classes=['hold-state'])\n"
    "def held(change):\n"
    "    course.held.clear()\n"
    "    if change['new']:\n"
    "        course.held.append('test')\n"
    "    state.value = 'held' if change['new'] else 'free'\n"
    "hold.observe(held, 'value')\n"
    "widgets.VBox([hold, state])",
    "power_explorer()",
]

# The explorers on the page, in order, and what the page knows of the figure of each.
FIGURE_JS = """(box) => {
  const img = box.querySelector('img.course-figure');
  return {settings: img.dataset.settings, src: img.getAttribute('src'), alt: img.alt,
          headline: box.querySelector('.course-figure-headline').textContent,
          text: box.querySelector('.course-figure-text').textContent,
          page: box.courseRecallKey ? box.courseRecallKey() : null};
}"""


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    with run_notebook(browser, tmp_path_factory, NAME, CELLS) as page:
        page.wait_for_function(
            f"() => [...document.querySelectorAll('{NOTEBOOK} .course-explorer')]"
            ".filter((b) => b.courseRecallKey).length === 2",
            timeout=30_000,
        )
        yield page


def _explorers(page):
    return page.locator(f"{NOTEBOOK} .course-explorer").all()


def _figure(box) -> dict:
    return box.evaluate(FIGURE_JS)


def _mark(box) -> dict:
    """Mark the figure's image element shown now; the figure."""
    box.evaluate("(box) => { box.querySelector('img.course-figure').dataset.testOld = 'yes'; }")
    return _figure(box)


def _drawn_by_kernel(page, box) -> dict:
    """Wait until the kernel has sent a picture since `_mark` (every picture it sends is a
    new image element, where the page's recall changes the element shown) and the page's key
    of the controls is that picture's settings; the figure then."""
    page.wait_for_function(
        "(box) => { const img = box.querySelector('img.course-figure');"
        " return !img.dataset.testOld && !img.dataset.courseRecalled"
        " && box.courseRecallKey() === img.dataset.settings; }",
        arg=box.element_handle(),
        timeout=30_000,
    )
    return _figure(box)


def _press(page, slider, key: str) -> None:
    slider.locator(".noUi-handle").focus()
    page.keyboard.press(key)


def _back_two_stops(page, box, slider) -> None:
    """Move ``slider`` two stops left, where a test found it, once the kernel is free again."""
    _mark(box)
    _press(page, slider, "ArrowLeft")
    _press(page, slider, "ArrowLeft")
    _drawn_by_kernel(page, box)


def _move_each_control(page, box) -> list[str]:
    """Move every control of ``box`` once (a slider one stop, a row of choices and a menu to
    their next option, a box ticked or unticked); after each, the kernel's picture's settings
    and the page's reading of the controls. Returns the kinds moved."""
    moved = []
    for control in box.locator('[class*="course-control-"]').all():
        _mark(box)
        classes = control.get_attribute("class")
        if "widget-slider" in classes:
            handle = control.locator(".noUi-handle")
            at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
            _press(page, control, "ArrowLeft" if at_max else "ArrowRight")
            moved.append("slider")
        elif "widget-radio" in classes:
            control.locator(".widget-radio-box label:not(:has(input:checked))").first.click()
            moved.append("choice")
        elif "widget-dropdown" in classes:
            select = control.locator("select")
            count = select.evaluate("(s) => s.options.length")
            select.select_option(index=(select.evaluate("(s) => s.selectedIndex") + 1) % count)
            moved.append("menu")
        elif "widget-checkbox" in classes:
            control.locator("input").click()
            moved.append("box")
        else:
            continue
        shown = _drawn_by_kernel(page, box)
        assert shown["settings"] == shown["page"], (classes, shown["settings"], shown["page"])
    return moved


def test_the_page_reads_off_the_controls_the_settings_the_kernel_drew(page):
    kinds = set()
    for box in _explorers(page):
        box.scroll_into_view_if_needed()
        kinds.update(_move_each_control(page, box))
    assert kinds == {"slider", "choice", "menu", "box"}, kinds


def _hold(page, on: bool) -> None:
    tick = page.locator(f"{NOTEBOOK} .widget-checkbox", has_text="hold the time course")
    tick = tick.locator("input")
    if tick.is_checked() != on:
        tick.click()
    state = page.locator(f"{NOTEBOOK} .hold-state")
    state.filter(has_text="held" if on else "free").wait_for(timeout=10_000)  # the kernel's


def test_a_stop_shown_before_is_shown_again_without_the_kernel(page):
    box = _explorers(page)[0]
    box.scroll_into_view_if_needed()
    dose = box.locator(".widget-slider").first
    start = _mark(box)
    _press(page, dose, "ArrowRight")
    right = _drawn_by_kernel(page, box)
    _mark(box)
    _press(page, dose, "ArrowLeft")
    back = _drawn_by_kernel(page, box)
    assert back["settings"] == start["settings"]
    _hold(page, True)
    try:
        _press(page, dose, "ArrowRight")  # shown before: the page shows it by itself
        page.wait_for_function(
            "([box, key]) => box.querySelector('img.course-figure').dataset.settings === key",
            arg=[box.element_handle(), right["settings"]],
            timeout=5_000,
        )
        again = _figure(box)
        assert again["src"] == right["src"] and again["alt"] == right["alt"]
        assert again["headline"] == right["headline"] and again["text"] == right["text"]
        assert again["page"] == right["settings"]
        _press(page, dose, "ArrowRight")  # never shown: nothing to show until the kernel draws
        page.wait_for_function(
            "([box, key]) => box.courseRecallKey() !== key",
            arg=[box.element_handle(), right["settings"]],
        )
        page.wait_for_timeout(800)
        assert _figure(box)["settings"] == right["settings"]
    finally:
        _hold(page, False)
    _back_two_stops(page, box, dose)


def _choose(page, box, menu, index: int) -> dict:
    """Choose option ``index`` of ``menu``; the kernel's picture then."""
    _mark(box)
    menu.select_option(index=index)
    return _drawn_by_kernel(page, box)


def _step(page, box, slider, key: str) -> dict:
    """Press ``key`` on ``slider``; the kernel's picture then."""
    _mark(box)
    _press(page, slider, key)
    return _drawn_by_kernel(page, box)


def test_a_control_that_sets_another_is_left_to_the_kernel_unless_that_one_is_there(page):
    """The cell-type menu resets the IL-6R:gp130 slider to the cell's own ratio (its first
    stop) in the kernel: a change of cell type is recalled only where the ratio is there."""
    box = _explorers(page)[0]
    box.scroll_into_view_if_needed()
    cell_type = box.locator(".course-control-0")
    assert "course-no-recall" in cell_type.get_attribute("class")
    menu = cell_type.locator("select")
    ratio = box.locator(".course-control-5")
    first = menu.evaluate("(s) => s.selectedIndex")
    other = (first + 1) % menu.evaluate("(s) => s.options.length")
    # Pictures of the other cell type at its own ratio and one stop above, then this cell type
    # one stop above (every change of cell type put the ratio back at the cell's own).
    own = _choose(page, box, menu, other)
    _step(page, box, ratio, "ArrowRight")
    _choose(page, box, menu, first)
    above = _step(page, box, ratio, "ArrowRight")
    _hold(page, True)
    try:
        menu.select_option(index=other)  # the kernel would reset the ratio: left to it
        page.wait_for_function(
            "([box, key]) => box.courseRecallKey() !== key",
            arg=[box.element_handle(), above["settings"]],
        )
        page.wait_for_timeout(800)  # the page has that picture, but leaves it to the kernel
        assert _figure(box)["settings"] == above["settings"]  # (two pictures may look alike)
    finally:
        _hold(page, False)
    _choose(page, box, menu, first)  # the kernel: this cell type at its own ratio
    _hold(page, True)
    try:
        menu.select_option(index=other)  # the ratio is the cell's own: nothing else changes
        page.wait_for_function(
            "([box, key]) => box.querySelector('img.course-figure').dataset.settings === key",
            arg=[box.element_handle(), own["settings"]],
            timeout=5_000,
        )
        assert _figure(box)["src"] == own["src"]
    finally:
        _hold(page, False)
    # Back to the first cell type: the page shows it, and the kernel has it on screen already
    # (it drew nothing while held), so no new picture comes from it.
    menu.select_option(index=first)
    page.wait_for_function(
        "(box) => box.querySelector('img.course-figure').dataset.settings"
        " === box.courseRecallKey()",
        arg=box.element_handle(),
    )


AHEAD_JS = "(box) => box.querySelector('.course-figure-ahead img.course-figure')"


def test_a_stop_drawn_ahead_in_a_pause_is_shown_without_the_kernel(page):
    box = _explorers(page)[0]
    box.scroll_into_view_if_needed()
    sil6r = box.locator(".widget-slider").nth(1)
    _mark(box)
    _press(page, sil6r, "ArrowRight")
    moved = _drawn_by_kernel(page, box)
    # The pause: the kernel draws the next stops ahead and sends the page the first ones, the
    # moved slider's next stop first, hidden.
    page.wait_for_function(
        f"(box) => !!({AHEAD_JS})(box)", arg=box.element_handle(), timeout=20_000
    )
    ahead = box.evaluate(f"(box) => ({AHEAD_JS})(box).getAttribute('src')")
    assert box.locator(".course-figure-ahead").evaluate("(el) => getComputedStyle(el).display") == (
        "none"
    )
    _hold(page, True)
    try:
        _press(page, sil6r, "ArrowRight")  # never shown, but the page has it
        page.wait_for_function(
            "(box) => { const img = box.querySelector('img.course-figure');"
            " return img.dataset.courseRecalled && img.dataset.settings === box.courseRecallKey(); }",
            arg=box.element_handle(),
            timeout=5_000,
        )
        shown = _figure(box)
        assert shown["settings"] != moved["settings"] and shown["src"] == ahead
    finally:
        _hold(page, False)
    _back_two_stops(page, box, sil6r)
