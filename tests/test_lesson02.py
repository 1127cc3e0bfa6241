"""Lesson 02, "Binding, Kd and the serum buffer": its figure, table, explorer and checks.

The figure is driven over every control's extremes; its numbers are recomputed here with
`serum_equilibrium` directly. The buffer table must reproduce the worked example of the facts
sheet (FACTS.md 3.3). Each exercise check passes the library's own answer, recognises each
named misconception, and never prints the expected value.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from course_testing import thin_code_cells

from course_lib._text import format_number
from course_lib.errors import CourseTypeError, CourseValueError, ShapeError, UnknownNameError
from course_lib.figures.serum import PARTS, SerumPartition
from course_lib.grading.checks import binding_and_buffer as checks
from course_lib.grading.feedback import CheckFailed
from course_lib.models import buffer
from course_lib.models.binding import fractional_occupancy, serum_equilibrium
from course_lib.models.buffer import IL6_AXIS_PG_ML, buffer_table
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import to_molar

ROOT = Path(__file__).resolve().parents[1]
KEYS = [part[0] for part in PARTS]


@pytest.fixture(scope="module")
def figure():
    return SerumPartition()


def _extremes() -> list[list]:
    """Each control's extreme values as the explorer offers them (and zero where allowed)."""
    from course_lib.widgets import serum_explorer

    box = serum_explorer()
    il6, sil6r, sgp130, sgp130fc, affinity = box.controls
    ends = [[c.base**c.min, c.base**c.max] for c in (il6, sil6r, sgp130)]
    ends[0].insert(1, il6.value)
    ends[1].append(0.0)  # the figure itself also accepts none at all
    ends[2].append(0.0)
    stops = list(sgp130fc._options_values)
    return [*ends, [stops[0], stops[1], stops[-1]], list(affinity._options_values)]


def _engine(il6_pg_ml, sil6r_ng_ml, sgp130_ng_ml, sgp130fc_ug_ml, affinity_set):
    return serum_equilibrium(
        il6=to_molar(il6_pg_ml, "pg/mL", "IL-6"),
        sil6r=to_molar(sil6r_ng_ml, "ng/mL", "sIL-6R"),
        sgp130=to_molar(sgp130_ng_ml, "ng/mL", "sgp130"),
        sgp130fc=to_molar(sgp130fc_ug_ml, "ug/mL", "sgp130Fc"),
        affinities=affinity_set,
    )


@pytest.mark.slow
def test_figure_over_every_extreme(figure):
    seen = set()
    for values in itertools.product(*_extremes()):
        text = figure.update(*values)
        chosen, other = values[-1], ({"textbook", "effective"} - {values[-1]}).pop()
        for line in figure.ax.get_lines():
            assert np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float))), values
        for name in (chosen, other):
            shares = figure.percentages[name]
            assert math.isclose(sum(shares.values()), 100.0, abs_tol=1e-9), (values, shares)
            engine = _engine(*values[:-1], name).il6_fractions()
            for key in KEYS:
                assert shares[key] == pytest.approx(100 * engine[key], rel=1e-9, abs=1e-12)
        # the bars are the percentages, laid end to end
        for row in figure._rects:
            assert sum(r.get_width() for r in row) == pytest.approx(100.0, abs=1e-9)
        # the description quotes the engine's numbers
        eq, f = _engine(*values), format_number
        p = {k: 100 * v for k, v in eq.il6_fractions().items()}
        assert f"{f(p['free'])}% is free ({f(eq.il6 * 1e3)} pM for classic" in text, text
        assert f"{f(p['IL-6·sIL-6R'])}% is IL-6·sIL-6R ({f(eq.il6_sil6r * 1e3)} pM" in text
        assert f"{f(p['IL-6·sIL-6R·sgp130'])}% is held by sgp130" in text
        other_free = 100 * _engine(*values[:-1], other).il6_fractions()["free"]
        assert f"with the {other} affinities {f(other_free)}% would be free" in text
        assert "nan" not in text.lower() and text.startswith("Simulated")
        assert text.count(";") == 1 and text.endswith(".")  # one sentence
        seen.add(text)
    assert len(seen) > 100


