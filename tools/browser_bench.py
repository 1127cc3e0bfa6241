"""The browser half of `make bench`: key press or click to painted figure, with targets.

Starts its own JupyterLab (tests/lab_server.py) and headless Chromium, opens each lesson (a
temporary copy with the floor widget appended), runs all cells, uses every control of every
explorer `MOVES` times (its Scenarios section's Load button once per preset, up to `MOVES`) and
commits every predict box once, timed as tests/latency_probe.py describes. Prints, per lesson
and kind of control, the median and p90 beside the floor (the null widget, measured in the same
page) and the targets:

- sliders, toggles and tick boxes: median under 60 ms; menus and buttons (Load, Commit):
  under 100 ms;
- every kind: p90 under 100 ms;
- where the floor's median in the same page is itself above 40 ms (a loaded machine), a median
  or p90 within 20 ms of the floor's also passes; both verdicts are printed.

Under each lesson's table, the median of the first action on each control (a setting the
explorer has not drawn: a model run and a drawing) beside that of the later ones (mostly
settings shown before, which the page shows from the pictures it keeps before the kernel
answers, `course_lib.widgets._recall`): the p90s lie among the first. Last, the yardstick the
issue compared the course with (`BASELINE_SOURCE`, a textbook ``interactive_output`` plot, in a
page of its own with the floor): its median and how many times faster the course answers.

    python tools/browser_bench.py                 # every lesson
    python tools/browser_bench.py --only 03,05    # lessons whose file name contains a word
    python tools/browser_bench.py --scale 2       # a 2x high-DPI screen (devicePixelRatio 2)
    python tools/browser_bench.py --pause 1500    # a student who reads 1.5 s before each action
    python tools/browser_bench.py --no-baseline   # without the yardstick (about 20 s less)

With no pause (the default, and the verdict `make bench` gives) every action follows the last
one as soon as the kernel is idle: explorers never get the quiet spell in which they draw the
settings one step away (`course_lib.widgets._ahead`), so first actions are drawn on demand.

Exit status 1 when a target is missed, 0 otherwise, 2 when Chromium or Playwright is missing.
Run it on a quiet machine: the figures are wall-clock times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import nbformat  # noqa: E402
from commit_probe import time_commit  # noqa: E402
from lab_server import (  # noqa: E402
    CHROMIUM_FLAGS,
    KERNEL_IDLE,
    OUTPUT_AREAS,
    LabServer,
    run_all,
)
from latency_probe import (  # noqa: E402
    FLOOR_ALLOWANCE,
    FLOOR_ALLOWANCE_ABOVE,
    KIND_TARGETS,
    P90_TARGET,
    Control,
    controls,
    entry_name,
    floor_cell,
    p90,
    summary,
    use_control,
)
from page_checks import (  # noqa: E402
    PREDICT_BOX,
    PREDICT_QUESTIONS,
    answer_question,
)

MOVES = 5
RESULTS = ROOT / "bench-results" / "browser_bench.json"
VIEWPORT = {"width": 1400, "height": 1000}
RUN_ALL_TIMEOUT_MS = 180_000

#: The yardstick, not a target: a textbook interactive plot (ipywidgets' ``interactive_output``
#: with the inline backend, a new matplotlib figure made, drawn and sent whole at every move),
#: timed by the same probe in its own page beside the floor. The issue measured the course at
#: 0.64-0.91x of such a plot's speed.
BASELINE_CLASS = "course-naive-baseline"
BASELINE_MOVES = 10
BASELINE_NOTEBOOK = "naive_baseline.ipynb"
BASELINE_SOURCE = f"""# A textbook interactive plot: the browser bench's yardstick (not course code)
%matplotlib inline
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

x = np.linspace(0, 2 * np.pi, 400)
frequency = widgets.FloatSlider(value=1.0, min=0.5, max=5.0, step=0.1, description="frequency")


def plot(frequency):
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.plot(x, np.sin(frequency * x))
    ax.set(xlabel="x", ylabel="sin(frequency x)")
    plt.show()


