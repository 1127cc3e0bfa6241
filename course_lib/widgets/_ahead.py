"""Drawing ahead while the student reads: the settings one step away, drawn in a quiet spell.

A new setting costs the kernel a model run and a drawing; a setting drawn before is shown from
the explorer's kept pictures (`course_lib.widgets._recall`) at the floor of the JupyterLab round
trip. Once the kernel has been quiet for `QUIET_S` (no control moved, no cell run), each
explorer draws the settings one step from what it shows (`neighbours`: a slider's next and
previous stop, a toggle row's or menu's other choices, a box's other state; the control moved
last first) and keeps their pictures without showing them. The next key press or click most
likely lands on one of them.

Why a quiet spell: drawing ahead straight after each change (tried in an earlier version)
competed on a 2-core machine with the page painting that change and with the next key press
(lesson 06's sliders went from 63 to 111 ms median), and a whole drawing at a time made a key
press that came during one wait for it. Here drawing starts only after `QUIET_S` without any
change, one step per event-loop callback (the model run, then each artist: a few ms each);
a change or a cell run abandons the drawing under way and postpones the rest, so a key press
waits at most for one step. Outside a Jupyter kernel (tests, scripts) nothing is drawn ahead.

It costs CPU in the pauses (up to `AHEAD_LIMIT` drawings, a few tenths of a second of one core,
after each change). A crowded JupyterHub can switch it off for every kernel with the
environment variable ``COURSE_DRAW_AHEAD=0`` (docs/instructors/running.md).
"""

from __future__ import annotations

import asyncio
import math
import os
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Generator, Sequence

import ipywidgets as W
from IPython import get_ipython

__all__ = [
    "AHEAD_LIMIT",
    "DRAWING",
    "DRAW_AHEAD",
    "QUIET_S",
    "DrawAhead",
    "neighbours",
    "postpone",
    "steps",
    "switched_on",
    "to_the_end",
]


def switched_on(value: str | None) -> bool:
    """Whether the environment variable ``COURSE_DRAW_AHEAD`` (``value``) leaves drawing ahead
    on: everything but ``0``, ``off``, ``false`` and ``no`` (any case) does.

    >>> switched_on(None), switched_on("1"), switched_on(" Off ")
    (True, True, False)
    """
    return value is None or value.strip().lower() not in {"0", "off", "false", "no"}


#: Draw settings ahead at all (False: only what the student asks for is drawn).
DRAW_AHEAD = switched_on(os.environ.get("COURSE_DRAW_AHEAD"))
#: Seconds without a control change or a cell run before drawing ahead starts.
QUIET_S = 0.6
#: At most this many settings drawn ahead for an explorer after each change (its kept pictures
#: hold `course_lib.widgets._recall.KEPT_PICTURES`, so the history shown is not pushed out).
AHEAD_LIMIT = 12
_NEXT_S = 0.002  # between two steps: a timer, so page messages already waiting go first
#: Held while an explorer draws, shows or changes what it draws ahead. JupyterLab 4 sends widget
#: messages on a kernel subshell, so an explorer's update runs in a thread of its own beside
#: the main thread's cells and drawing ahead: one figure must never be drawn by two at once.
DRAWING = threading.RLock()


