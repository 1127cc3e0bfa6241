"""The signalling model in libRoadRunner, timed beside course_lib in `make bench`.

libRoadRunner loads the SBML that `course_lib.models.sbml.signaling_sbml` writes (hepatocyte,
IL-6), the same model `course_lib.models.signaling` integrates. tools/bench.py times, in the
same run:

- one 4-hour time course (241 output points, 1 min apart);
- a 50-dose dose-response (`tools/bench.py`'s DOSES, IL-6 on a hepatocyte) as a loop of 50
  simulations, each ``reset()``, set the free IL-6 of the medium (a boundary species: setting
  its value is instant, setting its ``init()`` would recompile the model), ``simulate``, and
  the peak of pSTAT3 read off the 241 points.

Two integrator settings: CVODE (BDF, Newton) at rtol 1e-4, atol 1e-6, the tolerances of the
scipy rows (stiff, adaptive, error-controlled); and rk4 with fixed 1-min steps (one per output
interval), the fastest setting found (CVODE at its defaults, CVODE with Adams steps and rk45
were slower; gillespie is stochastic). rk4 is explicit and not error-controlled: it is stable
here because IL-6 doses up to 10 nM bind slowly (kon x IL-6 below 0.1 per min); for
Hyper-IL-6 at nM doses (0.34 per nM per min on gp130) 1-min steps would be near its limit.
Model loading and JIT compilation (about 0.2 s) are outside the clock.
"""

from __future__ import annotations

import time

import numpy as np

#: Output points of every libRoadRunner run: 0 to 240 min, 1 min apart.
POINTS = 241


def _timed(func, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1e3)
    return times


def _runner(integrator: str):
    import roadrunner  # the test extra; bench.py reports the rows as skipped without it

    from course_lib.models.sbml import signaling_sbml

    rr = roadrunner.RoadRunner(signaling_sbml("hepatocyte", "IL-6", 10.0))
    rr.timeCourseSelections = ["pSTAT3"]
    rr.setIntegrator(integrator)
    if integrator == "cvode":
        rr.integrator.relative_tolerance = 1e-4
        rr.integrator.absolute_tolerance = 1e-6
    return rr


def time_course(integrator: str) -> list[float]:
    """ms per 4-h time course of a hepatocyte given 10 ng/mL IL-6."""
    rr = _runner(integrator)

    def run() -> None:
        rr.reset()
        rr.simulate(0.0, 240.0, POINTS)

    return _timed(run, 20)


def dose_loop(integrator: str, doses: np.ndarray) -> list[float]:
    """ms per 50-dose dose-response, one libRoadRunner simulation per dose."""
    from course_lib.models.jak_stat import free_ligands

    rr = _runner(integrator)
    il6_free, _ = free_ligands(doses, np.zeros_like(doses), np.zeros_like(doses))
    peaks = np.empty(doses.size)

    def loop() -> None:
        for i, free in enumerate(il6_free.tolist()):
            rr.reset()
            rr["[il6_free]"] = free
            peaks[i] = rr.simulate(0.0, 240.0, POINTS)[:, 0].max()

    return _timed(loop, 5)