out = widgets.interactive_output(plot, {{"frequency": frequency}})
widgets.VBox([frequency, out], _dom_classes=["{BASELINE_CLASS}"])"""
# [output area index, index of its slider among the area's div elements], or null
FIND_BASELINE_JS = """([areaSelector, css]) => {
    const areas = [...document.querySelectorAll(areaSelector)];
    const a = areas.findIndex((area) => area.querySelector('.' + css));
    if (a < 0) return null;
    const slider = areas[a].querySelector('.widget-slider');
    return [a, [...areas[a].querySelectorAll('div')].indexOf(slider)];
}"""


def measure_lesson(page, url: str, pause_ms: float = 0.0) -> tuple[dict[str, list], dict[str, str]]:
    """Every control of the lesson at ``url``: {name: latencies (ms, None = unchanged)}, kinds;
    ``pause_ms`` before each action (`latency_probe.use_control`)."""
    run_all(page, url, RUN_ALL_TIMEOUT_MS)
    areas = page.locator(OUTPUT_AREAS)
    latencies: dict[str, list] = {}
    kinds: dict[str, str] = {}
    for control in controls(page, OUTPUT_AREAS):
        name, kind = entry_name(control, latencies)
        kinds[name] = kind
        latencies[name], problem = use_control(
            page, areas, control, MOVES, KERNEL_IDLE, 10_000, pause_ms=pause_ms
        )
        if problem:  # a figure that never came: counted as a missing action, said once
            print(f"  {problem}")
    boxes = page.locator(PREDICT_BOX)
    for index in range(boxes.count()):  # each predict box: answered, then Commit (once)
        box, name = boxes.nth(index), f"Commit (predict box {index + 1})"
        box.scroll_into_view_if_needed()
        questions = box.locator(PREDICT_QUESTIONS)
        for number in range(questions.count()):
            answer_question(questions.nth(number))
        if pause_ms:
            page.wait_for_timeout(pause_ms)
        latency = time_commit(page, box, KERNEL_IDLE, 10_000)
        if math.isnan(latency):
            print(f"  {name}: no reveal painted within 10 s")
            continue
        latencies[name], kinds[name] = [latency], "button"
    return latencies, kinds


def baseline_notebook() -> nbformat.NotebookNode:
    """The yardstick's notebook: `BASELINE_SOURCE`, then the floor."""
    book = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        }
    )
    book.cells = [nbformat.v4.new_code_cell(BASELINE_SOURCE)]
    book.cells.append(floor_cell(book))
    return book


def measure_baseline(page, url: str) -> dict[str, list]:
    """The yardstick's slider and the floor in the page at ``url``, `BASELINE_MOVES` each:
    {"baseline": latencies, "floor": latencies} (ms)."""
    run_all(page, url, RUN_ALL_TIMEOUT_MS)
    found = page.evaluate(FIND_BASELINE_JS, [OUTPUT_AREAS, BASELINE_CLASS])
    floor = [c for c in controls(page, OUTPUT_AREAS) if c.floor]
    if found is None or not floor:
        raise RuntimeError(f"{BASELINE_NOTEBOOK}: its slider or the floor is not on the page")
    naive = Control(area=found[0], kind="slider", name="baseline", index=found[1], tag="DIV")
    areas, measured = page.locator(OUTPUT_AREAS), {}
    for name, control in (("baseline", naive), ("floor", floor[0])):
        measured[name], problem = use_control(
            page, areas, control, BASELINE_MOVES, KERNEL_IDLE, 10_000
        )
        if problem:
            print(f"  {problem}")
    return measured


def baseline_line(baseline: dict[str, list], records: list[dict]) -> str:
    """The yardstick's median and p90 beside the course's, and how many times faster the
    course answers (its first actions, all actions): one line of text."""
    timed = {
        k: [v for v in vs if v is not None and not math.isnan(v)] for k, vs in baseline.items()
    }
    first, every = [], []
    for record in records:
        f, later = first_and_later(record["latency_ms"], record["kinds"])
        first += f
        every += f + later
    naive = statistics.median(timed["baseline"])
    course_first, course_all = statistics.median(first), statistics.median(every)
    return (
        f"yardstick (not a target): a textbook interactive_output plot, median {naive:.0f} ms, "
        f"p90 {p90(timed['baseline']):.0f} ms (floor {statistics.median(timed['floor']):.0f} ms "
        f"in its page); the course's first actions {course_first:.0f} ms "
        f"({naive / course_first:.1f}x faster), all its actions {course_all:.0f} ms "
        f"({naive / course_all:.1f}x faster)"
    )


def verdicts(per_kind: dict[str, dict]) -> list[tuple[str, str, float, float, bool]]:
    """(kind, measure, value, target, met) for each kind's median and p90."""
    floor = per_kind.get("floor")
    loaded = floor is not None and floor["median"] > FLOOR_ALLOWANCE_ABOVE
    rows = []
    for kind, row in per_kind.items():
        if kind == "floor":
            continue
        for measure, target in (("median", KIND_TARGETS[kind]), ("p90", P90_TARGET)):
            value = row[measure]
            met = value < target or (loaded and value < floor[measure] + FLOOR_ALLOWANCE)
            rows.append((kind, measure, value, target, met))
    return rows


