"""The pixel half of a redraw: labels drawn from stored glyphs, and the page's pixel ratio.

A label drawn from the glyph cache must look the same as matplotlib's own drawing of it, and a
changed label must never show the old text. The page tells the kernel its devicePixelRatio
(a 1x screen gets a 1x image); junk from the page must not break or blow up the figure.
"""

from __future__ import annotations

import base64
import html
import io
import re

import numpy as np
import PIL.Image
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from course_lib import widgets
from course_lib.figures.plotting import CSS_DPI, css_size, new_figure
from course_lib.widgets import _raster
from course_lib.widgets._access import EXPLORER_CLASS
from course_lib.widgets._first_click import QUIET_MS
from course_lib.widgets._panel import MAX_PIXEL_RATIO, PIXEL_RATIO_CLASS, PIXEL_RATIO_SCRIPT
from course_lib.widgets._raster import GlyphCachingCanvas


def _figure_with_labels(texts, offset=0.0):
    figure = new_figure(4.0, 2.0)
    ax = figure.add_subplot()
    ax.set_title("IL-6 trans-signalling")
    labels = [
        ax.text(0.1 + offset, 0.2 + 0.2 * i, text, rotation=15 * i) for i, text in enumerate(texts)
    ]
    return figure, labels


def _pixels(canvas) -> np.ndarray:
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).astype(int)


@pytest.mark.parametrize("offset", [0.0, 0.0123, 0.25])
def test_a_label_drawn_from_stored_glyphs_looks_like_matplotlibs_own(offset):
    texts = ["5.19 pg/mL", "sgp130Fc 10 µg/mL", "pSTAT3 44%"]
    figure, _ = _figure_with_labels(texts, offset)
    reference = _pixels(FigureCanvasAgg(figure))
    canvas = GlyphCachingCanvas(figure)
    first, again = _pixels(canvas), _pixels(canvas)  # the second draw comes from the cache
    renderer = canvas.get_renderer()
    assert renderer.hits >= len(texts) + 1 and renderer.misses >= len(texts) + 1
    assert np.array_equal(first, reference)
    # FreeType places glyphs in 1/64 px: a cached glyph may sit up to 1/64 px away, which can
    # change an anti-aliased edge by a few levels, never the picture.
    assert np.abs(again - reference).max() <= 8
    assert np.count_nonzero(np.abs(again - reference).max(axis=2) > 2) <= 10


def test_a_changed_label_never_shows_the_old_text():
    figure, (label,) = _figure_with_labels(["pSTAT3 44%"])
    canvas = GlyphCachingCanvas(figure)
    old = _pixels(canvas)
    label.set_text("pSTAT3 4%")
    new = _pixels(canvas)
    label.set_text("pSTAT3 4%")  # the same text again: from the cache, same pixels
    assert np.abs(_pixels(canvas) - new).max() <= 8
    reference_figure, _ = _figure_with_labels(["pSTAT3 4%"])
    assert np.abs(new - _pixels(FigureCanvasAgg(reference_figure))).max() <= 8
    assert np.abs(new - old).max() > 100  # the label really changed on screen


def _png_size(box) -> tuple[int, int]:
    data = re.search(r'base64,([^"]+)"', box.panel.image.value).group(1)
    return PIL.Image.open(io.BytesIO(base64.b64decode(data))).size


def test_the_page_pixel_ratio_sets_the_image_resolution_and_keeps_its_size_on_the_page():
    box = widgets.serum_explorer()
    panel = box.panel
    width, height = (round(v) for v in css_size(panel.figure))
    assert _png_size(box) == (2 * width, 2 * height)  # before the page reports: 2x
    renders = panel.renders
    panel.pixel_ratio.value = 1.0  # a 1x screen
    assert _png_size(box) == (width, height) and panel.renders == renders + 1
    assert f'width="{width}" height="{height}"' in panel.image.value
    panel.pixel_ratio.value = 1.5  # a zoomed page
    assert _png_size(box) == (round(1.5 * width), round(1.5 * height))
    panel.pixel_ratio.value = 1.6  # rounds to a quarter: 1.5 again, nothing redrawn
    assert panel.renders == renders + 2
    # A slider move after the change keeps the new resolution.
    control = box.controls[0]
    control.value = control.max if control.value != control.max else control.min
    assert _png_size(box) == (round(1.5 * width), round(1.5 * height))


@pytest.mark.parametrize("junk", [0.0, -3.0, 7.0, float("nan"), float("inf")])
def test_a_pixel_ratio_out_of_range_is_clamped_or_ignored(junk):
    box = widgets.time_course_explorer()
    panel = box.panel
    panel.pixel_ratio.value = junk
    assert CSS_DPI <= panel.figure.dpi <= CSS_DPI * MAX_PIXEL_RATIO
    width, height = _png_size(box)
    css_width, css_height = css_size(panel.figure)
    assert css_width <= width <= MAX_PIXEL_RATIO * css_width + 1
    assert css_height <= height <= MAX_PIXEL_RATIO * css_height + 1


def test_every_explorer_carries_the_pixel_ratio_script_and_box():
    box = widgets.concentration_explorer()
    scripts = [o["data"].get("application/javascript", "") for o in box.accessibility.outputs]
    assert any("devicePixelRatio" in script and PIXEL_RATIO_CLASS in script for script in scripts)
    assert PIXEL_RATIO_CLASS in box.panel.pixel_ratio._dom_classes
    assert box.panel.pixel_ratio.layout.display == "none"  # not a control the student sees
    assert "%(" not in PIXEL_RATIO_SCRIPT % {"explorer": "x", "cls": "y"}


