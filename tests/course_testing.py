"""Helpers shared by the tests: control values to try, finite figures, failing checks, and
asyncio beside Playwright.

Named ``course_testing`` so that it cannot shadow an installed package when pytest puts
tests/ on ``sys.path``.
"""

from __future__ import annotations

import asyncio
import json
import pkgutil
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import course_lib
from course_lib.grading.feedback import CheckFailed

__all__ = [
    "PACKAGE_DIR",
    "assert_finite",
    "control_values",
    "course_modules",
    "fails",
    "run_async",
    "thin_code_cells",
]

PACKAGE_DIR = Path(course_lib.__file__).resolve().parent


def run_async(coroutine, timeout: float = 120):
    """``asyncio.run(coroutine)`` in a thread of its own, and its result: in the full suite,
    Playwright's sync API leaves an event loop running in the main thread, beside which
    asyncio.run refuses to start one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=timeout)


def control_values(control) -> list:
    """Values a widget control can send: every option of a menu, both states of a checkbox,
    or a slider's two extremes (as the browser sends them, base**exponent for a log slider)
    around its current value."""
    if hasattr(control, "_options_values"):
        return list(control._options_values)
    if isinstance(control.value, bool):
        return [True, False]
    if hasattr(control, "base"):
        return [control.base**control.min, control.value, control.base**control.max]
    return [control.min, control.value, control.max]


def assert_finite(view) -> None:
    """Every line and scatter in a view's figure holds finite numbers only."""
    for ax in view.figure.axes:
        for line in ax.get_lines():
            for data in (line.get_xdata(), line.get_ydata()):
                assert np.all(np.isfinite(np.asarray(data, dtype=float))), ax.get_title()
        for coll in ax.collections:
            offsets = np.asarray(coll.get_offsets(), dtype=float)
            assert np.all(np.isfinite(offsets)), ax.get_title()


def fails(check, value, *phrases) -> str:
    """Run an exercise check that must fail; its message must contain every phrase."""
    with pytest.raises(CheckFailed) as info:
        check(value)
    message = str(info.value)
    for phrase in phrases:
        assert phrase in message, message
    return message


def thin_code_cells(path) -> list[str]:
    """The code cells of a lesson notebook, after checking it is thin (DESIGN.md section 5):
    every code cell under 15 lines and no function or class defined in the notebook."""
    nb = json.loads(Path(path).read_text("utf-8"))
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(len(s.splitlines()) < 15 for s in sources), f"{path}: a code cell is too long"
    assert not any(re.search(r"^\s*(def|class) ", s, re.MULTILINE) for s in sources), (
        f"{path}: a notebook defines a helper; put it in course_lib"
    )
    return sources


def course_modules(path: Path = PACKAGE_DIR, prefix: str = "course_lib") -> list[str]:
    """Dotted names of every module and package of course_lib, found on disk (nothing is
    imported), so a new module is covered by the tests as soon as its file exists."""
    found = []
    for info in pkgutil.iter_modules([str(path)]):
        name = f"{prefix}.{info.name}"
        found.append(name)
        if info.ispkg:
            found.extend(course_modules(path / info.name, name))
    return sorted(found)
