"""The first click in an explorer answers as fast as the next ones: JupyterLab's cell selection,
which that click triggers, is moved after the widget's own work.

A click (or a Tab) into a cell that is not the active one makes JupyterLab select that cell:
its ``mousedown`` and ``focusin`` handlers set the active cell, which restyles the notebook,
its toolbar and the status bar. Measured in headless Chromium on 2 cores (lesson 04), that
work ran before the toggle button had even sent its message: the message left 43-57 ms after
the mouse button went down on a first click, 2-5 ms on every later one, and the first figure
arrived about 90 ms later than the next (177-185 ms against 80-97 ms once the cell was
already active).

`CELL_SELECTION_SCRIPT` handles the first mouse click on a button, tick box or choice (a radio
button or its text) of an explorer whose cell is not the active one: it keeps the ``mousedown``
inside the explorer and prevents its default focus (the focus would select the cell at once), so
the click only does the widget's work. A click on a choice's text would still focus its radio
button (the label's own action, which ``mousedown`` does not prevent; measured: the radio's
click, and so the kernel message, came 24-30 ms after the focus), so that click checks the radio
button itself. Once the page has had no key press, click or scroll for `QUIET_MS`, the script
replays a ``focusin`` from the clicked element, JupyterLab selects the cell as always (its
``focusin`` handler selects it in command mode without moving the focus), and the clicked
control then gets the keyboard focus a click gives (the arrow keys move a choice). A click or
focus anywhere else first cancels the replay (the student has moved on; JupyterLab handles that
event itself). Once the cell is active, every event passes untouched.

Tried and left out:
- a fixed 400-ms delay: a second click within it paid the selection (a cached setting then
  took 100 ms, not 30);
- keyboard focus and sliders: JupyterLab moves the focus back to the active cell at a key press
  in a cell that is not active, which took the keyboard away from a slider handle. A Tab into an
  explorer, and a slider's first drag or key press, still select the cell at once.

Until the replay, keyboard shortcuts act on the previously active cell, and the clicked control
has no keyboard focus (a Tab reaches it as before). Without JupyterLab (Voila, the static site)
there is no cell, and the script does nothing.
"""

from __future__ import annotations

__all__ = ["CELL_SELECTION_SCRIPT", "QUIET_MS"]

#: The explorer's cell is selected once the page has had no input for this long (ms).
QUIET_MS = 1000

# Runs in the explorer's script output (JupyterLab runs it for a cell the student ran); finds
# its explorer box, as the other scripts do, and listens there once.
CELL_SELECTION_SCRIPT = r"""
(function (element) {%(in_explorer)s
  const quiet = %(quiet)d;
  let state = window.courseSelectLater;
  if (!state) {  // once per page: when was the last input, and the one replay waiting
    state = window.courseSelectLater = {last: 0, timer: null, box: null, target: null};
    for (const kind of ['keydown', 'mousedown', 'pointerdown', 'wheel']) {
      document.addEventListener(kind, () => { state.last = performance.now(); },
                                {capture: true, passive: true});
    }
    const elsewhere = (event) => {
      if (state.box && !event.courseReplay && !state.box.contains(event.target)) {
        clearTimeout(state.timer);
        state.timer = state.box = null;
      }
    };
    document.addEventListener('mousedown', elsewhere, true);
    document.addEventListener('focusin', elsewhere, true);
  }
  // A choice's radio button, for its text (a label) clicked; null for a button or tick box.
  const radioOf = (control) => (control.matches('label') ? control.querySelector('input') : null);
  const replay = () => {
    const idle = performance.now() - state.last;
    if (idle < quiet) {
      state.timer = setTimeout(replay, quiet - idle);
      return;
    }
    const event = new FocusEvent('focusin', {bubbles: true});
    event.courseReplay = true;
    const target = state.target;
    state.timer = state.box = state.target = null;
    target.dispatchEvent(event);
    // Now the keyboard focus a click gives: a choice's radio button, or the button or box.
    (radioOf(target) || target).focus({preventScroll: true});
  };
  inExplorer(element, (box) => {
    if (box.dataset.courseSelectLater) return;
    box.dataset.courseSelectLater = 'yes';
    box.addEventListener('mousedown', (event) => {
      if (event.button !== 0) return;
      const control = event.target.closest(
        'button, input[type="checkbox"], .widget-radio-box label');
      const cell = box.closest('.jp-Cell');
      if (!control || !cell || cell.classList.contains('jp-mod-active')) return;
      event.preventDefault();  // no focus: a focus would select the cell now
      event.stopPropagation();
      state.box = box;
      state.target = control;
      if (state.timer === null) state.timer = setTimeout(replay, quiet);
      const input = radioOf(control);
      if (input && event.target !== input) {
        // A click on a choice's text would focus its radio button (the label's own action),
        // which selects the cell at once: check the radio button without moving the focus.
        control.addEventListener('click', (click) => {
          if (click.target === input || cell.classList.contains('jp-mod-active')) return;
          click.preventDefault();
          input.click();
        }, {capture: true, once: true});
      }
    });
  });
})(element);
"""
