"""Lessons 00-03: every predict box reveals what the model computes, and the lessons share one rhythm.

The rhythm (one question and a widget within the first five minutes, predictions at the key
ideas, a "Check yourself" per section, honest section times) is checked on the notebooks'
text; the predict boxes are committed with a wrong answer and their reveal is compared with
numbers recomputed here from ``course_lib.models``.
"""

from __future__ import annotations

import html
import json
import math
import re

import numpy as np
import pytest
from course_testing import PACKAGE_DIR

from course_lib._text import format_number, format_percent
from course_lib.models.affinities import AFFINITY_SETS
from course_lib.models.binding import fractional_occupancy, serum_equilibrium
from course_lib.models.signaling import dose_response, simulate
from course_lib.models.stimuli import stimulate
from course_lib.parameters import SERUM_HUMAN
from course_lib.units import to_molar
from course_lib.widgets.predictions import binding, concentrations, dynamics, pathways

ROOT = PACKAGE_DIR.parent
LESSONS = [
    "00_start_here.ipynb",
    "01_two_pathways.ipynb",
    "02_binding_and_buffer.ipynb",
    "03_signalling_dynamics.ipynb",
]
MAX_WORDS_BEFORE_WIDGET = 350
NO_CHECK = ("Key points", "References", "Exercises", "Your exercises", "Your warm-up exercise")
EXERCISE_HEADINGS = ("Exercises", "Your exercises", "Your warm-up exercise")
GLOSSARY_ANCHORS = {
    "gp130", "IL-6R", "sIL-6R", "ADAM17", "Hyper-IL-6", "sgp130Fc", "classic-signalling",
    "trans-signalling", "STAT3", "SOCS3", "Kd", "EC50",
}  # fmt: skip


# --------------------------------------------------------------------------------------------
# What the model says, recomputed here from course_lib.models


def _serum_nM():
    il6 = to_molar(SERUM_HUMAN.value("il6_healthy"), "pg/mL", "IL-6")
    sil6r = to_molar(SERUM_HUMAN.value("sil6r"), "ng/mL", "sIL-6R")
    sgp130 = to_molar(SERUM_HUMAN.value("sgp130"), "ng/mL", "sgp130")
    return il6, sil6r, sgp130


def _free(il6, sil6r, sgp130=0.0):
    return serum_equilibrium(il6=il6, sil6r=sil6r, sgp130=sgp130).il6_fractions()["free"]


def _share(fraction):
    return "most" if fraction >= 0.8 else "half" if fraction >= 0.2 else "few"


def expect_healthy_occupancy():
    il6 = _serum_nM()[0]
    share = fractional_occupancy(il6, AFFINITY_SETS["textbook"].value("kd_il6_il6r"))
    key = next(k for k, low in (("half", 0.2), ("tenth", 0.02), ("percent", 1e-3),
                                ("trace", 0.0)) if share >= low)  # fmt: skip
    return [(key, [format_percent(share), f"{format_number(il6 * 1000)} pM"])]


def expect_sil6r_in_nM():
    nM = to_molar(40, "ng/mL", "sIL-6R")
    candidates = {"kda_as_g": 800.0, "tenfold": 8.0, "right": 0.8, "ml_as_l": 0.0008}
    key = min(candidates, key=lambda k: abs(math.log10(candidates[k] / nM)))
    return [(key, [f"{format_number(nM)} nM"])]


def expect_shared_gp130():
    alone = stimulate("hepatocyte", "IL-6").occupancy
    both = stimulate("hepatocyte", "IL-6 + sIL-6R").occupancy
    before, after = alone.classic + alone.trans, both.classic + both.trans
    assert after > 1.05 * before and both.classic < 0.95 * alone.classic  # the lesson's claim
    return [
        (
            "more_shared",
            [
                format_number(before),
                format_number(after),
                format_number(both.classic),
                format_number(both.trans),
            ],
        )
    ]


def expect_sgp130fc_block():
    without = stimulate("endothelial cell", "IL-6 + sIL-6R").occupancy
    drug = stimulate("endothelial cell", "IL-6 + sIL-6R", sgp130fc_ug_ml=1.0).occupancy
    cut = 1 - drug.trans / without.trans
    key = "off" if drug.response() == 0 else "cut_on" if cut >= 0.5 else "little"
    assert key == "cut_on"  # what lesson 01's explorer notes say
    return [(key, [format_number(without.trans), format_number(drug.trans), format_percent(cut)])]


