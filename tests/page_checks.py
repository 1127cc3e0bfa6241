"""What the browser tests check on a page, beside the latencies (tests/latency_probe.py): the
JavaScript that finds clipped text and overflowing widgets, the axe-core run, and the
predict-commit-reveal boxes (how to find and answer them). Used by tests/test_browser.py,
tests/test_present.py (Voila and the presenter view) and tools/browser_bench.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from lab_server import NOTEBOOK


# Clipped text and overflowing widgets in the output areas. Returns one record per offender:
# {kind, cell, where, text, content, box} (content and box in CSS px). Kinds:
#   "clipped"     an element that hides overflow (overflow-x hidden/clip) whose content is
#                 wider than its box: a cut-off .widget-label, .widget-toggle-button,
#                 .widget-readout, ... (with text-overflow: ellipsis, the text's own width is
#                 compared with the content box, to the sub-pixel: any "..." counts)
#   "scrolls"     an element inside an output that scrolls horizontally (overflow-x auto/scroll)
#   "select"      a <select> (Dropdown, Select) whose chosen option's text does not fit
#   "output"      an output wider than the notebook's cell area (horizontal scroll) or sticking
#                 out of it
#   "img"         an <img> wider than its container (or sticking out of the output)
#   "tooltip"     an element whose title attribute is "null" or "undefined" (a hover text that
#                 says "null": an unset ipywidgets tooltip/description turned into a string)
# Elements that are not rendered (display:none, visibility:hidden, no boxes) are skipped;
# inline elements have no box of their own (clientWidth 0) and are measured through the block
# that contains them. noUiSlider's track parts are skipped: their handles overhang by design.
def clipping_js(root: str = NOTEBOOK) -> str:
    """The check above for the cells under ``root`` (a CSS selector; Voila's is #rendered_cells)."""
    return f"""() => {{
    const notebook = document.querySelector('{root}');
    const cells = [...notebook.querySelectorAll('.jp-Cell')];
    const found = [];
    const squash = s => (s || '').replace(/\\s+/g, ' ').trim();
    const name = el => {{
        let s = el.tagName.toLowerCase();
        const classes = [...el.classList].filter(c => !c.startsWith('lm-') && !c.startsWith('p-'));
        if (classes.length) s += '.' + classes.slice(0, 3).join('.');
        return s;
    }};
    // A short path from the output to the element: the 3 nearest ancestors with a widget class.
    const where = el => {{
        const parts = [name(el)];
        for (let up = el.parentElement; up && parts.length < 4; up = up.parentElement) {{
            if (up.classList.contains('jp-OutputArea-output')) break;
            if ([...up.classList].some(c => c.startsWith('widget-') || c.startsWith('course-')))
                parts.unshift(name(up));
        }}
        return parts.join(' > ');
    }};
    const cellOf = el => cells.indexOf(el.closest('.jp-Cell')) + 1;
    const add = (kind, el, content, box, text) => found.push({{
        kind, cell: cellOf(el), where: where(el),
        text: squash(text ?? (['INPUT', 'TEXTAREA'].includes(el.tagName) ? el.value
                              : el.textContent || el.getAttribute('alt') || '')).slice(0, 120),
        content: Math.round(content * 10) / 10, box: Math.round(box * 10) / 10,
    }});
    const shown = el => {{
        const cs = getComputedStyle(el);
        return el.getClientRects().length > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
    }};
    const canvas = document.createElement('canvas').getContext('2d');
    const textWidth = (el, text) => {{
        const cs = getComputedStyle(el);
        canvas.font = `${{cs.fontStyle}} ${{cs.fontWeight}} ${{cs.fontSize}} ${{cs.fontFamily}}`;
        return canvas.measureText(text).width;
    }};
    for (const area of notebook.querySelectorAll('.jp-Cell-outputArea')) {{
        // The latency floor (tests/latency_probe.py) is the test's own widget, not the course's.
        if (!shown(area) || area.querySelector('.course-floor')) continue;
        const areaBox = area.getBoundingClientRect();
        for (const out of area.querySelectorAll('.jp-OutputArea-output')) {{
            if (!shown(out)) continue;
            const r = out.getBoundingClientRect();
            if (out.scrollWidth > out.clientWidth + 1)
                add('output', out, out.scrollWidth, out.clientWidth, '(output scrolls horizontally)');
            else if (r.right > areaBox.right + 1)
                add('output', out, r.width, areaBox.width, '(output sticks out of the cell)');
        }}
        for (const el of area.querySelectorAll('*')) {{
            if (el.closest('.noUi-base, .noUi-connects') || !shown(el)) continue;
            const tip = el.getAttribute('title');
            if (tip !== null && ['null', 'undefined'].includes(tip.trim()))
                add('tooltip', el, 0, 0, `title="${{tip}}" on: ${{squash(el.textContent)}}`);
            const cs = getComputedStyle(el);
            if (el.tagName === 'SELECT') {{
                const option = el.options[el.selectedIndex];
                const pad = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight)
                    + (cs.appearance === 'none' ? 0 : 20);  // Chromium's own arrow
                const need = option ? textWidth(el, option.text) : 0;
                if (need > el.clientWidth - pad + 1)
                    add('select', el, need, el.clientWidth - pad, option.text);
                continue;
            }}
            if (el.tagName === 'IMG') {{
                const box = el.getBoundingClientRect();
                const parent = el.parentElement.closest(
                    'div, p, td, th, li, figure, .jp-OutputArea-output') || area;
                // A CSS zoom (presenter mode) scales the image's box but not clientWidth.
                const room = parent.clientWidth * (parent.currentCSSZoom || 1);
                if (box.width > room + 1)
                    add('img', el, box.width, room);
                else if (box.right > areaBox.right + 1)
                    add('img', el, box.right - areaBox.left, areaBox.width);
                continue;
            }}
            if (cs.display === 'inline' || el.classList.contains('jp-OutputArea-output')) continue;
            const hides = ['hidden', 'clip'].includes(cs.overflowX);
            if (hides && cs.textOverflow === 'ellipsis') {{
                // scrollWidth is rounded to whole pixels: a text 0.6 px too wide for its box
                // shows "..." but reads as no overflow. Compare the text's own width (a Range
                // over the contents, full width even when cut) with the content box instead.
                const range = document.createRange();
                range.selectNodeContents(el);
                const need = range.getBoundingClientRect().width;
                const room = el.getBoundingClientRect().width - parseFloat(cs.paddingLeft)
                    - parseFloat(cs.paddingRight) - parseFloat(cs.borderLeftWidth)
                    - parseFloat(cs.borderRightWidth);
                if (need > room + 0.5) {{ add('clipped', el, need, room); continue; }}
            }}
            if (el.scrollWidth <= el.clientWidth + 1) continue;
            if (hides) add('clipped', el, el.scrollWidth, el.clientWidth);
            else if (['auto', 'scroll'].includes(cs.overflowX))
                add('scrolls', el, el.scrollWidth, el.clientWidth);
        }}
    }}
    return found;
}}"""


CLIPPING_JS = clipping_js()

# axe-core (vendored: tests/vendor/axe-core/) on the output areas only, WCAG 2.0/2.1/2.2 A and AA.
# Open every folded section (ipywidgets 8's Accordion: "Describe the figure", "Scenarios") of
# the notebook, for the clipping check to see inside; FOLD_BACK_JS closes the ones it opened.
UNFOLD_ALL_JS = f"""() => {{
    window.__courseUnfolded = [...document.querySelectorAll('{NOTEBOOK} '
        + '.jupyter-widget-Collapse:not(.jupyter-widget-Collapse-open) > '
        + '.jupyter-widget-Collapse-header')];
    window.__courseUnfolded.forEach((header) => header.click());
    return window.__courseUnfolded.length;
}}"""
FOLD_BACK_JS = "() => (window.__courseUnfolded || []).forEach((header) => header.click())"

AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


#: An axe run that has not finished after this long fails its test (a lesson takes 1-5 s).
AXE_TIMEOUT_S = 120


def axe_run_js(root: str = NOTEBOOK) -> str:
    """`AXE_RUN_JS` for the output areas under ``root`` (a CSS selector)."""
    areas, prompts = f"{root} .jp-Cell-outputArea", f"{root} .jp-OutputPrompt"
    return f"""async () => {{
    // Playwright's evaluate has no timeout: an axe run that never settles fails, not hangs.
    const late = new Promise((_, fail) => setTimeout(
        () => fail(new Error('axe.run did not finish within {AXE_TIMEOUT_S} s')),
        {AXE_TIMEOUT_S * 1000}));
    const result = await Promise.race([late, axe.run(
        {{include: [['{areas}']], exclude: [['{prompts}'], ['.course-floor']]}},
        {{runOnly: {{type: 'tag', values: {json.dumps(AXE_TAGS)}}},
          resultTypes: ['violations', 'incomplete']}})]);
    // Where a node is, for people: its cell (1-based, all cells) and the label of its widget.
    const cells = [...document.querySelectorAll('{root} .jp-Cell')];
    const locate = target => {{
        const el = target.length === 1 ? document.querySelector(target[0]) : null;
        const widget = el?.closest('.widget-inline-hbox, .widget-toggle-buttons, .widget-radio');
        return {{cell: el ? cells.indexOf(el.closest('.jp-Cell')) + 1 : null,
                 widget: widget?.querySelector('.widget-label')?.textContent.trim() || null}};
    }};
    const keep = list => list.map(rule => ({{
        id: rule.id, impact: rule.impact, tags: rule.tags, help: rule.help, helpUrl: rule.helpUrl,
        nodes: rule.nodes.map(n => ({{impact: n.impact, target: n.target, html: n.html,
                                      failureSummary: n.failureSummary, ...locate(n.target)}})),
    }}));
    return {{axe: result.testEngine.version, url: result.url, timestamp: result.timestamp,
             violations: keep(result.violations), incomplete: keep(result.incomplete),
             passes: result.passes.map(rule => rule.id)}};
}}"""


AXE_RUN_JS = axe_run_js()

# The predict-commit-reveal widget (course_lib/widgets/predict.py): a box with the class
# course-predict holding one or more questions (each a group of choices), a button whose
# description starts with "Commit" and, once committed, an element with the class
# course-predict-reveal that shows the model's answer.
PREDICT_BOX = f"{NOTEBOOK} .course-predict"
PREDICT_REVEAL = ".course-predict-reveal"
# A question's choices: ipywidgets 8 ToggleButtons, RadioButtons, Dropdown or Select.
PREDICT_QUESTIONS = ".widget-toggle-buttons, .widget-radio-box, .widget-dropdown, .widget-select"
# The controls that must be disabled after Commit (the Commit button itself is not one).
PREDICT_CHOICES = "button, input, select"


def answer_question(question) -> str | None:
    """Pick an option in one question (ToggleButtons, RadioButtons, Dropdown or Select) other
    than the one already chosen; return its text, or None if there was nothing to pick."""
    # Read the text first: once picked, the option no longer matches ":not(.mod-active)".
    buttons = question.locator("button:not(.mod-active)")
    if buttons.count():
        text = buttons.first.text_content()
        buttons.first.click(timeout=5_000)
        return text
    radios = question.locator("input[type=radio]:not(:checked)")
    if radios.count():
        text = radios.first.evaluate("e => e.closest('label')?.textContent || e.value")
        radios.first.check(timeout=5_000)
        return text
    select = question.locator("select")
    if select.count():
        options = select.first.evaluate(
            "s => [...s.options].map((o, i) => i === s.selectedIndex ? null : o.value)"
        )
        if other := [value for value in options if value is not None]:
            select.first.select_option(other[0], timeout=5_000)
            return other[0]
    return None
