"""Widget factories built headless and driven across every control's range, extremes included.

Callback exceptions vanish in a browser (ipywidgets logs them to the console), so each
factory's update function is called directly here.
"""

from __future__ import annotations

import base64
import html
import inspect
import io
import itertools
import json
import re
import zlib

import ipywidgets as W
import numpy as np
import PIL.Image
import pytest

from course_lib import widgets
from course_lib.figures.plotting import css_size
from course_lib.widgets._access import EXPLORER_CSS
from course_lib.widgets._raster import PNG_BAND_ROWS, encode_png

FACTORIES = [
    obj
    for name, obj in inspect.getmembers(widgets, inspect.isfunction)
    if name.endswith(("_explorer", "_planner")) and name in widgets.__all__
]


def _grid(control, n: int = 5) -> list:
    """Values spanning a control: a slider's exact extremes (as the browser sends them) and
    points between; every option of a menu or toggle; both states of a checkbox."""
    if hasattr(control, "_options_values"):  # Dropdown, ToggleButtons, SelectionSlider...
        return list(control._options_values)
    if isinstance(control.value, bool):
        return [False, True]
    if hasattr(control, "base"):  # log slider: the browser sends base**exponent
        return [control.base**e for e in np.linspace(control.min, control.max, n)]
    if isinstance(control.value, int):  # IntSlider: whole numbers only
        return sorted({round(v) for v in np.linspace(control.min, control.max, n)})
    return list(np.linspace(control.min, control.max, n))


def _image(box) -> np.ndarray:
    match = re.search(r'src="data:image/png;base64,([^"]+)"', box.panel.image.value)
    assert match, f"no PNG in the figure widget: {box.panel.image.value[:200]!r}"
    return np.asarray(PIL.Image.open(io.BytesIO(base64.b64decode(match.group(1)))))


def test_there_are_explorers():
    assert [f.__name__ for f in FACTORIES] == sorted(f.__name__ for f in FACTORIES)
    assert "concentration_explorer" in {f.__name__ for f in FACTORIES}


#: What a bracket after a control's label may hold: units, never the name of the thing again.
UNITS = {"pg/mL", "ng/mL", "µg/mL", "nM", "mg", "days", "per hour", "%", "mice",
         "week of age", "tumours per liver", "IL-6R per gp130"}  # fmt: skip


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_a_label_shows_a_unit_only_when_the_control_has_one(factory):
    box = factory()
    for control in box.controls:
        unit = control._course_unit
        bracket = re.search(r"\(([^)]+)\)$", control.description)
        if unit is None:
            assert bracket is None, f"{control.description!r} has no unit but a bracket"
            assert control.description == control._course_label
        else:
            assert unit in UNITS, f"{control.description!r}: {unit!r} is not a unit"
            assert control.description == f"{control._course_label} ({unit})"