@pytest.mark.parametrize("factory", ["concentration_explorer", "experiment_explorer"])
def test_every_explorer_defers_jupyterlabs_cell_selection_past_its_first_figure(factory):
    # Its behaviour in the page (the first click answers as fast as the next, the cell is still
    # selected) is checked in tests/test_browser.py; here: the script is there, once, complete.
    box = getattr(widgets, factory)()
    scripts = [o["data"].get("application/javascript", "") for o in box.accessibility.outputs]
    selection = [s for s in scripts if "courseSelectLater" in s]
    assert len(selection) == 1
    assert f"'.{EXPLORER_CLASS}'" in selection[0] and "%(" not in selection[0]
    assert f"const quiet = {QUIET_MS};" in selection[0]
    assert "stopPropagation" in selection[0] and "new FocusEvent('focusin'" in selection[0]


def test_settings_shown_before_come_back_as_the_same_picture_without_a_redraw():
    box = widgets.serum_explorer()
    first = box.panel.snapshot()
    control = box.controls[0]
    start = control.value
    calls = []  # each real drawing of the figure
    real = box.panel.picture
    box.panel.picture = lambda *a: calls.append(a) or real(*a)
    control.value = control.max
    moved = box.panel.snapshot()
    assert moved != first and len(calls) == 1
    control.value = start  # back: the kept picture, no model run
    assert box.panel.snapshot() == first and len(calls) == 1
    assert box.figure.description in html.unescape(first[2])
    control.value = control.max
    assert box.panel.snapshot() == moved and len(calls) == 1


def test_a_new_pixel_ratio_redraws_the_settings_on_screen_not_the_last_drawn():
    box = widgets.serum_explorer()
    control = box.controls[0]
    start = control.value
    control.value = control.max
    control.value = start  # shown from the kept picture; the artists still hold the max
    shown = html.unescape(box.panel.text.value)
    box.panel.pixel_ratio.value = 1.0
    assert html.unescape(box.panel.text.value) == shown
    assert _png_size(box)[0] == round(css_size(box.panel.figure)[0])
    fresh = widgets.serum_explorer()
    fresh.panel.pixel_ratio.value = 1.0
    assert box.panel.image.value == fresh.panel.image.value


def test_a_new_label_is_drawn_from_stored_glyph_bitmaps_exactly_as_matplotlib_draws_it():
    # Every glyph of the new labels was drawn before (by the old labels), some at the same
    # sub-pixel position: those come from stored bitmaps, and not one pixel may differ.
    figure, labels = _figure_with_labels(["pSTAT3 44%", "IL-6 5.19 pg/mL", "sIL-6R 34"])
    canvas = GlyphCachingCanvas(figure)
    _pixels(canvas)
    new = ["pSTAT3 4%", "IL-6 1.95 pg/mL", "sIL-6R 43"]
    for label, text in zip(labels, new, strict=True):
        label.set_text(text)
    reference_figure, _ = _figure_with_labels(new)
    assert np.array_equal(_pixels(canvas), _pixels(FigureCanvasAgg(reference_figure)))


def test_without_matplotlibs_glyph_methods_text_is_drawn_by_matplotlib(monkeypatch):
    # A matplotlib without FT2Font._layout (before 3.11) draws the text itself, uncached.
    monkeypatch.setattr(_raster, "GLYPH_DRAWING", False)
    figure, _ = _figure_with_labels(["pSTAT3 44%", "IL-6 5.19 pg/mL"])
    canvas = GlyphCachingCanvas(figure)
    reference = _pixels(FigureCanvasAgg(figure))
    assert np.array_equal(_pixels(canvas), reference)
    assert np.array_equal(_pixels(canvas), reference)
    assert canvas.get_renderer().hits == canvas.get_renderer().misses == 0


def _menu_and_toggle_settings(box):
    """Every choice of every menu, toggle and checkbox, one control at a time (the others as
    the previous step left them), then back to the start."""
    start = {c._course_name: c.value for c in box.controls}
    steps, values = [], dict(start)
    for control in box.controls:
        if hasattr(control, "_options_values"):
            choices = list(control._options_values)
        elif isinstance(control.value, bool):
            choices = [not control.value, control.value]
        else:
            continue
        for choice in choices:
            values = {**values, control._course_name: choice}
            steps.append(values)
    return [*steps, start]


@pytest.mark.parametrize("name", ["experiment_explorer", "selectivity_explorer"])
def test_after_many_updates_the_picture_is_a_fresh_explorers_at_the_same_settings(name):
    factory = getattr(widgets, name)
    box = factory()
    box.panel.pixel_ratio.value = 1.0
    steps = _menu_and_toggle_settings(box)
    for values in steps:
        box.update(**values)
    for values in (steps[len(steps) // 2], steps[-2]):  # each seen once, not the last drawn
        box.update(**values)
        fresh = factory()
        fresh.panel.pixel_ratio.value = 1.0
        fresh.update(**values)
        assert box.panel.text.value == fresh.panel.text.value
        assert box.panel.headline.value == fresh.panel.headline.value
        assert box.panel.image.value == fresh.panel.image.value
