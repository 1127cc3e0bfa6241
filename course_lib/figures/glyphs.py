"""How many glyphs stand for how many molecules in the cell schematic (lesson 01).

The schematic of `course_lib.figures.cell` has `SLOTS` gp130 stems in the membrane, each
standing for a tenth of the cell's gp130, and `MEDIUM_SLOTS` places for complexes in the
medium. These functions turn a cell's simulated occupancy into whole glyphs, so that a weak but
measurable response still shows one glyph.

>>> from course_lib.models.stimuli import stimulate
>>> glyph_counts(stimulate("endothelial cell", "IL-6").occupancy)
{'classic': 0, 'trans': 0, 'il6r': 0, 'free_il6r': 0}
"""

from __future__ import annotations

import numpy as np

from course_lib.models.cell_types import MEMBRANE
from course_lib.models.receptors import Occupancy
from course_lib.models.stimuli import Stimulation

__all__ = ["MEDIUM_SLOTS", "SLOTS", "glyph_counts", "medium_counts"]

#: gp130 stems drawn in the membrane; each stands for gp130 / SLOTS molecules
SLOTS = 10
#: places for complexes in the medium row
MEDIUM_SLOTS = 4


def _count(part: float, total: float, weak: float, slots: int) -> int:
    """Glyphs for ``part`` of ``total`` molecules: round(slots * part / total), but at least one
    when ``part`` reaches the threshold for a measurable response."""
    if total <= 0:
        return 0
    n = int(np.floor(slots * part / total + 0.5))
    return min(max(n, 1 if part >= weak else 0), slots)


def glyph_counts(occupancy: Occupancy, slots: int = SLOTS) -> dict[str, int]:
    """How many of the ``slots`` gp130 stems show a classic or a trans complex, and IL-6R glyphs.

    Each stem stands for ``gp130 / slots`` molecules; a count is the occupancy in those units,
    rounded, and at least 1 when it reaches the weak-response threshold (`MEMBRANE`). Trans is
    capped so the two fit on the stems. IL-6R glyphs use the same unit (at least 1 if the cell
    has any); ``free_il6r`` are those not in a classic complex.

    Examples
    --------
    >>> from course_lib.models.stimuli import stimulate
    >>> glyph_counts(stimulate("hepatocyte", "IL-6").occupancy)
    {'classic': 7, 'trans': 0, 'il6r': 9, 'free_il6r': 2}
    """
    weak = MEMBRANE.value("active_weak")
    g = float(occupancy.gp130)
    classic = _count(float(occupancy.classic), g, weak, slots)
    trans = min(_count(float(occupancy.trans), g, weak, slots), slots - classic)
    il6r = _count(float(occupancy.il6r), g, 1e-9, slots)
    return {"classic": classic, "trans": trans, "il6r": il6r, "free_il6r": max(il6r - classic, 0)}


def medium_counts(stimulation: Stimulation, slots: int = MEDIUM_SLOTS) -> dict[str, int]:
    """Complexes shown in the medium row: trapped by sgp130Fc, and free (able to reach gp130).

    For IL-6 alone there are no complexes: ``free_il6`` balls are shown, and ``empty_fc``
    unbound sgp130Fc diamonds when the drug is present.

    Examples
    --------
    >>> from course_lib.models.stimuli import stimulate
    >>> medium_counts(stimulate("hepatocyte", "IL-6 + sIL-6R", sgp130fc_ug_ml=1.0))
    {'trapped': 4, 'free': 0, 'free_il6': 0, 'empty_fc': 0}
    """
    has_fc = float(np.sum(stimulation.sgp130fc_ug_ml)) > 0
    if stimulation.stimulus == "IL-6":
        return {"trapped": 0, "free": 0, "free_il6": slots, "empty_fc": slots // 2 * has_fc}
    trapped = int(np.floor(slots * float(stimulation.trapped_fraction) + 0.5))
    return {"trapped": trapped, "free": slots - trapped, "free_il6": 0, "empty_fc": 0}
