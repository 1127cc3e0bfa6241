"""The course look and the data-driven figure descriptions."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.figure import Figure

from course_lib.figures import plotting
from course_lib.figures.concentration import IL6_RANGES_PG_ML, ConcentrationScale
from course_lib.parameters import SERUM_HUMAN


def test_series_styles_differ_in_more_than_colour():
    styles = [plotting.series_style(i) for i in range(7)]
    assert len({s["color"] for s in styles}) == 7
    assert len({str(s["linestyle"]) for s in styles}) == 7
    assert len({s["marker"] for s in styles}) == 7
    assert plotting.series_style(7) == plotting.series_style(0)
    assert set(plotting.PALETTE.values()) >= {s["color"] for s in styles}


@pytest.mark.parametrize("bad", [-1, 1.5, "0", True])
def test_series_style_rejects_bad_index(bad):
    with pytest.raises(ValueError, match="series index must be a whole number >= 0"):
        plotting.series_style(bad)


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


@pytest.mark.parametrize(
    ("y", "words"),
    [
        ([0, 1, 2, 3], "rises from 0 to 3 between 0 and 3 min"),
        ([3, 2, 1, 0], "falls from 3 to 0 between 0 and 3 min"),
        ([0, 5, 2, 1], "rises from 0 to a peak of 5 at 1 min, then falls to 1 at 3 min"),
        ([4, 1, 2, 3], "falls from 4 to a low of 1 at 1 min, then recovers to 3 at 3 min"),
        ([2, 2, 2, 2], "stays at 2"),
    ],
)
def test_describe_series_shapes(y, words):
    text = plotting.describe_series("signal", np.arange(4.0), np.array(y, float), "min")
    assert text == f"signal {words}"


def test_describe_series_ignores_nan_and_handles_empty():
    x = np.array([0.0, 1.0, 2.0])
    assert "rises from 1 to 3" in plotting.describe_series("s", x, np.array([1.0, np.nan, 3.0]))
    assert plotting.describe_series("s", x, np.full(3, np.nan)) == "s has no finite values"


def test_describe_axes_reads_the_plotted_lines():
    ax = Figure().add_subplot()
    ax.plot([0, 1], [0, 2], label="classic")
    ax.plot([0, 1], [0, 1], label="_hidden helper line")
    plotting.label_axes(ax, x=("time", "min"), y=("pSTAT3", "nM"))
    assert plotting.describe_axes(ax) == (
        "pSTAT3 (nM) against time (min): classic rises from 0 to 2 between 0 and 1 min."
    )
    empty = Figure().add_subplot()
    assert plotting.describe_axes(empty) == "y against x: nothing is plotted."


def test_format_number():
    assert plotting.format_number(0) == "0"
    assert plotting.format_number(1234567) == "1.23e+06"
    assert plotting.format_number(-0.5) == "-0.5"


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
