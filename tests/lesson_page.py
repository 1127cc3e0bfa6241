"""One lesson open in JupyterLab for the browser test (tests/test_browser.py): the page, its
Run All, its failures with a screenshot, and the files its results go to
(bench-results/browser_latency.json, axe.json, clipping.json; see that module's docstring)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import statistics
import time
import warnings
from pathlib import Path

import nbformat
import pytest
from lab_server import (
    ERROR_OUTPUTS,
    KERNEL_IDLE,
    LOG_ERRORS_JS,
    NOTEBOOK,
    PENDING,
    WATCH_RUN_JS,
)
from latency_probe import summary

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser test's chromium fixture skips its tests
    PlaywrightTimeout = TimeoutError

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench-results" / "browser_latency.json"
SCREENSHOTS = os.environ.get("COURSE_SCREENSHOTS_DIR")
# Layout and axe problems fail the test unless COURSE_A11Y_REPORT_ONLY=1 (then: printed + warning).
REPORT_ONLY = os.environ.get("COURSE_A11Y_REPORT_ONLY") == "1"
OPEN_TIMEOUT_MS = 60_000  # page, notebook and an idle kernel
RUN_ALL_TIMEOUT_S = 120


def text_of(locator) -> list[str]:
    """textContent of each match: innerText is empty for cells that content-visibility skips
    (JupyterLab's default windowing mode), i.e. for cells scrolled out of view."""
    return locator.evaluate_all("els => els.map(e => e.textContent)")


class Lesson:
    """One notebook open in a fresh browser context; `fail` reports with a screenshot.

    ``run_failure`` is the message of a failed open-and-Run-All (None if it worked): every test
    of the notebook reports it (`require_run`) instead of checking a half-run page.
    """

    def __init__(self, notebook: Path, page, screenshot: Path, copy: Path | None = None) -> None:
        self.notebook, self.page, self.screenshot = notebook, page, screenshot
        self.copy = copy or notebook  # the file the server opens (the floor cell appended)
        self.js_errors: list[str] = []
        self.run_failure: str | None = None
        # Commit buttons' latencies (test_predict_commit_reveal), recorded with the controls'.
        self.latencies: dict[str, list] = {}
        page.on("pageerror", lambda error: self.js_errors.append(f"JavaScript error: {error}"))

    def require_run(self) -> None:
        if self.run_failure is not None:
            pytest.fail(self.run_failure, pytrace=False)

    def resize(self, width: int, height: int) -> None:
        """Set the viewport and let JupyterLab (Lumino) lay the page out again."""
        if self.page.viewport_size != {"width": width, "height": height}:
            self.page.set_viewport_size({"width": width, "height": height})
            # Two frames and 300 ms; a page that paints no frame (seen once in a CI run, where
            # this wait, which has no timeout of its own, hung the suite) goes on after 2 s.
            self.page.evaluate(
                "() => new Promise(done => { setTimeout(done, 2000); "
                "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300))); })"
            )

    def fail(self, message: str, shot: str = "") -> None:
        """Fail the test; the screenshot is named after ``shot`` (e.g. the viewport) if given."""
        path = (
            self.screenshot.with_stem(f"{self.screenshot.stem}-{shot}") if shot else self.screenshot
        )
        self.page.screenshot(path=path)
        extra = "".join(f"\n{error}" for error in self.js_errors[-5:])
        pytest.fail(f"{self.notebook.name}: {message}\n(screenshot: {path}){extra}", pytrace=False)

    def show_cell(self, number: int) -> None:
        """Scroll the output of cell ``number`` (1-based, all cells) to the top of the view."""
        self.page.locator(f"{NOTEBOOK} .jp-Cell").nth(number - 1).locator(
            ".jp-Cell-outputArea"
        ).evaluate("e => e.scrollIntoView({block: 'start'})")
        self.page.wait_for_timeout(200)

    def wait_for(self, js: str, what: str, timeout_ms: float = OPEN_TIMEOUT_MS) -> None:
        """Wait until the JavaScript predicate holds; fail with `what` if it never does."""
        try:
            self.page.wait_for_function(js, timeout=timeout_ms)
        except PlaywrightTimeout:
            self.fail(f"{what} (waited {timeout_ms / 1000:.0f} s)")

    def errors(self) -> list[str]:
        """Text of every error/stderr output, 'Error displaying widget' and log console error."""
        page = self.page
        texts = text_of(page.locator(ERROR_OUTPUTS))
        texts += text_of(page.locator(NOTEBOOK).get_by_text("Error displaying widget"))
        status = page.locator(".jp-LogConsoleStatusItem:not(.lm-mod-hidden)")
        if status.count() and not page.locator(".jp-LogConsolePanel").count():
            status.click()  # opens the log console
            page.wait_for_selector(".jp-LogConsolePanel", timeout=5_000)
        texts += [f"(log console) {text}" for text in page.evaluate(LOG_ERRORS_JS)]
        return [text.strip()[-2000:] for text in texts]


def open_and_run_all(lesson: Lesson, url: str) -> None:
    """Open the notebook, wait for an idle kernel, Run All, wait until every cell has run."""
    page = lesson.page
    page.goto(url, timeout=OPEN_TIMEOUT_MS)
    lesson.wait_for(f"() => !!document.querySelector('{NOTEBOOK}')", "the notebook did not open")
    lesson.wait_for(
        f"() => {KERNEL_IDLE} || !!document.querySelector('.jp-Dialog')", "no idle kernel"
    )
    if page.locator(".jp-Dialog").count():  # e.g. "Select Kernel" when kernelspec is missing
        dialog = " | ".join(page.locator(".jp-Dialog").inner_text().splitlines())
        lesson.fail(f"a dialog opened (is a kernelspec in the metadata?): {dialog}")
    code = [c.source for c in nbformat.read(lesson.copy, 4).cells if c.cell_type == "code"]
    lesson.wait_for(
        f"() => document.querySelectorAll('{NOTEBOOK} .jp-CodeCell').length === {len(code)}",
        f"the page does not show the notebook's {len(code)} code cells",
    )
    page.evaluate(WATCH_RUN_JS)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    if not any(source.strip() for source in code):
        return
    lesson.wait_for("() => window.__courseRunStarted", "Run All did not start a cell", 10_000)
    deadline = time.monotonic() + RUN_ALL_TIMEOUT_S
    settled = 0
    while settled < 2:  # two idle readings in a row, 0.3 s apart
        if time.monotonic() > deadline:
            lesson.fail(f"Run All was not finished after {RUN_ALL_TIMEOUT_S} s")
        done = page.evaluate(f"() => {KERNEL_IDLE} && !({PENDING})")
        settled = settled + 1 if done else 0
        time.sleep(0.3)
    if errors := lesson.errors():
        lesson.fail("error or stderr output after Run All:\n" + "\n---\n".join(errors))
    prompts = text_of(page.locator(f"{NOTEBOOK} .jp-CodeCell .jp-InputPrompt"))
    if missing := [
        number
        for number, (source, prompt) in enumerate(zip(code, prompts, strict=True), start=1)
        if source.strip() and not re.search(r"\[\d+\]", prompt)
    ]:
        lesson.fail(f"code cells {missing} (counting code cells only) did not run")


def record(notebook: Path, browser_version: str, latencies: dict, kinds: dict) -> None:
    """Print a summary and append this run to bench-results/browser_latency.json."""
    print(f"\n{notebook.name}: key press or click -> painted figure, ms")
    for name, values in latencies.items():
        if timed := [v for v in values if v is not None]:
            same = len(values) - len(timed)
            print(
                f"  {kinds[name]:8s} {name:40s} median {statistics.median(timed):7.1f}"
                f"  max {max(timed):7.1f}  (n={len(timed)}"
                + f", {same} unchanged)" * bool(same)
                + ")" * (not same)
            )
    per_kind = summary(latencies, kinds)
    RESULTS.parent.mkdir(exist_ok=True)
    try:
        runs = json.loads(RESULTS.read_text())
    except FileNotFoundError:
        runs = []
    except json.JSONDecodeError:
        RESULTS.replace(RESULTS.with_suffix(".json.corrupt"))  # keep it, start a new file
        runs = []
    runs.append(
        {
            "recorded": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "notebooks_dir": str(notebook.parent),
            "notebook": notebook.name,
            "browser": f"Chromium {browser_version}",
            "measures": "key press or click -> new figure painted (tests/latency_probe.py)",
            "latency_ms": {
                name: [None if v is None else round(v, 1) for v in ms]
                for name, ms in latencies.items()
            },
            "kinds": kinds,
            "summary": {
                kind: {k: round(v, 1) for k, v in row.items()} for kind, row in per_kind.items()
            },
        }
    )
    RESULTS.write_text(json.dumps(runs, indent=1) + "\n")


def lesson_label(notebook: Path) -> str:
    """'lesson 03' for 03_signalling_dynamics.ipynb; the file name for other notebooks."""
    number = re.match(r"(\d+)_", notebook.name)
    return f"lesson {number.group(1)}" if number else notebook.name


def store(path: Path, notebook: Path, viewport: str, value) -> None:
    """Set [notebook][viewport] in the JSON file at ``path`` to value, keeping other entries."""
    path.parent.mkdir(exist_ok=True)
    try:
        data = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        data = {}
    data.setdefault(notebook.name, {})[viewport] = value
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def report(lesson: Lesson, what: str, lines: list[str], shot: str, cell: int | None) -> None:
    """Fail with ``what`` and the lines, the screenshot showing ``cell``; with
    COURSE_A11Y_REPORT_ONLY=1 print them and warn instead."""
    if not lines:
        return
    message = f"{what}:\n" + "\n".join(lines)
    if REPORT_ONLY:
        print(f"\n{lesson.notebook.name}: {message}")
        warnings.warn(
            f"{lesson.notebook.name}: {what} (not failed: COURSE_A11Y_REPORT_ONLY=1)", stacklevel=2
        )
        return
    if cell:
        lesson.show_cell(cell)
    lesson.fail(message, shot)


def screenshot_widget_outputs(lesson: Lesson, viewport: str) -> None:
    """Save the page with each output that holds a widget scrolled to the top of the view."""
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    cells = lesson.page.locator(f"{NOTEBOOK} .jp-Cell")
    numbers = cells.evaluate_all(
        "els => els.map((e, i) => e.querySelector('.jp-OutputArea-output .jupyter-widgets')"
        " ? i + 1 : 0).filter(Boolean)"
    )
    for number in numbers:
        lesson.show_cell(number)
        lesson.page.screenshot(path=folder / f"{lesson.notebook.stem}-{viewport}-cell{number}.png")


def describe_offender(offender: dict) -> str:
    size = (
        ""
        if offender["kind"] == "tooltip"
        else f" ({offender['content']} px in {offender['box']} px)"
    )
    return (
        f"  cell {offender['cell']}: {offender['kind']}: {offender['where']}: "
        f"{offender['text']!r}{size}"
    )


def describe_axe(rule: dict) -> list[str]:
    lines = [f"  {rule['id']} ({rule['impact']}): {rule['help']} [{len(rule['nodes'])} nodes]"]
    for node in rule["nodes"]:
        target = " >> ".join(str(part) for part in node["target"])
        html = " ".join(node["html"].split())[:300]
        place = f"cell {node['cell']}" if node.get("cell") else "cell ?"
        if node.get("widget"):
            place += f", widget {node['widget']!r}"
        lines.append(f"    {place}: {target}\n      {html}")
    return lines
