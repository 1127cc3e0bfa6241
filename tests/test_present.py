"""Presenter mode (`make present`): the tags in the notebooks, and every lesson served by Voila.

The fast tests check the cell tags (tools/present_tags.py): up to date, on every explorer, and
what presenter mode shows of each lesson (no code, no print-out, no text about code cells or the
exercise notebooks). The browser test serves notebooks/ as tools/present.py does and opens each
lesson in headless Chromium: no request answered 404 (or any error), every link on the page
answers, no error output, every slider redraws its figure, nothing in the outputs is clipped
or overflows at the projector's 1920 x 1080 (the checks of tests/test_browser.py, which allow
for presenter mode's CSS zoom), axe finds no serious or critical WCAG A/AA problem there, and
once the page is closed no kernel is left running.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import nbformat
import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the chromium fixture skips the browser test
    PlaywrightTimeout = TimeoutError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import present_tags as tags  # noqa: E402  (tools/present_tags.py)
from page_checks import AXE_SCRIPT, axe_run_js, clipping_js  # noqa: E402  (tests/page_checks.py)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LESSONS = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]


def _shown(path: Path):
    nb = nbformat.read(path, as_version=4)
    nb, _ = tags.PresentPreprocessor().preprocess(nb, {})
    return [c for c in nb.cells if not c.metadata.get(tags.HIDDEN)]


def test_tags_are_up_to_date():
    assert tags.main(["--check", *map(str, NOTEBOOKS)]) == 0, (
        "cell tags out of date: run python tools/present_tags.py"
    )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem[:2])
def test_every_explorer_cell_is_in_presenter_mode(path):
    nb = nbformat.read(path, as_version=4)
    explorers = tags.explorer_cells(nb)
    assert explorers, f"{path.name}: no explorer cell found"
    untagged = [i for i in explorers if tags.PRESENT not in nb.cells[i].metadata.get("tags", [])]
    assert not untagged, f"{path.name}: explorer cells {untagged} lack the {tags.PRESENT!r} tag"
    tagged = [i for i, c in enumerate(nb.cells) if tags.PRESENT in c.metadata.get("tags", [])]
    assert len(tagged) > len(explorers), f"{path.name}: no markdown cell in presenter mode"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem[:2])
def test_presenter_mode_shows_no_code_talk(path):
    shown = _shown(path)
    code = [c.source.strip().splitlines()[-1] for c in shown if c.cell_type == "code"]
    assert all(re.match(r'^\w+\.\w+\((preset="[\w-]+")?\)$', line) for line in code), code
    text = "\n\n".join(c.source for c in shown if c.cell_type == "markdown")
    for phrase in ("next cell", "cell below", "in code", "`", "../exercises", "print"):
        assert phrase not in text, f"{path.name}: presenter mode says {phrase!r}"
    assert shown[0].source.startswith("# "), f"{path.name}: presenter mode lost the title"


def test_reference_pages_are_shown_whole():
    for name in ("glossary.ipynb", "references.ipynb"):
        path = ROOT / "notebooks" / name
        original = [c.source for c in nbformat.read(path, as_version=4).cells]
        assert [c.source for c in _shown(path)] == original


def test_markdown_is_cut_before_code_talk():
    source = "## 3. X (5 min)\n\nProse.\n\n<details><summary>B</summary>\n\nx\n\n</details>\n\nY"
    assert tags.presentable_blocks(source) == ["## 3. X (5 min)", "Prose."]
    assert tags.present_markdown("**Explore.**\n\nRun the next cell:") == ""


# --- The lessons in Voila, in a browser --------------------------------------------------

# COURSE_SCREENSHOTS_DIR: if set, the top of each page and each explorer (1920x1080) are saved.
SCREENSHOTS = os.environ.get("COURSE_SCREENSHOTS_DIR")
FIGURE_TIMEOUT_MS = 15_000
OPEN_TIMEOUT_MS = 180_000
KERNEL_GONE_S = 30
SLIDERS = ".widget-slider"
PAGE = "#rendered_cells"  # Voila's cells
ERRORS = (
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'
)
ARM_JS = """(slider) => {
    const area = slider.closest('.course-explorer') || slider.closest('.jp-OutputArea');
    const before = new Set([...area.querySelectorAll('img')].map(img => img.src));
    window.__presentChanged = false;
    const observer = new MutationObserver(() => {
        if ([...area.querySelectorAll('img')].some(img => img.src && !before.has(img.src))) {
            window.__presentChanged = true;
            observer.disconnect();
        }
    });
    observer.observe(area, {subtree: true, childList: true, attributes: true,
                            attributeFilter: ['src']});
    return before.size;
}"""
LINKS_JS = """() => [...document.querySelectorAll('#rendered_cells a[href]')]
    .map(a => a.href).filter(h => h.startsWith(location.origin))"""


@pytest.fixture(scope="module")
def voila(chromium, tmp_path_factory):
    from voila_server import VoilaServer

    # Culling as in tools/present.py, with shorter times so that the test does not wait minutes.
    server = VoilaServer(tmp_path_factory.mktemp("voila"), cull_after=5, cull_interval=2)
    server.start()
    yield server
    server.stop()


def _page_errors(page) -> list[str]:
    texts = page.locator(ERRORS).all_text_contents()
    body = page.locator("body").inner_text()
    if "Error displaying widget" in body:
        texts.append("Error displaying widget")
    return texts


@pytest.mark.browser
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem[:2])
def test_lesson_in_presenter_mode(path, voila, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    failed: list[str] = []
    page.on(
        "response",
        lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    # Only the icon font of Voila's template comes from a CDN: no network here, no icons.
    page.route(
        re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort("internetdisconnected")
    )
    try:
        page.goto(voila.url(path.name), timeout=OPEN_TIMEOUT_MS)
        page.wait_for_selector("#rendered_cells", state="visible", timeout=OPEN_TIMEOUT_MS)
        page.wait_for_selector(".course-explorer img", timeout=OPEN_TIMEOUT_MS)
        assert not page.locator(".jp-CodeCell .jp-InputArea").count(), "code is shown"
        if SCREENSHOTS:
            folder = Path(SCREENSHOTS)
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=folder / f"present-{path.stem}-top.png")
            explorers = page.locator(".course-explorer")
            for n in range(explorers.count()):
                explorers.nth(n).scroll_into_view_if_needed()
                page.screenshot(path=folder / f"present-{path.stem}-{n + 1}.png")
        sliders = page.locator(SLIDERS)
        assert sliders.count(), f"{path.name}: no slider in presenter mode"
        moved = 0
        for i in range(sliders.count()):
            slider = sliders.nth(i)
            if not slider.is_visible() or slider.locator("[disabled]").count():
                continue  # e.g. the treatment start while no treatment is chosen
            name = slider.locator(".widget-label").first.text_content() or f"slider {i + 1}"
            slider.scroll_into_view_if_needed()
            assert slider.evaluate(ARM_JS), f"{name!r} has no figure next to it"
            handle = slider.locator(".noUi-handle").first
            key = (
                "ArrowLeft"
                if handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
                else "ArrowRight"
            )
            handle.focus()
            page.keyboard.press(key)
            try:
                page.wait_for_function("() => window.__presentChanged", timeout=FIGURE_TIMEOUT_MS)
            except PlaywrightTimeout:
                pytest.fail(f"{path.name}: {name!r}: no new figure after {key}")
            moved += 1
            time.sleep(0.2)  # let the figure's text follow before the next move
        assert moved, f"{path.name}: no slider could be moved"
        assert not (errors := _page_errors(page)), f"{path.name}: error output {errors}"
        assert page.locator(f"{PAGE} .jp-Cell-outputArea").count(), "no output area to check"
        offenders = [
            f"cell {o['cell']}: {o['kind']} {o['where']} ({o['content']} px in {o['box']} px): "
            f"{o['text']!r}"
            for o in page.evaluate(clipping_js(PAGE))
        ]
        assert not offenders, f"{path.name}: clipped or overflowing at 1920 x 1080: {offenders}"
        page.add_script_tag(path=str(AXE_SCRIPT))
        failing = [
            f"{rule['id']} ({rule['impact']}): {rule['help']}; {len(rule['nodes'])} nodes, e.g. "
            f"{rule['nodes'][0]['html'][:120]}"
            for rule in page.evaluate(axe_run_js(PAGE))["violations"]
            if rule["impact"] in ("serious", "critical")
        ]
        assert not failing, f"{path.name}: axe (WCAG A/AA) in presenter mode: {failing}"
        for url in sorted(set(page.evaluate(LINKS_JS))):
            status = voila.status(url.split("#")[0])
            if status >= 400:
                failed.append(f"{status} {url} (a link on the page)")
        assert not failed, f"{path.name}: failed requests {failed}"
        assert voila.kernels(), "no kernel while the page is open"
    finally:
        page.close(run_before_unload=True)
        context.close()
    closed = time.monotonic()
    while voila.kernels() and time.monotonic() < closed + KERNEL_GONE_S:
        time.sleep(0.25)
    print(f"{path.name}: kernel gone {time.monotonic() - closed:.1f} s after the page closed")
    assert not voila.kernels(), (
        f"{path.name}: a kernel still runs {KERNEL_GONE_S} s after the page closed"
        f"\n{voila.log_tail()}"
    )
