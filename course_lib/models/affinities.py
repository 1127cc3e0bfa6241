"""Binding constants: the textbook set, and a weaker "effective serum" set.

With textbook affinities, sIL-6R and sgp130 in serum should trap nearly all IL-6 in
IL-6·sIL-6R·sgp130 complexes (the "buffer"). Baran et al. (PMC5936821) measured instead that
most IL-6 stays free; `EFFECTIVE_AFFINITIES` is a weaker set consistent with that. Lesson 02
asks which experiment would decide between them. Both sets have the same names, so either
can be passed wherever affinities are asked for.

>>> AFFINITIES.value("kd_il6_il6r"), EFFECTIVE_AFFINITIES.value("kd_il6_il6r")
(1.0, 20.0)
"""

from __future__ import annotations

from course_lib.parameters import Parameter, ParameterSet

__all__ = ["AFFINITIES", "AFFINITY_SETS", "EFFECTIVE_AFFINITIES"]

_DWIVEDI = "BIOMD0000000534 (Dwivedi 2014, PMID:24402116)"


def _affinities(title: str, il6_il6r: Parameter, sgp130: Parameter, sgp130fc: Parameter):
    return ParameterSet(
        title,
        [
            il6_il6r,
            Parameter(
                "kd_complex_gp130",
                0.05,
                "nM",
                "Kd of IL-6·IL-6R (or Hyper-IL-6) for membrane gp130",
                f"{_DWIVEDI}: kon 20.52 /nM/h, koff 1.026 /h",
                (0.01, 1.0),
            ),
            sgp130,
            sgp130fc,
            Parameter(
                "kd_anti_il6r",
                1.24,
                "nM",
                "Kd of an anti-IL-6R antibody (tocilizumab-like)",
                "assumed: 1.24 nM for tocilizumab:sIL-6R, as used in a published ARDS model "
                "(a preprint of unclear provenance)",
                (0.1, 10.0),
            ),
            Parameter(
                "kd_anti_il6",
                0.0025,
                "nM",
                "Kd of an anti-IL-6 antibody (siltuximab-like)",
                f"{_DWIVEDI}: kon 1000 /nM/h, koff 2.5 /h",
                (0.001, 1.0),
            ),
            Parameter(
                "kd_sgp130fc_cis",
                0.02,
                "nM",
                "Kd of sgp130Fc for IL-6 on membrane IL-6R (only in the 'cis binding' view)",
                "assumed: Widjaja & Cook (doi:10.3390/ijms25031363) report sgp130Fc IC50s for "
                "IL-6 cis-signalling 20-200 times below the levels used in mouse studies and "
                "trials; 0.02 nM puts a hepatocyte's IC50 near 1 nM, about 45 times below the "
                "45 nM (10 ug/mL) of the course's transgenic mice, because membrane gp130 "
                "competes for the same IL-6·IL-6R. Jostock 2001 (Eur J Biochem 2001;268:160) "
                "found no such effect",
                (0.002, 2.0),
            ),
        ],
    )


AFFINITIES = _affinities(
    "Textbook binding affinities",
    Parameter(
        "kd_il6_il6r", 1.0, "nM", "Kd of IL-6 for IL-6R (membrane or soluble)",
        "PMID:11502067 (~1 nM); 5 nM in the Dwivedi model PMID:24402116", (0.5, 20.0),
    ),
    Parameter(
        "kd_complex_sgp130", 0.05, "nM", "Kd of IL-6·sIL-6R (or Hyper-IL-6) for sgp130",
        f"{_DWIVEDI}, which gives sgp130 the rates of gp130", (0.01, 1.0),
    ),
    Parameter(
        "kd_complex_sgp130fc", 0.05, "nM", "Kd of IL-6·sIL-6R (or Hyper-IL-6) for sgp130Fc",
        "assumed: picomolar; no measured Kd of sgp130Fc for IL-6·sIL-6R was found; the "
        "Dwivedi model (BIOMD0000000536) gives sgp130Fc the rates of gp130; a dimer that "
        "rebinds its catch may hold it up to 100 times tighter (0.5 pM)",
        (0.0004, 1.0),
    ),
)  # fmt: skip

#: Weaker affinities under which most serum IL-6 stays free, as Baran et al. measured
#: (PMC5936821). The cell-surface constants are the textbook ones.
EFFECTIVE_AFFINITIES = _affinities(
    "Effective serum affinities (weak buffer)",
    Parameter(
        "kd_il6_il6r", 20.0, "nM", "Kd of IL-6 for soluble IL-6R in serum",
        "assumed: 20 nM, the weakest published value (Ka 5e7 /M by biosensor and affinity "
        "chromatography, Ward LD et al., Biochemistry 1995;34:2901, doi:10.1021/bi00009a021), "
        "against ~1 nM in PMID:11502067",
        (0.5, 20.0),
    ),
    Parameter(
        "kd_complex_sgp130", 1.0, "nM", "Kd of IL-6·sIL-6R (or Hyper-IL-6) for sgp130",
        "assumed: the weak end of the plausible range, chosen so that most IL-6 is free in "
        "healthy serum as Baran et al. found (PMC5936821)",
        (0.01, 1.0),
    ),
    Parameter(
        "kd_complex_sgp130fc", 0.05, "nM", "Kd of IL-6·sIL-6R (or Hyper-IL-6) for sgp130Fc",
        "assumed: the engineered drug keeps its textbook (picomolar) affinity; Baran et al. "
        "measured endogenous serum binding, not sgp130Fc (PMC5936821)",
        (0.01, 1.0),
    ),
)  # fmt: skip


#: The affinity sets by name, as the widgets offer them.
AFFINITY_SETS: dict[str, ParameterSet] = {
    "textbook": AFFINITIES,
    "effective": EFFECTIVE_AFFINITIES,
}
