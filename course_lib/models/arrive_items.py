"""The ARRIVE 2.0 Essential 10 items and the rules that judge an answer to each.

Each rule looks for an item's substance rather than a keyword: a number with its unit, a named
method, or a relation between words (see `course_lib.models.arrive` for how the rules are used).
Items and advice follow Percie du Sert et al., PLoS Biol 2020 (doi:10.1371/journal.pbio.3000410).

>>> [item.title for item in ITEMS][:3]
['Study design', 'Sample size', 'Inclusion/exclusion criteria']
>>> import re
>>> bool(re.search(ITEMS[1].rules[0][0], "n = 12 per group", re.IGNORECASE))
True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ITEMS", "ArriveItem"]


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
