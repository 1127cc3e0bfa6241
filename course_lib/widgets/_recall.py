"""Pictures an explorer has drawn, kept: settings shown before are shown again without drawing.

A student moves a slider one step, then back, flips a toggle and flips it again: most settings
on screen have been on screen before. An explorer keeps the pictures (image, headline,
description) of the last `KEPT_PICTURES` settings it drew (`Pictures`, keyed by `settings_key`),
so showing one again costs no model run and no drawing: in the browser such a step answers at
the floor of the JupyterLab round trip.

The settings one step away are drawn into the same store once the kernel has been quiet for a
moment (`course_lib.widgets._ahead`), so the first touch of a control after a pause is answered
the same way.

An explorer's figure, artists and widgets then live as long as the kernel, and Python's full
garbage collections walk every one of them: about 100 ms with the course's 13 explorers in one
process, a pause that falls on whichever control change happens to trigger it (stepping every
control of every explorer in one process, 1,630 updates, met 5 of them, 16-195 ms).
`spare_from_collections` takes what exists when an explorer has been built out of those walks.

The page keeps them too. Each picture carries, on its ``<img>``, the settings it shows as the
page reads them off the controls (`page_key`: a slider's stop, a choice's or menu's index, a
box's state) and its headline. `RECALL_SCRIPT` keeps the last `KEPT_PICTURES` pictures the
page was sent (each a copy of its image element, decoded as it comes), and when a key press,
click or drag leaves the controls on settings it has a picture of, puts that element in place
of the figure at once, without waiting for the kernel: a setting shown
before answers within a frame, whatever the round trip to the kernel costs (a loaded machine,
a hub far away). The kernel's own answer, the same picture, follows. In a quiet spell, the
first `PAGE_AHEAD` pictures the explorer draws ahead (`course_lib.widgets._ahead`: the moved
control's next settings first) are sent to the page too, into a hidden box, so the next step
after a pause answers within a frame as well. A picture the kernel
sends for settings the controls have left since (the answer to a key press before the last)
gives way at once to the kept picture of the settings shown, if the page has one. A control
that sets another one from the kernel (`explorer`'s ``links``: a new cell type resets the
receptor ratio) is left to the kernel, unless its callback says what it sets (``sets``) and
the other control is there already (the ratio is the cell's own): the page cannot know the
settings it leads to otherwise.
"""

from __future__ import annotations

import gc
import json
import math
from collections import OrderedDict
from collections.abc import Sequence

import ipywidgets as W
from IPython import get_ipython

from course_lib.widgets._access import IN_EXPLORER_JS

__all__ = [
    "KEPT_PICTURES",
    "NO_RECALL_CLASS",
    "PAGE_AHEAD",
    "PAGE_AHEAD_CLASS",
    "RECALL_SCRIPT",
    "Pictures",
    "page_key",
    "page_position",
    "recall_script",
    "settings_key",
    "spare_from_collections",
]

#: Settings whose picture an explorer keeps (least recently shown dropped first).
KEPT_PICTURES = 48


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


def spare_from_collections() -> bool:
    """In a Jupyter kernel, move every object alive now to the collector's permanent
    generation (`gc.freeze`); returns whether it did.

    Called when an explorer has been built: its objects are referenced for the kernel's life
    (ipywidgets keeps every open widget), so walking them at each full collection only costs
    pause time. Objects made later, by updates, are collected as usual. Outside a kernel (a
    test run that builds thousands of explorers and drops them) nothing is frozen, so garbage
    there is never kept for good.
    """
    if getattr(get_ipython(), "kernel", None) is None:
        return False
    gc.freeze()
    return True


#: DOM class of a control whose changes the page leaves to the kernel (see the module).
NO_RECALL_CLASS = "course-no-recall"
#: Pictures drawn ahead in a quiet spell that the kernel sends the page after each change (the
#: moved control's next settings first): a byte budget for the pauses (about 60 KB a picture
#: at a 1x screen), where the page keeps them all.
PAGE_AHEAD = 4
#: DOM class of the hidden box that receives them.
PAGE_AHEAD_CLASS = "course-figure-ahead"
_ON_GRID = 1e-6  # how far (in steps) a slider's value may lie from a stop and still be on it


