"""One memo for the models: remember recent results by their (hashable) arguments.

Widgets call the same model with the same settings again and again (a slider moved back and
forth), so the models behind them keep recent results. `memo` is `functools.lru_cache` whose
results are made read-only (every numpy array inside, also inside dataclasses, tuples and
dicts): a result is shared by every caller that asks for the same setting, so nobody may
change it in place.

>>> @memo(maxsize=8)
... def doubled(x):
...     return np.arange(3) * x
>>> doubled(2) is doubled(2), doubled(2).flags.writeable
(True, False)
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable

import numpy as np

__all__ = ["freeze", "memo"]


def freeze(value):
    """Make every numpy array in ``value`` read-only (in place) and return ``value``."""
    if isinstance(value, np.ndarray):
        value.setflags(write=False)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            freeze(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            freeze(item)
    elif isinstance(value, dict):
        for item in value.values():
            freeze(item)
    return value


def memo(maxsize: int | None = 256) -> Callable[[Callable], Callable]:
    """Decorator: `functools.lru_cache` (``maxsize`` results) with read-only results.

    The arguments must be hashable (numbers, strings, tuples). The decorated function keeps
    ``cache_clear`` and ``cache_info``.
    """

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def read_only(*args, **kwargs):
            return freeze(function(*args, **kwargs))

        return functools.lru_cache(maxsize=maxsize)(read_only)

    return decorate
