"""Every lesson notebook in a real browser: JupyterLab + headless Chromium, driven by Playwright.

Each notebook (a temporary copy) is opened and run with Run > Run All Cells. It must finish with
every code cell run and no error or stderr output: not in a cell, not in the log console (where
an exception in a widget callback lands), no "Error displaying widget" and no dialog. Then every
slider is moved with the arrow keys five times, back and forth, and each move must put a new
figure (an img with a new src) into the slider's cell output. The time from key press to new
image is printed and appended to bench-results/browser_latency.json; no threshold is asserted
(the machine is noisy).

The same run (each notebook is opened and run once; every test below uses it) is also checked
at two viewports, 1024x768 and 1920x1080:
- layout: no clipped text or overflowing widget in the course's outputs (a label or button whose
  text is cut off, a dropdown whose choice does not fit, an output that scrolls sideways, an img
  wider than its container, a tooltip that says "null"), checked again with every folded
  section ("Describe the figure", "Scenarios") open; the offenders go to
  bench-results/clipping.json;
- accessibility: axe-core (vendored, tests/vendor/axe-core/) on the output areas with the WCAG
  2.0/2.1/2.2 A and AA rules; fails on serious or critical violations; the full result (every
  impact, and what axe could not decide) goes to bench-results/axe.json.
And every predict-commit-reveal box (.course-predict) is answered and committed; its reveal must
show text and its choices must lock.

Environment variables: COURSE_NOTEBOOKS_DIR (default: the repo's notebooks/), COURSE_CHROMIUM
(default: ``chromium`` on PATH, else /usr/bin/chromium), COURSE_SCREENSHOTS_DIR (if set, a
screenshot of every output with a widget, at both viewports, is saved there),
COURSE_A11Y_REPORT_ONLY=1 (layout and axe problems are printed and warned about, not failed)
and COURSE_REQUIRE_PREDICT=1 (a notebook that is not a lesson also fails without a
predict-commit-reveal widget; a lesson always does). The JupyterLab selectors live in
tests/lab_server.py, the checks' JavaScript in tests/page_checks.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import re
import statistics
import time
import warnings
from pathlib import Path

import nbformat
import pytest
from commit_probe import time_commit
from lab_server import (
    CELL_ACTIVE_JS,
    ERROR_OUTPUTS,
    KERNEL_IDLE,
    LOG_ERRORS_JS,
    NOTEBOOK,
    OUTPUT_AREAS,
    PENDING,
    WATCH_RUN_JS,
    LabServer,
)
from latency_probe import (
    controls,
    entry_name,
    floor_cell,
    summary,
    use_control,
)
from page_checks import (
    AXE_RUN_JS,
    AXE_SCRIPT,
    AXE_TAGS,
    CLIPPING_JS,
    FOLD_BACK_JS,
    PREDICT_BOX,
    PREDICT_CHOICES,
    PREDICT_QUESTIONS,
    PREDICT_REVEAL,
    UNFOLD_ALL_JS,
    answer_question,
)

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the chromium fixture skips the tests
    PlaywrightTimeout = TimeoutError

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = Path(os.environ.get("COURSE_NOTEBOOKS_DIR") or REPO / "notebooks")
RESULTS = REPO / "bench-results" / "browser_latency.json"
AXE_RESULTS = REPO / "bench-results" / "axe.json"
CLIPPING_RESULTS = REPO / "bench-results" / "clipping.json"
SCREENSHOTS = os.environ.get("COURSE_SCREENSHOTS_DIR")
# Layout and axe problems fail the test unless COURSE_A11Y_REPORT_ONLY=1 (then: printed + warning).
REPORT_ONLY = os.environ.get("COURSE_A11Y_REPORT_ONLY") == "1"
# Every lesson (NN_*.ipynb) must have a predict-commit-reveal box; other notebooks (references,
# glossary, a folder given by COURSE_NOTEBOOKS_DIR) are skipped unless COURSE_REQUIRE_PREDICT=1.
REQUIRE_PREDICT = os.environ.get("COURSE_REQUIRE_PREDICT") == "1"
# The page as a student first sees it: JupyterLab's file browser stays open on the left, so at
# 1024x768 a cell's output area is 592 px wide.
VIEWPORTS = {"1024x768": (1024, 768), "1920x1080": (1920, 1080)}
SLIDER_VIEWPORT = (1400, 1000)  # where the sliders are moved (and where Run All happens)
AXE_FAIL_IMPACTS = ("serious", "critical")
MOVES_PER_CONTROL = 5
OPEN_TIMEOUT_MS = 60_000  # page, notebook and an idle kernel
RUN_ALL_TIMEOUT_S = 120
FIGURE_TIMEOUT_MS = 10_000


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
def lab(chromium, tmp_path_factory):
    """A JupyterLab server on a copy of the notebooks folder, for the whole session."""
    server = LabServer(NOTEBOOKS, tmp_path_factory.mktemp("jupyterlab"))
    try:
        server.start(timeout=60)
        yield server
    finally:
        server.stop()


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
            self.page.evaluate(
                "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame("
                "() => setTimeout(done, 300))))"
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


@pytest.fixture(scope="module", params=_lesson_params())
def notebook(request) -> Path:
    """Each notebook; module scope, so pytest runs all of a notebook's tests one after another
    on the one `lesson` page before it opens the next notebook."""
    return request.param


@pytest.fixture(scope="module")
def lesson(notebook, browser, lab, tmp_path_factory):
    """The notebook opened and run (Run All) once, for all of its tests."""
    width, height = SLIDER_VIEWPORT
    context = browser.new_context(viewport={"width": width, "height": height})
    shots = tmp_path_factory.mktemp(notebook.stem)
    copy = lab.root / notebook.name
    book = nbformat.read(copy, 4)
    book.cells.append(floor_cell(book))
    nbformat.write(book, copy)
    lesson = Lesson(notebook, context.new_page(), shots / f"{notebook.stem}.png", copy)
    try:
        open_and_run_all(lesson, lab.lab_url(notebook.name))
    except pytest.fail.Exception as failure:
        lesson.run_failure = str(failure)
    yield lesson
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


def fail_on_errors(lesson: Lesson, control) -> None:
    """Fail if using ``control`` put an error on the page (an output or the log console)."""
    if errors := lesson.errors():
        lesson.fail(f"{control.kind} {control.name!r}: error:\n" + "\n---\n".join(errors))


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
            "notebooks_dir": str(NOTEBOOKS),
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


def check_predict_commit_reveal(lesson: Lesson) -> None:
    """Answer and commit every predict-commit-reveal box of the lesson.

    For each .course-predict box: pick an option in every question, click the button whose
    text starts with "Commit", then the box must show a .course-predict-reveal with text (the
    model's answer) and every choice must be disabled. A lesson without such a box is skipped,
    or fails with COURSE_REQUIRE_PREDICT=1.
    """
    page = lesson.page
    boxes = page.locator(PREDICT_BOX)
    if not boxes.count():
        message = f"{lesson_label(lesson.notebook)} has no predict-commit-reveal widget"
        if REQUIRE_PREDICT or re.match(r"^\d\d_", Path(lesson.notebook).name):
            lesson.fail(f"{message} (no element with the class course-predict)")
        pytest.skip(f"{message} (COURSE_REQUIRE_PREDICT=1 makes this a failure)")
    problems = []
    for index in range(boxes.count()):
        box, name = boxes.nth(index), f"predict box {index + 1}"
        box.scroll_into_view_if_needed()
        questions = box.locator(PREDICT_QUESTIONS)
        if not questions.count():
            problems.append(f"{name}: no question to answer (nothing matches {PREDICT_QUESTIONS})")
            continue
        chosen = [answer_question(questions.nth(n)) for n in range(questions.count())]
        if None in chosen:
            problems.append(f"{name}: question {chosen.index(None) + 1} offers nothing to choose")
            continue
        # By text, not accessible name: an icon (e.g. fa-lock) puts a glyph before the words.
        commit = box.locator("button").filter(has_text=re.compile(r"^\s*Commit"))
        if commit.count() != 1:
            problems.append(f"{name}: {commit.count()} buttons whose text starts with 'Commit'")
            continue
        latency = time_commit(page, box, KERNEL_IDLE, FIGURE_TIMEOUT_MS)
        if math.isnan(latency):
            problems.append(
                f"{name}: after choosing {chosen} and Commit, no {PREDICT_REVEAL} with text "
                f"appeared within {FIGURE_TIMEOUT_MS / 1000:.0f} s"
            )
            continue
        lesson.latencies[f"Commit ({name})"] = [latency]
        # The locks follow the reveal in a message of their own (predict.py sends the answer
        # first): on a loaded machine they may land a moment after the reveal is painted.
        # A timeout (Playwright's TimeoutError) is reported below, with the choices left.
        with contextlib.suppress(Exception):
            page.wait_for_function(
                "([box, questions, choices]) => [...box.querySelectorAll(questions)]"
                ".every(q => [...q.querySelectorAll(choices)].every(e => e.disabled))",
                arg=[box.element_handle(), PREDICT_QUESTIONS, PREDICT_CHOICES],
                timeout=FIGURE_TIMEOUT_MS,
            )
        if enabled := questions.locator(PREDICT_CHOICES).evaluate_all(
            "els => els.filter(e => !e.disabled)"
            ".map(e => (e.textContent || e.value || e.tagName).trim())"
        ):
            problems.append(f"{name}: choices still enabled after Commit: {enabled}")
    if errors := lesson.errors():
        problems.append("error output after Commit:\n" + "\n---\n".join(errors))
    if problems:
        lesson.fail(f"{lesson_label(lesson.notebook)}: " + "\n".join(problems))


@pytest.mark.browser
def test_the_server_sends_kernel_messages_without_nagle(lab):
    # The latencies below are what a student gets only if the course's server extension is on
    # (make's set-up or the wheel enables it; see course_lib/server_extension.py).
    log = lab.log_path.read_text(encoding="utf-8", errors="replace")
    assert "course_lib.server_extension | extension was successfully loaded" in log, (
        "JupyterLab did not load course_lib.server_extension: is "
        "etc/jupyter/jupyter_server_config.d/course_lib.server_extension.json in the venv? "
        f"(make lab copies it)\n{lab.log_tail()}"
    )
    assert "kernel WebSockets send without Nagle's delay" in log


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_outputs_not_clipped(notebook, lesson, viewport):
    lesson.require_run()
    lesson.resize(*VIEWPORTS[viewport])
    offenders = lesson.page.evaluate(CLIPPING_JS)
    # ... and inside every folded section, opened for the check and closed again after it
    if lesson.page.evaluate(UNFOLD_ALL_JS):
        lesson.page.wait_for_timeout(500)  # the opened sections are laid out
        try:
            offenders += [o for o in lesson.page.evaluate(CLIPPING_JS) if o not in offenders]
        finally:
            lesson.page.evaluate(FOLD_BACK_JS)
    store(CLIPPING_RESULTS, notebook, viewport, offenders)
    if SCREENSHOTS:
        screenshot_widget_outputs(lesson, viewport)
    report(
        lesson,
        f"{len(offenders)} clipped or overflowing things in the outputs at {viewport}",
        [describe_offender(offender) for offender in offenders],
        f"clipping-{viewport}",
        next((o["cell"] for o in offenders if o["kind"] != "tooltip"), None),
    )


@pytest.mark.browser
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_outputs_pass_axe(notebook, lesson, viewport):
    lesson.require_run()
    lesson.resize(*VIEWPORTS[viewport])
    page = lesson.page
    if not page.locator(OUTPUT_AREAS).count():
        store(AXE_RESULTS, notebook, viewport, {"tags": AXE_TAGS, "outputs": 0})
        return  # no code cell: nothing of the course's to check (axe refuses an empty context)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(AXE_RUN_JS)
    store(AXE_RESULTS, notebook, viewport, {"tags": AXE_TAGS, **result})
    failing = [rule for rule in result["violations"] if rule["impact"] in AXE_FAIL_IMPACTS]
    report(
        lesson,
        f"axe {result['axe']} at {viewport}: {len(failing)} serious or critical WCAG A/AA "
        f"rules violated in the outputs (all impacts: {AXE_RESULTS})",
        [line for rule in failing for line in describe_axe(rule)],
        f"axe-{viewport}",
        next((node["cell"] for rule in failing for node in rule["nodes"] if node["cell"]), None),
    )


@pytest.mark.browser
def test_predict_commit_reveal(notebook, lesson):
    lesson.require_run()
    if not re.match(r"\d+_", notebook.name) and not lesson.page.locator(PREDICT_BOX).count():
        pytest.skip(f"{notebook.name} is not a lesson")
    lesson.resize(*SLIDER_VIEWPORT)
    check_predict_commit_reveal(lesson)


def _becomes_active(page, area, timeout_ms: float = 3000) -> bool:
    """Whether the notebook cell holding ``area`` is (or within ``timeout_ms`` becomes) the
    active cell."""
    handle = area.element_handle()
    try:
        page.wait_for_function(CELL_ACTIVE_JS, arg=handle, timeout=timeout_ms)
    except Exception:  # Playwright's TimeoutError
        return False
    return True


@pytest.mark.browser
def test_lesson_runs_and_controls_redraw(notebook, lesson, browser):
    lesson.require_run()
    lesson.resize(*SLIDER_VIEWPORT)
    if must_say := _window_statements().get(notebook.name):  # before any control moves
        alts = lesson.page.eval_on_selector_all(
            "img.course-figure", "els => els.map(e => e.getAttribute('alt') || '')"
        )
        if not any(must_say in alt for alt in alts):
            lesson.fail(f"no figure description says {must_say!r}; descriptions: {alts}")
    # The page told each figure its devicePixelRatio (widgets._panel.PIXEL_RATIO_SCRIPT): the
    # image has that many pixels per CSS pixel (1 here), not the 2x drawn before it knew.
    sizes = lesson.page.eval_on_selector_all(
        "img.course-figure:not(.course-figure-ahead *)",  # shown (not kept for later: _recall)
        "els => els.map(e => [e.naturalWidth, +e.getAttribute('width'), devicePixelRatio])",
    )
    if wrong := [s for s in sizes if abs(s[0] - s[1] * s[2]) > 1]:
        lesson.fail(f"figures not drawn at the page's pixel ratio [pixels, CSS px, ratio]: {wrong}")
    areas = lesson.page.locator(OUTPUT_AREAS)
    found = controls(lesson.page, OUTPUT_AREAS)
    if not any(c.floor for c in found):
        lesson.fail("the floor widget (tests/latency_probe.py) is not on the page")
    # The Commit buttons timed by test_predict_commit_reveal, then every control here.
    latencies: dict[str, list] = dict(lesson.latencies)
    kinds: dict[str, str] = dict.fromkeys(latencies, "button")
    redrawn: dict[int, bool] = {}  # per explorer (output area): did any action paint a figure?
    problems = []
    try:
        for control in found:
            name, kind = entry_name(control, latencies)
            kinds[name] = kind
            latencies[name], problem = use_control(
                lesson.page,
                areas,
                control,
                MOVES_PER_CONTROL,
                KERNEL_IDLE,
                FIGURE_TIMEOUT_MS,
                check=lambda c=control: fail_on_errors(lesson, c),
            )
            if problem:
                problems.append(problem)
            # The first click in an explorer selects its cell after the figure (see
            # widgets._first_click): the cell must still end up active, as JupyterLab makes it.
            if (
                control.kind != "menu"
                and not control.floor
                and not _becomes_active(lesson.page, areas.nth(control.area))
            ):
                problems.append(f"{name}: its cell never became the active cell")
            painted = any(v is not None for v in latencies[name])
            redrawn[control.area] = redrawn.get(control.area, False) or painted
    finally:
        if any(latencies.values()):
            record(notebook, browser.version, latencies, kinds)
    problems += [
        f"no action on the explorer in output {a + 1} changed its figure"
        for a, done in redrawn.items()
        if not done
    ]
    if problems:
        lesson.fail("\n".join(problems))
