"""The course look and the data-driven figure descriptions."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.figure import Figure

from course_lib._text import format_number
from course_lib.figures import plotting
from course_lib.figures.concentration import IL6_RANGES_PG_ML, ConcentrationScale
from course_lib.parameters import SERUM_HUMAN


def test_palette_and_line_styles_give_each_series_more_than_a_colour():
    assert len(set(plotting.PALETTE.values())) == 8
    assert len({str(style) for style in plotting.LINESTYLES}) == len(plotting.LINESTYLES) >= 4


def test_course_style_is_scoped():
    before = dict(mpl.rcParams)
    with plotting.course_style():
        assert mpl.rcParams["axes.spines.top"] is False
    assert dict(mpl.rcParams) == before


def test_new_figure_checks_its_size():
    fig = plotting.new_figure(6, 3, dpi=100)
    assert tuple(fig.get_size_inches()) == (6, 3)
    with pytest.raises(ValueError, match=r"width must lie within \[1, 20\] inches; got 0.0"):
        plotting.new_figure(0, 3)


def test_label_axes_requires_units():
    ax = Figure().add_subplot()
    plotting.label_axes(ax, x=("time", "min"), y=("pSTAT3", "fraction"))
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("time (min)", "pSTAT3 (fraction)")
    with pytest.raises(ValueError, match="the y axis needs a unit; got '' for 'pSTAT3'"):
        plotting.label_axes(ax, x=("time", "min"), y=("pSTAT3", ""))


def test_format_number():
    assert format_number(0) == "0"
    assert format_number(1234567) == "1,230,000"
    assert format_number(1e6) == "1,000,000"
    assert format_number(-0.5) == "-0.5"
    assert format_number(float("nan")) == "nan"


def test_concentration_scale_ranges_come_from_the_parameters():
    assert IL6_RANGES_PG_ML[0][1:] == SERUM_HUMAN["il6_healthy"].bounds
    assert [r[0] for r in IL6_RANGES_PG_ML] == ["healthy adults", "HCC patients", "sepsis"]


@pytest.mark.parametrize(
    ("il6", "words"),
    [
        (5.19, "within the reported range for healthy adults and HCC patients"),
        (0.0, "none at all, so no receptor is occupied"),
        (2e6, "outside the reported serum ranges"),
        (1e5, "4.76 times above the 1 nM Kd"),
    ],
)
def test_concentration_scale_description(il6, words):
    assert words in ConcentrationScale.describe(il6, 1.0)


def test_concentration_scale_update_moves_the_artists():
    scale = ConcentrationScale(5.19, 1.0)
    before = scale._point.get_ydata()[0]
    scale.update(1e5, 1.0)
    after = scale._point.get_ydata()[0]
    assert after > before
    assert scale._kd_lines[0].get_xdata()[0] == pytest.approx(1000.0)
    with pytest.raises(ValueError, match="il6_pg_ml must be a concentration >= 0 pg/mL"):
        scale.update(-1, 1.0)


def test_tracked_series_makes_a_curve_and_a_marker_per_style():
    ax = Figure().add_subplot()
    x = np.logspace(0, 2, 5)
    styles = [("free", "#0072B2", "-", "o"), ("bound", "#D55E00", "--", "s")]
    curves, points = plotting.tracked_series(ax, x, styles, y=1.0)
    assert [c.get_label() for c in curves] == ["free", "bound"]
    assert [c.get_linestyle() for c in curves] == ["-", "--"]
    assert [p.get_marker() for p in points] == ["o", "s"]
    np.testing.assert_array_equal(curves[0].get_ydata(), np.ones(5))
    assert all(p.get_label().startswith("_") for p in points)  # markers stay out of legends
