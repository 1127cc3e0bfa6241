"""Lessons 04-07: their predict boxes, their rhythm, and the glossary they link to.

Each predict box is committed with a wrong prediction; the reveal must show the model's answer,
recomputed here from `course_lib.models`. Each lesson notebook must open with a question and a
widget (at most 350 visible words before it), end each section with "Check yourself", state
section times that add up to its total, and link only to glossary terms that exist.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from course_lib._text import format_number as f
from course_lib.models.liver import expected_tumours
from course_lib.models.mouse import signals
from course_lib.models.power import power_curve, repeat_rates
from course_lib.models.prevention import study_numbers
from course_lib.models.selectivity import compare_settings
from course_lib.models.therapy import DRUGS, inhibition
from course_lib.widgets.predictions import capstone, design, liver_cancer, trap

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
#: Lesson notebook -> its predictions module (lessons join as they are rebuilt).
LESSONS: dict[str, str] = {
    "04_sgp130fc_mechanism.ipynb": "trap",
    "05_il6_and_liver_cancer.ipynb": "liver_cancer",
    "06_experimental_design.ipynb": "design",
    "07_capstone.ipynb": "capstone",
}
GLOSSARY_TERMS = (
    "gp130", "IL-6R", "sIL-6R", "ADAM17", "Hyper-IL-6", "sgp130Fc", "classic signalling",
    "trans-signalling", "STAT3", "SOCS3", "Kd", "EC50", "CAR agonist", "DEN", "TCPOBOP", "NB k",
    "LRT", "overdispersion", "power", "litter effect", "blinding", "randomisation", "ARRIVE",
    "experimental unit",
)  # fmt: skip
NO_CHECK = ("key points", "references", "exercises", "if you want more")
MAX_WORDS_BEFORE_WIDGET = 350


def _commit_wrong(box):
    """Commit the first option that is not the model's answer; return the reveal texts."""
    answers = [q.model().key for q in box.questions]
    for choice, right in zip(box.choices, answers, strict=True):
        choice.value = next(key for _words, key in choice.options if key != right)
    assert box.commit()
    assert all(r["match"] is False for r in box.record)
    return [r.value for r in box.reveals]


def _gives(box, i: int, key: str) -> str:
    return f"the model (simulated) gives <b>{html.escape(box.questions[i].options[key])}</b>"


def _pct(x: float) -> str:
    return f"{f(100 * x)}%"


# The predict boxes


def test_trap_no_sil6r():
    box = trap.no_sil6r()
    (text,) = _commit_wrong(box)
    left = inhibition("sgp130Fc", [1.0, 100.0, 1e4], background={"il6": 0.5, "sil6r": 0.0})
    assert np.allclose(left.classic_remaining, 1.0)
    assert _gives(box, 0, "same") in text and "not what you predicted" in text
    assert ", ".join(_pct(x) for x in left.classic_remaining) in text


def test_trap_potency():
    box = trap.potency()
    (text,) = _commit_wrong(box)
    conc = np.logspace(-3, 4, 400)
    ic50 = {name: inhibition(name, conc).ic50("trans") for name in DRUGS}
    assert _gives(box, 0, min(ic50, key=ic50.get)) in text
    assert all(f"{name} {f(v)} nM" in text for name, v in ic50.items())


def test_trap_dish_or_blood():
    box = trap.dish_or_blood()
    (text,) = _commit_wrong(box)
    here = compare_settings("mouse (DEN/TCPOBOP)", level_ug_ml=30.0).at_level()
    assert here["dish"]["classic"] < 0.9 <= here["blood"]["classic"]
    assert _gives(box, 0, "blood") in text
    assert f"{_pct(here['dish']['classic'])} in the dish" in text


def test_trap_transgenic_hepatocyte():
    box = trap.transgenic_hepatocyte()
    (text,) = _commit_wrong(box)
    tg = signals(genotype="sgp130Fc transgenic")
    assert tg.hepatocyte_classic[0] == pytest.approx(1.0, abs=0.05)
    assert _gives(box, 0, "kept") in text
    assert f"classic signal {f(tg.hepatocyte_classic[0])} and trans signal " in text
    assert f(tg.hepatocyte_trans[0]) in text


def test_liver_cancer_cohort_sex():
    box = liver_cancer.cohort_sex()
    (text,) = _commit_wrong(box)
    male, female = expected_tumours(sex="male"), expected_tumours(sex="female")
    assert female < 0.2 * male
    assert _gives(box, 0, "few") in text and f"{f(male)} in males, {f(female)} in females" in text


