"""Pictures an explorer has drawn, kept, and drawn ahead while the kernel waits.

A student moves a slider one step, then back, flips a toggle and flips it again: most settings
on screen have been on screen before, or are one step away from the current ones. An explorer
keeps the pictures (image, headline, description) of the last `KEPT_PICTURES` settings it drew
(`Pictures`), so showing one again costs no model run and no drawing. While the kernel is idle,
it also draws the settings one step away from the current ones (`neighbours`: a slider's next
and previous stop, a menu's or toggle row's other choices, a box's other state), the control
the student moved last first (`DrawAhead`). A key press that lands on one of them is answered
with a picture that is already there.

Drawing ahead runs only inside a running event loop (a Jupyter kernel); each drawing is one
short callback, so a message from the page waits at most one drawing. It never shows anything:
only what the student asked for is sent to the page.
"""

from __future__ import annotations

import asyncio
import math
from collections import OrderedDict
from collections.abc import Callable, Sequence

import ipywidgets as W

__all__ = ["DRAW_AHEAD", "KEPT_PICTURES", "DrawAhead", "Pictures", "neighbours", "settings_key"]

#: Settings whose picture an explorer keeps (least recently shown dropped first).
KEPT_PICTURES = 48
#: Draw the neighbouring settings while the kernel is idle (False: only what is asked for).
DRAW_AHEAD = True
#: At most this many neighbouring settings are drawn ahead after each change.
DRAW_AHEAD_LIMIT = 12
_DELAY_S = 0.03  # after a change, let its messages leave before drawing ahead


def _plain(value):
    """A value as a key: floats to 12 significant digits (the page computes 10**0.1 with
    its own pow, which may differ from Python's in the last bit)."""
    return float(f"{value:.12g}") if isinstance(value, float) else value


def settings_key(values: dict, dpi: float):
    """A hashable key for ``values`` drawn at ``dpi``, or None if a value cannot be hashed."""
    key = (tuple(sorted((name, _plain(v)) for name, v in values.items())), round(dpi, 6))
    try:
        hash(key)
    except TypeError:
        return None
    return key


class Pictures:
    """The pictures of the settings an explorer drew last, by `settings_key`."""

    def __init__(self, size: int | None = None) -> None:
        self._kept: OrderedDict = OrderedDict()
        self._size = size

    def __contains__(self, key) -> bool:
        return key is not None and key in self._kept

    def get(self, key):
        if key not in self:
            return None
        self._kept.move_to_end(key)
        return self._kept[key]

    def put(self, key, picture) -> None:
        if key is None:
            return
        self._kept[key] = picture
        size = KEPT_PICTURES if self._size is None else self._size
        while len(self._kept) > size:
            self._kept.popitem(last=False)


def _steps(control: W.ValueWidget) -> list:
    """The values one step away from a control's current one (none for a disabled control)."""
    if control.disabled if hasattr(control, "disabled") else False:
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


def neighbours(controls: Sequence[W.ValueWidget], values: dict, moved: str | None) -> list[dict]:
    """Settings one step from ``values``: each control's neighbouring values with the others
    as they are; those of the control named ``moved`` first (the way it was going first)."""
    order = sorted(controls, key=lambda c: c._course_name != moved)
    found = []
    for control in order:
        for value in _steps(control):
            found.append({**values, control._course_name: value})
    return found[:DRAW_AHEAD_LIMIT]


class DrawAhead:
    """Draws settings ahead, one per event-loop callback, until told of new ones.

    Parameters
    ----------
    draw : callable
        ``draw(values)`` draws the settings and keeps their picture without showing it; it is
        called only for settings not kept yet (``known(values)`` is False).
    known : callable
        ``known(values)`` is True when a picture of these settings is kept.
    """

    def __init__(self, draw: Callable[[dict], None], known: Callable[[dict], bool]) -> None:
        self._draw, self._known = draw, known
        self._queue: list[dict] = []
        self._handle = None
        self.drawn = 0  # settings drawn ahead so far (for tests and benchmarks)

    def restart(self, candidates: list[dict]) -> None:
        """Forget what was queued; draw ``candidates`` (those not kept yet) from now on."""
        self._queue = [c for c in candidates if not self._known(c)] if DRAW_AHEAD else []
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self._queue:
            self._schedule(_DELAY_S)

    def _schedule(self, delay: float) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python, a test): nothing is drawn ahead
            return
        self._handle = loop.call_later(delay, self._step)

    def _step(self) -> None:
        self._handle = None
        while self._queue:
            values = self._queue.pop(0)
            if self._known(values):
                continue
            try:
                self._draw(values)
                self.drawn += 1
            except Exception:  # a setting the model refuses is simply not drawn ahead
                pass
            break
        if self._queue:
            self._schedule(0.0)
