"""Tests for course_lib.models.arrive: the ARRIVE 2.0 Essential 10 checklist and its simple checks."""

from __future__ import annotations

import re

import pytest

from course_lib.errors import CourseTypeError, UnknownNameError
from course_lib.models.arrive import ITEMS, ArriveChecklist, ArriveReport

TITLES = [
    "Study design",
    "Sample size",
    "Inclusion/exclusion criteria",
    "Randomisation",
    "Blinding",
    "Outcome measures",
    "Statistical methods",
    "Experimental animals",
    "Experimental procedures",
    "Results",
]

GOOD = {
    "study_design": "sgp130Fc-transgenic mice were compared with wild-type littermate controls; "
    "the experimental unit was the individual mouse.",
    "sample_size": "12 mice per group, 24 in total, chosen by simulation for 80% power to "
    "detect a 70% reduction.",
    "inclusion_exclusion": "Criteria set a priori: mice dying before week 40 were excluded; "
    "2 mice were excluded, leaving 11 and 11.",
    "randomisation": "Within each litter, pups were randomised by a computer-generated "
    "sequence (numpy); cages held both groups.",
    "blinding": "The pathologist who counted tumours was blinded to genotype; slides were coded.",
    "outcome_measures": "Primary outcome: number of tumours per liver counted on the surface.",
    "statistical_methods": "Negative binomial likelihood-ratio test in Python (scipy 1.17); "
    "overdispersion was checked.",
    "experimental_animals": "Male C57BL/6 mice, 2 weeks old at DEN injection, bred in-house.",
    "experimental_procedures": "DEN 25 mg/kg i.p. at day 14; harvest at 40 weeks; mice housed "
    "in individually ventilated cages.",
    "results": "Mean 14.2 (SD 8.1) vs 4.0 (SD 3.0) tumours; ratio 0.28, 95% CI 0.15 to 0.52.",
}


def test_items_follow_the_essential_10():
    assert [item.title for item in ITEMS] == TITLES
    assert [item.number for item in ITEMS] == list(range(1, 11))
    for item in ITEMS:
        assert item.guidance and item.subpoints and item.rules


def test_empty_checklist_is_all_missing():
    report = ArriveChecklist().check()
    assert isinstance(report, ArriveReport)
    assert report.complete is False
    assert report.titles("missing") == TITLES
    assert report.item("blinding").missing  # guidance is given even when nothing is written


def test_a_full_answer_is_complete():
    report = ArriveChecklist(**GOOD).check()
    assert report.titles("incomplete") == [], repr(report)
    assert report.complete is True


def test_keywords_and_attributes_fill_the_same_items():
    a = ArriveChecklist(blinding=GOOD["blinding"])
    b = ArriveChecklist()
    b.blinding = GOOD["blinding"]
    assert a.check() == b.check()


@pytest.mark.parametrize(
    ("item", "text", "advice"),
    [
        ("study_design", "Transgenic versus control groups.", "experimental unit"),
        ("sample_size", "10 mice per group.", "how the sample size was decided"),
        ("sample_size", "We did a power calculation.", "number of animals"),
        ("randomisation", "Mice were randomised; cages were mixed.", "method"),
        ("blinding", "Counting was blinded.", "who was blinded"),
        ("outcome_measures", "Tumour number per liver.", "primary outcome"),
        ("statistical_methods", "Mann-Whitney test in R.", "assumptions"),
        ("results", "Mean 14 (SD 8) vs 4 (SD 3); a 70% reduction.", "confidence interval"),
    ],
)
def test_incomplete_items_get_specific_guidance(item, text, advice):
    report = ArriveChecklist(**{item: text}).check()
    assert report.status(item) == "incomplete"
    assert any(advice in line for line in report.item(item).missing), report.item(item).missing


def test_items_can_be_named_by_title():
    report = ArriveChecklist(**GOOD).check()
    assert report.status("Inclusion/exclusion criteria") == "complete"
    assert report.status("sample size") == "complete"
    assert "Randomisation" in ArriveChecklist.guidance("randomisation")


def test_reprs_show_every_item_and_what_is_missing():
    checklist = ArriveChecklist(study_design="<b>groups</b> only")
    text = repr(checklist.check())
    assert "0 of 10 complete" in text and "Study design: incomplete" in text
    assert "experimental unit" in text
    page = checklist.check()._repr_html_()
    assert page.count("<tr>") == 11  # header + 10 items
    assert "&lt;b&gt;" not in page and "<b>groups" not in page  # answers are not echoed raw
    assert "1 of 10 items filled in" in repr(checklist)


def test_unknown_item_names_list_the_valid_ones():
    with pytest.raises(UnknownNameError, match=r"unknown ARRIVE item 'sample_sise'.*'sample_size'"):
        ArriveChecklist(sample_sise="10")
    checklist = ArriveChecklist()
    with pytest.raises(UnknownNameError, match=r"expected one of: 'study_design', 'sample_size'"):
        checklist.ethics = "approved"
    with pytest.raises(UnknownNameError, match=r"unknown ARRIVE item"):
        checklist.check().item("housing")
    with pytest.raises(UnknownNameError, match=r"unknown status 'done'"):
        checklist.check().titles("done")