def test_liver_cancer_which_line():
    box = liver_cancer.which_line()
    (text,) = _commit_wrong(box)
    for line in liver_cancer.LINES:
        by = {d: expected_tumours(genotype=line, driver=d) for d in ("trans", "classic")}
        wild = expected_tumours(genotype="wild type")
        assert (by["trans"] < 0.5 * wild) != (by["classic"] < 0.5 * wild)  # the line tells
        assert f"{line}: {f(by['trans'])} tumours per liver if trans drives" in text
    assert _gives(box, 0, "either") in text


def test_liver_cancer_classic_world():
    box = liver_cancer.classic_world()
    texts = _commit_wrong(box)
    for i, line in enumerate(liver_cancer.LINES):
        mean = expected_tumours(genotype=line, driver="classic")
        wild = expected_tumours(genotype="wild type", driver="classic")
        key = "protected" if mean < 0.5 * wild else "tumours"
        assert _gives(box, i, key) in texts[i] and f"{line} {f(mean)} tumours" in texts[i]
    assert box.answers == {0: "tumours", 1: "protected"}


def test_design_false_positives():
    box = design.false_positives()
    (text,) = _commit_wrong(box)
    lab = dict(design.FLAWED_LAB)
    rate = repeat_rates(lab.pop("comparison"), lab.pop("n"), **lab)[1]
    assert rate > 0.15
    assert _gives(box, 0, "high") in text and f"{_pct(rate)} of 200 simulated repeats" in text


def test_design_treatment_study():
    box = design.treatment_study()
    (text,) = _commit_wrong(box)
    reduction, rate, _ = repeat_rates(**design.TREATMENT_LAB)
    assert rate < 0.3
    assert _gives(box, 0, "few") in text
    assert f"cuts tumours by {_pct(reduction)}; {_pct(rate)} of 200 repeats" in text


def test_design_sample_size():
    box = design.sample_size()
    (text,) = _commit_wrong(box)
    curve = power_curve(0.5, "Mann-Whitney", 3.0, 14.6)
    n = int(next(n for n, p in zip(curve.n, curve.power, strict=True) if p >= 0.8))
    assert f"is {n} mice per group" in text
    assert _gives(box, 0, "20" if 12 < n <= 25 else box.answers[0]) in text


def test_design_mixed_sex():
    box = design.mixed_sex()
    (text,) = _commit_wrong(box)
    from course_lib.models.power import power

    rates = [
        power(14.6, 0.7, [10], sex=s, litter_cv=0.0, attrition=0.0, n_experiments=400, rng=3)
        for s in ("male", "mixed")
    ]
    assert rates[0].power[0] > rates[1].power[0] + 0.1
    assert _gives(box, 0, "male") in text
    assert f"{_pct(rates[0].power[0])} with males, {_pct(rates[1].power[0])} with mixed" in text


def test_capstone_patient_peak():
    box = capstone.patient_peak()
    (text,) = _commit_wrong(box)
    peak = capstone.peak_ug_ml()
    assert 150 < peak < 300  # the order of 600 mg in about 3 L of plasma
    here = compare_settings("human, high IL-6", level_ug_ml=peak).at_level()
    assert here["dish"]["classic"] < 0.9 <= here["blood"]["classic"]
    assert _gives(box, 0, "blood") in text and f"peak of {f(peak)} µg/mL" in text


def test_capstone_planner_window():
    box = capstone.planner_window()
    (text,) = _commit_wrong(box)
    s = study_numbers(30.0, 4.0)
    assert s.in_window
    assert _gives(box, 0, "inside") in text
    assert f"the window runs from {f(s.window_ug_ml[0])} to {f(s.window_ug_ml[1])}" in text


def test_capstone_late_start():
    box = capstone.late_start()
    (text,) = _commit_wrong(box)
    early, late = study_numbers(30.0, 4.0), study_numbers(30.0, 20.0)
    assert late.reduction < early.reduction
    key = "beyond" if late.n_for_80 is None else box.answers[0]
    assert _gives(box, 0, key) in text and f"by {_pct(late.reduction)} from week 20" in text


# The lesson notebooks


def _cells(name: str):
    return nbformat.read(NOTEBOOKS / name, as_version=4).cells