def test_figure_uses_one_vectorised_call_for_the_curves(monkeypatch):
    fig = SerumPartition(points=80)
    calls = []

    def counting(**kwargs):
        calls.append(np.shape(kwargs["il6"]))
        return serum_equilibrium(**kwargs)

    monkeypatch.setattr(buffer, "serum_equilibrium", counting)
    buffer.partition_curves.cache_clear()
    fig.update(100.0, 40.0, 300.0, 1.0, "effective")
    assert calls == [(80,), (), ()]  # the curves; the chosen IL-6 in both sets
    fig.update(200.0, 40.0, 300.0, 1.0, "effective")  # only IL-6 moved: the curves are kept
    assert calls[3:] == [(), ()]
    before = fig._curves[0].get_ydata().copy()
    fig.update(200.0, 40.0, 300.0, 1.0, "textbook")
    assert calls[5:] == [(80,), (), ()] and not np.allclose(before, fig._curves[0].get_ydata())


def test_textbook_buffers_and_effective_leaves_il6_free(figure):
    figure.update(SERUM_HUMAN.value("il6_healthy"), 40.0, 300.0, 0.0, "textbook")
    assert figure.percentages["textbook"]["free"] < 5
    assert figure.percentages["textbook"]["IL-6·sIL-6R·sgp130"] > 90
    assert figure.percentages["effective"]["free"] > 80
    # sgp130Fc takes IL-6·sIL-6R from sgp130 and appears in the partition
    figure.update(SERUM_HUMAN.value("il6_healthy"), 40.0, 300.0, 10.0, "textbook")
    assert figure.percentages["textbook"]["IL-6·sIL-6R·sgp130Fc"] > 50


def test_the_picture_changes_with_every_control():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = SerumPartition()
    canvas = FigureCanvasAgg(fig.figure)

    def picture(*values):
        fig.update(*values)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()

    base = (5.19, 40.0, 300.0, 0.0, "textbook")
    before = picture(*base)
    for index, value in enumerate((5.82, 44.9, 337.0, 0.1, "effective")):
        moved = list(base)
        moved[index] = value
        assert not np.array_equal(before, picture(*moved)), f"control {index} left no trace"


# --------------------------------------------------------------------------------------------
# The facts-sheet table (FACTS.md 3.3), from the notebook's own call


def test_notebook_is_thin_and_builds_the_table_with_one_call():
    nb = json.loads((ROOT / "notebooks" / "02_binding_and_buffer.ipynb").read_text("utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    sources = thin_code_cells(ROOT / "notebooks" / "02_binding_and_buffer.ipynb")
    assert any(s.strip().endswith("buffer_table()") for s in sources)
    assert any(s.strip().endswith("widgets.serum_explorer()") for s in sources)


def test_buffer_table_reproduces_facts_3_3():
    table = buffer_table()
    rows = {(r["kd_il6_sil6r_nM"], r["sgp130_nM"], r["il6_pg_ml"]): r for r in table.rows}
    assert len(rows) == 10 and table.sil6r_nM == 0.8

    def shares(kd, sgp130, il6):
        r = rows[(kd, sgp130, il6)]
        assert sum(r[k] for k in KEYS) == pytest.approx(100, abs=1e-9)
        return r["free"], r["IL-6·sIL-6R"], r["IL-6·sIL-6R·sgp130"]

    # | Kd1 | Kd2 | sgp130 | % free | % IL-6·sIL-6R | % ternary |   (FACTS.md 3.3)
    assert shares(1.0, 0.0, 5.0) == pytest.approx((56, 44, 0), abs=0.6)  # 1 nM, 0
    assert shares(1.0, 3.5, 5.0) == pytest.approx((2, 1.4, 97), abs=0.35)  # ~2, ~1.4, ~97
    assert shares(5.0, 0.0, 5.0) == pytest.approx((86, 14, 0), abs=0.6)  # 86, 14, 0
    for il6, free, ternary in ((5.0, 8, 91), (10_000.0, 16, 82)):  # 8-16, 1.3, 82-91
        assert shares(5.0, 3.5, il6) == pytest.approx((free, 1.3, ternary), abs=0.6)
    for il6 in (5.0, 10_000.0):  # ~85, ~3.4, ~11-12
        free, lr, ternary = shares(20.0, 3.5, il6)
        assert 84 <= free <= 86.5 and 3.1 <= lr <= 3.5 and 10.8 <= ternary <= 12.1
    assert "simulated" in table._repr_html_().lower()
    assert repr(table).splitlines()[0].startswith("Kd IL-6:sIL-6R (nM)")


# --------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((0.0, 40, 300, 0, "textbook"), CourseValueError,
         r"il6_pg_ml must lie within \[0.1, 1e\+06\] pg/mL.*got 0 pg/mL"),
        ((5e6, 40, 300, 0, "textbook"), CourseValueError, r"got 5e\+06 pg/mL. Choose a value"),
        ((5.0, -40, 300, 0, "textbook"), CourseValueError,
         r"sil6r_ng_ml must be a concentration >= 0 ng/mL; got -40.0 ng/mL"),
        ((5.0, 40, float("nan"), 0, "textbook"), CourseValueError,
         r"sgp130_ng_ml must be finite \(in ng/mL\); got nan"),
        ((5.0, 40, 300, [0, 1], "textbook"), ShapeError,
         r"sgp130fc_ug_ml must be a single number in ug/mL; got an array of shape \(2,\)"),
        ((5.0, "40", 300, 0, "textbook"), CourseTypeError,
         r"sil6r_ng_ml must be a number or an array of numbers in ng/mL; got '40'"),
        ((5.0, 40, 300, 0, "textbok"), UnknownNameError,
         r"unknown affinity set 'textbok'; expected one of: 'textbook', 'effective'\. "
         r"Did you mean 'textbook'\?"),
    ],
)  # fmt: skip
def test_figure_rejects_bad_input_with_a_clear_message(figure, args, error, message):
    with pytest.raises(error, match=message):
        figure.update(*args)