def page_position(control: W.ValueWidget, value) -> str | None:
    """Where ``value`` puts ``control``, as the page reads it (`RECALL_SCRIPT`): a slider's
    stop (0 at its minimum; a log slider's in exponents, a selection slider's its option's
    index), a row of choices' or a menu's index, a tick box's ``"1"`` or ``"0"``. None for a
    value the page cannot show exactly (between two stops, not among the options) or a kind
    of control it does not read.

    >>> page_position(W.FloatLogSlider(value=10, base=10, min=-1, max=2, step=0.5), 10.0)
    '4'
    >>> page_position(W.Dropdown(options=[("low", 1), ("high", 2)], value=1), 2)
    '1'
    >>> page_position(W.FloatSlider(value=0.3, min=0, max=1, step=0.1), 0.35) is None
    True
    """
    if isinstance(control, W.Checkbox):
        return ("1" if value else "0") if isinstance(value, bool) else None
    if hasattr(control, "_options_values"):  # menus, rows of choices, selection sliders
        for i, option in enumerate(control._options_values):
            if option is value or option == value:
                return str(i)
        return None
    if isinstance(control, W.FloatLogSlider):
        if not (isinstance(value, (int, float)) and value > 0):
            return None
        at = (math.log(value, control.base) - control.min) / control.step
    elif isinstance(control, (W.IntSlider, W.FloatSlider)):
        at = (value - control.min) / control.step
    else:
        return None
    stop = round(at)
    return str(stop) if math.isfinite(at) and abs(at - stop) < _ON_GRID else None


def page_key(controls: Sequence[W.ValueWidget], values: dict) -> str | None:
    """The settings ``values`` as the page reads them off ``controls`` (`page_position` of
    each, in order, joined by ``|``); None if one of them cannot be read that way."""
    parts = [page_position(c, values.get(c._course_name)) for c in controls]
    return None if None in parts else "|".join(parts)


def _page_kind(control: W.ValueWidget) -> str | None:
    if isinstance(control, W.Checkbox):
        return "box"
    if isinstance(control, W.RadioButtons):
        return "choice"
    if isinstance(control, W.Dropdown):
        return "menu"
    if isinstance(control, (W.FloatLogSlider, W.FloatSlider, W.IntSlider, W.SelectionSlider)):
        return "slider"
    return None


def recall_script(
    controls: Sequence[W.ValueWidget],
    sets: Sequence[tuple[W.ValueWidget, W.ValueWidget, object]] = (),
) -> str | None:
    """`RECALL_SCRIPT` for an explorer with ``controls`` (DOM classes ``course-control-<i>``,
    `course_lib.widgets._access`); None when one of them is of a kind the page does not read
    (the page then recalls nothing). ``sets``: ``(control, other, value)``, a change of
    ``control`` sets ``other`` to ``value`` in the kernel; the page recalls a change of such a
    control only where ``other`` is at ``value`` already (the kernel then changes nothing
    else)."""
    kinds = [_page_kind(c) for c in controls]
    if None in kinds:
        return None
    parts = [{"cls": f"course-control-{i}", "kind": k} for i, k in enumerate(kinds)]
    index = {id(c): i for i, c in enumerate(controls)}
    for control, other, value in sets:
        at = page_position(other, value)
        if id(control) in index and id(other) in index and at is not None:
            parts[index[id(control)]]["sets"] = {**parts[index[id(other)]], "at": at}
    return RECALL_SCRIPT % {
        "in_explorer": IN_EXPLORER_JS,
        "parts": json.dumps(parts),
        "kept": KEPT_PICTURES,
        "skip": NO_RECALL_CLASS,
        "ahead": PAGE_AHEAD_CLASS,
    }