def _visible(markdown: str) -> str:
    """Markdown as a reader sees it before unfolding: <details> bodies dropped, summaries kept."""
    text = re.sub(r"<details>\s*<summary>(.*?)</summary>.*?</details>", r"\1", markdown, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def _is_widget(cell) -> bool:
    return cell.cell_type == "code" and bool(
        re.search(r"\bwidgets\.\w+\(|\b(trap|liver_cancer|design|capstone)\.\w+\(", cell.source)
    )


def words_before_first_widget(name: str) -> int:
    """Visible words of markdown before the first cell that shows a widget."""
    words = 0
    for cell in _cells(name):
        if _is_widget(cell):
            return words
        if cell.cell_type == "markdown":
            words += len(_visible(cell.source).split())
    raise AssertionError(f"{name} has no widget cell")


def _sections(name: str) -> list[tuple[str, str]]:
    """(heading, markdown of the section) for each ## section."""
    sections: list[tuple[str, str]] = []
    for cell in _cells(name):
        if cell.cell_type != "markdown":
            continue
        for part in re.split(r"(?m)^(?=## )", cell.source):
            if part.startswith("## "):
                heading, _, body = part.partition("\n")
                sections.append((heading[3:].strip(), body))
            elif sections:
                sections[-1] = (sections[-1][0], sections[-1][1] + "\n" + part)
    return sections


@pytest.mark.parametrize("name", LESSONS)
def test_a_question_and_a_widget_come_first(name):
    words = words_before_first_widget(name)
    assert words <= MAX_WORDS_BEFORE_WIDGET, f"{name}: {words} visible words before a widget"


@pytest.mark.parametrize(("name", "module"), LESSONS.items())
def test_at_least_two_predict_boxes(name, module):
    calls = [
        c
        for c in _cells(name)
        if c.cell_type == "code" and re.search(rf"\b{module}\.\w+\(", c.source)
    ]
    assert len(calls) >= 2, f"{name} has {len(calls)} predict boxes"
    assert any(
        f"from course_lib.widgets.predictions import {module}" in c.source for c in _cells(name)
    )


@pytest.mark.parametrize("name", LESSONS)
def test_each_section_ends_with_check_yourself(name):
    sections = _sections(name)
    assert sections
    for heading, body in sections:
        if heading.lower().startswith(NO_CHECK):
            continue
        assert "Check yourself" in body, f"{name}: section {heading!r} has no Check yourself"
        check = body[body.index("Check yourself") :]
        assert re.search(r"<details>\s*<summary>Answer</summary>", check), heading


@pytest.mark.parametrize("name", LESSONS)
def test_section_times_add_up_to_the_total(name):
    cells = _cells(name)
    total = re.search(r"\*\*Time\*\*\W+(\d+) min", cells[0].source)
    assert total, f"{name}: no '**Time** ... N min' in the first cell"
    minutes = []
    for heading, _ in _sections(name):
        if heading.lower().startswith(NO_CHECK):
            continue
        m = re.search(r"\((\d+) min\)\s*$", heading)
        assert m, f"{name}: section {heading!r} has no '(N min)'"
        minutes.append(int(m.group(1)))
    assert sum(minutes) == int(total.group(1)), (name, minutes, total.group(1))


# The glossary


def _glossary_headings() -> list[str]:
    cells = _cells("glossary.ipynb")
    assert all(c.cell_type == "markdown" for c in cells)
    return [m for c in cells for m in re.findall(r"(?m)^### (.+?)\s*$", c.source)]


def test_glossary_has_every_term():
    headings = _glossary_headings()
    missing = [t for t in GLOSSARY_TERMS if t not in headings]
    assert not missing, missing
    assert len(headings) == len(set(headings))


def test_every_glossary_link_points_at_a_heading():
    anchors = {h.replace(" ", "-") for h in _glossary_headings()}
    broken = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for anchor in re.findall(r"\(glossary\.ipynb#([^)\s]+)\)", cell.source):
                if anchor not in anchors:
                    broken.append((path.name, anchor))
    assert not broken, broken


def test_the_glossary_is_listed_where_the_notebooks_are():
    assert "notebooks/glossary.ipynb" in (ROOT / "README.md").read_text("utf-8")
    refs = " ".join(c.source for c in _cells("references.ipynb"))
    assert "(glossary.ipynb)" in refs


@pytest.mark.parametrize("name", LESSONS)
def test_lessons_link_the_glossary(name):
    text = " ".join(c.source for c in _cells(name) if c.cell_type == "markdown")
    assert len(re.findall(r"\(glossary\.ipynb#", text)) >= 5
