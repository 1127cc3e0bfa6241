"""Timing figures for the course library: what `make bench` prints.

Not a test: a busy machine changes the numbers, so nothing here passes or fails. Quote the
medians, and compare figures measured in the same run.

* unit conversions over a million concentrations;
* each widget's update (model, figure, PNG) in the kernel, stepped across every slider;
* the browser latencies the last browser test recorded (slider key press to new figure).
"""

from __future__ import annotations

import inspect
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    """Wall times in ms of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1e3)
    return times


def report(name: str, times: list[float]) -> None:
    print(
        f"{name:<48} median {statistics.median(times):8.2f} ms   "
        f"min {min(times):8.2f}   max {max(times):8.2f}   (n={len(times)})"
    )


def bench_units() -> None:
    from course_lib.units import convert

    values = np.logspace(-2, 6, 1_000_000)
    report(
        "convert 1e6 pg/mL -> pM (IL-6)", timed(lambda: convert(values, "pg/mL", "pM", "IL-6"), 20)
    )
    report(
        "convert one value pg/mL -> pM", timed(lambda: convert(5.19, "pg/mL", "pM", "IL-6"), 2000)
    )


def bench_binding() -> None:
    from course_lib.models.binding import receptor_occupancy, serum_equilibrium

    report(
        "serum_equilibrium, one condition",
        timed(lambda: serum_equilibrium(il6=0.0002, sil6r=0.8, sgp130=3.0), 200),
    )
    il6 = np.logspace(-5, 2, 200)[:, None]
    sil6r = np.logspace(-2, 2, 200)[None, :]
    report(
        "serum_equilibrium, 200 x 200 grid (+ sgp130)",
        timed(lambda: serum_equilibrium(il6=il6, sil6r=sil6r, sgp130=3.0), 10),
    )
    rng = np.random.default_rng(0)
    totals = {
        name: 10 ** rng.uniform(-6, 6, 40_000) * (rng.random(40_000) > 0.2)
        for name in ("il6", "sil6r", "sgp130", "sgp130fc", "anti_il6r", "anti_il6", "hyper_il6")
    }
    report(
        "serum_equilibrium, 40,000 random (all 7 totals)",
        timed(lambda: serum_equilibrium(**totals), 5),
    )
    eq = serum_equilibrium(il6=il6, sil6r=sil6r, sgp130=3.0)
    report(
        "receptor_occupancy, 200 x 200 grid",
        timed(lambda: receptor_occupancy("hepatocyte", eq), 20),
    )


def bench_signaling() -> None:
    from scipy.integrate import solve_ivp

    from course_lib.models import signaling
    from course_lib.models.signaling import SIGNALING, dose_response, simulate

    report(
        "signaling: one 4-h hepatocyte time course",
        timed(lambda: simulate("hepatocyte", il6=1.0), 20),
    )
    doses = np.logspace(-4, 1, 50)
    ours = timed(lambda: dose_response("hepatocyte", doses), 10)
    report("signaling: 50-dose dose-response, one call", ours)
    lf, cf = signaling._ligands(doses, np.zeros(50), np.zeros(50), SIGNALING)

    def scipy_loop(method: str) -> None:  # the same model, one solve_ivp call per dose
        for i in range(doses.size):
            x0, rhs, jac = signaling._model(4500.0, 5000.0, lf[i], cf[i], True, SIGNALING)
            solve_ivp(lambda _, y, f=rhs: f(y), (0.0, 240.0), x0, method=method,
                      jac=lambda _, y, j=jac: j(y), rtol=1e-4, atol=1e-6)  # fmt: skip

    for method in ("LSODA", "Radau"):
        theirs = timed(lambda m=method: scipy_loop(m), 3)
        report(f"signaling: 50 x solve_ivp ({method}, rtol 1e-4)", theirs)
        ratio = statistics.median(theirs) / statistics.median(ours)
        print(f"{'':<48} one batched call is {ratio:.0f}x faster")


def bench_liver_and_design() -> None:
    from course_lib.models import liver

    liver.simulate_cohort(20, rng=0)  # fill the signal cache, as a widget's first move does
    report("liver: one cohort of 20 mice", timed(lambda: liver.simulate_cohort(20, rng=1), 200))
    report(
        "liver: expected_tumours (quadrature)",
        timed(lambda: liver.expected_tumours(harvest_week=30), 50),
    )

    from course_lib.models.design import simulate_experiment
    from course_lib.models.power import power

    groups = {"wild type": 12.4, "sgp130Fc transgenic": 0.12}
    report(
        "design: one simulated experiment (2 x 10 mice)",
        timed(lambda: simulate_experiment(groups, 10, rng=2), 50),
    )
    sizes = list(range(3, 31, 3))
    for test in ("Mann-Whitney", "negative binomial LRT"):
        report(
            f"design: power, 10 n x 2,000 experiments ({test})",
            timed(lambda t=test: power(14.6, 0.5, sizes, test=t, n_experiments=2000, rng=3), 5),
        )


def bench_widgets() -> None:
    from course_lib import widgets

    factories = [
        (name, obj)
        for name, obj in inspect.getmembers(widgets, inspect.isfunction)
        if name.endswith(("_explorer", "_planner")) and name in widgets.__all__
    ]
    for name, factory in factories:
        start = time.perf_counter()
        box = factory()
        build = (time.perf_counter() - start) * 1e3
        print(f"{name + ' build':<48} {build:8.1f} ms")
        for control in box.controls:
            others = {c._course_name: c.value for c in box.controls}
            times = []
            for value in _values(control):
                kwargs = {**others, control._course_name: value}
                times += timed(lambda kw=kwargs, b=box: b.update(**kw), 1)
            report(f"{name}: move {control._course_name}", times)


def _values(control, n: int = 25) -> list:
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


def browser_latencies() -> None:
    """The latest browser-test record of each notebook (slider key press to new figure)."""
    path = ROOT / "bench-results" / "browser_latency.json"
    if not path.exists():
        print("browser latencies: none recorded yet (run `make test` with Chromium installed)")
        return
    latest: dict[str, dict] = {}
    for record in json.loads(path.read_text()):  # a list of runs, oldest first
        latest[record["notebook"]] = record
    print(f"browser latencies, latest run per notebook ({path.relative_to(ROOT)}):")
    for notebook, record in sorted(latest.items()):
        print(f"  {notebook}  ({record['recorded']}, {record['browser']})")
        for slider, times in record["latency_ms"].items():
            if times:
                report(f"    {slider}", times)


def main() -> None:
    bench_units()
    bench_binding()
    bench_signaling()
    bench_liver_and_design()
    bench_widgets()
    browser_latencies()


if __name__ == "__main__":
    main()