def to_the_end(steps: Generator):
    """Run a generator of drawing steps to its end; what it returns."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def steps(control: W.ValueWidget) -> list:
    """The values one step from a control's current one (none for a disabled control).

    >>> steps(W.IntSlider(value=3, min=0, max=3))
    [2]
    >>> steps(W.ToggleButtons(options=["male", "female", "mixed"], value="female"))
    ['male', 'mixed']
    """
    if getattr(control, "disabled", False):
        return []
    value = control.value
    if hasattr(control, "_options_values"):  # menus, toggle rows, selection sliders
        options = list(control._options_values)
        if isinstance(control, W.SelectionSlider) and value in options:
            i = options.index(value)
            return [options[j] for j in (i + 1, i - 1) if 0 <= j < len(options)]
        return [o for o in options if o != value]
    if isinstance(value, bool):
        return [not value]
    if isinstance(control, W.FloatLogSlider):
        exponent = math.log(value, control.base)
        k = round((exponent - control.min) / control.step)
        stops = [control.min + (k + d) * control.step for d in (1, -1)]
        return [control.base**e for e in stops if control.min - 1e-9 <= e <= control.max + 1e-9]
    if isinstance(control, (W.FloatSlider, W.IntSlider)):
        found = [value + control.step, value - control.step]
        return [v for v in found if control.min <= v <= control.max]
    return []


def neighbours(
    controls: Sequence[W.ValueWidget], values: dict, moved: str | None = None
) -> list[dict]:
    """Settings one step from ``values``, one control changed in each, at most `AHEAD_LIMIT`:
    those of the control named ``moved`` first, then the others in the order shown."""
    order = sorted(controls, key=lambda c: c._course_name != moved)
    found = [
        {**values, control._course_name: value}
        for control in order
        if control._course_name in values
        for value in steps(control)
    ]
    return found[:AHEAD_LIMIT]


class _QuietSpells:
    """The kernel-wide scheduler: one step of a drawing per callback (a model run, or one
    artist), only after `QUIET_S` of quiet, for the explorer used last first. Anything that
    happens (a change, a cell run) abandons the drawings under way. Its timer lives on one
    event loop, the first it meets (a cell's, in the main thread), whichever thread tells it
    of a change; every step holds `DRAWING`."""

    def __init__(self) -> None:
        self._waiting: OrderedDict = OrderedDict()  # DrawAhead -> None, used last at the end
        self._last = -math.inf  # time.monotonic() of the last change or cell run
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._hooked = False

    def touched(self, ahead: DrawAhead | None = None) -> None:
        """Something happened (``ahead``'s explorer changed, or a cell ran): wait again."""
        with DRAWING:
            self._last = time.monotonic()
            for waiting in self._waiting:  # a half-done drawing may no longer match its figure
                waiting.abandon()
            loop = self._pinned_loop()
            if loop is None:  # nothing kept: no explorer is held on to outside a kernel
                return
            if ahead is not None:
                self._waiting.pop(ahead, None)
                self._waiting[ahead] = None
            if self._waiting:
                loop.call_soon_threadsafe(self._arm, QUIET_S)

    def _pinned_loop(self) -> asyncio.AbstractEventLoop | None:
        """The loop the timer lives on: the running loop met first (a cell's, in the main
        thread); None where nothing is to be drawn ahead (switched off, outside a Jupyter
        kernel, or no loop met yet)."""
        if not DRAW_AHEAD or getattr(get_ipython(), "kernel", None) is None:
            return None
        if self._loop is None or self._loop.is_closed():
            try:
                self._loop = asyncio.get_running_loop()
            except RuntimeError:
                return None
        if not self._hooked:  # a cell run is activity too (its output is being shown)
            shell = get_ipython()
            shell.events.register("pre_run_cell", lambda *_: self.touched())
            shell.events.register("post_run_cell", lambda *_: self.touched())
            self._hooked = True
        return self._loop

    def _arm(self, delay: float) -> None:
        """(Re)start the timer; runs in the pinned loop's thread."""
        if self._handle is not None:
            self._handle.cancel()
        self._handle = self._loop.call_later(delay, self._step)

    def _step(self) -> None:
        self._handle = None
        with DRAWING:
            quiet = time.monotonic() - self._last
            if quiet < QUIET_S:
                self._arm(QUIET_S - quiet)
                return
            for ahead in reversed(list(self._waiting)):
                if ahead.advance():
                    self._arm(_NEXT_S)
                    return
                del self._waiting[ahead]  # nothing left to draw for that explorer


_SPELLS = _QuietSpells()


def postpone() -> None:
    """A student is using a widget that draws no figure (a predict box's answers, a preset's
    menu or name): not a quiet spell. Drawing ahead waits `QUIET_S` more, so the click that
    follows (Commit, Load, Save) does not wait for a step under way."""
    _SPELLS.touched()


class DrawAhead:
    """One explorer's settings to draw ahead, drawn step by step by the kernel-wide scheduler.

    Parameters
    ----------
    drawing : callable
        ``drawing(values)`` returns a generator that draws the settings in steps (yielding
        between them) and keeps their picture, without showing it, when it ends. Closed
        early, it keeps nothing.
    known : callable
        ``known(values)`` is True when a picture of these settings is kept already.
    """

    def __init__(self, drawing: Callable[[dict], Generator], known: Callable[[dict], bool]):
        self._drawing, self._known = drawing, known
        self._queue: list[dict] = []
        self._current: Generator | None = None
        self._values: dict = {}  # the settings being drawn
        self.drawn = 0  # settings drawn ahead to the end so far (for tests and benchmarks)
        self.abandoned = 0  # drawings left half done because something happened meanwhile

    def restart(self, candidates: list[dict]) -> None:
        """Forget what was queued; draw ``candidates`` after the next quiet spell."""
        with DRAWING:
            self.abandon()
            self._queue = list(candidates)
            _SPELLS.touched(self)

    def abandon(self) -> None:
        """Leave the drawing under way (the explorer may have drawn something else since)."""
        with DRAWING:
            if self._current is None:
                return
            self._current.close()
            self._current = None
            self._queue.insert(0, self._values)  # started again after the next quiet spell
            self.abandoned += 1

    def advance(self) -> bool:
        """One step of the drawing under way, or of the next queued setting not kept yet;
        False when nothing is left to draw."""
        with DRAWING:
            if self._current is None:
                while self._queue and self._known(self._queue[0]):
                    self._queue.pop(0)
                if not self._queue:
                    return False
                self._values = self._queue.pop(0)
                self._current = self._drawing(self._values)
            try:
                with warnings.catch_warnings():  # else printed under whichever cell ran last
                    warnings.simplefilter("ignore")
                    next(self._current)
            except StopIteration:
                self._current = None
                self.drawn += 1
            except Exception:  # a setting the model refuses: the student is told if chosen
                self._current = None
            return True
