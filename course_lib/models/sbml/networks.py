"""The course's two ODE models written out as `ModelDescription` records, ready for SBML.

`signaling_description` is the JAK1/STAT3/SOCS3 network of one cell
(`course_lib.models.jak_stat`) for a cell type, a stimulus and an sgp130Fc dose;
`milieu_description` is the IL-6 milieu of blood (`course_lib.models.milieu_odes`) for given
protein levels. Each writes the same equations as the numpy right-hand side it mirrors (the
processes below follow `jak_stat.odes` and `milieu_odes.rates` term by term) with the same
`Parameter` values, units and sources; a test holds the two side by side, and libRoadRunner
integrates the SBML against `course_lib.models.signaling.simulate`.

>>> d = signaling_description("hepatocyte", "IL-6", 10.0)
>>> d.species_by_id("IL6R").initial, round(d.species_by_id("il6_free").initial, 4)
(4500.0, 0.4762)
>>> len(milieu_description(il6=0.002, sil6r=0.3, sgp130=3.0).species)
11
"""

from __future__ import annotations

from course_lib.errors import as_scalar, require_name
from course_lib.models.binding import serum_equilibrium
from course_lib.models.cell_types import CELL_TYPES, MEMBRANE, receptor_numbers
from course_lib.models.jak_stat import SIGNALING, signaling_affinities
from course_lib.models.milieu import CLEARANCE, MILIEU_KINETICS, PROTEINS, kinetics_floats
from course_lib.models.sbml.description import (
    Compartment,
    ModelDescription,
    Process,
    Quantity,
    Species,
)
from course_lib.models.signaling import STIMULI
from course_lib.models.stimuli import stimulus_nM
from course_lib.parameters import ParameterSet
from course_lib.units import to_molar

__all__ = ["milieu_description", "signaling_description"]

_INPUT = "input of this export"
_CELL_NOTE = (
    "one cell; its species are counted per cell (amounts, not concentrations), so the size, "
    "1 (dimensionless), never enters a rate"
)


def _quantities(params: ParameterSet) -> list[Quantity]:
    return [Quantity(p.name, p.value, p.unit, p.description, p.source) for p in params.values()]


def _cell_species(name: str, r0: float, g0: float) -> list[Species]:
    cell = CELL_TYPES.get(name)
    src = {k: cell[k].source if cell else _INPUT for k in ("il6r", "gp130")}
    per_cell = [
        ("IL6R", "free membrane IL-6R", r0, f"all free at t = 0; {name}: {src['il6r']}"),
        ("IL6_IL6R", "IL-6·IL-6R", 0.0, "none at t = 0"),
        ("GP130", "free gp130", g0, f"all free at t = 0; {name}: {src['gp130']}"),
        ("CLASSIC", "IL-6·IL-6R·gp130 (active receptor)", 0.0, "none at t = 0"),
        ("TRANS", "IL-6·sIL-6R·gp130 or Hyper-IL-6·gp130 (active receptor)", 0.0, "none"),
    ]
    out = [Species(i, n, "cell", v, "per cell", note) for i, n, v, note in per_cell]
    out += [
        Species("pSTAT3_cyt", "cytoplasmic pSTAT3", "cell", 0.0, "fraction", "fraction of STAT3"),
        Species("pSTAT3_nuc", "nuclear pSTAT3", "cell", 0.0, "fraction", "fraction of STAT3"),
    ]
    out += [
        Species(f"delay_{i}", f"SOCS3 delay compartment {i}", "cell", 0.0, "1", "relative")
        for i in range(1, 6)
    ]
    out.append(Species("SOCS3", "SOCS3", "cell", 0.0, "1", "relative units: 1 halves JAK1"))
    return out


