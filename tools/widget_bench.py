"""The widget rows of `make bench` (tools/bench.py): every update of every explorer, in the kernel.

Each control of each explorer is stepped across its range (the others at their defaults) and
each `update` (model, figure, PNG) is timed; the browser's share is in tools/browser_bench.py.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Iterator

import numpy as np

__all__ = ["WIDGET_STEPS", "WIDGET_UPDATE_TARGET_MS", "widget_factories", "widget_updates"]

# Every widget update in the kernel (model, figure, PNG): each control of each explorer.
WIDGET_UPDATE_TARGET_MS = 100.0
WIDGET_STEPS = 25  # values per control


def widget_factories() -> list[tuple[str, Callable]]:
    from course_lib import widgets

    return [
        (name, obj)
        for name, obj in inspect.getmembers(widgets, inspect.isfunction)
        if name.endswith(("_explorer", "_planner")) and name in widgets.__all__
    ]


def widget_updates(name: str, factory: Callable) -> Iterator[tuple[str, list[float]]]:
    """The factory's build time, then the update times of each control stepped across its
    range with the others at their defaults."""
    start = time.perf_counter()
    box = factory()
    yield "build", [(time.perf_counter() - start) * 1e3]
    for control in box.controls:
        others = {c._course_name: c.value for c in box.controls}
        times = []
        for value in _values(control, WIDGET_STEPS):
            kwargs = {**others, control._course_name: value}
            start = time.perf_counter()
            box.update(**kwargs)
            times.append((time.perf_counter() - start) * 1e3)
        yield f"move {control._course_name}", times


def _values(control, n: int) -> list:
    """Values across a control's range: slider steps, every option, both checkbox states."""
    if hasattr(control, "_options_values"):
        return list(control._options_values) * max(1, n // len(control._options_values))
    if isinstance(control.value, bool):
        return [False, True] * (n // 2)
    if hasattr(control, "base"):
        return [float(v) for v in np.logspace(control.min, control.max, n, base=control.base)]
    if isinstance(control.value, int):
        return [round(v) for v in np.linspace(control.min, control.max, n)]
    return [float(v) for v in np.linspace(control.min, control.max, n)]
