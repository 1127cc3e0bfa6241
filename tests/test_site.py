"""The offline course website (`make site`, tools/build_site.py).

Fast: the link checker finds a broken link, a missing anchor and a script from a CDN in a small
made-up site, and the table of contents lists every lesson and exercise notebook.
Browser (marked ``browser``; builds the site first, ~3 min, unless COURSE_SITE_HTML names a
built site/_build/html): every lesson page opened from disk in headless Chromium with the
network off (every http(s) request aborted) shows its widget snapshots (no view left blank,
no "Error displaying widget", figures drawn) and its equations typeset by the vendored MathJax.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_site  # noqa: E402  (tools/build_site.py)

LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_link_check_finds_broken_links(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/page.html#here">ok</a> <a href="a/page.html#gone">x</a>'
        ' <a href="missing.html">x</a> <a href="https://doi.org/10.1/x">external link: fine</a>'
        ' <script src="https://cdn.jsdelivr.net/npm/x.js"></script>'
    )
    (tmp_path / "a" / "page.html").write_text('<h2 id="here">H</h2><a href="../index.html">up</a>')
    problems = build_site.check_site(tmp_path)
    assert len(problems) == 3, problems
    assert any("'gone'" in p for p in problems)
    assert any("missing.html" in p for p in problems)
    assert any("cdn.jsdelivr.net" in p for p in problems)


def test_toc_lists_every_lesson_and_exercise():
    toc = yaml.safe_load((ROOT / "site" / "_toc.yml").read_text(encoding="utf-8"))
    files = {c.get("file") for part in toc["parts"] for c in part["chapters"]}
    for folder in ("notebooks", "exercises"):
        for path in (ROOT / folder).glob("*.ipynb"):
            assert f"{folder}/{path.stem}" in files, f"{folder}/{path.name} is not in site/_toc.yml"


# --- The built site, offline ---------------------------------------------------------------

COUNT_JS = """() => ({
    views: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
    rendered: document.querySelectorAll('.jupyter-widgets.widget-container, .jupyter-widgets.widget-inline-hbox, .jupyter-widgets.widget-inline-vbox, .jupyter-widgets.widget-box').length,
    blank: [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
        .filter(s => !(s.parentElement && s.parentElement.querySelector('.jupyter-widgets'))).length,
    images: [...document.querySelectorAll('.jupyter-widgets img')].filter(i => i.naturalWidth > 0).length,
    brokenImages: [...document.querySelectorAll('img')].filter(i => i.complete && i.naturalWidth === 0).length,
    math: document.querySelectorAll('mjx-container').length,
    rawMath: /\\$[^$\\s][^$]*\\$/.test(document.querySelector('main')?.innerText || ''),
    error: document.body.innerText.includes('Error displaying widget'),
})"""


@pytest.fixture(scope="module")
def site_html() -> Path:
    given = os.environ.get("COURSE_SITE_HTML")
    if given:
        return Path(given)
    assert build_site.main([]) == 0, "make site failed (build or link check)"
    return build_site.HTML


@pytest.mark.browser
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda s: s[:2])
def test_lesson_page_works_offline(lesson, site_html, browser):
    page_path = site_html / "notebooks" / f"{lesson}.html"
    assert page_path.is_file(), f"{page_path} was not built"
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, offline=True)
    page = context.new_page()
    off_site: list[str] = []

    def abort(route):
        off_site.append(route.request.url)
        route.abort("internetdisconnected")

    page.route(re.compile(r"^(https?|wss?)://"), abort)
    try:
        page.goto(page_path.as_uri())
        page.wait_for_function(
            "() => document.querySelectorAll('.jupyter-widgets').length > 0", timeout=30_000
        )
        page.wait_for_function(
            "() => !document.querySelector('.MathJax_Processing, mjx-processing')", timeout=30_000
        )
        state = page.evaluate(COUNT_JS)
    finally:
        context.close()
    assert not off_site, f"{lesson}: the page asked the network for {off_site}"
    assert state["views"], f"{lesson}: no widget snapshot in the page"
    assert not state["blank"], f"{lesson}: {state['blank']} of {state['views']} widgets blank"
    assert not state["error"], f"{lesson}: 'Error displaying widget'"
    assert state["images"], f"{lesson}: no figure drawn inside a widget"
    assert not state["brokenImages"], f"{lesson}: {state['brokenImages']} images failed to load"
    assert not state["rawMath"] or state["math"], f"{lesson}: equations not typeset"
