"""Helpers shared by the lesson tests: control values to try, finite figures, failing checks.

Named ``course_testing`` so that it cannot shadow an installed package when pytest puts
tests/ on ``sys.path``.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.grading import CheckFailed

__all__ = ["assert_finite", "control_values", "fails"]


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
