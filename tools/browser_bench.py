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
answers, `course_lib.widgets._recall`): the p90s lie among the first.

    python tools/browser_bench.py                 # every lesson
    python tools/browser_bench.py --only 03,05    # lessons whose file name contains a word
    python tools/browser_bench.py --scale 2       # a 2x high-DPI screen (devicePixelRatio 2)
    python tools/browser_bench.py --pause 1500    # a student who reads 1.5 s before each action

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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import nbformat  # noqa: E402
from commit_probe import time_commit  # noqa: E402
from lab_server import (  # noqa: E402
    CHROMIUM_FLAGS,
    KERNEL_IDLE,
    NOTEBOOK,
    OUTPUT_AREAS,
    PENDING,
    WATCH_RUN_JS,
    LabServer,
)
from latency_probe import (  # noqa: E402
    FLOOR_ALLOWANCE,
    FLOOR_ALLOWANCE_ABOVE,
    KIND_TARGETS,
    P90_TARGET,
    controls,
    entry_name,
    floor_cell,
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


def _run_all(page, copy: Path) -> None:
    """Open state to every cell run: wait for the kernel, Run All, wait until settled."""
    page.wait_for_function(
        f"() => !!document.querySelector('{NOTEBOOK}') && {KERNEL_IDLE}", timeout=60_000
    )
    cells = sum(c.cell_type == "code" for c in nbformat.read(copy, 4).cells)
    page.wait_for_function(
        f"() => document.querySelectorAll('{NOTEBOOK} .jp-CodeCell').length === {cells}"
    )
    page.evaluate(WATCH_RUN_JS)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.wait_for_function("() => window.__courseRunStarted", timeout=10_000)
    settled, deadline = 0, time.monotonic() + 180
    while settled < 3 and time.monotonic() < deadline:
        settled = settled + 1 if page.evaluate(f"() => {KERNEL_IDLE} && !({PENDING})") else 0
        time.sleep(0.3)


def measure_lesson(
    page, url: str, copy: Path, pause_ms: float = 0.0
) -> tuple[dict[str, list], dict[str, str]]:
    """Every control of the lesson at ``url``: {name: latencies (ms, None = unchanged)}, kinds;
    ``pause_ms`` before each action (`latency_probe.use_control`)."""
    page.goto(url, timeout=60_000)
    _run_all(page, copy)
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
                        server.root / nb.name,
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
    if missed:
        print(f"browser bench: MISSED {len(missed)} target(s):")
        print("\n".join(f"  {m}" for m in missed))
        return 1
    print("browser bench: all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
