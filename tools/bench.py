"""Benchmark gate for the course library: what `make bench` runs.

Times the model calls and every widget update in the kernel, prints each median next to its
target, and exits with status 1 when a median misses its target. Timing lives here and not in
pytest, so the test suite never fails because the machine happened to be busy; run this on a
quiet machine and compare figures measured in the same run.

    python tools/bench.py                     # everything
    python tools/bench.py --only serum        # rows (or widget factories) whose name contains
    python tools/bench.py --only serum,widget #   any of these words ("browser": latencies only)
    python tools/bench.py --list              # the row names, nothing timed
    python tools/bench.py --only grading      # batch grading of 100 notebooks (opt-in, below)
    BENCH_TARGET_SCALE=0.01 python tools/bench.py --only serum   # see the gate fail once

The targets are in one table, `BENCHES`, next to the function that times each row; a row with
target None is reported but not gated. Every widget update (each control of each explorer,
stepped across its range) must stay under `WIDGET_UPDATE_TARGET_MS`. Last, the browser rows
(tools/browser_bench.py): every control of every lesson in JupyterLab and headless Chromium, key
press or click to painted figure, beside the floor of a null widget, with their own targets
(sliders under 60 ms median, menus under 100 ms, p90 under 100 ms); skipped without Chromium.

The signalling rows put course_lib beside libRoadRunner running the same model exported as
SBML (tools/sbml_bench.py, which says which integrator settings and why); those rows print
their time as a ratio to course_lib's and are skipped when libroadrunner is not installed.
course_lib's 50-dose dose-response is also gated against the fastest of them, the loop of 50
libRoadRunner rk4 runs: both are timed again in turns, and its median must stay under the
loop's (BENCH_TARGET_SCALE scales that target too).

When the library's functions are renamed, only the small function of each row needs editing.

Rows marked opt-in run only when ``--only`` names them: the grading rows grade a generated class
of 100 notebooks in the sandbox (tools/grading_bench.py), about a minute on 2 cores, which would
almost double the default run, and bubblewrap must work here: `make bench ONLY=grading`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import browser_bench
import numpy as np
import sbml_bench
from grading_bench import TARGET_MS, grading_notebook, grading_question, grading_total
from widget_bench import WIDGET_UPDATE_TARGET_MS, widget_factories, widget_updates

ROOT = Path(__file__).resolve().parent.parent


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    """Wall times in ms of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1e3)
    return times


# --------------------------------------------------------------------------------------------
# One function per measured thing: set up outside the clock, return the times in ms.


def units_million() -> list[float]:
    from course_lib.units import convert

    values = np.logspace(-2, 6, 1_000_000)
    return timed(lambda: convert(values, "pg/mL", "pM", "IL-6"), 20)


def units_one() -> list[float]:
    from course_lib.units import convert

    return timed(lambda: convert(5.19, "pg/mL", "pM", "IL-6"), 2000)


def serum_one() -> list[float]:
    from course_lib.models.binding import serum_equilibrium

    return timed(lambda: serum_equilibrium(il6=0.0002, sil6r=0.8, sgp130=3.0), 200)


def _grid() -> tuple[np.ndarray, np.ndarray]:
    return np.logspace(-5, 2, 200)[:, None], np.logspace(-2, 2, 200)[None, :]


def serum_grid() -> list[float]:
    from course_lib.models.binding import serum_equilibrium

    il6, sil6r = _grid()
    return timed(lambda: serum_equilibrium(il6=il6, sil6r=sil6r, sgp130=3.0), 10)


def serum_random() -> list[float]:
    from course_lib.models.binding import serum_equilibrium

    rng = np.random.default_rng(0)
    totals = {
        name: 10 ** rng.uniform(-6, 6, 40_000) * (rng.random(40_000) > 0.2)
        for name in ("il6", "sil6r", "sgp130", "sgp130fc", "anti_il6r", "anti_il6", "hyper_il6")
    }
    return timed(lambda: serum_equilibrium(**totals), 5)


