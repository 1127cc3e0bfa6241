"""Every lesson notebook in a real browser: JupyterLab + headless Chromium, driven by Playwright.

Each notebook (a temporary copy) is opened and run with Run > Run All Cells. It must finish with
every code cell run and no error or stderr output: not in a cell, not in the log console (where
an exception in a widget callback lands), no "Error displaying widget" and no dialog. Then every
slider is moved with the arrow keys five times, back and forth, and each move must put a new
figure (an img with a new src) into the slider's cell output. The time from key press to new
image is printed and appended to bench-results/browser_latency.json; no threshold is asserted
(the machine is noisy).

Environment variables: COURSE_NOTEBOOKS_DIR (default: the repo's notebooks/) and COURSE_CHROMIUM
(default: ``chromium`` on PATH, else /usr/bin/chromium). The JupyterLab selectors live in
tests/lab_server.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import statistics
import time
from pathlib import Path

import nbformat
import pytest
from lab_server import (
    CHROMIUM_FLAGS,
    ERROR_OUTPUTS,
    KERNEL_IDLE,
    LOG_ERRORS_JS,
    NOTEBOOK,
    PENDING,
    SLIDERS,
    WATCH_RUN_JS,
    LabServer,
)

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the chromium fixture skips the tests
    PlaywrightTimeout = TimeoutError

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = Path(os.environ.get("COURSE_NOTEBOOKS_DIR") or REPO / "notebooks")
CHROMIUM = os.environ.get("COURSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
RESULTS = REPO / "bench-results" / "browser_latency.json"
MOVES_PER_SLIDER = 5
OPEN_TIMEOUT_MS = 60_000  # page, notebook and an idle kernel
RUN_ALL_TIMEOUT_S = 120
FIGURE_TIMEOUT_MS = 10_000

# Arm a probe on the slider's cell output area: remember every img src shown now and record
# performance.now() when an img with another src first appears (the course's HTML widgets
# replace the whole <img>; Output widgets replace their image output) and when the key goes down.
ARM_PROBE_JS = """(slider) => {
    const area = slider.closest('.jp-Cell-outputArea') || slider.closest('.jp-OutputArea');
    const before = new Set([...area.querySelectorAll('img')].map(img => img.src));
    const probe = {keydown: null, changed: null};
    const observer = new MutationObserver(() => {
        if ([...area.querySelectorAll('img')].some(img => img.src && !before.has(img.src))) {
            probe.changed = performance.now();
            observer.disconnect();
        }
    });
    observer.observe(area, {subtree: true, childList: true, attributes: true,
                            attributeFilter: ['src']});
    slider.querySelector('.noUi-handle').addEventListener(
        'keydown', () => { probe.keydown = performance.now(); }, {capture: true, once: true});
    window.__courseProbe = probe;
    return before.size;
}"""
FIGURE_OR_ERROR_JS = (
    f"() => window.__courseProbe.changed !== null || !!document.querySelector('{ERROR_OUTPUTS}')"
)


def _window_statements() -> dict[str, str]:
    """What the figure descriptions of lessons 04, 05 and 07 must say at their defaults: that
    in blood sgp130Fc blocks trans-signalling and spares classic signalling (with the model's
    numbers)."""
    from course_lib._text import format_number as f
    from course_lib.models.mouse import signals
    from course_lib.models.prevention import selectivity_window
    from course_lib.models.selectivity import compare_settings

    low, _ = compare_settings("mouse (DEN/TCPOBOP)", 30.0).window_ug_ml("blood")
    tg = signals(genotype="sgp130Fc transgenic")
    trans, classic = f(round(tg.hepatocyte_trans[0], 2)), f(round(tg.hepatocyte_classic[0], 2))
    p_low, p_high = selectivity_window()
    return {
        "04_sgp130fc_mechanism.ipynb": f"in blood the hatched window spans from {f(low)} to",
        "05_il6_and_liver_cancer.ipynb": (
            f"sgp130Fc transgenic: hepatocyte trans {trans}, hepatocyte classic {classic}"
        ),
        "07_capstone.ipynb": f"inside the window of {f(p_low)} to {f(p_high)} µg/mL",
    }


def _lesson_params() -> list:
    found = sorted(NOTEBOOKS.glob("*.ipynb")) if NOTEBOOKS.is_dir() else []
    if not found:
        where = "has no *.ipynb" if NOTEBOOKS.is_dir() else "does not exist"
        reason = f"no notebooks to test: {NOTEBOOKS} {where}"
        return [pytest.param(None, id="no-notebooks", marks=pytest.mark.skip(reason=reason))]
    return [pytest.param(path, id=path.name) for path in found]


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary; skips the browser tests when it or Playwright is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        pytest.skip(f"playwright cannot be imported ({error}): pip install playwright")
    if not Path(CHROMIUM).is_file():
        pytest.skip(
            f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install chromium) "
            "to run the browser tests (or set COURSE_CHROMIUM to its path)"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def lab(chromium, tmp_path_factory):
    """A JupyterLab server on a copy of the notebooks folder, for the whole session."""
    server = LabServer(NOTEBOOKS, tmp_path_factory.mktemp("jupyterlab"))
    try:
        server.start(timeout=60)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


def text_of(locator) -> list[str]:
    """textContent of each match: innerText is empty for cells that content-visibility skips
    (JupyterLab's default windowing mode), i.e. for cells scrolled out of view."""
    return locator.evaluate_all("els => els.map(e => e.textContent)")


class Lesson:
    """One notebook open in a fresh browser context; `fail` reports with a screenshot."""

    def __init__(self, notebook: Path, page, screenshot: Path) -> None:
        self.notebook, self.page, self.screenshot = notebook, page, screenshot
        self.js_errors: list[str] = []
        page.on("pageerror", lambda error: self.js_errors.append(f"JavaScript error: {error}"))

    def fail(self, message: str) -> None:
        self.page.screenshot(path=self.screenshot)
        extra = "".join(f"\n{error}" for error in self.js_errors[-5:])
        pytest.fail(
            f"{self.notebook.name}: {message}\n(screenshot: {self.screenshot}){extra}",
            pytrace=False,
        )

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


@pytest.fixture
def lesson(request, browser, lab, tmp_path):
    notebook = request.node.callspec.params["notebook"]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield Lesson(notebook, context.new_page(), tmp_path / f"{notebook.stem}.png")
    context.close()
    lab.shutdown_kernels()  # one kernel at a time keeps memory and CPU use flat


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
    code = [c.source for c in nbformat.read(lesson.notebook, 4).cells if c.cell_type == "code"]
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


def move_slider(lesson: Lesson, slider, name: str, latencies: list[float]) -> str | None:
    """Move one slider back and forth; append latencies (ms); return a problem or None."""
    page = lesson.page
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").first
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    keys = ["ArrowLeft", "ArrowRight"] if at_max else ["ArrowRight", "ArrowLeft"]
    for move in range(MOVES_PER_SLIDER):
        key = keys[move % 2]
        if slider.evaluate(ARM_PROBE_JS) == 0:
            return f"slider {name!r} in {lesson.notebook.name} has no figure to update"
        value = handle.get_attribute("aria-valuenow")
        handle.focus()
        page.keyboard.press(key)
        try:
            page.wait_for_function(FIGURE_OR_ERROR_JS, timeout=FIGURE_TIMEOUT_MS)
            timed_out = False
        except PlaywrightTimeout:
            timed_out = True
        if errors := lesson.errors():
            lesson.fail(f"slider {name!r}: error after {key}:\n" + "\n---\n".join(errors))
        if timed_out:
            after = handle.get_attribute("aria-valuenow")
            return (
                f"slider {name!r}: no new figure {FIGURE_TIMEOUT_MS / 1000:.0f} s after {key} "
                f"(move {move + 1}; slider position {value} -> {after})"
            )
        probe = page.evaluate("() => window.__courseProbe")
        if probe["keydown"] is None:  # cannot happen unless focus was stolen
            return f"slider {name!r}: the key press did not reach the slider handle"
        latencies.append(probe["changed"] - probe["keydown"])
        # Let the kernel finish (e.g. the figure's text) so the next move is not queued.
        lesson.wait_for(f"() => {KERNEL_IDLE}", f"kernel busy after moving {name!r}")
    return None


def slider_names(page) -> list[str]:
    """Each slider's description (its .widget-label), else its number; made unique."""
    labels = page.locator(SLIDERS).evaluate_all(
        "els => els.map(e => (e.querySelector('.widget-label')?.textContent || '').trim())"
    )
    names = []
    for number, label in enumerate(labels, start=1):
        name = label or f"slider #{number}"
        names.append(name if name not in names else f"{name} (#{number})")
    return names


def record(notebook: Path, browser_version: str, latencies: dict[str, list[float]]) -> None:
    """Print a summary and append this run to bench-results/browser_latency.json."""
    print(f"\n{notebook.name}: slider -> new figure in the page, ms ({MOVES_PER_SLIDER} moves)")
    for name, values in latencies.items():
        if values:
            print(
                f"  {name:40s} median {statistics.median(values):7.1f}"
                f"  min {min(values):7.1f}  max {max(values):7.1f}  (n={len(values)})"
            )
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
            "notebooks_dir": str(NOTEBOOKS),
            "notebook": notebook.name,
            "browser": f"Chromium {browser_version}",
            "latency_ms": {name: [round(v, 1) for v in ms] for name, ms in latencies.items()},
        }
    )
    RESULTS.write_text(json.dumps(runs, indent=1) + "\n")


@pytest.mark.browser
@pytest.mark.parametrize("notebook", _lesson_params())
def test_lesson_runs_and_sliders_redraw(notebook, lab, lesson, browser):
    open_and_run_all(lesson, lab.lab_url(notebook.name))
    if must_say := _window_statements().get(notebook.name):  # before any slider moves
        alts = lesson.page.eval_on_selector_all(
            "img.course-figure", "els => els.map(e => e.getAttribute('alt') || '')"
        )
        if not any(must_say in alt for alt in alts):
            lesson.fail(f"no figure description says {must_say!r}; descriptions: {alts}")
    sliders = lesson.page.locator(SLIDERS)
    latencies: dict[str, list[float]] = {}
    problems = []
    try:
        for index, name in enumerate(slider_names(lesson.page)):
            if sliders.nth(index).locator(".noUi-target[disabled]").count():
                continue  # a setting that does not apply now (lesson 05: no treatment)
            latencies[name] = []
            if problem := move_slider(lesson, sliders.nth(index), name, latencies[name]):
                problems.append(problem)
    finally:
        if any(latencies.values()):
            record(notebook, browser.version, latencies)
    if problems:
        lesson.fail("\n".join(problems))
