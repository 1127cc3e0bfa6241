"""Tests for course_lib.parameters: the immutable ParameterSet (a Parameter and its validation:
tests/test_parameters.py)."""

from __future__ import annotations

import copy
import math
import pickle
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from parameter_factory import make

from course_lib.errors import CourseTypeError, ParameterError, UnknownNameError
from course_lib.models.affinities import AFFINITIES
from course_lib.parameters import (
    SERUM_HUMAN,
    ParameterSet,
)


@pytest.fixture
def demo() -> ParameterSet:
    return ParameterSet(
        "demo",
        [
            make(),
            make(name="il6", value=5.0, unit="pg/mL", description="serum IL-6", bounds=(0, 50)),
            make(
                name="sgp130",
                value=300.0,
                unit="ng/mL",
                description="serum sgp130",
                source="assumed: the often-quoted 250-400 ng/mL range",
                bounds=(40, 400),
            ),
        ],
    )


# --------------------------------------------------------------------------------------------
# ParameterSet


def test_mapping_interface(demo):
    assert list(demo) == ["kd", "il6", "sgp130"]
    assert len(demo) == 3
    assert demo["il6"].unit == "pg/mL"
    assert demo.value("sgp130") == 300.0
    assert demo.as_floats() == {"kd": 1.0, "il6": 5.0, "sgp130": 300.0}
    assert "kd" in demo
    assert "nope" not in demo
    assert demo.get("nope") is None


def test_lookup_by_folded_name(demo):
    assert demo["KD"] is demo["kd"]
    assert demo["SGP_130"] is demo["sgp130"]


def test_unknown_name_lists_valid_names(demo):
    with pytest.raises(UnknownNameError) as info:
        demo["kdd"]
    assert str(info.value) == (
        "unknown parameter in 'demo' 'kdd'; expected one of: 'kd', 'il6', 'sgp130'. "
        "Did you mean 'kd'?"
    )


def test_non_str_key_is_not_in_the_set(demo):
    # BUG: Mapping.__contains__ and .get only catch KeyError, but a non-str key raises
    # CourseTypeError, so `5 in pset` raises instead of returning False (a dict returns False).
    assert 5 not in demo
    assert demo.get(5) is None


def test_setattr_raises(demo):
    with pytest.raises(AttributeError, match=r"^ParameterSet is immutable; use with_values"):
        demo.title = "changed"
    with pytest.raises(AttributeError, match=r"^ParameterSet is immutable"):
        demo.new_attribute = 1
    assert demo.title == "demo"


def test_mapping_is_not_mutable(demo):
    with pytest.raises(TypeError):
        demo["kd"] = make(value=2.0)
    with pytest.raises(TypeError):
        del demo["kd"]
    assert not hasattr(demo, "update")
    assert not hasattr(demo, "pop")
    assert not hasattr(demo, "__dict__")
    assert demo.value("kd") == 1.0


def test_as_floats_returns_a_fresh_dict(demo):
    floats = demo.as_floats()
    floats["kd"] = 99.0
    assert demo.value("kd") == 1.0


def test_with_values_returns_new_set_and_leaves_old_unchanged(demo):
    before = demo.as_floats()
    changed = demo.with_values(kd=2.0, il6=10)
    assert changed is not demo
    assert isinstance(changed, ParameterSet)
    assert changed.as_floats() == {"kd": 2.0, "il6": 10.0, "sgp130": 300.0}
    assert demo.as_floats() == before
    assert list(changed) == list(demo)
    assert changed.title == demo.title
    assert changed["kd"].source == demo["kd"].source
    assert changed["kd"].bounds == demo["kd"].bounds
    assert changed["sgp130"] is demo["sgp130"]


def test_with_values_accepts_folded_names(demo):
    assert demo.with_values(KD=3.0).value("kd") == 3.0


def test_with_values_no_arguments_gives_an_equal_set(demo):
    assert demo.with_values() == demo


def test_with_values_unknown_name_lists_valid_names(demo):
    with pytest.raises(UnknownNameError) as info:
        demo.with_values(il_6x=2.0)
    assert str(info.value) == (
        "unknown parameter in 'demo' 'il_6x'; expected one of: 'kd', 'il6', 'sgp130'. "
        "Did you mean 'il6'?"
    )


def test_with_values_out_of_bounds_names_parameter_and_range(demo):
    with pytest.raises(ParameterError) as info:
        demo.with_values(il6=-1.0)
    assert str(info.value) == (
        "Parameter 'il6': value -1.0 pg/mL lies outside its plausible range [0, 50] pg/mL. "
        "Use a value inside the range, or widen the range and cite why."
    )


def test_with_values_string_value_is_type_error(demo):
    with pytest.raises(CourseTypeError, match=r"^Parameter 'kd': value must be a number; got '2'"):
        demo.with_values(kd="2")


