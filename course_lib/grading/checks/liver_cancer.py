"""Checks for lesson 05, "IL-6 and liver cancer".

Every expected value is computed here from the virtual liver (`course_lib.models.liver`) with the
cohort sizes and seeds that the exercise notebook writes out (`TRANSGENE_TRIAL`,
`FEMALE_COHORT`), never typed in. Feedback names the misconception and never shows the value.

>>> small_nodule_mechanism("c").passed
True
"""

from __future__ import annotations

from course_lib.grading.feedback import CheckResult, Misconception, check_choice, check_number
from course_lib.grading.variants import Variant
from course_lib.models.liver import simulate_cohort

__all__ = [
    "FEMALE_COHORT",
    "TRANSGENE_TRIAL",
    "distinguishing_genotype",
    "female_incidence",
    "sex_difference",
    "small_nodule_mechanism",
    "transgenic_fraction",
]

#: Exercise 5.1: males at the default harvest (week 40), 40 per genotype, one seed each.
TRANSGENE_TRIAL = {"n": 40, "wild type": 52, "sgp130Fc transgenic": 53}
#: Exercise 5.3: wild-type females at the default harvest (week 40).
FEMALE_COHORT = {"n": 30, "seed": 5}


def _trial(genotype: str, my: Variant | None):
    if my is None:
        n, seed = TRANSGENE_TRIAL["n"], TRANSGENE_TRIAL[genotype]
    else:
        n, seed = int(my.n_mice), int(my.seed) + (genotype == "sgp130Fc transgenic")
    return simulate_cohort(n, genotype=genotype, sex="male", rng=seed)


def transgenic_fraction(
    value: object, *, numbers: Variant | None = None, rtol: float = 0.01
) -> CheckResult:
    """Exercise 5.1: mean tumours per liver, transgenic over wild type (a fraction).

    Parameters
    ----------
    value : object
        The student's answer.
    numbers : Variant, optional
        The student's numbers (``my`` in the notebook, `course_lib.grading.variants`); the
        default numbers when omitted.
        Default: `TRANSGENE_TRIAL` (40 males per genotype, seeds 52 and 53).
    rtol : float
        Relative tolerance.
    """
    wt, tg = _trial("wild type", numbers), _trial("sgp130Fc transgenic", numbers)
    expected = tg.counts.mean() / wt.counts.mean()
    return check_number(
        "Exercise 5.1",
        value,
        expected=float(expected),
        unit="fraction (transgenic mean / wild-type mean)",
        rtol=rtol,
        misconceptions=[
            Misconception(
                float(1 / expected),
                "this is the ratio the other way round (wild type over transgenic). The "
                "question asks what fraction of the wild-type tumour number the transgenic "
                "males keep: transgenic mean divided by wild-type mean.",
            ),
            Misconception(
                float(100 * expected),
                "this looks like a percentage. The question asks for a fraction (for "
                "example 0.5, not 50): drop the factor 100.",
            ),
            Misconception(
                tg.incidence / wt.incidence,
                "this is the ratio of the INCIDENCES (fractions of mice with any tumour). "
                "The question asks about the mean NUMBER of tumours per liver: use "
                "cohort.counts.mean().",
            ),
            Misconception(
                float(1 - expected),
                "this is the fraction of tumours PREVENTED (1 minus the answer). The "
                "question asks for the fraction that remains.",
            ),
        ],
    )


