"""A predict-commit-reveal box's Commit button, timed as tests/latency_probe.py times a control:
from the mouse button going down to the first frame painted after a reveal shows the model's
answer (`course_lib.widgets.predict`). Used by the browser test and `make bench`."""

from __future__ import annotations

import math
import re

from latency_probe import settle
from page_checks import PREDICT_REVEAL

__all__ = ["ARM_REVEAL_JS", "time_commit"]

# Arm the probe on a predict-commit-reveal box: its change is the first reveal with text.
ARM_REVEAL_JS = """(box) => {
    const probe = {start: null, changed: null, painted: null};
    const observer = new MutationObserver(() => {
        if (probe.changed !== null) return;
        const shown = [...box.querySelectorAll('__REVEAL__')].some(
            (r) => r.getClientRects().length && r.textContent.trim());
        if (!shown) return;
        probe.changed = performance.now(); observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => { probe.painted = performance.now(); }, 0));
    });
    observer.observe(box, {subtree: true, childList: true, characterData: true,
                           attributes: true});
    document.addEventListener('mousedown', () => {
        if (probe.start === null) probe.start = performance.now();
    }, {capture: true, once: true});
    window.__courseLatency = probe;
}""".replace("__REVEAL__", PREDICT_REVEAL)


def time_commit(page, box, idle_js: str, timeout_ms: float) -> float:
    """Click the Commit button of a predict-commit-reveal ``box`` whose questions are answered
    (after `latency_probe.CHOICE_SETTLE_MS` and an idle kernel): ms from the click to the
    painted reveal (a `PREDICT_REVEAL` with text); NaN if none was painted within
    ``timeout_ms``."""
    settle(page, idle_js)
    box.evaluate(ARM_REVEAL_JS)
    box.locator("button").filter(has_text=re.compile(r"^\s*Commit")).click(timeout=5_000)
    try:
        page.wait_for_function("() => window.__courseLatency.painted !== null", timeout=timeout_ms)
    except Exception:  # Playwright's TimeoutError
        return math.nan
    probe = page.evaluate("() => window.__courseLatency")
    return probe["painted"] - probe["start"] if probe["start"] is not None else math.nan
