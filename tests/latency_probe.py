"""What a student feels: the time from a key press or click to the painted new figure.

Used by the browser test (tests/test_browser.py: every control of every lesson, recorded, never
asserted) and by `make bench` (tools/browser_bench.py: the same run, with targets).

How one action is timed, in the page:

- a capture listener on the document notes the first ``keydown`` or ``mousedown`` (a menu
  choice, which has no key press here, notes its own start just before it changes);
- the controls are an explorer's sliders, rows of choices, menus and tick boxes, and its
  folded "Scenarios" section's buttons: Load (each preset in its menu in turn, chosen first as
  a student would: the click on Load is timed) and "Save settings" (a name typed first; timed
  to the painted message line); a predict box's Commit button is timed to its painted reveal
  (tests/commit_probe.py);
- a MutationObserver on the control's cell output waits for the figure to change: an ``img``
  with a new ``src`` (the course's figures are HTML images, replaced whole by the kernel, or
  shown again by the page from the pictures it keeps: `course_lib.widgets._recall`), or, for
  the floor widget, its label's new text;
- then it waits for the new image to be decoded (``img.decode()``), for the next animation
  frame, and for the task after it: the frame that shows the new figure has been painted.

The floor is a null widget measured in the same page: a slider whose only effect is a label
showing its value (`FLOOR_SOURCE`, appended to the test's copy of each lesson). Its latency is
the round trip of this JupyterLab, kernel and browser with nothing to compute or draw; a
figure's latency above it is the course's own cost.
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass

import nbformat

from course_lib.widgets._recall import PAGE_AHEAD_CLASS
from course_lib.widgets.scenarios import (
    PRESET_LOAD_CLASS,
    PRESET_MENU_CLASS,
    PRESET_MESSAGE_CLASS,
    PRESET_NAME_CLASS,
    PRESET_SAVE_CLASS,
)

__all__ = [
    "CONTROLS_JS",
    "FLOOR_ALLOWANCE",
    "FLOOR_ALLOWANCE_ABOVE",
    "FLOOR_CLASS",
    "FLOOR_SOURCE",
    "KIND_TARGETS",
    "P90_TARGET",
    "RECALLED",
    "UNCHANGED_AFTER_MS",
    "Control",
    "controls",
    "entry_name",
    "floor_cell",
    "p90",
    "settle",
    "summary",
    "time_action",
]

FLOOR_CLASS = "course-floor"
# The null widget (appended to a temporary copy of each lesson, never to the repository's).
FLOOR_SOURCE = f"""# The latency floor: a slider whose only effect is this label (added by the browser test)
import ipywidgets as widgets

