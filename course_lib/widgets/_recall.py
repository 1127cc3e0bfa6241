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
"""

from __future__ import annotations

import gc
from collections import OrderedDict

from IPython import get_ipython

__all__ = ["KEPT_PICTURES", "Pictures", "settings_key", "spare_from_collections"]

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