def _tree(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _tree(child)


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_no_widget_has_a_null_tooltip(factory):
    # ipywidgets 8.1 writes tooltip=None into a widget's label as title="null".
    box = factory()
    for control in box.controls:
        assert isinstance(control.tooltip, str) and control.tooltip.strip(), control.description
    for widget in _tree(box):
        if widget.has_trait("description"):
            assert widget.tooltip is not None, widget


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_the_page_script_names_every_control_with_its_unit(factory):
    box = factory()
    assert "course-explorer" in box._dom_classes
    script = box.accessibility.outputs[0]["data"]["application/javascript"]
    info = json.loads(re.search(r"\}\)\(element, (\{.*\})\);\s*$", script, re.S).group(1))
    assert len(info) == len(box.controls)
    for i, control in enumerate(box.controls):
        assert f"course-control-{i}" in control._dom_classes
        name, unit = info[f"course-control-{i}"]["name"], info[f"course-control-{i}"]["unit"]
        assert name == control.description and (not unit or name.endswith(f"({unit})"))


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_folded_section_headers_get_the_full_text_colour(factory):
    # ipywidgets' header colour is 4.45:1 on its grey (axe: under AA's 4.5:1); each explorer
    # brings a style for its own headers (EXPLORER_CSS), in the theme's first text colour.
    box = factory()
    styles = [o["data"].get("text/html", "") for o in box.accessibility.outputs]
    assert styles.count(EXPLORER_CSS) == 1
    assert ".course-explorer .jupyter-widget-Collapse-header" in EXPLORER_CSS
    assert "--jp-ui-font-color1" in EXPLORER_CSS
    assert any(isinstance(w, W.Accordion) for w in _tree(box))  # what the style is for


MAX_CORNERS = 256


def _settings(box):
    """Every corner of the control space (each slider at both extremes, every option, both
    checkbox states), then each control swept through its grid with the others at default.

    A factory with more than `MAX_CORNERS` corners gets a fixed random sample of them (with
    256 of 1,152 corners every pair of extreme values still appears together)."""
    names = [c._course_name for c in box.controls]
    corners = list(itertools.product(*[_grid(c, 2) for c in box.controls]))
    if len(corners) > MAX_CORNERS:
        pick = np.random.default_rng(0).choice(len(corners), MAX_CORNERS, replace=False)
        corners = [corners[i] for i in sorted(pick)]
    for values in corners:
        yield dict(zip(names, values, strict=True))
    default = {c._course_name: c.value for c in box.controls}
    for control in box.controls:
        for value in _grid(control):
            yield {**default, control._course_name: value}


@pytest.mark.slow
@pytest.mark.filterwarnings("error::RuntimeWarning")  # a student would see it under the figure
@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_update_over_the_whole_grid(factory):
    box = factory()
    seen = set()
    for values in _settings(box):
        box.update(**values)
        for ax in box.panel.figure.axes:
            for line in ax.get_lines():
                y = np.asarray(line.get_ydata(), dtype=float)
                x = np.asarray(line.get_xdata(), dtype=float)
                assert np.all(np.isfinite(y)) and np.all(np.isfinite(x)), (
                    f"{factory.__name__}: NaN or inf reached the plot at {values}"
                )
        text = box.panel.text.value
        assert "nan" not in text.lower() and "inf" not in text.lower(), text
        seen.add(text)
    # The description follows the data: different settings give different sentences.
    assert len(seen) > 2 * len(box.controls)


@pytest.mark.slow
@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_moving_a_slider_changes_the_picture_and_its_alt_text(factory):
    box = factory()
    for control in box.controls:
        before_png, before_alt = _image(box), box.panel.image.value.split('src="')[0]
        renders = box.panel.renders
        grid = _grid(control, 3)
        control.value = grid[0] if control.value != grid[0] else grid[-1]  # through the trait
        assert box.panel.renders == renders + 1
        after_png, after_alt = _image(box), box.panel.image.value.split('src="')[0]
        assert before_png.shape == after_png.shape, "the figure changed size between renders"
        assert not np.array_equal(before_png, after_png), f"{control.description}: same picture"
        assert before_alt != after_alt, f"{control.description}: alt text did not change"


def test_concentration_explorer_description_matches_the_units_module():
    from course_lib.units import to_molar

    box = widgets.concentration_explorer()
    box.update(il6_pg_ml=10_000.0, kd_nM=1.0)
    pm = to_molar(10_000.0, "pg/mL", "IL-6", to="pM")
    assert f"is {pm:,.0f} pM" in box.panel.text.value
    assert "sepsis" in box.panel.text.value


def test_concentration_explorer_rejects_a_kd_outside_its_range():
    box = widgets.concentration_explorer()
    with pytest.raises(ValueError, match=r"kd_nM must lie within \[0.5, 20\] nM"):
        box.update(il6_pg_ml=5.0, kd_nM=100.0)


def test_log_slider_rejects_bad_limits():
    from course_lib.models.affinities import AFFINITIES

    with pytest.raises(ValueError, match=r"a log slider needs 0 < low < high; got low=0"):
        widgets.log_slider(AFFINITIES["kd_il6_il6r"], low=0, high=10)
    with pytest.raises(ValueError, match="low=5, high=1"):
        widgets.log_slider(AFFINITIES["kd_il6_il6r"], low=5, high=1)


def test_figure_panel_png_is_a_real_image_of_the_figure_size():
    box = widgets.concentration_explorer()
    png = _image(box)
    width, height = box.panel.figure.canvas.get_width_height()
    assert png.shape[:2] == (height, width)
    assert png.std() > 10  # not a blank picture
    assert base64.b64encode(box.panel.png())[:10]  # callable again without state problems


def test_figure_panel_scales_with_the_page_and_announces_only_the_headline():
    box = widgets.concentration_explorer()
    panel, view = box.panel, box.figure
    width, height = (round(v) for v in css_size(panel.figure))
    img = panel.image.value
    for rule in ("width: 100%", f"max-width: {width}px", "height: auto"):
        assert rule in img, f"{rule!r} not in {img[:300]!r}"
    assert f'width="{width}" height="{height}"' in img  # aspect ratio before the image loads
    assert width <= 900  # fits a 1024-px-wide window
    for part in (panel.image, panel.headline, panel.text, panel.details, panel.widget):
        assert part.layout.min_height is None and part.layout.height is None
    assert panel.widget.layout.max_width == f"{width}px"
    assert panel.image.layout.width == "100%" and panel.text.layout.max_width is None
    shown = panel.headline.value + panel.text.value
    assert "overflow-wrap: break-word" in shown and "break-all" not in shown
    assert 'aria-live="polite"' in panel.headline.value
    assert "aria-live" not in panel.text.value
    assert html.escape(view.headline) in panel.headline.value
    assert html.escape(view.description) in panel.text.value
    assert f'alt="{html.escape(view.description, quote=True)}"' in img
    assert panel.details.titles == ("Describe the figure",)
    assert panel.details.selected_index is None  # closed until asked for


def test_png_bands_are_reused_only_while_their_pixels_stay_the_same():
    rng = np.random.default_rng(0)
    cache: dict = {}
    picture = rng.integers(0, 255, (3 * PNG_BAND_ROWS + 5, 7, 4), dtype=np.uint8)
    for step in range(4):
        if step:  # change one band (or, at the last step, the size)
            rows = slice(step * 10, step * 10 + 3)
            picture[rows] = rng.integers(0, 255, picture[rows].shape, dtype=np.uint8)
        if step == 3:
            picture = picture[:-9]
        png = encode_png(picture.tobytes(), 7, picture.shape[0], cache)
        image = PIL.Image.open(io.BytesIO(png))
        image.load()
        assert np.array_equal(np.asarray(image), picture), f"step {step}"
        start, end = png.index(b"IDAT") + 4, png.index(b"IEND") - 8
        raw = zlib.decompress(png[start:end])  # checks the joined Adler-32 too
        assert len(raw) == picture.shape[0] * (1 + 4 * 7)


def test_figure_panel_without_a_headline_announces_the_first_sentence():
    box = widgets.concentration_explorer()
    box.panel.render("First sentence, 5.19 pg/mL. Second sentence.")
    assert ">First sentence, 5.19 pg/mL.</p>" in box.panel.headline.value
    assert "Second sentence." in box.panel.text.value


def test_slider_echoes_cost_no_redraw():
    box = widgets.concentration_explorer()
    il6 = box.controls[0]
    renders = box.panel.renders
    il6.value = il6.value * (1 + 1e-14)  # what the browser sends back after rounding
    assert box.panel.renders == renders
    il6.value = il6.value * 2
    assert box.panel.renders == renders + 1
