"""A widget's quick answer leaves JupyterLab's kernel indicator at "Idle"; a slow one shows
"Busy" (course_lib.server_extension.holding_widget_busy), in a real JupyterLab and Chromium.

A notebook holds a button whose callback returns at once and one whose callback takes a
second. A MutationObserver on the status bar notes every kernel state it shows while each
button is clicked. JupyterLab otherwise shows "Busy" then "Idle" for every widget message,
and redraws its indicators twice per slider step.

Run by hand:  PYTHONPATH=. python -m pytest -p no:nbval -m browser tests/test_widget_busy.py
"""

from __future__ import annotations

import pytest
from lab_server import KERNEL_IDLE, NOTEBOOK, run_notebook

from course_lib.server_extension import BUSY_AFTER_S

pytestmark = pytest.mark.browser

NAME = "busy.ipynb"
SLOW_S = 1.0
CELLS = [
    "import time\n"
    "import ipywidgets as widgets\n"
    "said = widgets.HTML('0', _dom_classes=['said'])\n"
    "quick = widgets.Button(description='quick')\n"
    "slow = widgets.Button(description='slow')\n"
    "def answer(button):\n"
    f"    time.sleep({SLOW_S} if button is slow else 0)\n"
    "    said.value = str(int(said.value) + 1)\n"
    "quick.on_click(answer)\n"
    "slow.on_click(answer)\n"
    "widgets.VBox([quick, slow, said])",
]

# Every kernel state the status bar shows from now on ("Idle", "Busy", ...).
WATCH_JS = """() => {
    window.__courseStates = [];
    const bar = document.querySelector('#jp-main-statusbar');
    const note = () => {
        for (const item of bar.querySelectorAll('.jp-StatusBar-TextItem')) {
            const state = (item.textContent.match(/\\| (\\w+)/) || [])[1];
            if (state && window.__courseStates.at(-1) !== state) window.__courseStates.push(state);
        }
    };
    new MutationObserver(note).observe(bar, {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    with run_notebook(browser, tmp_path_factory, NAME, CELLS) as page:
        yield page


def _states_while_clicking(page, name: str, times: int) -> list[list[str]]:
    """The states the status bar showed during each of ``times`` clicks on button ``name``."""
    seen = []
    for _ in range(times):
        said = page.locator(f"{NOTEBOOK} .said").inner_text()
        page.evaluate(WATCH_JS)
        page.locator(f"{NOTEBOOK} button", has_text=name).click()
        page.wait_for_function(
            f"(before) => document.querySelector('{NOTEBOOK} .said').innerText !== before",
            arg=said,
            timeout=30_000,
        )
        page.wait_for_function(f"() => {KERNEL_IDLE}", timeout=30_000)
        page.wait_for_timeout(BUSY_AFTER_S * 2000)  # a held busy would have come by now
        seen.append(page.evaluate("() => window.__courseStates"))
    return seen


def test_a_quick_widget_answer_leaves_the_indicator_idle(page):
    seen = _states_while_clicking(page, "quick", 5)
    # The hold is 0.1 s and the callback does nothing: on a loaded machine one click may
    # still outlast it, so one "Busy" in five is let pass.
    assert sum("Busy" in states for states in seen) <= 1, seen


def test_a_slow_widget_answer_shows_busy(page):
    seen = _states_while_clicking(page, "slow", 2)
    assert all("Busy" in states for states in seen), seen
