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
tests/lab_server.py, the checks' JavaScript in tests/page_checks.py, the lesson's page (its Run
All, its failures with a screenshot, the result files) in tests/lesson_page.py.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from pathlib import Path

import nbformat
import pytest
from commit_probe import time_commit
from lab_server import (
    CELL_ACTIVE_JS,
    KERNEL_IDLE,
    OUTPUT_AREAS,
    LabServer,
)
from latency_probe import (
    controls,
    entry_name,
    floor_cell,
    use_control,
)
from lesson_page import (
    SCREENSHOTS,
    Lesson,
    describe_axe,
    describe_offender,
    lesson_label,
    open_and_run_all,
    record,
    report,
    screenshot_widget_outputs,
    store,
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
AXE_RESULTS = REPO / "bench-results" / "axe.json"
CLIPPING_RESULTS = REPO / "bench-results" / "clipping.json"
# Every lesson (NN_*.ipynb) must have a predict-commit-reveal box; other notebooks (references,
# glossary, a folder given by COURSE_NOTEBOOKS_DIR) are skipped unless COURSE_REQUIRE_PREDICT=1.
REQUIRE_PREDICT = os.environ.get("COURSE_REQUIRE_PREDICT") == "1"
# The page as a student first sees it: JupyterLab's file browser stays open on the left, so at
# 1024x768 a cell's output area is 592 px wide.
VIEWPORTS = {"1024x768": (1024, 768), "1920x1080": (1920, 1080)}
SLIDER_VIEWPORT = (1400, 1000)  # where the sliders are moved (and where Run All happens)
AXE_FAIL_IMPACTS = ("serious", "critical")
MOVES_PER_CONTROL = 5
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


def fail_on_errors(lesson: Lesson, control) -> None:
    """Fail if using ``control`` put an error on the page (an output or the log console)."""
    if errors := lesson.errors():
        lesson.fail(f"{control.kind} {control.name!r}: error:\n" + "\n---\n".join(errors))


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
        # A timeout is reported below, with the choices left.
        with contextlib.suppress(PlaywrightTimeout):
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