def test_answers_must_be_text():
    with pytest.raises(CourseTypeError, match=r"ARRIVE item 'sample_size' takes text.*got 10"):
        ArriveChecklist(sample_size=10)


#: The words the first version of the checker looked for, listed without saying anything: it
#: scored such a text 8 of 10.
KEYWORDS = {
    "study_design": "control, mouse, experimental unit, litter, cage",
    "sample_size": "10, power, simulation, calculation, pilot, justified",
    "inclusion_exclusion": "a priori, exclusion, inclusion, criteria, 3, none",
    "randomisation": "random, computer, software, numpy, cage, order, litter, block",
    "blinding": "blind, coded, pathologist, observer, outcome, assessment, analysis",
    "outcome_measures": "count, number, volume, primary, outcome",
    "statistical_methods": "test, model, software, Python, assumptions, normality, check",
    "experimental_animals": "mouse, strain, C57BL, male, weeks, age, bred, supplier",
    "experimental_procedures": "dose, mg/kg, injection, i.p., route, weeks, time, housing, cage",
    "results": "mean, SD, ratio, effect, CI, confidence interval",
}

#: Short, sensible answers, one sentence or two each.
SHORT = {
    "study_design": "sgp130Fc-transgenic mice vs wild-type littermate controls; the experimental "
    "unit is the mouse.",
    "sample_size": "n = 12 per group (24 in total): a simulation gave 80% power for a 70% "
    "reduction.",
    "inclusion_exclusion": "Set before the study: mice that die before week 40 are excluded. "
    "3 of 24 were excluded because they died, leaving 21.",
    "randomisation": "Pups were randomised within each litter with a computer-generated sequence.",
    "blinding": "The pathologist counting tumours was blinded to genotype.",
    "outcome_measures": "Primary outcome: number of tumours per liver.",
    "statistical_methods": "Negative binomial likelihood-ratio test in R 4.3; overdispersion "
    "was checked.",
    "experimental_animals": "Male C57BL/6J mice, 2 weeks old at DEN, bred in-house.",
    "experimental_procedures": "DEN 25 mg/kg i.p. at day 14; harvest at 40 weeks; housed 4 per "
    "cage.",
    "results": "Mean 14.2 ± 8.1 vs 4.0 ± 3.0 tumours per liver; ratio of means 0.28 (95% CI "
    "0.15 to 0.52).",
}


def test_a_list_of_keywords_is_not_a_report():
    report = ArriveChecklist(**KEYWORDS).check()
    assert report.complete is False
    assert len(report.titles("complete")) <= 1, repr(report)


def test_short_sensible_answers_are_complete():
    report = ArriveChecklist(**SHORT).check()
    assert report.complete, repr(report)


@pytest.mark.parametrize(
    "text",
    [
        "Criteria set a priori: mice that die before harvest are excluded; we report how many "
        "were excluded and the n analysed per group.",
        "Defined before the study: animals losing more than 20% of body weight are excluded; "
        "none were excluded.",
        "Pre-specified: mice with injection injuries were excluded; 2 mice were excluded, "
        "leaving 11 and 11.",
    ],
)
def test_exclusions_reported_sensibly_are_complete(text):
    report = ArriveChecklist(inclusion_exclusion=text).check()
    assert report.status("inclusion_exclusion") == "complete", report.item("inclusion_exclusion")


@pytest.mark.parametrize(
    ("item", "text", "advice"),
    [
        ("sample_size", "Power calculation: 12.", "number of animals per group"),
        ("randomisation", "Randomised by computer; cages.", "method that produced the sequence"),
        ("blinding", "The pathologist was blinded.", "blinded TO what"),
        ("inclusion_exclusion", "Set a priori: exclusion criteria applied.", "who is excluded"),
        ("experimental_animals", "Male C57BL/6 mice, young, bred in-house.", "age"),
        ("experimental_procedures", "DEN i.p. at 2 weeks; housed 4 per cage.", "which dose"),
    ],
)
def test_keywords_without_their_substance_are_incomplete(item, text, advice):
    report = ArriveChecklist(**{item: text}).check()
    assert report.status(item) == "incomplete"
    assert any(advice in line for line in report.item(item).missing), report.item(item).missing


def test_the_html_table_keeps_each_bullet_beside_its_text():
    # JupyterLab right-aligns table cells; a right-aligned list sets its bullets far from
    # the words. Every cell with words or a list is left-aligned.
    page = ArriveChecklist().check()._repr_html_()
    lists = re.findall(r"<td([^>]*)><ul([^>]*)>", page)
    assert len(lists) == 10
    for cell, ul in lists:
        assert "text-align: left" in cell and "text-align: left" in ul
