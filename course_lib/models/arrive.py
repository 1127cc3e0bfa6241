"""The ARRIVE 2.0 "Essential 10" as a checklist a student fills in and checks.

ARRIVE 2.0 (Percie du Sert et al., PLoS Biol 2020, doi:10.1371/journal.pbio.3000410) lists what
a report of an animal study must contain so a reader can judge whether it is reliable. The ten
essential items are attributes of `ArriveChecklist`; `ArriveChecklist.check` reads each answer
and reports it as complete, incomplete or missing, with guidance on what is still missing.

How the check works (simple on purpose: it is a teaching aid, not a judge). Every item has a
few *rules*; a rule is a short list of words or patterns (a regular expression, case ignored),
and it is met when the answer contains any of them. "Sample size" needs a number and a word
showing how n was decided (power, simulation, pilot...). An item is *complete* when all its
rules are met, *incomplete* when it has text but misses a rule, *missing* when empty. The check
cannot tell a good justification from a bad one: read the guidance, not just the verdict.

>>> checklist = ArriveChecklist(sample_size="10 mice per group (20 in total)")
>>> report = checklist.check()
>>> report.complete, report.status("sample size")
(False, 'incomplete')
>>> print(report.item("sample size").missing[0])
say how the sample size was decided (power calculation, simulation, pilot data)
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from course_lib.errors import CourseTypeError, require_name

__all__ = ["ITEMS", "ArriveChecklist", "ArriveItem", "ArriveReport", "ItemResult"]


@dataclass(frozen=True)
class ArriveItem:
    """One Essential 10 item: its number, attribute name, title, guidance and rules.

    ``rules`` pairs a regular expression (searched case-insensitively) with the advice shown
    when the answer does not match it.
    """

    number: int
    key: str
    title: str
    guidance: str
    subpoints: tuple[str, ...]
    rules: tuple[tuple[str, str], ...]


_UNIT = r"\b(animals?|mouse|mice|litters?|cages?|rats?|experimental unit)\b"

#: The Essential 10, in the order of the guidelines.
ITEMS: tuple[ArriveItem, ...] = (
    ArriveItem(
        1,
        "study_design",
        "Study design",
        "Say which groups were compared, including the control group, and what one "
        "experimental unit is: the single animal, the litter or the cage.",
        ("groups compared, including controls", "the experimental unit"),
        (
            (r"control", "name the control group (e.g. wild-type littermates, vehicle)"),
            (_UNIT, "name the experimental unit: animal, litter or cage"),
        ),
    ),
    ArriveItem(
        2,
        "sample_size",
        "Sample size",
        "Give the exact number of experimental units per group and in total, and explain "
        "how that number was decided.",
        ("n per group and in total", "how the sample size was decided"),
        (
            (r"\d", "give the number of animals per group and in total"),
            (
                r"power|simulat|calculat|pilot|justif|previous stud|based on|determined",
                "say how the sample size was decided (power calculation, simulation, pilot data)",
            ),
        ),
    ),
    ArriveItem(
        3,
        "inclusion_exclusion",
        "Inclusion/exclusion criteria",
        "State the criteria for including or excluding animals or data points, set "
        "before the study, and report every exclusion with the n left in each analysis.",
        ("criteria set a priori", "exclusions and the n in each analysis"),
        (
            (
                r"a priori|in advance|before the (study|experiment)|pre-?specified|"
                r"pre-?registered|planned",
                "say that the criteria were set before the study",
            ),
            (r"exclu|includ|criteri", "state the inclusion or exclusion criteria"),
            (
                r"\d|\bnone\b|\bno (animals?|mice|data)\b",
                "report how many animals were excluded (or that none were)",
            ),
        ),
    ),
    ArriveItem(
        4,
        "randomisation",
        "Randomisation",
        "Say whether animals were allocated at random, how the random sequence was "
        "made, and how confounders such as cage position or order of treatment were "
        "handled.",
        (
            "whether randomisation was used",
            "method of sequence generation",
            "strategy against confounders",
        ),
        (
            (r"random", "say whether allocation was random"),
            (
                r"computer|software|generat|\bR\b|python|numpy|coin|dice|envelope|"
                r"random\.org|block|stratif",
                "name the method that produced the sequence",
            ),
            (
                r"cage|order|position|location|litter|block|stratif|confound",
                "say how cage, litter or treatment order were kept from confounding",
            ),
        ),
    ),
    ArriveItem(
        5,
        "blinding",
        "Blinding",
        "Say who knew the group allocation at each stage: allocation, conduct of the "
        "experiment, outcome assessment and analysis.",
        ("who was blinded", "at which stages"),
        (
            (r"blind|mask|unaware|coded|code", "say whether anyone was blinded"),
            (
                r"investigat|experimenter|observer|patholog|technician|analyst|assessor|"
                r"person|staff|counter|scorer|author|researcher",
                "say who was blinded (e.g. the person counting tumours)",
            ),
            (
                r"allocat|outcome|assess|analys|count|histolog|scor|stage",
                "say at which stages they were blinded",
            ),
        ),
    ),
    ArriveItem(
        6,
        "outcome_measures",
        "Outcome measures",
        "Define every outcome measured and say which one is the primary outcome.",
        ("each outcome defined", "the primary outcome named"),
        (
            (
                r"count|number|burden|volume|weight|measur|defin|size|incidence",
                "define how each outcome was measured",
            ),
            (r"primary", "name the primary outcome"),
        ),
    ),
    ArriveItem(
        7,
        "statistical_methods",
        "Statistical methods",
        "Name the statistical methods for each analysis, the software used, and how the "
        "assumptions of each method were checked.",
        ("methods for each analysis", "software", "checks of assumptions"),
        (
            (
                r"test|model|regression|anova|mann|wilcoxon|likelihood|binomial|poisson",
                "name the statistical test or model",
            ),
            (
                r"software|\bR\b|python|scipy|prism|graphpad|spss|\bsas\b|stata|version",
                "name the software (and version)",
            ),
            (
                r"assum|normal|dispers|residual|diagnos|check",
                "say how the assumptions were checked (e.g. overdispersion, normality)",
            ),
        ),
    ),
    ArriveItem(
        8,
        "experimental_animals",
        "Experimental animals",
        "Describe the animals: species, strain, sex, age, weight and where they came from.",
        ("species and strain", "sex", "age and weight", "source"),
        (
            (r"mouse|mice|rats?\b", "name the species"),
            (
                r"strain|C57BL|BALB|C3H|\bB6|transgenic|knock|wild[- ]type|\btg\b",
                "name the strain or genotype",
            ),
            (r"\bmale|female|\bsex", "give the sex"),
            (r"\bweeks?\b|\bdays?\b|\bmonths?\b|\bage|old|postnatal", "give the age (and weight)"),
            (
                r"jackson|charles river|envigo|taconic|janvier|bred|breed|colony|supplier|"
                r"purchas|obtained|in-house|vendor|source",
                "say where the animals came from (supplier or in-house colony)",
            ),
        ),
    ),
    ArriveItem(
        9,
        "experimental_procedures",
        "Experimental procedures",
        "For each group, say what was done, how, when, where and why, in enough detail "
        "to repeat it.",
        ("what and how (drug, dose, route)", "when (timing)", "where (housing)"),
        (
            (
                r"dose|mg/kg|µg|ug/|\bmg\b|injection|inject|treat",
                "say what was given and at which dose",
            ),
            (
                r"i\.p\.|intraperitoneal|i\.v\.|intraven|oral|gavage|subcutan|s\.c\.|route|"
                r"diet|drinking water",
                "give the route of administration",
            ),
            (
                r"\bweeks?\b|\bdays?\b|\bmonths?\b|hour|\bage|schedule|time",
                "say when (age, schedule, time of harvest)",
            ),
            (r"hous|cage|facility|room|light|temperat", "say where (housing conditions, facility)"),
        ),
    ),
    ArriveItem(
        10,
        "results",
        "Results",
        "For each group give summary statistics with a measure of spread, and the effect "
        "size with a confidence interval.",
        ("summary statistics with variability", "effect size with confidence interval"),
        (
            (r"mean|median", "give a mean or median for each group"),
            (
                r"\bSD\b|\bSEM?\b|standard deviation|standard error|IQR|interquartile|range|±|"
                r"\+/-",
                "give a measure of variability (SD, IQR, range)",
            ),
            (r"ratio|difference|effect|fold|reduc|%", "give the effect size"),
            (r"\bCI\b|confidence interval", "give a confidence interval for the effect"),
        ),
    ),
)

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
        rows = "".join(
            f"<tr><td>{r.item.number}</td><td>{html.escape(r.item.title)}</td>"
            f"<td>{marks[r.status]}</td><td>"
            + (
                "<ul>" + "".join(f"<li>{html.escape(a)}</li>" for a in r.missing) + "</ul>"
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