def test_buffer_table_rejects_bad_input():
    with pytest.raises(CourseValueError, match=r"il6_pg_ml must be a concentration >= 0 pg/mL"):
        buffer_table([5.0, -1.0])
    with pytest.raises(ShapeError, match=r"sil6r_nM must be a single number in nM"):
        buffer_table(sil6r_nM=[0.8, 1.6])


def test_explorer_controls_cannot_produce_invalid_input():
    from course_lib.widgets import serum, serum_explorer

    box = serum_explorer()
    il6, sil6r, sgp130, sgp130fc, affinity = box.controls
    low, high = IL6_AXIS_PG_ML
    assert low <= il6.base**il6.min and il6.base**il6.max <= high * (1 + 1e-9)
    for control, name in ((sil6r, "sil6r"), (sgp130, "sgp130")):
        lo, hi = SERUM_HUMAN[name].bounds
        assert lo * (1 - 1e-9) <= control.base**control.min < control.base**control.max
        assert control.base**control.max <= hi * (1 + 1e-9)
    stops = list(sgp130fc._options_values)
    assert stops == list(serum.SGP130FC_STOPS_UG_ML) and stops[0] == 0 and stops == sorted(stops)
    assert sgp130fc.value == 0 and dict(sgp130fc.options)["none"] == 0
    assert set(affinity._options_values) == {"textbook", "effective"}
    assert [c._course_name for c in box.controls] == [
        "il6_pg_ml", "sil6r_ng_ml", "sgp130_ng_ml", "sgp130fc_ug_ml", "affinity_set",
    ]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Exercise checks


def _feedback(check, answer) -> str:
    with pytest.raises(CheckFailed) as failed:
        check(answer)
    return str(failed.value)


def _quadratic(lt, rt, kd):
    b = lt + rt + kd
    return (b - np.sqrt(b * b - 4 * lt * rt)) / 2


def _hcc_free_pM(affinities="textbook", sgp130=300.0):
    return _engine(SERUM_HUMAN.value("il6_hcc"), 40.0, sgp130, 0.0, affinities).il6 * 1e3


def test_solution_answers_pass():
    case = checks.DEPLETION_CASE
    assert case == {"il6_nM": 0.5, "sil6r_nM": 1.6, "kd_nM": 1.0}  # the numbers the text gives
    assert checks.sgp130_nM(300e-6 / 100e3 * 1e9).passed
    assert checks.sgp130_nM(to_molar(300, "ng/mL", "sgp130"), rtol=0.002).passed
    assert checks.complex_exact(_quadratic).passed
    assert checks.complex_exact(_quadratic, more_cases=True).passed
    assert checks.sil6r_occupied_fraction(_quadratic(0.5, 1.6, 1.0) / 1.6, rtol=0.002).passed
    assert checks.hcc_free_il6_pM(_hcc_free_pM(), rtol=0.002).passed
    assert checks.baran_simultaneous(" C ").passed