_SIGNALING_PROCESSES = (
    # receptor binding at the membrane (molecules per cell per min): SBML reactions
    ("il6_binding", "IL-6 binds IL-6R", "kon_il6_il6r * il6_free * IL6R",
        (("IL6R", -1), ("IL6_IL6R", 1))),
    ("il6_unbinding", "IL-6·IL-6R falls apart", "koff_il6_il6r * IL6_IL6R",
        (("IL6_IL6R", -1), ("IL6R", 1))),
    ("classic_assembly", "IL-6·IL-6R recruits gp130",
        "koff_gp130 / k2_membrane * IL6_IL6R * GP130",
        (("IL6_IL6R", -1), ("GP130", -1), ("CLASSIC", 1))),
    ("classic_disassembly", "gp130 leaves IL-6·IL-6R", "koff_gp130 * CLASSIC",
        (("CLASSIC", -1), ("IL6_IL6R", 1), ("GP130", 1))),
    ("classic_internalisation", "classic complex internalised; receptors recycled",
        "k_internalisation * CLASSIC", (("CLASSIC", -1), ("IL6R", 1), ("GP130", 1))),
    ("trans_binding", "IL-6·sIL-6R or Hyper-IL-6 binds gp130", "kon_gp130 * trans_free * GP130",
        (("GP130", -1), ("TRANS", 1))),
    ("trans_unbinding", "trans complex falls apart", "koff_gp130 * TRANS",
        (("TRANS", -1), ("GP130", 1))),
    ("trans_internalisation", "trans complex internalised; gp130 recycled",
        "k_internalisation * TRANS", (("TRANS", -1), ("GP130", 1))),
    # STAT3 and SOCS3 (fractions and relative units per min): rate rules
    ("phosphorylation", "active receptors phosphorylate STAT3, slowed by SOCS3",
        "v_phos * (CLASSIC + TRANS) / (CLASSIC + TRANS + jak_half)"
        " * (1 - pSTAT3_cyt - pSTAT3_nuc) / (1 + socs3_feedback * SOCS3)",
        (("pSTAT3_cyt", 1),)),
    ("nuclear_import", "pSTAT3 enters the nucleus", "k_import * pSTAT3_cyt",
        (("pSTAT3_cyt", -1), ("pSTAT3_nuc", 1))),
    ("dephosphorylation", "nuclear pSTAT3 dephosphorylated", "k_dephos * pSTAT3_nuc",
        (("pSTAT3_nuc", -1),)),
    ("socs3_transcription", "nuclear pSTAT3 starts SOCS3 transcription",
        "k_delay * socs3_max * pSTAT3_nuc / (pSTAT3_nuc + socs3_half)", (("delay_1", 1),)),
    *(
        (f"delay_transit_{i}", f"transit out of delay compartment {i}", f"k_delay * delay_{i}",
            ((f"delay_{i}", -1),) + (((f"delay_{i + 1}", 1),) if i < 5 else ()))
        for i in range(1, 6)
    ),
    ("socs3_synthesis", "SOCS3 follows the last delay compartment", "k_socs3 * delay_5",
        (("SOCS3", 1),)),
    ("socs3_turnover", "SOCS3 protein turnover", "k_socs3 * SOCS3", (("SOCS3", -1),)),
)  # fmt: skip