def expect_serum_buffer():
    il6, sil6r, sgp130 = _serum_nM()
    healthy, sepsis = _free(il6, sil6r, sgp130), _free(1000 * il6, sil6r, sgp130)
    ratio = sepsis / healthy
    change = "rises" if ratio > 2 else "falls" if ratio < 0.5 else "same"
    return [
        (_share(healthy), [format_percent(healthy)]),
        (change, [format_percent(healthy), format_percent(sepsis), format_number(ratio)]),
    ]


def expect_depletion():
    il6, sil6r, _ = _serum_nM()
    free = _free(il6, sil6r)
    return [(_share(free), [format_percent(free), format_percent((1 - free) * il6 / sil6r)])]


def _hepatocyte(**kw):
    return simulate("hepatocyte", il6=to_molar(10, "ng/mL", "IL-6"), **kw)


def expect_pulse_or_plateau():
    run = _hepatocyte()
    kept = run.pstat3[-1] / run.peak()
    at_1h = np.interp(60.0, run.t, run.pstat3) / run.peak()
    key = "pulse" if kept < 0.5 else "plateau" if at_1h >= 0.8 else "slow"
    return [(key, [f"{format_number(run.peak_time())} min", format_percent(kept)])]


def expect_socs3_brake():
    on, off = _hepatocyte(), _hepatocyte(socs3_feedback=False)
    higher, stays = off.peak() > 1.25 * on.peak(), off.pstat3[-1] / off.peak() >= 0.5
    key = {(False, True): "sustained", (True, True): "both", (True, False): "higher"}.get(
        (higher, stays), "none"
    )
    return [
        (
            key,
            [
                f"{format_number(off.peak() / on.peak())} times",
                format_percent(on.pstat3[-1] / on.peak()),
            ],
        )
    ]


def expect_receptor_ratio():
    out = []
    for ratio in (1, 100):
        kw = {"il6r": ratio * 5000.0}
        classic = dose_response("hepatocyte", [1e-3], **kw).peak[0]
        trans = dose_response("hepatocyte", [1e-3], stimulus="Hyper-IL-6", **kw).peak[0]
        r = classic / trans
        out.append(("trans" if r < 0.5 else "classic" if r > 2 else "similar", [format_number(r)]))
    assert [key for key, _ in out] == ["trans", "similar"]  # Reeh 2019, as lesson 03 teaches
    return out


BOXES = {
    "00 healthy_occupancy": (concentrations.healthy_occupancy, expect_healthy_occupancy),
    "00 sil6r_in_nM": (concentrations.sil6r_in_nM, expect_sil6r_in_nM),
    "01 shared_gp130": (pathways.shared_gp130, expect_shared_gp130),
    "01 sgp130fc_block": (pathways.sgp130fc_block, expect_sgp130fc_block),
    "02 serum_buffer": (binding.serum_buffer, expect_serum_buffer),
    "02 depletion": (binding.depletion, expect_depletion),
    "03 pulse_or_plateau": (dynamics.pulse_or_plateau, expect_pulse_or_plateau),
    "03 socs3_brake": (dynamics.socs3_brake, expect_socs3_brake),
    "03 receptor_ratio": (dynamics.receptor_ratio, expect_receptor_ratio),
}


@pytest.mark.parametrize("name", list(BOXES))
def test_a_wrong_prediction_reveals_the_models_answer(name):
    factory, expect = BOXES[name]
    box = factory()
    expected = expect()
    assert len(box.questions) == len(expected)
    assert box.answers is None and all(r.value == "" for r in box.reveals)
    for choice, (key, _) in zip(box.choices, expected, strict=True):
        wrong = next(v for _, v in choice.options if v != key)
        choice.value = wrong
    assert box.commit() is True
    assert box.answers == {i: key for i, (key, _) in enumerate(expected)}
    for q, reveal, (key, numbers) in zip(box.questions, box.reveals, expected, strict=True):
        assert "not what you predicted" in reveal.value
        assert f"the model (simulated) gives <b>{html.escape(q.options[key])}</b>" in reveal.value
        for number in numbers:
            assert html.escape(number) in reveal.value, f"{name}: {number!r} not in the reveal"
    assert all(row["match"] is False for row in box.record)


@pytest.mark.parametrize("name", list(BOXES))
def test_every_option_is_a_distinct_answer_and_the_model_picks_one(name):
    factory, _ = BOXES[name]
    box = factory()
    for q in box.questions:
        assert 3 <= len(q.options) <= 4 and len(set(q.options.values())) == len(q.options)
        assert q.model().key in q.options and q.model().detail.endswith(".")


# --------------------------------------------------------------------------------------------
# The notebooks


def _cells(name):
    nb = json.loads((ROOT / "notebooks" / name).read_text("utf-8"))
    return [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]]


