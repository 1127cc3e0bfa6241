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


# Building blocks. An item is judged on its substance: a number with its unit, a named method, a
# relation between words ("blinded TO genotype", "3 of 24 excluded because ..."), not on the
# presence of a keyword, so a list of keywords does not pass.
_N = r"\d+(?:\.\d+)?"
_ANIMALS = r"(?:mice|mouse|animals?|rats?|pups?|males?|females?|littermates?)"
_UNITS = r"(?:animals?|mouse|mice|rats?|litters?|cages?)"
_REASON = r"(?:because|if|when|who|that|whose|due to|for|with|after|as)"

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
            (
                r"\b(?:compared|versus|vs\.?|against)\b[^.;]{0,80}\bcontrols?\b|"
                r"\bcontrols?\b[^.;]{0,60}\b(?:compared|versus|vs\.?|against)\b|"
                r"\b(?:wild[- ]type|vehicle|saline|placebo|sham|control Fc|littermate)s?\b"
                r"[^.;]{0,40}\b(?:controls?|groups?)\b|\bcontrol (?:group|mice|animals|Fc)\b",
                "name the groups compared, with the control group "
                "(e.g. transgenic vs wild-type littermate controls)",
            ),
            (
                rf"experimental unit\b[^.;]{{0,30}}\b{_UNITS}\b|"
                rf"\b{_UNITS}\b[^.;]{{0,30}}\b(?:is|was|were|are|as) the (?:experimental )?unit|"
                r"unit of (?:analysis|allocation|randomi[sz]ation)\b[^.;]{0,30}\b(?:is|was|:)",
                "say what the experimental unit is (e.g. 'the experimental unit is the mouse')",
            ),
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
            (
                rf"\b{_N}\s*(?:{_UNITS}\s*)?(?:per|in each|/)\s*(?:group|arm|genotype)|"
                rf"\bn\s*=\s*{_N}|\b{_N}\s+(?:{_UNITS})\b",
                "give the number of animals per group and in total (e.g. 'n = 12 per group')",
            ),
            (
                rf"\b{_N}\s*%\s*power|\bpower of (?:0?\.\d+|{_N}\s*%)|"
                r"\bpower\s*(?:=|≥|>=)\s*0?\.\d+|"
                r"\b(?:pilot|previous|earlier|published)\s+(?:stud(?:y|ies)|data|experiments?)",
                "say how the sample size was decided, with its numbers (e.g. 'a simulation "
                "gave 80% power for a 70% reduction')",
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
                r"a priori|in advance|before the (?:study|experiment|start)|pre-?specified|"
                r"pre-?registered|set before|defined before|decided before|protocol",
                "say that the criteria were set before the study",
            ),
            (
                rf"exclu\w*[^.;]{{0,60}}\b{_REASON}\b\s+\w+|"
                r"(?:die|dies|died|death|dying|weight|los(?:e|es|ing)\b|humane end ?points?|injur\w*|"
                r"infect\w*|ill\b|sick)"
                r"[^.;]{0,60}exclu",
                "state the criterion: who is excluded and why (e.g. 'excluded if they die "
                "before harvest')",
            ),
            (
                rf"\b{_N}\s+(?:of|out of)\s+{_N}\b[^.;]{{0,40}}exclu|"
                rf"exclu\w*[^.;]{{0,40}}\b{_N}\s+(?:of|out of)\s+{_N}\b|"
                rf"\b{_N}\s+(?:{_ANIMALS}\s+)?(?:were|was|are|will be)\s+exclu|"
                rf"exclu\w*[^.;]{{0,40}}\b(?:leaving|left)\b[^.;]{{0,20}}{_N}|"
                r"\b(?:none|no (?:mice|animals?|data))\b[^.;]{0,30}(?:exclu|so far|were)|"
                r"exclu\w*[^.;]{0,30}\bnone\b|"
                r"\breport\w*\s+(?:how many|the number(?: of)?)\b[^.;]{0,60}"
                r"(?:exclu|n (?:analy[sz]ed|left)|per group)",
                "report how many were excluded, of how many, and the n left (e.g. '3 of 24 "
                "excluded, leaving 21'; or 'none'); for a planned study, say that you will "
                "report how many and the n analysed",
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
            (
                r"randomi[sz]\w*|\bat random\b|random(?:ly)? (?:allocat|assign)\w*|"
                r"(?:allocat|assign)\w*\s+(?:at\s+)?random",
                "say whether allocation was random",
            ),
            (
                r"computer[- ]generated|random number (?:generator|table)|"
                r"(?:generated|made|drawn|produced)\s+(?:with|by|in|using|from)\s+"
                r"(?:a |an |the )?\w+|"
                r"\b(?:numpy|python|R|excel|random\.org)\b[^.;]{0,30}(?:sequence|list|"
                r"generat|random)|(?:sealed|opaque) envelopes?|coin toss|(?:tossing|throwing) "
                r"(?:a )?(?:coin|dice)",
                "name the method that produced the sequence (e.g. 'a computer-generated sequence')",
            ),
            (
                r"\b(?:within|by|in) (?:each |every |a )?(?:litter|cage|block|batch)\b|"
                r"\b(?:cages?|litters?)\s+(?:held|hold|contain\w*|mixed|had|have)\s+"
                r"(?:both|all|each|mixed|animals of)|"
                r"\b(?:order|position|location|sequence)s?\b[^.;]{0,60}"
                r"\b(?:was|were|is|are|will be)\s+(?:also\s+)?(?:randomi[sz]|balanc|alternat|"
                r"counterbalanc)|"
                r"randomi[sz]\w*[^.;]{0,30}\b(?:order|position|location)|"
                r"stratif\w+ by|block(?:s|ed)? (?:by|of|on)",
                "say how cage, litter or treatment order were kept from confounding "
                "(e.g. 'within each litter', 'cages held both groups')",
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
            (
                r"\b(?:blind\w*|mask\w*|unaware)\s+(?:to|of)\s+(?:the\s+)?(?:genotype|group|"
                r"treatment|allocation|condition)|"
                r"\b(?:coded|code[sd]?)\b[^.;]{0,40}\b(?:slides?|samples?|cages?|labels?|"
                r"animals?|mice|livers?)|\b(?:slides?|samples?|cages?|livers?)\b[^.;]{0,20}"
                r"\b(?:were|are|was|will be) coded",
                "say blinded TO what (genotype, treatment) or how samples were coded",
            ),
            (
                r"investigat|experimenter|observer|patholog|technician|analyst|assessor|"
                r"person|staff|counter|scorer|researcher|surgeon|statistician|"
                r"\bwho\s+(?:counted|scored|assessed|analy[sz]ed|injected|measured)",
                "say who was blinded (e.g. the person counting tumours)",
            ),
            (
                r"allocat|outcome|assess|analys|count|histolog|scor|necropsy|stage|measur",
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
                r"\b(?:number|count|volume|weight|diameter|size|area|incidence|burden)s?\s+"
                r"(?:of\s+[\w-]+\s+)?(?:per|of|in|at|on|by|measured|counted|scored|>|≥)|"
                r"\b(?:tumou?r|nodule|liver|body)\s+(?:number|count|volume|weight|size|"
                r"burden|incidence|diameter)",
                "define each outcome: what is measured, per what, how "
                "(e.g. 'number of tumours per liver')",
            ),
            (
                r"primary (?:outcome|end ?point)\s*(?::|is|was|will be|=|-)|"
                r"\bprimary\s*:|(?:is|was|as) the primary (?:outcome|end ?point)",
                "name the primary outcome (e.g. 'Primary outcome: ...')",
            ),
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
                r"mann[- ]whitney|wilcoxon|t[- ]test|\banova\b|negative binomial|poisson|"
                r"likelihood[- ]ratio|linear (?:mixed )?model|mixed(?:-effects)? model|"
                r"regression|chi[- ]squared?|fisher|kruskal|log-?rank|welch",
                "name the statistical test or model",
            ),
            (
                r"\b(?:scipy|statsmodels|python|prism|graphpad|spss|sas|stata|R)\b"
                r"(?:\s*\(?(?:version\s*)?\d[\d.]*\)?)?",
                "name the software (and version)",
            ),
            (
                r"(?:assumptions?|overdispersion|dispersion|normality|residuals?|variances?)"
                r"[^.;]{0,50}\b(?:check|test|assess|examin|inspect|plot|verif)\w*|"
                r"\b(?:check|test|assess|examin|inspect|plot|verif)\w*[^.;]{0,40}"
                r"(?:assumptions?|overdispersion|dispersion|normality|residuals?)",
                "say how the assumptions were checked (e.g. 'overdispersion was checked')",
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
            (r"\b(?:mouse|mice|rats?)\b", "name the species"),
            (
                r"C57BL/\d\w*|BALB/c|C3H\w*|FVB\w*|B6C3F1|\bB6\b|\b129\w*|CD-?1\b|ICR\b|"
                r"(?:transgenic|knock-?out|wild[- ]type)\b[^.;]{0,30}\b(?:mice|rats|line|"
                r"littermates)",
                "name the strain or genotype (e.g. C57BL/6J)",
            ),
            (r"\b(?:males?|females?)\b", "give the sex"),
            (
                rf"\b{_N}\s*(?:-|to|–)?\s*(?:{_N}\s*)?-?\s*(?:weeks?|days?|months?)[- ]"
                rf"(?:old|of age)|\baged?\s+(?:of\s+)?{_N}|\b(?:at|from)\s+(?:week|day)\s+{_N}|"
                rf"\b{_N}\s*(?:weeks?|days?|months?)\b[^.;]{{0,20}}\bat\b|"
                rf"\bpostnatal day\s+{_N}|\b{_N}\s*g\b",
                "give the age (and weight) with numbers (e.g. '2 weeks old at DEN')",
            ),
            (
                r"jackson|charles river|envigo|taconic|janvier|"
                r"bred (?:in[- ]house|at|in|from|on site)|in-house (?:colony|breeding)|"
                r"(?:own|our|institutional) (?:colony|breeding)|"
                r"(?:purchased|obtained|bought|supplied) (?:from|by) \w+",
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
                rf"\b{_N}\s*(?:mg/kg|µg/kg|ug/kg|g/kg|mg|µg|ug|ng|mL|µg/mL|ug/mL|ppm|%)",
                "say what was given and at which dose, with its unit (e.g. 'DEN 25 mg/kg')",
            ),
            (
                r"i\.p\.|intraperitoneal|i\.v\.|intraven|\boral|gavage|subcutan|s\.c\.|"
                r"in (?:the )?(?:diet|drinking water)",
                "give the route of administration",
            ),
            (
                rf"\b{_N}\s*(?:-|to)?\s*(?:weeks?|days?|months?|h|hours?)\b|"
                rf"\b(?:day|week|month)\s+{_N}|\bevery\s+(?:{_N}\s+)?(?:days?|weeks?)",
                "say when, with numbers (age, schedule, time of harvest)",
            ),
            (
                r"(?:housed|kept|maintained)\b[^.;]{0,60}(?:cages?|facility|room|conditions|"
                rf"{_N})|\b{_N}\s+(?:{_ANIMALS}\s+)?per cage|individually ventilated|"
                r"specific[- ]pathogen[- ]free|\bSPF\b|light/dark|\d+\s*°C",
                "say where (housing conditions, facility), e.g. 'housed 4 per cage'",
            ),
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
            (
                r"\b(?:mean|median)s?\b[^.;]{0,40}(?:±|\+/-|\(\s*(?:SD|SEM?|IQR|range)\b|"
                r"\b(?:with|and) (?:its |the |their )?(?:SD|SEM?|standard deviations?|"
                r"standard errors?|IQR|interquartile ranges?|ranges?)\b)|"
                rf"\b{_N}\s*(?:±|\+/-)\s*{_N}|\b{_N}\s*\(\s*(?:SD|SEM?|IQR)\s*{_N}",
                "give a mean or median for each group with its spread (e.g. 'mean ± SD')",
            ),
            (
                r"\b(?:ratio|difference|fold[- ]change|reduction)\s+(?:of|in|between)\s+"
                r"(?:the\s+)?(?:means?|medians?|groups?|tumou?r)|"
                r"\b(?:effect size|rate ratio|risk ratio|odds ratio|hazard ratio)\b|"
                rf"\bratio\s*[=:]?\s*{_N}|\bdifference\s*[=:]?\s*-?{_N}|"
                rf"\b{_N}\s*%\s*(?:reduction|fewer|lower|less)",
                "give the effect size (e.g. 'the ratio of means')",
            ),
            (
                rf"\b{_N}\s*%\s*(?:CI|confidence interval)|"
                r"\bconfidence intervals?\s+(?:of|for|around)\b|"
                rf"\bCI\s*[:=]?\s*[\[(]?\s*-?{_N}",
                "give a confidence interval for the effect (e.g. '95% CI')",
            ),
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
