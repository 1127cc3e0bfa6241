"""The first click in an explorer answers as fast as the next ones: JupyterLab's cell selection,
which that click triggers, is moved after the widget's own work.

A click (or a Tab) into a cell that is not the active one makes JupyterLab select that cell:
its ``mousedown`` and ``focusin`` handlers set the active cell, which restyles the notebook,
its toolbar and the status bar. Measured in headless Chromium on 2 cores (lesson 04), that
work ran before the toggle button had even sent its message: the message left 43-57 ms after
the mouse button went down on a first click, 2-5 ms on every later one, and the first figure
arrived about 90 ms later than the next (177-185 ms against 80-97 ms once the cell was
already active).

`CELL_SELECTION_SCRIPT` keeps those two events inside the explorer while its cell is not the
active one, and replays a ``focusin`` from the same element `SELECT_AFTER_MS` later, when the
new figure has been drawn: the cell is still selected as JupyterLab always does (JupyterLab's
``focusin`` handler selects it in command mode without moving the focus), only after the
answer rather than before it. Once the cell is active every event passes untouched. Without
JupyterLab (Voila, the static site) there is no cell, and the script does nothing.
"""

from __future__ import annotations

__all__ = ["CELL_SELECTION_SCRIPT", "SELECT_AFTER_MS"]

#: Delay (ms) between the first click in an explorer and JupyterLab selecting its cell: after
#: a figure has come back (50-120 ms here), before a person reaches for the keyboard.
SELECT_AFTER_MS = 400

# Runs in the explorer's script output (JupyterLab runs it for a cell the student ran); finds
# its explorer box, as the other scripts do, and listens there once.
CELL_SELECTION_SCRIPT = r"""
(function (element) {
  const started = Date.now();
  const attach = () => {
    const box = element.closest('.%(explorer)s');
    if (!box) {
      if (Date.now() - started < 20000) setTimeout(attach, 50);
      return;
    }
    if (box.dataset.courseSelectLater) return;
    box.dataset.courseSelectLater = 'yes';
    let pending = null;
    const later = (event) => {
      if (event.courseReplay) return;
      const cell = box.closest('.jp-Cell');
      if (!cell || cell.classList.contains('jp-mod-active')) return;
      event.stopPropagation();
      if (pending !== null) return;
      const target = event.target;
      pending = setTimeout(() => {
        pending = null;
        const replay = new FocusEvent('focusin', {bubbles: true});
        replay.courseReplay = true;
        target.dispatchEvent(replay);
      }, %(delay)d);
    };
    box.addEventListener('mousedown', later);
    box.addEventListener('focusin', later);
  };
  attach();
})(element);
"""