_DETAILS = re.compile(r"<details>.*?</details>", re.S)
_CALL = re.compile(r"\b(?:predictions\.)?(concentrations|pathways|binding|dynamics)\.\w+\(")
_WIDGET = re.compile(r"\bwidgets\.\w+\(")


def visible_words(markdown: str) -> int:
    """Words a student sees without opening a folded note (link targets are not words)."""
    text = re.sub(r"\]\([^)]*\)", "]", _DETAILS.sub(" ", markdown))
    return sum(1 for token in text.split() if re.search(r"\w", token))


def words_before_first_widget(name: str) -> int:
    words = 0
    for kind, source in _cells(name):
        if kind == "code" and (_WIDGET.search(source) or _CALL.search(source)):
            return words
        if kind == "markdown":
            words += visible_words(source)
    raise AssertionError(f"{name} has no widget cell")


def sections(name: str) -> list[tuple[str, str]]:
    """(## heading, the markdown under it up to the next ## heading)."""
    text = "\n".join(source for kind, source in _cells(name) if kind == "markdown")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return list(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize("name", LESSONS)
def test_a_question_and_a_widget_come_first(name):
    words = words_before_first_widget(name)
    assert words <= MAX_WORDS_BEFORE_WIDGET, f"{name}: {words} visible words before the widget"


@pytest.mark.parametrize("name", LESSONS)
def test_predictions_come_from_the_lessons_module(name):
    calls = [s for kind, s in _cells(name) if kind == "code" and _CALL.search(s)]
    assert len(calls) >= 2, f"{name}: {len(calls)} predict cells"
    modules = {m.group(1) for s in calls for m in _CALL.finditer(s)}
    source = "\n".join(s for kind, s in _cells(name) if kind == "code")
    for module in modules:
        assert f"from course_lib.widgets.predictions import {module}" in source
    after = [
        _cells(name)[i + 1 :]
        for i, (kind, s) in enumerate(_cells(name))
        if kind == "code" and _CALL.search(s)
    ]
    for rest in after:  # an Explain prompt follows each prediction
        following = "\n".join(s for kind, s in rest if kind == "markdown")
        assert "**Explain" in following, f"{name}: a prediction without an Explain prompt"


@pytest.mark.parametrize("name", LESSONS)
def test_each_section_ends_with_check_yourself(name):
    for heading, body in sections(name):
        if heading.split(" (")[0] in NO_CHECK:
            continue
        assert "**Check yourself.**" in body, f"{name}: '## {heading}' has no Check yourself"
        assert re.search(r"<details><summary>Answer</summary>\n\n.+?\n\n</details>", body, re.S), (
            f"{name}: '## {heading}': the answer must fold in <details> with blank lines"
        )


@pytest.mark.parametrize("name", LESSONS)
def test_folded_markdown_renders(name):
    for kind, source in _cells(name):
        if kind != "markdown":
            continue
        for block in re.findall(r"<details>.*?</details>", source, re.S):
            assert re.match(r"<details><summary>[^<]+</summary>\n\n", block), block[:80]
            assert block.endswith("\n\n</details>"), block[-80:]


@pytest.mark.parametrize("name", LESSONS)
def test_section_times_add_up_to_the_stated_total(name):
    top = _cells(name)[0][1]
    reading, exercises = map(
        int, re.search(r"\*\*Time\*\* \| (\d+) min reading and exploring, (\d+) min", top).groups()
    )
    minutes, exercise_minutes = 0, 0
    for heading, _ in sections(name):
        if heading == "References":
            continue
        found = re.search(r"\((\d+) min\)$", heading)
        assert found, f"{name}: '## {heading}' has no (N min)"
        if heading.split(" (")[0] in EXERCISE_HEADINGS:
            exercise_minutes += int(found.group(1))
        else:
            minutes += int(found.group(1))
    assert minutes == reading, f"{name}: sections add up to {minutes} min, the top says {reading}"
    assert exercise_minutes in (0, exercises)


@pytest.mark.parametrize("name", LESSONS)
def test_glossary_links_use_the_agreed_anchors_once(name):
    text = "\n".join(s for kind, s in _cells(name) if kind == "markdown")
    anchors = re.findall(r"\]\(glossary\.ipynb#([^)]+)\)", text)
    assert set(anchors) <= GLOSSARY_ANCHORS, set(anchors) - GLOSSARY_ANCHORS
    assert len(anchors) == len(set(anchors)), f"{name}: a term is linked twice"
    assert {"gp130", "IL-6R", "trans-signalling"} <= set(anchors)
