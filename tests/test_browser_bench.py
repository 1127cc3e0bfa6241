"""The browser bench's verdicts and summaries (tools/browser_bench.py), without a browser.

`make bench` fails on what `verdicts` says: these tests pin the rules the issue set (medians
under 60 ms for sliders, toggles and tick boxes, under 100 ms for menus and buttons; p90 under
100 ms; or within 20 ms of a floor that is itself above 40 ms).
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

from latency_probe import FLOOR_CLASS

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("browser_bench", ROOT / "tools/browser_bench.py")
browser_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(browser_bench)


def _missed(per_kind: dict) -> set[tuple[str, str]]:
    return {
        (kind, measure) for kind, measure, _, _, met in browser_bench.verdicts(per_kind) if not met
    }


def test_targets_apply_per_kind_on_a_quick_floor():
    floor = {"n": 5, "median": 35.0, "p90": 45.0}  # under 40 ms: no allowance
    per_kind = {
        "floor": floor,
        "slider": {"n": 10, "median": 59.0, "p90": 99.0},
        "toggle": {"n": 10, "median": 61.0, "p90": 80.0},
        "menu": {"n": 5, "median": 99.0, "p90": 101.0},
    }
    assert _missed(per_kind) == {("toggle", "median"), ("menu", "p90")}


def test_buttons_have_the_menus_targets():
    floor = {"n": 5, "median": 30.0, "p90": 38.0}
    quick = {"floor": floor, "button": {"n": 11, "median": 99.0, "p90": 99.5}}
    slow = {"floor": floor, "button": {"n": 11, "median": 101.0, "p90": 130.0}}
    assert _missed(quick) == set()
    assert _missed(slow) == {("button", "median"), ("button", "p90")}


def test_a_slow_floor_allows_20_ms_over_it():
    floor = {"n": 5, "median": 62.0, "p90": 70.0}
    per_kind = {
        "floor": floor,
        "slider": {"n": 10, "median": 81.0, "p90": 89.0},  # median within 20 ms of the floor
        "toggle": {"n": 10, "median": 83.0, "p90": 105.0},  # over the target and the floor + 20
    }
    assert _missed(per_kind) == {("toggle", "median"), ("toggle", "p90")}


def test_first_actions_are_told_apart_from_later_ones():
    latencies = {
        "dose": [120.0, 50.0, 55.0, None, 60.0],  # None: the picture did not change
        "cell type": [math.nan, 90.0, 70.0],  # NaN: never painted, left out
        "floor": [40.0, 41.0],
    }
    kinds = {"dose": "slider", "cell type": "menu", "floor": "floor"}
    first, later = browser_bench.first_and_later(latencies, kinds)
    assert first == [120.0, 90.0]
    assert later == [50.0, 55.0, 60.0, 70.0]


def test_the_yardstick_line_compares_medians_with_the_course():
    # the course's first action on each control, then its later ones; None and NaN not timed
    records = [
        {
            "latency_ms": {"a": [30.0, 10.0, None], "b": [50.0, math.nan, 20.0], "floor": [5.0]},
            "kinds": {"a": "slider", "b": "toggle", "floor": "floor"},
        },
        {"latency_ms": {"c": [40.0, 15.0]}, "kinds": {"c": "menu"}},
    ]
    baseline = {"baseline": [90.0, 120.0, math.nan, 80.0], "floor": [20.0, 24.0, None]}
    line = browser_bench.baseline_line(baseline, records)
    # yardstick median 90 (p90 120); course first actions 30, 50, 40 -> 40 (2.2x);
    # all actions 30, 10, 50, 20, 40, 15 -> 25 (3.6x); the yardstick's floor 22
    assert "median 90 ms, p90 120 ms (floor 22 ms" in line
    assert "first actions 40 ms (2.2x faster)" in line
    assert "all its actions 25 ms (3.6x faster)" in line


def test_the_yardstick_notebook_is_a_slider_and_a_plot_beside_the_floor():
    book = browser_bench.baseline_notebook()
    assert book.metadata.kernelspec.name == "python3"  # no "Select Kernel" dialog
    first, floor = (cell.source for cell in book.cells)
    assert "interactive_output(plot" in first and browser_bench.BASELINE_CLASS in first
    assert "plt.show()" in first  # a new figure, drawn and sent whole, at every move
    assert f'_dom_classes=["{FLOOR_CLASS}"]' in floor
