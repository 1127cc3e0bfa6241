"""The numbers behind the virtual liver: the IL-6 milieu of a DEN/TCPOBOP mouse and its tumours.

Two tables. `MOUSE_MILIEU` holds what a hepatocyte and a sinusoidal endothelial cell see in the
serum of a mouse during chemical carcinogenesis (IL-6 by sex, sIL-6R, sgp130, and sgp130Fc in
the transgenic line or as an injected protein). `CARCINOGENESIS` holds the tumour biology:
initiation by DEN, p53 apoptosis of initiated cells, clone growth, the angiogenic switch and
the size at which a nodule is counted. Values that the facts sheet does not give are
assumptions; the ones set so that the simulated cohorts match the published incidences and
tumour numbers say ``"assumed: calibrated to ..."``. `course_lib.models.liver` runs the model.

>>> CARCINOGENESIS.value("den_age")
2.0
>>> MOUSE_MILIEU["il6_male"].is_assumption
True
"""

from __future__ import annotations

from course_lib.parameters import Parameter, ParameterSet

__all__ = ["CARCINOGENESIS", "MECHANISMS", "MOUSE_MILIEU"]

_NAUGLER = "Naugler et al., Science 2007;317:121 (doi:10.1126/science.1140485)"
_TARGETS = (
    "wild-type males ~100% incidence with 10-15 tumours per liver at 36-40 weeks (the "
    "11-15 of PMC3985820, counted there at about 30 weeks), females 10-20% incidence and "
    "IL-6 knockout males at the female level "
    f"({_NAUGLER})"
)

MOUSE_MILIEU = ParameterSet(
    "IL-6 milieu of a mouse under DEN/TCPOBOP",
    [
        Parameter(
            "il6_male", 40.0, "pg/mL", "serum IL-6 of a male mouse during carcinogenesis",
            f"assumed: DEN raises serum IL-6 more in males ({_NAUGLER}); their measured levels "
            "are not used here, and a chronic-inflammation value in the tens of pg/mL is taken",
            (5.0, 20000.0),
        ),
        Parameter(
            "il6_female", 8.0, "pg/mL", "serum IL-6 of a female mouse during carcinogenesis",
            f"assumed: estrogen lowers IL-6 release by Kupffer cells ({_NAUGLER}); taken as "
            "a fifth of the male level",
            (1.0, 20000.0),
        ),
        Parameter(
            "sil6r", 15.0, "ng/mL", "serum soluble IL-6R of a mouse",
            "assumed: no value for normal C57BL/6 mice was found. Suzuki et al. (Eur J "
            "Immunol 1993;23:1078) measured autoimmune-prone strains only: below 1 ng/mL "
            "at 8 weeks in MRL/lpr mice, 17-42 ng/mL at 30 weeks; 15 ng/mL lies in that span",
            (1.0, 42.0),
        ),
        Parameter(
            "sgp130", 300.0, "ng/mL", "serum soluble gp130 of a mouse",
            "assumed: the course's human value (300 ng/mL, inside the often-quoted 250-400 "
            "ng/mL), for lack of a mouse value",
            (40.0, 400.0),
        ),
        Parameter(
            "sgp130fc_transgenic", 10.0, "ug/mL", "serum sgp130Fc in the transgenic line",
            "assumed: Rabe et al. (Blood 2008;111:1021) measured serum sgp130Fc in the "
            "PEPCK-sgp130Fc mice by ELISA, but that value is not used here; with 300 ng/mL "
            "of natural sgp130 already in serum, the binding model needs about 10 ug/mL "
            "(45 nM) to cut trans complexes by more than 90%",
            (0.01, 100.0),
        ),
        Parameter(
            "sgp130fc_protein", 10.0, "ug/mL", "serum sgp130Fc while the protein is injected",
            "assumed: a trough level equal to the transgenic line's; the abstracts of Bergmann "
            "et al. 2017 (doi:10.1002/hep.28874) and Hong et al. 2016 (PMID:27080032) give "
            "no dose or serum level of injected protein",
            (0.01, 100.0),
        ),
    ],
)  # fmt: skip

#: The three mechanisms of Bergmann et al. 2017 (Hepatology 65:89), by name.
MECHANISMS = {
    "apoptosis": "trans-signalling protects DNA-damaged hepatocytes from p53-driven apoptosis",
    "proliferation": "trans-signalling raises beta-catenin activation and clone proliferation",
    "angiogenesis": "trans-signalling on endothelial cells drives tumour angiogenesis",
}

