"""The ARRIVE 2.0 "Essential 10" as a checklist a student fills in and checks.

ARRIVE 2.0 (Percie du Sert et al., PLoS Biol 2020, doi:10.1371/journal.pbio.3000410) lists what
a report of an animal study must contain so a reader can judge whether it is reliable. The ten
essential items are attributes of `ArriveChecklist`; `ArriveChecklist.check` reads each answer
and reports it as complete, incomplete or missing, with guidance on what is still missing.

How the check works (a teaching aid, not a judge). Every item has a few *rules*, and each rule
looks for the item's substance, not for a keyword: a number with its unit ("n = 12 per group",
"DEN 25 mg/kg", "2 weeks old"), a named method ("a computer-generated sequence", "negative
binomial likelihood-ratio test"), or a relation between words ("blinded to genotype", "3 of 24
excluded because ...", "80% power"). A rule is a regular expression (case ignored). An item is
*complete* when all its rules are met, *incomplete* when it has text but misses a rule, *missing*
when empty. A list of keywords ("power, random, blind, primary") meets almost nothing. The check
still cannot tell a good justification from a bad one: read the guidance, not just the verdict.

>>> checklist = ArriveChecklist(sample_size="10 mice per group (20 in total)")
>>> report = checklist.check()
>>> report.complete, report.status("sample size")
(False, 'incomplete')
>>> print(report.item("sample size").missing[0])
say how the sample size was decided, with its numbers (e.g. 'a simulation gave 80% power for a 70% reduction')
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from course_lib.errors import CourseTypeError, require_name
from course_lib.models.arrive_items import ITEMS, ArriveItem

__all__ = ["ITEMS", "ArriveChecklist", "ArriveItem", "ArriveReport", "ItemResult"]


_BY_KEY = {item.key: item for item in ITEMS}
_STATUSES = ("complete", "incomplete", "missing")


@dataclass(frozen=True)
class ItemResult:
    """The verdict on one item: status, what was found and what is still missing."""

    item: ArriveItem
    status: str  # "complete", "incomplete" or "missing"
    found: tuple[str, ...]  # rules met (their advice text)
    missing: tuple[str, ...]  # advice for the rules not met


@dataclass(frozen=True)
class ArriveReport:
    """The result of `ArriveChecklist.check`: one `ItemResult` per Essential 10 item."""

    results: tuple[ItemResult, ...]

    @property
    def complete(self) -> bool:
        """True when all ten items are complete."""
        return all(r.status == "complete" for r in self.results)

    def item(self, name: str) -> ItemResult:
        """The result for one item, by attribute name or title ("sample size" works too)."""
        return self.results[ITEMS.index(_BY_KEY[_item_key(name)])]

    def status(self, name: str) -> str:
        """ "complete", "incomplete" or "missing" for one item."""
        return self.item(name).status

    def titles(self, status: str) -> list[str]:
        """Titles of the items with the given status."""
        status = require_name("status", status, _STATUSES)
        return [r.item.title for r in self.results if r.status == status]

    def __repr__(self) -> str:
        done = len(self.titles("complete"))
        lines = [f"ARRIVE Essential 10: {done} of 10 complete"]
        for r in self.results:
            lines.append(f"{r.item.number:>2}. {r.item.title}: {r.status}")
            lines += [f"      - {advice}" for advice in r.missing]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        marks = {"complete": "✔ complete", "incomplete": "◐ incomplete", "missing": "✘ missing"}
        # JupyterLab right-aligns table cells, which set a list's bullets far from its text:
        # the text cells are left-aligned and the list starts at the cell's edge.
        left = ' style="text-align: left"'
        bullets = ' style="text-align: left; margin: 0; padding-left: 1.2em"'
        rows = "".join(
            f"<tr><td>{r.item.number}</td><td{left}>{html.escape(r.item.title)}</td>"
            f"<td{left}>{marks[r.status]}</td><td{left}>"
            + (
                f"<ul{bullets}>"
                + "".join(f"<li>{html.escape(a)}</li>" for a in r.missing)
                + "</ul>"
                if r.missing
                else ""
            )
            + "</td></tr>"
            for r in self.results
        )
        done = len(self.titles("complete"))
        return (
            f"<table><caption>ARRIVE Essential 10: {done} of 10 complete</caption>"
            "<thead><tr><th>#</th><th>item</th><th>status</th><th>still needed</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )


def _item_key(name: object) -> str:
    """The attribute name for an item given by attribute name or by title (case ignored)."""
    if isinstance(name, str):
        fold = "".join(ch for ch in name.lower() if ch.isalnum())
        for item in ITEMS:
            if fold == "".join(ch for ch in item.title.lower() if ch.isalnum()):
                return item.key
    return require_name("ARRIVE item", name, _BY_KEY)


def _check_item(item: ArriveItem, text: str) -> ItemResult:
    if not text.strip():
        return ItemResult(item, "missing", (), tuple(advice for _, advice in item.rules))
    met = [bool(re.search(pattern, text, flags=re.IGNORECASE)) for pattern, _ in item.rules]
    found = tuple(advice for (_, advice), ok in zip(item.rules, met, strict=True) if ok)
    missing = tuple(advice for (_, advice), ok in zip(item.rules, met, strict=True) if not ok)
    return ItemResult(item, "complete" if all(met) else "incomplete", found, missing)


class ArriveChecklist:
    """The ARRIVE 2.0 Essential 10, filled in as text.

    Each item is an attribute holding a string (empty until filled in): ``study_design``,
    ``sample_size``, ``inclusion_exclusion``, ``randomisation``, ``blinding``,
    ``outcome_measures``, ``statistical_methods``, ``experimental_animals``,
    ``experimental_procedures`` and ``results``. Set them one by one or as keywords.

    Examples
    --------
    >>> checklist = ArriveChecklist()
    >>> checklist.blinding = "The pathologist counting tumours was blinded to genotype."
    >>> checklist.check().status("blinding")
    'complete'
    >>> checklist.sample_sise = "10"
    Traceback (most recent call last):
    ...
    course_lib.errors.UnknownNameError: unknown ARRIVE item 'sample_sise'; expected one of: 'study_design', 'sample_size', 'inclusion_exclusion', 'randomisation', 'blinding', 'outcome_measures', 'statistical_methods', 'experimental_animals', 'experimental_procedures', 'results'. Did you mean 'sample_size'?
    """

    def __init__(self, **items: str) -> None:
        for key in _BY_KEY:
            object.__setattr__(self, key, "")
        for name, text in items.items():
            setattr(self, name, text)

    def __setattr__(self, name: str, text: object) -> None:
        key = require_name("ARRIVE item", name, _BY_KEY)
        if not isinstance(text, str):
            raise CourseTypeError(
                f"ARRIVE item {key!r} takes text (a str); got {text!r} of type "
                f"{type(text).__name__}. Write the answer as a sentence, e.g. "
                f'checklist.{key} = "...".'
            )
        object.__setattr__(self, key, text)

    @staticmethod
    def guidance(name: str) -> str:
        """What an item asks for, with its sub-points, as plain text."""
        item = _BY_KEY[_item_key(name)]
        points = "\n".join(f"  - {p}" for p in item.subpoints)
        return f"{item.number}. {item.title}: {item.guidance}\n{points}"

    def check(self) -> ArriveReport:
        """Check every item; see the module docstring for how (and how little) it judges."""
        return ArriveReport(tuple(_check_item(it, getattr(self, it.key)) for it in ITEMS))

    def __repr__(self) -> str:
        filled = sum(bool(getattr(self, key).strip()) for key in _BY_KEY)
        return f"ArriveChecklist({filled} of 10 items filled in; call .check() for feedback)"