# Runs in the explorer's script output. Keeps, by "dpi settings", the pictures the kernel sent
# (each <img class="course-figure"> has data-settings, data-dpi and data-headline), shown or
# drawn ahead; after a key press, click, change or drag in the explorer (as the event reaches
# the box on its way up, once the widget has told the kernel, and again when the event is
# over), and whenever a new picture arrives, shows the kept picture of the settings the
# controls show, if there is one.
RECALL_SCRIPT = r"""
(function (element, parts) {%(in_explorer)s
  const kept = new Map();
  const stop = (el, kind) => {
    if (!el) return null;
    if (kind === 'slider') {
      const target = el.querySelector('.noUi-target');
      const api = target && target.noUiSlider;
      if (!api || !api.options || !api.options.range) return null;
      const at = (Number(api.get()) - Number(api.options.range.min)) / Number(api.options.step);
      const whole = Math.round(at);
      return Number.isFinite(at) && Math.abs(at - whole) < 1e-6 ? String(whole) : null;
    }
    if (kind === 'choice') {
      const i = [...el.querySelectorAll('input[type="radio"]')].findIndex((r) => r.checked);
      return i < 0 ? null : String(i);
    }
    if (kind === 'menu') {
      const select = el.querySelector('select');
      return select && select.selectedIndex >= 0 ? String(select.selectedIndex) : null;
    }
    const tick = el.querySelector('input[type="checkbox"]');
    return tick ? (tick.checked ? '1' : '0') : null;
  };
  const keyOf = (box) => {
    const found = parts.map((p) => stop(box.querySelector('.' + p.cls), p.kind));
    return found.includes(null) ? null : found.join('|');
  };
  // The figure on display (not a picture drawn ahead, kept hidden until the page keeps it).
  const figureOf = (box) => [...box.querySelectorAll('img.course-figure')]
    .find((img) => !img.closest('.%(ahead)s'));
  const show = (box) => {
    const img = figureOf(box);
    if (!img || !img.dataset.settings) return;
    const key = keyOf(box);
    if (key === null || key === img.dataset.settings) return;
    const picture = kept.get(img.dataset.dpi + ' ' + key);
    if (!picture) return;
    img.replaceWith(picture);
    const headline = box.querySelector('.course-figure-headline');
    if (headline) headline.textContent = picture.dataset.headline || '';
    const text = box.querySelector('.course-figure-text');
    if (text) text.textContent = picture.alt;
  };
  // Keeps every new picture in the box; whether one of them is a new figure on display.
  const keep = (box) => {
    let shown = false;
    for (const img of box.querySelectorAll('img.course-figure')) {
      if (!img.dataset.settings || img.dataset.courseKept) continue;
      img.dataset.courseKept = 'yes';
      shown = shown || !img.closest('.%(ahead)s');
      // A copy of the image element, decoded now: shown again, it is painted in the next
      // frame, without loading and decoding its data first.
      const copy = img.cloneNode(false);
      copy.dataset.courseRecalled = 'yes';
      copy.decode().catch(() => null);
      const name = img.dataset.dpi + ' ' + img.dataset.settings;
      kept.delete(name);
      kept.set(name, copy);
      while (kept.size > %(kept)d) kept.delete(kept.keys().next().value);
    }
    return shown;
  };
  inExplorer(element, (box) => {
    if (box.dataset.courseRecall) return;
    box.dataset.courseRecall = 'yes';
    box.courseRecallKey = () => keyOf(box);  // for the browser tests
    keep(box);
    new MutationObserver(() => {
      if (keep(box)) held = false;
      if (!held) show(box);
    }).observe(box, {
      subtree: true, childList: true,
    });
    // After a change of a control the page leaves to the kernel, nothing is recalled until
    // the kernel's picture comes (the other controls it sets are then shown too).
    let waiting = false, held = false;
    const recalls = (event) => {
      if (event.type === 'pointermove' && !event.buttons) return false;
      const linked = event.target.closest && event.target.closest('.%(skip)s');
      if (linked) {
        // Recalled only where the other control it sets is there already.
        const sets = (parts.find((p) => linked.classList.contains(p.cls)) || {}).sets;
        if (!sets || stop(box.querySelector('.' + sets.cls), sets.kind) !== sets.at) {
          held = true;
          return false;
        }
      }
      held = false;
      return true;
    };
    // At once, as the event reaches the box on its way up: the control's own widget, below,
    // has told the kernel by then (a slider's key, a choice's click, a menu's change)...
    const now = (event) => {
      if (recalls(event)) show(box);
    };
    // ... and once the event is over: a drag moves the slider from a listener on the document,
    // and a control may stop an event on its way up.
    const after = (event) => {
      if (!recalls(event) || waiting) return;
      waiting = true;
      setTimeout(() => { waiting = false; show(box); }, 0);
    };
    for (const kind of ['keydown', 'click', 'change', 'pointerdown', 'pointermove', 'pointerup']) {
      box.addEventListener(kind, after, {capture: true, passive: true});
      box.addEventListener(kind, now, {passive: true});
    }
  });
})(element, %(parts)s);
"""