def test_duplicate_names_rejected():
    with pytest.raises(ParameterError) as info:
        ParameterSet("dup", [make(), make(value=2.0)])
    assert str(info.value) == "ParameterSet 'dup': the name 'kd' appears twice. Rename one."


def test_members_must_be_parameters():
    with pytest.raises(CourseTypeError) as info:
        ParameterSet("bad", [make(), 1.0])
    assert str(info.value) == (
        "ParameterSet 'bad' takes Parameter objects; got 1.0. "
        "Wrap the number in Parameter(name, value, unit, description, source, bounds)."
    )


def test_parameter_set_takes_a_snapshot_of_its_input():
    members = [make()]
    pset = ParameterSet("snap", members)
    members.append(make(name="other"))
    assert list(pset) == ["kd"]


def test_repr_html_contains_every_name_unit_and_source(demo):
    for pset in (demo, SERUM_HUMAN, AFFINITIES):
        text = pset._repr_html_()
        assert text.startswith("<table")
        assert text.endswith("</table>")
        assert f"<caption>{pset.title}</caption>" in text
        for p in pset.values():
            assert f"<code>{p.name}</code>" in text
            assert f"<td>{p.unit}</td>" in text
        assert text.count("<tr>") == len(pset) + 1


def test_repr_html_links_dois_and_escapes_html():
    pset = ParameterSet(
        "links <&>",
        [
            make(source="doi:10.1002/jmv.26654 (meta-analysis, 57 studies)"),
            make(name="y", description="a < b & c", source="see doi:10.1038/s41598-020-77884-4;"),
        ],
    )
    text = pset._repr_html_()
    assert (
        '<a href="https://doi.org/10.1002/jmv.26654">doi:10.1002/jmv.26654</a> (meta-analysis'
    ) in text
    assert (
        '<a href="https://doi.org/10.1038/s41598-020-77884-4">doi:10.1038/s41598-020-77884-4</a>;'
    ) in text
    assert "<caption>links &lt;&amp;&gt;</caption>" in text
    assert "<td>a &lt; b &amp; c</td>" in text


def test_repr_html_of_serum_human_links_its_doi():
    text = SERUM_HUMAN._repr_html_()
    assert re.search(r'<a href="https://doi\.org/10\.1002/jmv\.26654">', text)
    assert "<td>pg/mL</td>" in text
    assert "<td>ng/mL</td>" in text


def test_repr_text(demo):
    assert repr(demo) == (
        "ParameterSet 'demo':\n"
        "  kd               1 nM         IL-6:IL-6R dissociation constant\n"
        "  il6              5 pg/mL      serum IL-6\n"
        "  sgp130         300 ng/mL      serum sgp130"
    )


def test_repr_of_empty_set():
    assert repr(ParameterSet("empty", [])) == "ParameterSet 'empty':"


def test_equality_and_hash(demo):
    same = ParameterSet("demo", list(demo.values()))
    assert same == demo
    assert hash(same) == hash(demo)
    assert demo.with_values(kd=2.0) != demo
    assert ParameterSet("other title", list(demo.values())) != demo
    assert demo != dict(demo)
    assert len({demo, same, demo.with_values(kd=2.0)}) == 2


def test_copy_and_pickle_round_trip(demo):
    # BUG: ParameterSet.__setattr__ always raises, and copy/pickle restore __slots__ state with
    # setattr, so copy.copy, copy.deepcopy and pickle (multiprocessing, parallel grading) fail.
    assert copy.copy(demo) == demo
    assert copy.deepcopy(demo) == demo
    assert pickle.loads(pickle.dumps(demo)) == demo


# --------------------------------------------------------------------------------------------
# Property tests


BOUNDED = AFFINITIES["kd_il6_il6r"]


@given(st.floats(min_value=BOUNDED.bounds[0], max_value=BOUNDED.bounds[1]))
def test_with_values_accepts_any_value_inside_bounds_and_round_trips(value):
    changed = AFFINITIES.with_values(kd_il6_il6r=value)
    assert changed.value("kd_il6_il6r") == value
    assert changed["kd_il6_il6r"].bounds == BOUNDED.bounds
    assert AFFINITIES.value("kd_il6_il6r") == BOUNDED.value
    assert changed.with_values(kd_il6_il6r=BOUNDED.value) == AFFINITIES


@given(
    st.one_of(
        st.floats(max_value=BOUNDED.bounds[0], exclude_max=True, allow_nan=False),
        st.floats(min_value=BOUNDED.bounds[1], exclude_min=True, allow_nan=False),
        st.just(math.nan),
    )
)
def test_with_values_rejects_any_value_outside_bounds(value):
    with pytest.raises(ParameterError, match=r"^Parameter 'kd_il6_il6r': value "):
        AFFINITIES.with_values(kd_il6_il6r=value)