def occupancy_grid() -> list[float]:
    from course_lib.models.binding import receptor_occupancy, serum_equilibrium

    il6, sil6r = _grid()
    eq = serum_equilibrium(il6=il6, sil6r=sil6r, sgp130=3.0)
    return timed(lambda: receptor_occupancy("hepatocyte", eq), 20)


def signaling_time_course() -> list[float]:
    from course_lib.models.signaling import simulate

    return timed(lambda: simulate("hepatocyte", il6=1.0), 20)


DOSES = np.logspace(-4, 1, 50)


def signaling_dose_response() -> list[float]:
    from course_lib.models.signaling import dose_response

    return timed(lambda: dose_response("hepatocyte", DOSES), 10)


def _scipy_loop(method: str) -> list[float]:
    """The same model as dose_response, one scipy solve_ivp call per dose (for comparison)."""
    from scipy.integrate import solve_ivp

    from course_lib.models import jak_stat, signaling

    n = DOSES.size
    lf, cf = jak_stat.free_ligands(DOSES, np.zeros(n), np.zeros(n), signaling.SIGNALING)

    def loop() -> None:
        for i in range(n):
            x0, rhs, jac = jak_stat.odes(4500.0, 5000.0, lf[i], cf[i], True, signaling.SIGNALING)
            solve_ivp(lambda _, y, f=rhs: f(y), (0.0, 240.0), x0, method=method,
                      jac=lambda _, y, j=jac: j(y), rtol=1e-4, atol=1e-6)  # fmt: skip

    return timed(loop, 3)


def scipy_lsoda() -> list[float]:
    return _scipy_loop("LSODA")


def scipy_radau() -> list[float]:
    return _scipy_loop("Radau")


# The same model exported as SBML and run in libRoadRunner (tools/sbml_bench.py).


def roadrunner_time_course_cvode() -> list[float]:
    return sbml_bench.time_course("cvode")


def roadrunner_time_course_rk4() -> list[float]:
    return sbml_bench.time_course("rk4")


def roadrunner_doses_cvode() -> list[float]:
    return sbml_bench.dose_loop("cvode", DOSES)


def roadrunner_doses_rk4() -> list[float]:
    return sbml_bench.dose_loop("rk4", DOSES)


def liver_cohort() -> list[float]:
    from course_lib.models import liver

    liver.simulate_cohort(20, rng=0)  # fill the signal cache, as a widget's first move does
    return timed(lambda: liver.simulate_cohort(20, rng=1), 200)


def liver_expected() -> list[float]:
    from course_lib.models import liver

    return timed(lambda: liver.expected_tumours(harvest_week=30), 50)


def design_experiment() -> list[float]:
    from course_lib.models.design import simulate_experiment

    groups = {"wild type": 12.4, "sgp130Fc transgenic": 0.12}
    return timed(lambda: simulate_experiment(groups, 10, rng=2), 50)


def _power(test: str) -> list[float]:
    from course_lib.models.power import power

    sizes = list(range(3, 31, 3))  # 10 sample sizes
    return timed(lambda: power(14.6, 0.5, sizes, test=test, n_experiments=2000, rng=3), 5)


def power_mann_whitney() -> list[float]:
    return _power("Mann-Whitney")


def power_nb_lrt() -> list[float]:
    return _power("negative binomial LRT")


# --------------------------------------------------------------------------------------------
# The table: what is timed, and the median it must stay under (ms; None = report only).


@dataclass(frozen=True)
class Bench:
    name: str
    measure: Callable[[], list[float]]
    target_ms: float | None
    compare_to: str | None = None  # print "N x <that row>" after the row
    compare_text: str = "the time of one batched call"
    opt_in: bool = False  # run only when --only selects it
    must_beat: str | None = None  # gate: faster than that row, timed in turns (head_to_head)