def report(lesson: str, per_kind: dict[str, dict]) -> list[str]:
    """Print one lesson's table; return its missed targets."""
    floor = per_kind.get("floor", {"median": math.nan, "p90": math.nan})
    print(f"\n{lesson}  (floor: median {floor['median']:.0f} ms, p90 {floor['p90']:.0f} ms)")
    missed = []
    for kind, measure, value, target, met in verdicts(per_kind):
        over = value - floor[measure]
        print(
            f"  {kind:9s} {measure:6s} {value:6.0f} ms  ({over:+4.0f} over the floor, "
            f"{value / floor[measure]:.2f}x)  target < {target:.0f}  " + ("OK" if met else "MISSED")
        )
        if not met:
            missed.append(f"{lesson}: {kind} {measure} {value:.0f} ms, target < {target:.0f} ms")
    return missed


def first_and_later(latencies: dict[str, list], kinds: dict[str, str]) -> tuple[list, list]:
    """The explorers' first actions on each control (always a setting not drawn before: the
    kernel runs the model and draws) and their later ones (often a setting shown before,
    shown again from the pictures the page keeps), in ms; the floor is left out."""
    first, later = [], []
    for name, values in latencies.items():
        timed = [v for v in values if v is not None and not math.isnan(v)]
        if kinds[name] != "floor" and timed:
            first.append(timed[0])
            later.extend(timed[1:])
    return first, later


def _where_the_p90_lies(latencies: dict[str, list], kinds: dict[str, str]) -> None:
    first, later = first_and_later(latencies, kinds)
    if first and later:
        print(
            f"  first action on a control: median {statistics.median(first):.0f} ms "
            f"(n={len(first)}); later actions: median {statistics.median(later):.0f} ms "
            f"(n={len(later)})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated words of lesson file names")
    parser.add_argument("--scale", type=float, default=1.0, help="devicePixelRatio (1 or 2)")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="ms to wait before each action, as a student reading the figure (default 0)",
    )
    parser.add_argument(
        "--baseline",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time the yardstick, a textbook interactive_output plot (default: yes)",
    )
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser bench: skipped (no playwright: pip install -e '.[test]')")
        return 2
    if not Path(chromium).is_file():
        print("browser bench: skipped (no Chromium: apt-get install chromium)")
        return 2
    words = [w.strip() for w in args.only.split(",") if w.strip()]
    lessons = [
        nb
        for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        if not words or any(w in nb.name for w in words)
    ]
    missed: list[str] = []
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        server = LabServer(ROOT / "notebooks", Path(tmp))
        for nb in lessons:  # the floor widget, in the server's copies only
            book = nbformat.read(server.root / nb.name, 4)
            book.cells.append(floor_cell(book))
            nbformat.write(book, server.root / nb.name)
        nbformat.write(baseline_notebook(), server.root / BASELINE_NOTEBOOK)
        baseline = None
        server.start()
        extension = "course_lib.server_extension"
        print(
            f"{extension} (kernel messages without Nagle's delay): "
            + ("on" if server.loaded_extension(extension) else "OFF")
        )
        print(f"pause before each action: {args.pause:.0f} ms")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, headless=True, args=CHROMIUM_FLAGS
                )
                for nb in lessons:
                    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=args.scale)
                    latencies, kinds = measure_lesson(
                        context.new_page(),
                        server.lab_url(nb.name),
                        pause_ms=args.pause,
                    )
                    context.close()
                    server.shutdown_kernels()
                    per_kind = summary(latencies, kinds)
                    missed += report(nb.name, per_kind)
                    _where_the_p90_lies(latencies, kinds)
                    records.append(
                        {
                            "notebook": nb.name,
                            "latency_ms": latencies,
                            "kinds": kinds,
                            "summary": per_kind,
                        }
                    )
                if args.baseline:
                    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=args.scale)
                    baseline = measure_baseline(
                        context.new_page(),
                        server.lab_url(BASELINE_NOTEBOOK),
                    )
                    context.close()
                    server.shutdown_kernels()
                browser.close()
        finally:
            server.stop()
    RESULTS.parent.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    RESULTS.write_text(
        json.dumps(
            {
                "recorded": stamp,
                "device_scale_factor": args.scale,
                "pause_ms": args.pause,
                "lessons": records,
                "baseline_ms": baseline,
            },
            indent=1,
        )
        + "\n"
    )
    overall = [v for r in records for k, v in r["summary"].items() if k != "floor"]
    if overall:
        print(
            f"\nper-lesson medians: {statistics.median(r['median'] for r in overall):.0f} ms "
            f"(median over kinds and lessons); results in {RESULTS.relative_to(ROOT)}"
        )
    if baseline and records:
        print(baseline_line(baseline, records))
    if missed:
        print(f"browser bench: MISSED {len(missed)} target(s):")
        print("\n".join(f"  {m}" for m in missed))
        return 1
    print("browser bench: all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