floor_slider = widgets.IntSlider(value=50, min=0, max=100, description="floor")
floor_label = widgets.HTML("50")
floor_slider.observe(lambda change: setattr(floor_label, "value", str(change["new"])), "value")
widgets.VBox([floor_slider, floor_label], _dom_classes=["{FLOOR_CLASS}"])"""

#: Median targets per kind of control (ms, key press or click to painted figure); every kind
#: also has a p90 target of 100 ms. Where the floor measured in the same run is itself above
#: `FLOOR_ALLOWANCE_ABOVE` ms, a kind also passes within `FLOOR_ALLOWANCE` ms of the floor.
KIND_TARGETS = {"slider": 60.0, "toggle": 60.0, "checkbox": 60.0, "menu": 100.0, "button": 100.0}
P90_TARGET = 100.0
FLOOR_ALLOWANCE_ABOVE = 40.0
FLOOR_ALLOWANCE = 20.0

# Every control of every explorer (an output with a course figure) and the floor, in page order:
# [{area, kind, name, index}] where area is the output's index among OUTPUT_AREAS.
CONTROLS_JS = """(areaSelector) => {
    const found = [];
    const areas = [...document.querySelectorAll(areaSelector)];
    areas.forEach((area, a) => {
        const floor = area.querySelector('.__FLOOR__');
        if (!floor && !area.querySelector('img.course-figure')) return;
        const label = el => (el.querySelector('.widget-label')?.textContent || '').trim();
        const add = (kind, el, name, count = 0, watch = '') => found.push({area: a, kind, name,
            count, watch, index: [...area.querySelectorAll(el.tagName)].indexOf(el),
            tag: el.tagName});
        // The explorer's own controls (course_lib.widgets._access names them course-control-N;
        // the folded "Scenarios" row is not one of them), then the floor's slider.
        const own = [...area.querySelectorAll('[class*="course-control-"]')];
        for (const el of floor ? [floor.querySelector('.widget-slider')] : own) {
            if (el.classList.contains('widget-slider')) {
                if (!el.querySelector('.noUi-target[disabled]')) add('slider', el, label(el));
            } else if (el.classList.contains('widget-radio')) {  // a row of choices
                add('toggle', el, label(el));
            } else if (el.classList.contains('widget-dropdown')) {
                add('menu', el, label(el));
            } else if (el.classList.contains('widget-checkbox')) {
                add('checkbox', el, el.textContent.replace(/\\u200b/g, '').trim());
            }
        }
        // The Scenarios section's Load button, when its menu offers a preset.
        const load = area.querySelector('button.__LOAD__');
        const menu = area.querySelector('.__MENU__ select');
        if (!floor && load && !load.disabled && menu && menu.options.length) {
            add('button', load, 'Load preset', menu.options.length);
        }
        // ... and its Save button, timed to the message line that says where it saved.
        const save = area.querySelector('button.__SAVE__');
        if (!floor && save && !save.disabled) {
            add('button', save, 'Save settings', 1, '.__MESSAGE__ .widget-html-content');
        }
    });
    return found;
}"""
for _mark, _css in {
    "__FLOOR__": FLOOR_CLASS,
    "__LOAD__": PRESET_LOAD_CLASS,
    "__MENU__": PRESET_MENU_CLASS,
    "__SAVE__": PRESET_SAVE_CLASS,
    "__MESSAGE__": PRESET_MESSAGE_CLASS,
}.items():
    CONTROLS_JS = CONTROLS_JS.replace(_mark, _css)

# Arm the probe on the control's output area (see the module docstring).
ARM_JS = """(area, watch) => {
    // A text to watch (the floor's label, a message line) instead of the figure.
    const floor = area.querySelector(watch || '.__FLOOR__ .widget-html-content');
    const images = () => [...area.querySelectorAll('img')].filter(
        (img) => !img.closest('.__AHEAD__'));  // not the pictures drawn ahead, kept hidden
    const before = new Set(images().map(img => img.src));
    const text = floor ? floor.textContent : null;
    const probe = {start: null, changed: null, painted: null};
    const painted = () => requestAnimationFrame(() => setTimeout(() => {
        probe.painted = performance.now(); }, 0));
    const observer = new MutationObserver(() => {
        if (probe.changed !== null) return;
        if (floor) {
            if (floor.textContent === text) return;
            probe.changed = performance.now(); observer.disconnect(); painted();
            return;
        }
        const fresh = images().find(img => img.src && !before.has(img.src));
        if (!fresh) return;
        probe.changed = performance.now(); observer.disconnect();
        fresh.decode().catch(() => null).then(painted);
    });
    observer.observe(area, {subtree: true, childList: true, characterData: true,
                            attributes: true, attributeFilter: ['src']});
    for (const kind of ['keydown', 'mousedown']) {
        document.addEventListener(kind, () => {
            if (probe.start === null) probe.start = performance.now();
        }, {capture: true, once: true});
    }
    window.__courseLatency = probe;
}""".replace("__FLOOR__", FLOOR_CLASS).replace("__AHEAD__", PAGE_AHEAD_CLASS)

# A menu has no key press here (a closed <select> ignores arrow keys on Linux): the choice is
# made in the page, which notes its own start first when the choice is the timed action.
CHOOSE_NEXT_JS = """(select, timed) => {
    const next = (select.selectedIndex + 1) % select.options.length;
    if (timed) window.__courseLatency.start = performance.now();
    select.selectedIndex = next;
    select.dispatchEvent(new Event('change', {bubbles: true}));
}"""

# Open the folded section (ipywidgets 8's Accordion) that holds an element, if it is closed.
UNFOLD_JS = """(el) => {
    const section = el.closest('.jupyter-widget-Collapse');
    if (section && !section.classList.contains('jupyter-widget-Collapse-open')) {
        section.querySelector('.jupyter-widget-Collapse-header').click();
    }
}"""

#: After choosing a preset or an answer, this long (ms) and an idle kernel before the click.
CHOICE_SETTLE_MS = 200


def floor_cell(book):
    """The floor's code cell for the notebook ``book`` (no cell id in an nbformat 4.4 file,
    where ids are not allowed)."""
    cell = nbformat.v4.new_code_cell(FLOOR_SOURCE)
    if (book.nbformat, book.nbformat_minor) < (4, 5):
        del cell["id"]
    return cell


@dataclass(frozen=True)
class Control:
    """One control of an explorer on the page: its kind, its label and where it is."""

    area: int  # index of its cell output among the page's output areas
    kind: str  # slider, toggle (a row of choices), menu, checkbox, button (KIND_TARGETS)
    name: str
    index: int  # among the elements of its tag in that output area
    tag: str
    count: int = 0  # a button: how many actions (a Load button: the presets in its menu)
    watch: str = ""  # a CSS selector of the text that changes, where it is not the figure

    @property
    def floor(self) -> bool:
        return self.name == "floor" and self.kind == "slider"


def controls(page, area_selector: str) -> list[Control]:
    """Every control of every explorer on the page, and the floor slider."""
    return [Control(**found) for found in page.evaluate(CONTROLS_JS, area_selector)]


def _act(page, element, control: Control, step: int) -> None:
    """The ``step``-th action on a control: a slider goes one step right then left (left then
    right at its maximum), a row of choices (`course_lib.widgets._controls.toggles`, radio
    buttons) to another choice, a menu to the next choice, a box is ticked or unticked, a Load
    button is clicked (`_prepare` chose its preset)."""
    if control.kind == "slider":
        handle = element.locator(".noUi-handle").first
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        keys = ("ArrowLeft", "ArrowRight") if at_max else ("ArrowRight", "ArrowLeft")
        handle.focus()
        page.keyboard.press(keys[step % 2])
    elif control.kind == "toggle":
        # A click on a choice's text, where a student aims (it checks the radio inside).
        choices = element.locator(".widget-radio-box label")
        idle = [
            i for i in range(choices.count()) if not choices.nth(i).locator("input").is_checked()
        ]
        choices.nth(idle[step % len(idle)]).click()
    elif control.kind == "menu":
        element.locator("select").evaluate(CHOOSE_NEXT_JS, True)
    elif control.kind == "button":
        element.click()
    else:
        element.locator("input").click()


def _prepare(page, area, control: Control, idle_js: str) -> None:
    """Before a button's timed click, what a student does first, and a short wait for the
    kernel to have it: a Load button's next preset chosen in its menu; a new name typed for
    Save (one the folder has no preset of)."""
    if control.kind != "button":
        return
    if control.watch:
        name = f"timed_{time.time_ns()}"
        area.locator(f".{PRESET_NAME_CLASS} input").first.fill(name)
    else:
        # the next preset in the menu, chosen before Load is clicked (not timed)
        area.locator(f".{PRESET_MENU_CLASS} select").first.evaluate(CHOOSE_NEXT_JS, False)
    settle(page, idle_js)


def settle(page, idle_js: str) -> None:
    """`CHOICE_SETTLE_MS`, then an idle kernel (what was chosen has reached it)."""
    page.wait_for_timeout(CHOICE_SETTLE_MS)
    page.wait_for_function(f"() => {idle_js}", timeout=60_000)


#: A figure the page showed from the pictures it keeps (course_lib.widgets._recall), until the
#: kernel's own answer, a new image element, replaces it.
RECALLED = "img.course-figure[data-course-recalled]"

#: After this long (ms) with an idle kernel and no new figure, an action changed nothing to
#: see (e.g. SOCS3 feedback switched for a cell that does not respond): not a latency.
UNCHANGED_AFTER_MS = 1500.0


def time_action(page, area, element, control: Control, step: int, idle_js: str, timeout_ms: float):
    """Do one action on ``control``: its latency in ms (key press or click to painted figure);
    None if the kernel finished without a new figure (the picture is the same); NaN if no new
    figure was painted within ``timeout_ms`` while the kernel was still busy."""
    _prepare(page, area, control, idle_js)
    area.evaluate(ARM_JS, control.watch or None)
    _act(page, element, control, step)
    painted = "() => window.__courseLatency.painted !== null"
    deadline = timeout_ms
    try:
        page.wait_for_function(painted, timeout=UNCHANGED_AFTER_MS)
    except Exception:  # Playwright's TimeoutError
        if page.evaluate(f"() => {idle_js}"):
            page.wait_for_timeout(200)
            if not page.evaluate(painted):
                return None
        else:
            try:
                page.wait_for_function(painted, timeout=deadline - UNCHANGED_AFTER_MS)
            except Exception:
                return math.nan
    probe = page.evaluate("() => window.__courseLatency")
    return probe["painted"] - probe["start"] if probe["start"] is not None else math.nan


def entry_name(control: Control, taken) -> tuple[str, str]:
    """The name a control's latencies are recorded under (its label; made unique with its
    output's number when two explorers share a label) and its kind ("floor" for the floor)."""
    name = "floor" if control.floor else control.name or f"{control.kind} {control.index}"
    name = name if name not in taken else f"{name} (output {control.area + 1})"
    return name, "floor" if control.floor else control.kind


