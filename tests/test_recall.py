"""Pictures kept (course_lib.widgets._recall): the keys under which an explorer finds a picture
it drew before (its behaviour in an explorer is in tests/test_raster.py)."""

from __future__ import annotations

import gc
import math
from types import SimpleNamespace

import pytest

from course_lib.widgets import _recall, concentration_explorer
from course_lib.widgets._recall import Pictures, settings_key


def test_keys_forgive_the_last_bit_of_a_float_but_not_a_real_difference():
    a = settings_key({"dose": 10 ** (1 / 3)}, 80.0)
    b = settings_key({"dose": math.pow(10, 1 / 3) * (1 + 1e-15)}, 80.0)
    assert a == b
    assert settings_key({"dose": 2.15}, 80.0) != settings_key({"dose": 2.16}, 80.0)
    assert settings_key({"dose": 2.15}, 80.0) != settings_key({"dose": 2.15}, 160.0)
    assert settings_key({"options": [1, 2]}, 80.0) is None  # cannot be kept: drawn each time
    kept = Pictures(size=2)
    for i in range(3):
        kept.put(settings_key({"i": i}, 80.0), i)
    assert settings_key({"i": 0}, 80.0) not in kept and kept.get(settings_key({"i": 2}, 80.0)) == 2


@pytest.mark.parametrize("in_kernel", [True, False])
def test_a_built_explorer_is_spared_from_full_collections_only_in_a_kernel(in_kernel, monkeypatch):
    shell = SimpleNamespace(kernel=object()) if in_kernel else None
    monkeypatch.setattr(_recall, "get_ipython", lambda: shell)
    gc.unfreeze()
    try:
        box = concentration_explorer()
        frozen = gc.get_freeze_count()
        if in_kernel:  # the explorer's own figure is among the frozen objects
            assert frozen > 1000
            assert not any(o is box.figure.figure for o in gc.get_objects())
        else:
            assert frozen == 0
    finally:
        gc.unfreeze()
