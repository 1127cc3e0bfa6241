"""A prevention study in DEN/TCPOBOP mice, from serum sgp130Fc to mice per group (lesson 07).

One chain of simulations, each step from another model: the serum level of injected sgp130Fc
sets the trans- and classic signals of a male mouse's liver cells
(`course_lib.models.mouse.signals` with ``MOUSE_MILIEU.with_values(sgp130fc_protein=...)``);
the signals set the expected tumours per liver at harvest for sgp130Fc against control Fc
from the chosen week (`course_lib.models.liver.expected_tumours`); the fall in tumours sets the
power of a two-group study (`course_lib.models.power.power`, with lesson 06's defaults: blocked
randomisation by litter, blinded counting, litter effect and attrition). Everything is
simulated. `study_numbers` remembers recent settings, so a slider moved back and forth is free.

>>> s = study_numbers(10.0, 4)
>>> bool(s.treated_tumours < 0.2 * s.control_tumours), s.n_for_80 is not None
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_lib.errors import require_in_range, require_name
from course_lib.models._memo import memo
from course_lib.models.count_tests import TESTS
from course_lib.models.hepatocarcinogenesis import MOUSE_MILIEU
from course_lib.models.liver import expected_tumours
from course_lib.models.mouse import signals
from course_lib.models.power import power
from course_lib.models.selectivity import compare_settings

__all__ = [
    "HARVEST_WEEK",
    "N_GRID",
    "SEED",
    "SERUM_RANGE_UG_ML",
    "SIMULATED_EXPERIMENTS",
    "START_WEEKS",
    "StudyNumbers",
    "selectivity_window",
    "study_numbers",
]

#: Serum sgp130Fc while treated, µg/mL: the plausible range of ``sgp130fc_protein``.
SERUM_RANGE_UG_ML: tuple[float, float] = MOUSE_MILIEU["sgp130fc_protein"].bounds
#: Weeks of age at which treatment may start: from the DEN injection (week 2) to week 30.
START_WEEKS: tuple[int, int] = (2, 30)
#: Mice per group on the power curve (the planner's slider offers exactly these).
N_GRID: tuple[int, ...] = (3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 40)
#: Simulated experiments per group size: enough for a curve, few enough for a slider.
SIMULATED_EXPERIMENTS = 160
#: The fixed seed of the power simulations (the same draws at every setting).
SEED = 2017
#: Week of age at harvest (the model's default, as in lesson 05).
HARVEST_WEEK = 40.0


@dataclass(frozen=True)
class StudyNumbers:
    """One setting of the prevention study and what the simulations give (all simulated).

    Signals are fractions of an untreated wild-type male's level while treated; tumours are
    expected countable tumours per liver at `HARVEST_WEEK`; ``power`` is the fraction of
    `SIMULATED_EXPERIMENTS` experiments with p < 0.05 at each n of `N_GRID`;
    ``window_ug_ml`` is the range of serum levels at which trans-signalling is at most 10% and
    classic signalling at least 90% (`selectivity_window`; NaN when there is none).
    """

    serum_ug_ml: float
    treatment_start: float
    test: str
    hepatocyte_trans: float
    endothelial_trans: float
    hepatocyte_classic: float
    control_tumours: float
    treated_tumours: float
    reduction: float
    n: np.ndarray
    power: np.ndarray
    n_for_80: int | None
    window_ug_ml: tuple[float, float]

    @property
    def in_window(self) -> bool:
        """Whether the serum level lies inside the selectivity window (`window_ug_ml`)."""
        low, high = self.window_ug_ml
        return bool(low <= self.serum_ug_ml <= high)

    def power_at(self, n_per_group: int) -> float:
        """The simulated power with ``n_per_group`` mice per group (one of `N_GRID`)."""
        return float(self.power[N_GRID.index(n_per_group)])


@memo(maxsize=512)
def _tumours(serum_ug_ml: float, start: float, treatment: str) -> float:
    """Expected tumours per liver; control Fc does not depend on the serum level."""
    milieu = MOUSE_MILIEU.with_values(sgp130fc_protein=serum_ug_ml)
    return expected_tumours(
        treatment=treatment, treatment_start=start, milieu=milieu, harvest_week=HARVEST_WEEK
    )


def study_numbers(
    serum_ug_ml: float, treatment_start: float, test: str = "Mann-Whitney"
) -> StudyNumbers:
    """The whole chain for one setting: signals, expected tumours, power at every n.

    Parameters
    ----------
    serum_ug_ml : float
        Serum sgp130Fc while treated, µg/mL, within `SERUM_RANGE_UG_ML`.
    treatment_start : float
        Week of age at which sgp130Fc or control Fc starts, within `START_WEEKS`.
    test : str
        A name from `course_lib.models.count_tests.TESTS`.

    Returns
    -------
    StudyNumbers
    """
    low, high = SERUM_RANGE_UG_ML
    level = float(
        require_in_range("serum_ug_ml", serum_ug_ml, low * (1 - 1e-9), high * (1 + 1e-9), "µg/mL")
    )
    level = min(max(level, low), high)  # log sliders round a hair past their ends
    start = float(
        require_in_range("treatment_start", treatment_start, *START_WEEKS, "weeks of age")
    )
    return _study(round(level, 12), start, require_name("test", test, TESTS))


@memo(maxsize=512)
def _study(level: float, start: float, test: str) -> StudyNumbers:
    milieu = MOUSE_MILIEU.with_values(sgp130fc_protein=level)
    sig = signals(treatment="sgp130Fc", treatment_start=start, milieu=milieu)
    control = _tumours(SERUM_RANGE_UG_ML[0], start, "control Fc")
    treated = min(_tumours(level, start, "sgp130Fc"), control)
    reduction = min(1.0 - treated / control, 0.99) if control > 0 else 0.0
    curve = power(
        control, reduction, N_GRID, test=test, n_experiments=SIMULATED_EXPERIMENTS, rng=SEED
    )
    return StudyNumbers(
        serum_ug_ml=level,
        treatment_start=start,
        test=test,
        hepatocyte_trans=sig.hepatocyte_trans[1],
        endothelial_trans=sig.endothelial_trans[1],
        hepatocyte_classic=sig.hepatocyte_classic[1],
        control_tumours=control,
        treated_tumours=treated,
        reduction=reduction,
        n=curve.n,
        power=curve.power,
        n_for_80=curve.sample_size(0.8),
        window_ug_ml=selectivity_window(),
    )


@memo(maxsize=1)
def selectivity_window() -> tuple[float, float]:
    """Serum sgp130Fc levels (µg/mL) at which a male mouse keeps at most 10% of its
    trans-signalling and at least 90% of its classic signalling (simulated, open blood).

    >>> low, high = selectivity_window()
    >>> 10 < low < 30 and high == SERUM_RANGE_UG_ML[1]
    True
    """
    levels = compare_settings("mouse (DEN/TCPOBOP)", level_ug_ml=SERUM_RANGE_UG_ML[1])
    low, high = levels.window_ug_ml("blood")
    return (low, min(high, SERUM_RANGE_UG_ML[1]))