def use_control(
    page,
    areas,
    control: Control,
    moves: int,
    idle_js: str,
    timeout_ms: float,
    check=None,
    pause_ms: float = 0.0,
) -> tuple[list, str | None]:
    """Use ``control`` ``moves`` times, waiting after each action for an idle kernel that has
    sent its own picture (the page may have shown a picture it kept before the kernel was even
    told: `RECALLED`), so the next action is not queued behind the last one's answer, then
    ``pause_ms`` more (a student
    reading the figure; 0, the default, is the harshest case). Returns the latencies (ms; None
    for an action that left the figure as it was) and a problem, or None. ``check()``, if
    given, runs after each action (the browser test looks for error output there)."""
    area = areas.nth(control.area)
    element = area.locator(control.tag.lower()).nth(control.index)
    if control.kind == "button":  # a Load button: in its folded section, once per preset
        element.evaluate(UNFOLD_JS)
        moves = min(moves, control.count)
    element.scroll_into_view_if_needed()
    latencies: list = []
    for step in range(moves):
        if pause_ms:
            page.wait_for_timeout(pause_ms)
        latency = time_action(page, area, element, control, step, idle_js, timeout_ms)
        if check is not None:
            check()
        if latency is not None and math.isnan(latency):
            return latencies, (
                f"{control.kind} {control.name!r}: no new figure painted "
                f"{timeout_ms / 1000:.0f} s after action {step + 1}"
            )
        latencies.append(latency)
        page.wait_for_function(
            f"(area) => ({idle_js}) && !area.querySelector('{RECALLED}')",
            arg=area.element_handle(),
            timeout=60_000,
        )
    return latencies, None


def p90(values: list[float]) -> float:
    """The 90th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def summary(latencies: dict[str, list[float]], kinds: dict[str, str]) -> dict[str, dict]:
    """Per kind of control (and "floor"): n, median, p90 (ms) over every timed action."""
    pooled: dict[str, list[float]] = {}
    for name, values in latencies.items():
        pooled.setdefault(kinds[name], []).extend(
            v for v in values if v is not None and not math.isnan(v)
        )
    return {
        kind: {"n": len(v), "median": statistics.median(v), "p90": p90(v)}
        for kind, v in pooled.items()
        if v
    }