BENCHES: list[Bench] = [
    Bench("units: convert 1e6 pg/mL -> pM (IL-6)", units_million, None),
    Bench("units: convert one value pg/mL -> pM", units_one, None),
    Bench("serum: one equilibrium", serum_one, 1.0),
    Bench("serum: 200 x 200 grid (+ sgp130)", serum_grid, 100.0),
    Bench("serum: 40,000 random (all 7 totals)", serum_random, None),
    Bench("serum: receptor_occupancy, 200 x 200 grid", occupancy_grid, None),
    Bench("signaling: one 4-h hepatocyte time course", signaling_time_course, 10.0),
    Bench("signaling: 50-dose dose-response", signaling_dose_response, 50.0,
          must_beat="signaling: 50 x libRoadRunner (rk4, 1-min steps)"),
    Bench("signaling: 50 x solve_ivp (LSODA, rtol 1e-4)", scipy_lsoda, None,
          compare_to="signaling: 50-dose dose-response"),
    Bench("signaling: 50 x solve_ivp (Radau, rtol 1e-4)", scipy_radau, None,
          compare_to="signaling: 50-dose dose-response"),
    Bench("signaling: libRoadRunner 4-h time course (CVODE)", roadrunner_time_course_cvode,
          None, compare_to="signaling: one 4-h hepatocyte time course",
          compare_text="the time of course_lib's time course"),
    Bench("signaling: libRoadRunner 4-h time course (rk4)", roadrunner_time_course_rk4, None,
          compare_to="signaling: one 4-h hepatocyte time course",
          compare_text="the time of course_lib's time course"),
    Bench("signaling: 50 x libRoadRunner (CVODE, rtol 1e-4)", roadrunner_doses_cvode, None,
          compare_to="signaling: 50-dose dose-response"),
    Bench("signaling: 50 x libRoadRunner (rk4, 1-min steps)", roadrunner_doses_rk4, None,
          compare_to="signaling: 50-dose dose-response"),
    Bench("liver: one cohort of 20 mice", liver_cohort, 50.0),
    Bench("liver: expected_tumours (quadrature)", liver_expected, None),
    Bench("design: one experiment (2 x 10 mice)", design_experiment, None),
    Bench("design: power, 10 n x 2,000 (Mann-Whitney)", power_mann_whitney, 1000.0),
    Bench("design: power, 10 n x 2,000 (NB LRT)", power_nb_lrt, 1000.0),
    Bench("grading: 100 notebooks of ex00, --jobs 2, total", grading_total, TARGET_MS, opt_in=True),
    Bench("grading: one notebook (of those 100)", grading_notebook, None, opt_in=True),
    Bench("grading: one question (of those 100 x 4)", grading_question, None, opt_in=True),
]  # fmt: skip

# --------------------------------------------------------------------------------------------
# Running the table


@dataclass
class Result:
    name: str
    median: float
    target: float | None  # already scaled

    @property
    def missed(self) -> bool:
        return self.target is not None and self.median >= self.target


def row(name: str, times: list[float], target: float | None, note: str = "") -> Result:
    result = Result(name, statistics.median(times), target)
    status = "-" if target is None else ("MISSED" if result.missed else "OK")
    target_text = "-" if target is None else f"< {target:.4g}"
    print(
        f"{name:<52} {result.median:10.3f} ms  {target_text:>10}  {status:<6}  "
        f"(n={len(times)}{', ' + note if note else ''})",
        flush=True,
    )
    return result


def head_to_head(ours: Bench, theirs: Bench, scale: float, rounds: int = 3) -> Result:
    """Time two rows in turns (``rounds`` each, alternating, so that a busy spell of the
    machine falls on both) and gate: the median of ``ours`` under the median of ``theirs``."""
    mine: list[float] = []
    other: list[float] = []
    for _ in range(rounds):
        mine += ours.measure()
        other += theirs.measure()
    target = statistics.median(other) * scale
    result = Result(f"{ours.name}: faster", statistics.median(mine), target)
    print(
        f"{result.name:<52} {result.median:10.3f} ms  {f'< {target:.4g}':>10}  "
        f"{'MISSED' if result.missed else 'OK':<6}  (n={len(mine)}, in turns with "
        f"'{theirs.name}', n={len(other)}: {result.median / statistics.median(other):.2g}x)",
        flush=True,
    )
    return result