CARCINOGENESIS = ParameterSet(
    "Tumour biology of the DEN/TCPOBOP liver",
    [
        Parameter(
            "den_age", 2.0, "weeks", "age at the DEN injection",
            "J Nutr 2014 (PMC3985820): DEN 25 mg/kg i.p. at 2 weeks of age", (1.0, 6.0),
        ),
        Parameter(
            "initiated", 55.0, "count",
            "initiated hepatocytes per liver that could found a clone",
            f"assumed: calibrated to {_TARGETS}", (10.0, 1000.0),
        ),
        Parameter(
            "survival_unprotected", 0.06, "fraction",
            "initiated cells escaping p53 apoptosis without trans-signalling",
            f"assumed: calibrated to {_TARGETS}", (0.0, 1.0),
        ),
        Parameter(
            "survival_protected", 0.3, "fraction",
            "initiated cells escaping p53 apoptosis with full trans-signalling",
            f"assumed: calibrated to {_TARGETS}", (0.0, 1.0),
        ),
        Parameter(
            "half_effect", 0.7, "1",
            "signal (wild-type male = 1) that gives half of each mechanism's maximal effect",
            f"assumed: calibrated to {_TARGETS}", (0.05, 5.0),
        ),
        Parameter(
            "hill", 3.0, "1", "steepness of each mechanism's response to the signal",
            "assumed: a switch-like response is needed for the 90% drop in tumours between "
            f"males and IL-6 knockout males ({_NAUGLER})", (1.0, 6.0),
        ),
        Parameter(
            "doublings_base", 0.1, "1/week",
            "clone doublings per week with the promoter and no IL-6 signal",
            f"assumed: calibrated to {_TARGETS}", (0.05, 2.0),
        ),
        Parameter(
            "proliferation_gain", 2.35, "fold",
            "extra growth rate at full trans-signalling (beta-catenin), as a multiple",
            f"assumed: calibrated to {_TARGETS}", (0.0, 10.0),
        ),
        Parameter(
            "promoter_gain", 1.0, "fold",
            "extra growth rate from the CAR agonist TCPOBOP, as a multiple",
            "assumed: CAR agonists promote mouse liver tumours (AOP-Wiki AOP 107); without the "
            "promoter growth halves, so fewer tumours reach a countable size",
            (0.0, 5.0),
        ),
        Parameter(
            "growth_spread", 0.3, "1", "clone-to-clone spread of growth rate (log-normal sigma)",
            "assumed: gives nodule diameters spanning about tenfold in one liver", (0.0, 1.0),
        ),
        Parameter(
            "cell_diameter", 0.025, "mm", "diameter of one hepatocyte",
            "assumed: hepatocytes are 20-30 um across (textbook histology)", (0.015, 0.04),
        ),
        Parameter(
            "avascular_diameter", 1.0, "mm", "largest nodule without its own blood vessels",
            "assumed: the classic 1-2 mm limit of avascular tumours (angiogenic switch)",
            (0.3, 3.0),
        ),
        Parameter(
            "vascular_growth", 0.5, "fraction",
            "growth rate after the angiogenic switch, as a fraction of the rate before",
            "assumed: large nodules grow more slowly (Gompertz-like); halving the rate keeps "
            "the largest simulated nodules under about 1 cm at 40 weeks",
            (0.1, 1.0),
        ),
        Parameter(
            "largest_diameter", 12.0, "mm",
            "size that vascularised nodules approach but do not reach (growth slows smoothly)",
            "assumed: a nodule cannot outgrow a mouse liver lobe, which is 1-2 cm across",
            (3.0, 20.0),
        ),
        Parameter(
            "switch_base", 0.02, "1/week", "angiogenic switch rate without IL-6 signal",
            "assumed: other angiogenic factors (e.g. VEGF) let a few nodules switch anyway",
            (0.0, 1.0),
        ),
        Parameter(
            "switch_gain", 0.3, "1/week", "extra switch rate at full endothelial trans-signalling",
            "assumed: calibrated so that most wild-type nodules vascularise within months",
            (0.0, 2.0),
        ),
        Parameter(
            "detection_diameter", 0.5, "mm", "smallest nodule counted at harvest",
            "assumed: nodules of 0.5 mm and more are visible and counted on the liver surface",
            (0.1, 2.0),
        ),
        Parameter(
            "mouse_k", 3.0, "1",
            "mouse-to-mouse susceptibility: gamma shape of each liver's tumour rate",
            "estimated: negative-binomial k of about 3 from the DEN tumour counts of J Nutr "
            "2014 (PMC3985820; mean 14.6, SEM 1.9, assuming about 24 mice); counts are "
            "negative binomial (PMID:7448751)",
            (0.5, 20.0),
        ),
    ],
)  # fmt: skip
