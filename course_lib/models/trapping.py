"""What sgp130Fc holds in lesson 01's medium, said truthfully.

sgp130Fc binds the IL-6·sIL-6R complex (and Hyper-IL-6), the ligand of trans-signalling; it
leaves free IL-6, the ligand of classic signalling on membrane IL-6R, alone. Even a large
excess leaves a small share of the complexes free, and at high doses that share still
occupies gp130. "sgp130Fc traps 100% of the complexes" next to "STAT3 weakly on" hid both
facts (99.994% rounded up; which complexes unsaid).
"""

from __future__ import annotations

import numpy as np

from course_lib._text import format_percent
from course_lib.models.stimuli import Stimulation

__all__ = ["trap_text"]


def trap_text(s: Stimulation) -> str:
    """What sgp130Fc holds, in words: which complexes, what share, what still signals.

    sgp130Fc binds the IL-6·sIL-6R complex (or Hyper-IL-6), the ligand of trans-signalling;
    free IL-6, the ligand of classic signalling on membrane IL-6R, is not trapped. The
    share is never rounded up to 100% (`course_lib._text.format_percent`), and the
    complexes left free are said to reach gp130 when they still do. "" without sgp130Fc.

    Examples
    --------
    >>> from course_lib.models.stimuli import stimulate
    >>> trap_text(stimulate("hepatocyte", "IL-6 + sIL-6R", il6_ng_ml=1000.0,
    ...                     sgp130fc_ug_ml=200.0))  # doctest: +NORMALIZE_WHITESPACE
    'sgp130Fc holds 99.99% of the IL-6·sIL-6R complexes in the medium (the trans-signalling
    ligand); free IL-6 is not trapped, and 4,088 gp130 still signal through membrane IL-6R
    (classic); the 0.0055% of complexes left free still reach 1 gp130 (trans)'
    """
    if not np.all(np.asarray(s.sgp130fc_ug_ml) > 0):
        return ""
    if s.stimulus == "IL-6":
        return "sgp130Fc finds no IL-6·sIL-6R complex to trap, and free IL-6 is not trapped"
    what = "Hyper-IL-6" if s.stimulus == "Hyper-IL-6" else "the IL-6·sIL-6R complexes"
    held = float(s.trapped_fraction)
    text = (
        f"sgp130Fc holds {format_percent(held)} of {what} in the medium "
        "(the trans-signalling ligand)"
    )
    classic = round(float(s.occupancy.classic))
    trans = round(float(s.occupancy.trans))
    if s.stimulus == "IL-6 + sIL-6R" and classic > 0:
        text += (
            f"; free IL-6 is not trapped, and {classic:,} gp130 still signal through "
            "membrane IL-6R (classic)"
        )
    if trans > 0:
        kind = "Hyper-IL-6" if s.stimulus == "Hyper-IL-6" else "complexes"
        text += (
            f"; the {format_percent(1 - held)} of {kind} left free still reach "
            f"{trans:,} gp130 (trans)"
        )
    return text