def signaling_description(
    cell_type: str | ParameterSet = "hepatocyte",
    stimulus: str = "IL-6",
    dose_ng_ml: float = 10.0,
    *,
    sil6r_ng_ml: float = 40.0,
    sgp130fc_ug_ml: float = 0.0,
    socs3_feedback: bool = True,
    il6r: float | None = None,
    gp130: float | None = None,
    params: ParameterSet = SIGNALING,
) -> ModelDescription:
    """The signalling network of one cell after a stimulus, as a `ModelDescription`.

    Parameters
    ----------
    cell_type : str or ParameterSet
        A name in `CELL_TYPES` (its receptor numbers are the initial IL-6R and gp130).
    stimulus : {"IL-6", "IL-6 + sIL-6R", "Hyper-IL-6"}
        What is added at t = 0 (as in lesson 03).
    dose_ng_ml : float
        The dose, ng/mL of IL-6 or of Hyper-IL-6 (`course_lib.models.stimuli.stimulus_nM`).
    sil6r_ng_ml : float
        sIL-6R added with "IL-6 + sIL-6R", ng/mL.
    sgp130fc_ug_ml : float
        sgp130Fc in the medium, ug/mL; it traps IL-6·sIL-6R and Hyper-IL-6 before t = 0.
    socs3_feedback, il6r, gp130, params
        As in `course_lib.models.signaling.simulate`.

    Returns
    -------
    ModelDescription
        Time in min. The medium's free IL-6 and free IL-6·sIL-6R + Hyper-IL-6 (nM) come from
        the closed equilibrium of the totals (`serum_equilibrium`, with the model's own
        Kds) and are held constant, as in `course_lib.models.signaling`.
    """
    name, r0, g0 = receptor_numbers(cell_type, il6r, gp130)
    stim = require_name("stimulus", stimulus, STIMULI)
    dose = as_scalar("dose_ng_ml", dose_ng_ml, "ng/mL", what="a dose")
    totals = stimulus_nM(stim, dose, as_scalar("sil6r_ng_ml", sil6r_ng_ml, "ng/mL", what="a dose"))
    fc = to_molar(
        as_scalar("sgp130fc_ug_ml", sgp130fc_ug_ml, "ug/mL", what="a dose"), "ug/mL", "sgp130Fc"
    )
    eq = serum_equilibrium(**totals, sgp130fc=fc, affinities=signaling_affinities(params))
    made = f"closed equilibrium of the totals ({stim}, {dose:g} ng/mL; sgp130Fc {fc:g} nM)"
    species = [
        Species(
            "il6_free",
            "free IL-6 in the medium",
            "medium",
            float(eq.il6),
            "nM",
            f"held constant: {made}",
            constant=True,
        ),
        Species(
            "trans_free",
            "free IL-6·sIL-6R + Hyper-IL-6 in the medium",
            "medium",
            float(eq.trans_complex),
            "nM",
            f"held constant: {made}",
            constant=True,
        ),
        *_cell_species(name, r0, g0),
    ]
    inputs = [
        Quantity(f"{k}_total", v, "nM", f"{k} added to the medium (total)", _INPUT)
        for k, v in {**totals, "sgp130fc": fc}.items()
    ]
    switch = Quantity(
        "socs3_feedback",
        float(bool(socs3_feedback)),
        "1",
        "1: SOCS3 inhibits JAK1; 0: SOCS3 is made but does nothing",
        _INPUT,
    )
    return ModelDescription(
        id="il6_jak_stat3_socs3",
        name=f"IL-6 -> JAK1 -> STAT3 with SOCS3 feedback: {name}, {stim}",
        time_unit="min",
        compartments=(
            Compartment("medium", 1e-3, "L", "the medium of a dish (1 mL): ligands held constant"),
            Compartment("cell", 1.0, "dimensionless", _CELL_NOTE),
        ),
        species=tuple(species),
        parameters=(
            *_quantities(params),
            *_quantities(ParameterSet(MEMBRANE.title, [MEMBRANE["k2_membrane"]])),
            switch,
            *inputs,
        ),
        processes=tuple(Process(i, n, r, tuple(c)) for i, n, r, c in _SIGNALING_PROCESSES),
        observables=(
            Quantity(
                "pSTAT3",
                0.0,
                "fraction",
                "fraction of STAT3 phosphorylated (cytoplasm + nucleus)",
                "read-out of course_lib.models.signaling",
                "pSTAT3_cyt + pSTAT3_nuc",
            ),
        ),
        notes=(
            f"The IL-6 signalling model of course_lib (course_lib.models.jak_stat) for one "
            f"{name} given {stim} ({dose:g} ng/mL) at t = 0"
            + (f" with sgp130Fc ({sgp130fc_ug_ml:g} ug/mL)" if fc else "")
            + ". Simulated teaching model: binding rates from Dwivedi 2014 (BIOMD0000000534), a "
            "five-step SOCS3 delay as in Sobotta 2017, intracellular rates assumed and tuned to "
            "the shape of the data. Time in min; receptors in molecules per cell; pSTAT3 as a "
            "fraction of STAT3; SOCS3 in relative units. The free ligands are held constant; "
            "to change the dose, change il6_free and trans_free (the *_total parameters only "
            "record what was added)."
        ),
    )