_MISCONCEPTIONS = [
    (checks.sgp130_nM, 6.0, "molar mass of sIL-6R"),
    (checks.sgp130_nM, 300e-6 / 130e3 * 1e9, "130 kDa, the glycosylated membrane gp130"),
    (checks.sgp130_nM, 30_000.0, "you multiplied by the molar mass"),
    (checks.sgp130_nM, 3000.0, "about 1,000x too large"),
    (checks.sil6r_occupied_fraction, fractional_occupancy(0.5, 1.0), "TOTAL IL-6"),
    (checks.sil6r_occupied_fraction, 0.5, "L/Kd is not an occupancy"),
    (checks.sil6r_occupied_fraction, 1 / 1.5, "fraction of receptor left EMPTY"),
    (checks.sil6r_occupied_fraction, _quadratic(0.5, 1.6, 1.0) / 0.5, "fraction of IL-6"),
    (checks.hcc_free_il6_pM, _hcc_free_pM("effective"), "EFFECTIVE (weak) affinity set"),
    (checks.hcc_free_il6_pM, _hcc_free_pM(sgp130=0.0), "sgp130 is missing"),
    (checks.hcc_free_il6_pM, to_molar(17.6, "pg/mL", "IL-6", to="pM"), "ALL the IL-6"),
    (checks.hcc_free_il6_pM, _hcc_free_pM() / 1000, "about 1,000x too small"),
    (checks.hcc_free_il6_pM, 2.01, "PERCENTAGE of IL-6"),
    (checks.baran_simultaneous, "a", "the serum buffer blocks all trans-signalling"),
    (checks.baran_simultaneous, "b", "sIL-6R is not an antagonist"),
    (checks.baran_simultaneous, "d", "gp130 alone has no measurable affinity"),
]


@pytest.mark.parametrize(("check", "answer", "says"), _MISCONCEPTIONS)
def test_each_misconception_gets_its_feedback(check, answer, says):
    assert says in _feedback(check, answer)


_WRONG_FUNCTIONS = [
    (lambda lt, rt, kd: rt * lt / (lt + kd), "simple hyperbola"),
    (lambda lt, rt, kd: lt * rt / kd, "law holds for the FREE concentrations"),
    (lambda lt, rt, kd: lt + rt + kd - _quadratic(lt, rt, kd), "root with +"),
    (lambda lt, rt, kd: 2 * _quadratic(lt, rt, kd), "twice too large"),
    (lambda lt, rt, kd: 1000 * _quadratic(lt, rt, kd), "1,000x too large"),
    (lambda lt, rt, kd: float(_quadratic(np.max(lt), rt, kd)), "shape"),
]


@pytest.mark.parametrize(("func", "says"), _WRONG_FUNCTIONS)
def test_each_wrong_function_gets_its_feedback(func, says):
    assert says in _feedback(checks.complex_exact, func)


def _shown_forms(value: float) -> list[str]:
    return [f"{value:.{d}g}" for d in (2, 3, 4)] + [format_number(value), repr(float(value))]


def test_feedback_never_shows_the_expected_value():
    expected = {
        checks.sgp130_nM: to_molar(300, "ng/mL", "sgp130"),
        checks.sil6r_occupied_fraction: _quadratic(0.5, 1.6, 1.0) / 1.6,
        checks.hcc_free_il6_pM: _hcc_free_pM(),
    }
    for check, answer, _says in _MISCONCEPTIONS:
        if check in expected:
            message = _feedback(check, answer)
            for shown in _shown_forms(expected[check]):
                assert not re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d])", message), (
                    f"{check.__name__} feedback shows {shown}: {message}"
                )
    for func, _says in _WRONG_FUNCTIONS:
        message = _feedback(checks.complex_exact, func)
        for value in np.atleast_1d(_quadratic(0.5, 0.8, 1.0)):
            assert format_number(value) not in message


def test_checks_handle_missing_answers():
    assert "no answer yet" in _feedback(checks.hcc_free_il6_pM, ...)
    assert "NotImplementedError" in _feedback(checks.complex_exact, _raise_not_implemented)
    assert "not one of the options" in _feedback(checks.baran_simultaneous, "e")


def _raise_not_implemented(*_args):
    raise NotImplementedError("Exercise 2.2")