def distinguishing_genotype(answer: object) -> CheckResult:
    """Exercise 5.2: which mouse lines give different outcomes under the two hypotheses."""
    return check_choice(
        "Exercise 5.2",
        answer,
        correct="c",
        feedback={
            "a": "hepatocytes without IL-6R keep gp130, so IL-6·sIL-6R still reaches them: they "
            "do not lose every IL-6 signal. Look at signals(genotype='hepatocyte IL-6R "
            "knockout') and ask what each hypothesis predicts for it.",
            "b": "without IL-6 there is neither classic nor trans-signalling, so both "
            "hypotheses predict protection: the outcome cannot tell them apart.",
            "c": "each line removes one pathway and keeps the other: the transgenic line loses "
            "trans (protected if trans drives tumours), the hepatocyte IL-6R knockout loses "
            "classic in hepatocytes (protected if classic drives them). Opposite predictions "
            "are what separate two hypotheses.",
            "d": "that is what a closed sample with sIL-6R in excess would do (Garbers 2011), "
            "not a living mouse: IL-6 is cleared within minutes, before it meets sIL-6R, so the "
            "trap leaves free IL-6 and classic signalling alone (Rabe 2008 found "
            "membrane-IL-6R responses intact). Compare signals(genotype='sgp130Fc "
            "transgenic') with the same call and system='closed'.",
        },
    )


def female_incidence(value: object, *, rtol: float = 1e-6) -> CheckResult:
    """Exercise 5.3: incidence (a fraction) in the `FEMALE_COHORT`."""
    cohort = simulate_cohort(FEMALE_COHORT["n"], sex="female", rng=FEMALE_COHORT["seed"])
    expected = cohort.incidence
    return check_number(
        "Exercise 5.3",
        value,
        expected=expected,
        unit="fraction of mice",
        rtol=rtol,
        misconceptions=[
            Misconception(
                100 * expected,
                "this looks like a percentage. Incidence is asked for as a fraction of the "
                "mice (a number between 0 and 1): divide by 100.",
                rtol=1e-6,
            ),
            Misconception(
                float((cohort.counts > 0).sum()),
                "this is the NUMBER of mice with a tumour. Incidence is a fraction: divide by "
                "the number of mice in the cohort.",
                rtol=1e-6,
            ),
            Misconception(
                float(cohort.counts.mean()),
                "this is the mean number of tumours per liver. Incidence counts each mouse "
                "once, whether it has one tumour or five: the fraction of mice with at least "
                "one (counts > 0).",
                rtol=1e-6,
            ),
        ],
    )


def small_nodule_mechanism(answer: object) -> CheckResult:
    """Exercise 5.4: the mechanism whose loss keeps the tumour number but not the size."""
    return check_choice(
        "Exercise 5.4",
        answer,
        correct="c",
        feedback={
            "a": "without the protection from p53 apoptosis, more initiated cells die: "
            "fewer clones survive, so the NUMBER of tumours falls.",
            "b": "without the extra proliferation most clones grow too slowly to reach the "
            "detection size by harvest, so the NUMBER of countable tumours falls steeply.",
            "c": "new vessels matter only once a nodule exists and must grow beyond what "
            "diffusion feeds: without angiogenesis the same clones survive and are counted, "
            "but they stay small.",
            "d": "one mechanism acts only after a nodule exists: it decides how far the "
            "nodule grows, not whether it is there. Compare the three switches in the "
            "mechanism explorer.",
        },
    )


def sex_difference(answer: object) -> CheckResult:
    """Exercise 5.5: why knocking out IL-6 abolishes the sex difference (Naugler 2007)."""
    return check_choice(
        "Exercise 5.5",
        answer,
        correct="b",
        feedback={
            "a": "nothing in the study says hepatocytes of females lack IL-6R. Ask instead "
            "whether the sexes differ in how much IL-6 there is after DEN, and where it comes "
            "from.",
            "b": "Naugler et al. found that DEN raises serum IL-6 more in males, made by "
            "Kupffer cells in a MyD88-dependent way, and that estrogen restrains it; with no "
            "IL-6 in either sex the factor that differed is gone.",
            "c": "DEN initiates liver tumours in females too: 10-20% of DEN-treated females "
            "develop them. The difference lies in what happens after initiation.",
            "d": "the knockout changes one thing, IL-6. The sex difference disappears "
            "because the factor that differs between the sexes is then absent in both, not "
            "because the males' hormones change.",
        },
    )