def selected(name: str, only: list[str]) -> bool:
    return not only or any(word.lower() in name.lower() for word in only)


def run(only: list[str], scale: float) -> list[Result]:
    print(f"{'name':<52} {'median':>13}  {'target ms':>10}  status")
    results: list[Result] = []
    medians: dict[str, float] = {}
    for bench in BENCHES:
        if not selected(bench.name, only) or (bench.opt_in and not only):
            continue
        try:
            times = bench.measure()
        except ImportError as exc:  # libroadrunner comes with the test extra
            print(f"{bench.name:<52} skipped: {exc}", flush=True)
            continue
        note = ""
        if bench.compare_to in medians:
            ratio = statistics.median(times) / medians[bench.compare_to]
            note = f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.2g}x"
            note += f" {bench.compare_text}"
        target = None if bench.target_ms is None else bench.target_ms * scale
        results.append(row(bench.name, times, target, note))
        medians[bench.name] = results[-1].median
    by_name = {bench.name: bench for bench in BENCHES}
    for bench in BENCHES:  # rows that must be faster than another row: timed again, alternately
        if bench.name in medians and bench.must_beat in medians:
            results.append(head_to_head(bench, by_name[bench.must_beat], scale))
    for name, factory in widget_factories():
        if not selected(f"widget {name}", only):
            continue
        for what, times in widget_updates(name, factory):
            gated = what != "build"
            target = WIDGET_UPDATE_TARGET_MS * scale if gated else None
            results.append(row(f"widget {name}: {what}", times, target))
    return results


def summary(results: list[Result], scale: float) -> int:
    gated = [r for r in results if r.target is not None]
    missed = [r for r in gated if r.missed]
    scaled = f" (targets scaled by {scale:g})" if scale != 1 else ""
    print()
    if not results:
        print("bench: nothing timed (see --list for the names)")
        return 2
    if missed:
        print(f"bench: MISSED {len(missed)} of {len(gated)} target(s){scaled}:")
        for r in missed:
            print(f"  {r.name}: median {r.median:.3f} ms, target < {r.target:.4g} ms")
        return 1
    ungated = len(results) - len(gated)
    print(f"bench: all {len(gated)} target(s) met{scaled}; {ungated} row(s) reported, not gated")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time the course library; exit 1 when a median misses its target."
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="WORDS",
        help="time only rows (and widget factories) whose name contains one of these "
        "comma-separated words, e.g. --only serum,liver ('browser': the browser latencies)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=None,
        help="multiply every target by this factor, e.g. 0.01 to see the gate fail "
        "(default: environment variable BENCH_TARGET_SCALE, else 1)",
    )
    parser.add_argument(
        "--list", action="store_true", help="list the rows and targets; time nothing"
    )
    args = parser.parse_args(argv)
    only = [w.strip() for arg in args.only for w in arg.split(",") if w.strip()]
    scale = args.scale if args.scale is not None else float(os.environ.get("BENCH_TARGET_SCALE", 1))
    if scale <= 0:
        parser.error(f"the target scale must be > 0; got {scale:g}")

    if args.list:
        for bench in BENCHES:
            target = "-" if bench.target_ms is None else f"< {bench.target_ms:g} ms"
            print(f"{bench.name:<52} {target}" + "  (opt-in: --only)" * bench.opt_in)
        for name, _ in widget_factories():
            print(
                f"{'widget ' + name + ': move <each control>':<52} < {WIDGET_UPDATE_TARGET_MS:g} ms"
            )
        return 0

    results = run(only, scale) if only != ["browser"] else []
    status = summary(results, scale) if results or not selected("browser", only) else 0
    if selected("browser", only):  # key press to painted figure in Chromium (browser_bench.py)
        print()
        browser = browser_bench.main(["--scale", "1"])
        status = max(status, 1 if browser == 1 else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