def milieu_description(
    il6=0.0,
    sil6r=0.0,
    sgp130=0.0,
    sgp130fc=0.0,
    anti_il6=0.0,
    anti_il6r=0.0,
    *,
    kinetics: ParameterSet = MILIEU_KINETICS,
) -> ModelDescription:
    """The IL-6 milieu of blood (production, binding, removal) as a `ModelDescription`.

    Parameters
    ----------
    il6, sil6r, sgp130, sgp130fc, anti_il6, anti_il6r : float
        Each protein's level on its own, nM, as in `course_lib.models.milieu.steady_state`:
        it is made at level x clearance, and that is its initial concentration (complexes 0).
    kinetics : ParameterSet
        Binding and removal rates (`MILIEU_KINETICS` or a changed copy).

    Returns
    -------
    ModelDescription
        Time in h, concentrations in nM; its steady state is `steady_state(...)`.
    """
    k = kinetics_floats(kinetics)
    given = dict(zip(PROTEINS, (il6, sil6r, sgp130, sgp130fc, anti_il6, anti_il6r), strict=True))
    levels = {n: float(as_scalar(n, v, "nM")) for n, v in given.items()}
    names = {
        "il6_sil6r": "IL-6·sIL-6R",
        "il6_sil6r_sgp130": "IL-6·sIL-6R·sgp130",
        "il6_sil6r_sgp130fc": "IL-6·sIL-6R·sgp130Fc",
        "anti_il6_il6": "anti-IL-6·IL-6",
        "anti_il6r_sil6r": "anti-IL-6R·sIL-6R",
    }
    species = [
        Species(n, f"free {n}", "blood", levels[n], "nM", "its level on its own (input)")
        for n in PROTEINS
    ] + [Species(c, n, "blood", 0.0, "nM", "none at t = 0") for c, n in names.items()]
    made = [
        Quantity(f"level_{n}", v, "nM", f"level of {n} on its own", _INPUT)
        for n, v in levels.items()
    ] + [
        Quantity(
            f"made_{n}",
            levels[n] * k[c],
            "nM/h",
            f"production of {n}",
            f"derived: production = level_{n} x {c} (course_lib.models.milieu)",
            f"level_{n} * {c}",
        )
        for n, c in CLEARANCE.items()
    ]
    binding = (
        ("il6", "sil6r", "il6_sil6r", "il6_sil6r"),
        ("il6_sil6r", "sgp130", "il6_sil6r_sgp130", "sgp130"),
        ("il6_sil6r", "sgp130fc", "il6_sil6r_sgp130fc", "sgp130fc"),
        ("il6", "anti_il6", "anti_il6_il6", "anti_il6"),
        ("sil6r", "anti_il6r", "anti_il6r_sil6r", "anti_il6r"),
    )
    removal = {
        **CLEARANCE,
        "il6_sil6r": "clear_il6_sil6r",
        "il6_sil6r_sgp130": "clear_sgp130_complex",
        "il6_sil6r_sgp130fc": "clear_trapped",
        "anti_il6_il6": "clear_antibody_complex",
        "anti_il6r_sil6r": "clear_antibody_complex",
    }
    processes = [Process(f"production_{n}", f"{n} made", f"made_{n}", ((n, 1),)) for n in PROTEINS]
    processes += [
        Process(
            f"binding_{c}",
            f"{a} + {b} <-> {c}",
            f"kon_{r} * {a} * {b} - koff_{r} * {c}",
            ((a, -1), (b, -1), (c, 1)),
        )
        for a, b, c, r in binding
    ]
    processes += [
        Process(f"removal_{n}", f"{n} removed", f"{c} * {n}", ((n, -1),))
        for n, c in removal.items()
    ]
    return ModelDescription(
        id="il6_milieu_blood",
        name="IL-6 milieu of blood: production, binding and removal",
        time_unit="h",
        compartments=(
            Compartment("blood", 1.0, "L", "blood (1 L); concentrations do not depend on it"),
        ),
        species=tuple(species),
        parameters=(*_quantities(kinetics), *made),
        processes=tuple(processes),
        notes=(
            "The in-vivo IL-6 milieu of course_lib (course_lib.models.milieu, "
            "course_lib.models.milieu_odes): IL-6, sIL-6R, sgp130 and the drugs sgp130Fc, "
            "anti-IL-6 and anti-IL-6R are made at constant rates, bind with mass action and "
            "are removed at first order. Simulated teaching model; rates from Dwivedi 2014 "
            "(BIOMD0000000534, BIOMD0000000536) and stated assumptions. Time in h, "
            "concentrations in nM. Each protein starts at its level on its own (complexes 0); "
            "run to steady state for the milieu a cell in blood sees."
        ),
    )
