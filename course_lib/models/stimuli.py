"""Lesson 01 stimuli: what is added to a cell's medium, as totals for the binding engine.

A stimulus is IL-6 alone, IL-6 with soluble IL-6R (sIL-6R at the adult serum level), or the
designer protein Hyper-IL-6 (IL-6 fused to sIL-6R; Fischer et al., Nat Biotechnol
1997;15:142), each optionally with the drug sgp130Fc. `stimulus_totals` turns a stimulus into
the nM totals that `course_lib.models.binding.serum_equilibrium` takes; `stimulate` runs the engine for
one cell type; `pathway` names the route a cell hears it by. The medium holds no endogenous
sgp130 here (lesson 02 adds the serum buffer).

>>> stimulus_totals("IL-6 + sIL-6R", il6_ng_ml=10.0)
{'il6': 0.47619047619047616, 'sil6r': 0.8, 'hyper_il6': 0.0, 'sgp130fc': 0.0}
>>> stimulate("endothelial cell", "IL-6").pathway
'none'
>>> stimulate("endothelial cell", "IL-6 + sIL-6R").pathway
'trans'
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from course_lib._text import format_number
from course_lib.errors import as_nonnegative, require_name
from course_lib.models.binding import CELL_TYPES, SerumEquilibrium, serum_equilibrium
from course_lib.models.receptors import Occupancy, receptor_occupancy
from course_lib.parameters import SERUM_HUMAN, Parameter, ParameterSet
from course_lib.units import to_molar

__all__ = [
    "DOMINANT_SHARE",
    "PATHWAYS",
    "STIMULI",
    "STIMULUS_DOSES",
    "ReceptorTable",
    "Stimulation",
    "pathway",
    "receptor_table",
    "stimulate",
    "stimulus_label",
    "stimulus_nM",
    "stimulus_totals",
]

#: stimulus name -> what is added to the medium
STIMULI: dict[str, str] = {
    "IL-6": "IL-6 alone",
    "IL-6 + sIL-6R": "IL-6 with soluble IL-6R at the adult serum level",
    "Hyper-IL-6": "Hyper-IL-6 (IL-6 fused to sIL-6R), dosed in ng/mL of the fusion protein",
}

STIMULUS_DOSES = ParameterSet(
    "Stimulus doses in lesson 01",
    [
        Parameter(
            "il6", 10.0, "ng/mL", "IL-6 added to the medium",
            "doi:10.1038/s41598-020-77884-4 (serum IL-6 reaches ng/mL in inflammation; "
            "healthy 5.19 pg/mL, doi:10.1002/jmv.26654; up to several ug/mL in sepsis)",
            (0.005, 1000.0),
        ),
        Parameter(
            "sil6r", SERUM_HUMAN.value("sil6r"), "ng/mL", "sIL-6R added with IL-6",
            SERUM_HUMAN["sil6r"].source, SERUM_HUMAN["sil6r"].bounds,
        ),
        Parameter(
            "sgp130fc", 1.0, "ug/mL", "sgp130Fc added to the medium",
            "assumed: a therapeutic-like level for teaching; no measured tissue level was "
            "found. A 600 mg IV dose of olamkicept (doi:10.1053/j.gastro.2021.02.062) in "
            "about 3 L of plasma would peak near 200 ug/mL",
            (0.01, 200.0),
        ),
    ],
)  # fmt: skip

#: the answers `pathway` gives, with the words shown to students
PATHWAYS: dict[str, str] = {
    "none": "no response",
    "classic": "classic signalling",
    "trans": "trans-signalling",
    "both": "both pathways",
}
#: share of the occupied gp130 above which one pathway counts as the route a cell hears by
DOMINANT_SHARE = 0.9


def _dose(name: str, value, unit: str):
    x = as_nonnegative(name, value, unit, what="a dose")
    return float(x) if x.ndim == 0 else x


def stimulus_nM(stimulus: str, dose_ng_ml, sil6r_ng_ml=40.0) -> dict[str, object]:
    """The one conversion of a stimulus dose to nM, used by every lesson.

    A dose is in ng/mL of the protein added: IL-6 (21 kDa) for "IL-6" and "IL-6 + sIL-6R",
    the fusion protein itself (its own molar mass, `course_lib.units`) for "Hyper-IL-6", so
    10 ng/mL of Hyper-IL-6 is fewer molecules than 10 ng/mL of IL-6. sIL-6R is added only with
    "IL-6 + sIL-6R".

    Parameters
    ----------
    stimulus : str
        One of `STIMULI`.
    dose_ng_ml : float or array_like
        The dose, ng/mL of IL-6 or of Hyper-IL-6 (>= 0).
    sil6r_ng_ml : float or array_like
        sIL-6R added with "IL-6 + sIL-6R", ng/mL (>= 0).

    Returns
    -------
    dict
        ``il6``, ``sil6r`` and ``hyper_il6`` in nM.

    Examples
    --------
    >>> {k: round(v, 4) for k, v in stimulus_nM("IL-6 + sIL-6R", 10.0, 40.0).items()}
    {'il6': 0.4762, 'sil6r': 0.8, 'hyper_il6': 0.0}
    >>> round(stimulus_nM("Hyper-IL-6", 10.0)["hyper_il6"], 4)
    0.1786
    """
    name = require_name("stimulus", stimulus, STIMULI)
    dose = _dose("dose_ng_ml", dose_ng_ml, "ng/mL")
    sil6r = to_molar(_dose("sil6r_ng_ml", sil6r_ng_ml, "ng/mL"), "ng/mL", "sIL-6R")
    protein = to_molar(dose, "ng/mL", "Hyper-IL-6" if name == "Hyper-IL-6" else "IL-6")
    zero = 0.0 * (protein + sil6r)  # the broadcast shape (a float for single numbers)
    return {
        "il6": zero + (0.0 if name == "Hyper-IL-6" else protein),
        "sil6r": zero + (sil6r if name == "IL-6 + sIL-6R" else 0.0),
        "hyper_il6": zero + (protein if name == "Hyper-IL-6" else 0.0),
    }


def stimulus_totals(
    stimulus: str,
    il6_ng_ml=10.0,
    sgp130fc_ug_ml=0.0,
    *,
    sil6r_ng_ml=40.0,
) -> dict[str, float | np.ndarray]:
    """Total concentrations, nM, of what a stimulus puts into the medium.

    Parameters
    ----------
    stimulus : str
        One of `STIMULI`: ``"IL-6"``, ``"IL-6 + sIL-6R"`` or ``"Hyper-IL-6"``.
    il6_ng_ml : float or array_like
        The dose, ng/mL (>= 0): of IL-6, or of the fusion protein for "Hyper-IL-6" (see
        `stimulus_nM`, the one conversion every lesson uses).
    sgp130fc_ug_ml : float or array_like
        sgp130Fc, ug/mL (>= 0); 0 means no drug.
    sil6r_ng_ml : float or array_like
        sIL-6R added with ``"IL-6 + sIL-6R"``, ng/mL (the adult serum level by default).

    Returns
    -------
    dict
        ``il6``, ``sil6r``, ``hyper_il6`` and ``sgp130fc`` in nM, ready for
        ``serum_equilibrium(**totals)``.

    Examples
    --------
    >>> totals = stimulus_totals("Hyper-IL-6", il6_ng_ml=10.0, sgp130fc_ug_ml=1.0)
    >>> round(totals["hyper_il6"], 3), round(totals["sgp130fc"], 3), totals["il6"]
    (0.179, 4.545, 0.0)
    >>> stimulus_totals("IL-6 and sIL-6R")
    Traceback (most recent call last):
    ...
    course_lib.errors.UnknownNameError: unknown stimulus 'IL-6 and sIL-6R'; expected one of: 'IL-6', 'IL-6 + sIL-6R', 'Hyper-IL-6'. Did you mean 'IL-6 + sIL-6R'?
    >>> stimulus_totals("IL-6", il6_ng_ml=-10)
    Traceback (most recent call last):
    ...
    course_lib.errors.CourseValueError: il6_ng_ml must be a dose >= 0 ng/mL; got -10.0 ng/mL. Doses cannot be negative: check the sign.
    """
    dose = stimulus_nM(stimulus, _dose("il6_ng_ml", il6_ng_ml, "ng/mL"), sil6r_ng_ml)
    fc = to_molar(_dose("sgp130fc_ug_ml", sgp130fc_ug_ml, "ug/mL"), "ug/mL", "sgp130Fc")
    zero = 0.0 * (fc + sum(dose.values()))  # the broadcast shape (a float for single numbers)
    return {**{k: zero + v for k, v in dose.items()}, "sgp130fc": zero + fc}


def stimulus_label(
    stimulus: str,
    il6_ng_ml: float = 10.0,
    sgp130fc_ug_ml: float = 0.0,
    *,
    sil6r_ng_ml: float = 40.0,
) -> str:
    """The stimulus in words, with its doses.

    Examples
    --------
    >>> stimulus_label("IL-6 + sIL-6R", 10, 1)
    'IL-6 (10 ng/mL) + sIL-6R (40 ng/mL) with sgp130Fc (1 µg/mL)'
    >>> stimulus_label("Hyper-IL-6", 10)
    'Hyper-IL-6 (10 ng/mL)'
    """
    name = require_name("stimulus", stimulus, STIMULI)
    il6 = float(_dose("il6_ng_ml", il6_ng_ml, "ng/mL"))
    fc = float(_dose("sgp130fc_ug_ml", sgp130fc_ug_ml, "ug/mL"))
    sil6r = float(_dose("sil6r_ng_ml", sil6r_ng_ml, "ng/mL"))
    if name == "Hyper-IL-6":
        text = f"Hyper-IL-6 ({format_number(il6)} ng/mL)"
    else:
        text = f"IL-6 ({format_number(il6)} ng/mL)"
        if name == "IL-6 + sIL-6R":
            text += f" + sIL-6R ({format_number(sil6r)} ng/mL)"
    return text + (f" with sgp130Fc ({format_number(fc)} µg/mL)" if fc > 0 else "")


def pathway(occupancy: Occupancy):
    """The route by which a cell hears a stimulus: ``"none"``, ``"classic"``, ``"trans"``, ``"both"``.

    ``"none"`` when the occupied gp130 is below the threshold for a measurable response
    (`Occupancy.response` is 0); otherwise the pathway holding at least `DOMINANT_SHARE` of the
    occupied gp130, or ``"both"``.

    Examples
    --------
    >>> pathway(stimulate("hepatocyte", "IL-6").occupancy)
    'classic'
    >>> pathway(stimulate("hepatocyte", "IL-6 + sIL-6R").occupancy)
    'both'
    """
    classic, trans = np.asarray(occupancy.classic), np.asarray(occupancy.trans)
    total = classic + trans
    safe = np.where(total > 0, total, 1.0)
    verdict = np.select(
        [
            np.asarray(occupancy.response()) == 0,
            classic / safe >= DOMINANT_SHARE,
            trans / safe >= DOMINANT_SHARE,
        ],
        ["none", "classic", "trans"],
        "both",
    )
    return str(verdict) if verdict.ndim == 0 else verdict


@dataclass(frozen=True)
class Stimulation:
    """One cell type given one stimulus: the doses, the medium at equilibrium, the cell's gp130.

    ``serum`` holds the species in the medium (nM); ``occupancy`` the cell's gp130 in classic
    and trans complexes (molecules per cell).
    """

    cell_type: str
    stimulus: str
    il6_ng_ml: float
    sgp130fc_ug_ml: float
    sil6r_ng_ml: float
    serum: SerumEquilibrium
    occupancy: Occupancy

    @property
    def pathway(self) -> str:
        """``"none"``, ``"classic"``, ``"trans"`` or ``"both"`` (see `pathway`)."""
        return pathway(self.occupancy)

    @property
    def trapped_fraction(self):
        """Fraction of the IL-6·sIL-6R and Hyper-IL-6 complexes in the medium held by sgp130Fc."""
        s = self.serum
        held = s.il6_sil6r_sgp130fc + s.hyper_il6_sgp130fc
        every = held + s.il6_sil6r + s.il6_sil6r_sgp130 + s.hyper_il6 + s.hyper_il6_sgp130
        every = np.asarray(every)
        fraction = np.where(every > 0, held / np.where(every > 0, every, 1.0), 0.0)
        return float(fraction) if fraction.ndim == 0 else fraction

    @property
    def label(self) -> str:
        """The stimulus in words (`stimulus_label`)."""
        return stimulus_label(
            self.stimulus, self.il6_ng_ml, self.sgp130fc_ug_ml, sil6r_ng_ml=self.sil6r_ng_ml
        )


def stimulate(
    cell_type: str,
    stimulus: str,
    *,
    il6_ng_ml: float = 10.0,
    sgp130fc_ug_ml: float = 0.0,
    sil6r_ng_ml: float = 40.0,
    affinities: str | ParameterSet = "textbook",
) -> Stimulation:
    """Give one cell type a stimulus and solve the medium and the cell's receptors.

    Parameters
    ----------
    cell_type : str
        A name in `CELL_TYPES`.
    stimulus, il6_ng_ml, sgp130fc_ug_ml, sil6r_ng_ml
        As in `stimulus_totals` (ng/mL, ug/mL, ng/mL).
    affinities : {"textbook", "effective"} or ParameterSet
        Binding constants for the medium (see `course_lib.models.affinities`).

    Returns
    -------
    Stimulation

    Examples
    --------
    >>> s = stimulate("hepatocyte", "IL-6", sgp130fc_ug_ml=1.0)
    >>> round(s.occupancy.classic), round(s.occupancy.trans), s.occupancy.response()
    (3703, 0, 2)
    >>> stimulate("Kupffer cell", "IL-6")
    Traceback (most recent call last):
    ...
    course_lib.errors.UnknownNameError: unknown cell type 'Kupffer cell'; expected one of: 'hepatocyte', 'HCC cell', 'endothelial cell', 'neutrophil', 'T cell', 'macrophage'.
    """
    cell = require_name("cell type", cell_type, CELL_TYPES)
    name = require_name("stimulus", stimulus, STIMULI)
    totals = stimulus_totals(name, il6_ng_ml, sgp130fc_ug_ml, sil6r_ng_ml=sil6r_ng_ml)
    serum = serum_equilibrium(**totals, affinities=affinities)
    return Stimulation(
        cell_type=cell,
        stimulus=name,
        il6_ng_ml=il6_ng_ml,
        sgp130fc_ug_ml=sgp130fc_ug_ml,
        sil6r_ng_ml=sil6r_ng_ml,
        serum=serum,
        occupancy=receptor_occupancy(cell, serum),
    )


@dataclass(frozen=True)
class ReceptorTable:
    """Membrane IL-6R and gp130 per cell for every cell type, with sources (shows as a table)."""

    rows: tuple[tuple[str, float, float, str], ...]
    gp130_source: str

    def __repr__(self) -> str:
        lines = [f"{'cell type':<18}{'IL-6R':>8}{'gp130':>8}  source of the IL-6R number"]
        lines += [f"{n:<18}{r:>8,.0f}{g:>8,.0f}  {s}" for n, r, g, s in self.rows]
        return "\n".join([*lines, f"gp130: {self.gp130_source}"])

    def _repr_html_(self) -> str:
        head = "".join(
            f"<th>{h}</th>"
            for h in (
                "cell type",
                "membrane IL-6R (per cell)",
                "gp130 (per cell)",
                "source of the IL-6R number",
            )
        )
        body = "".join(
            f"<tr><td>{html.escape(n)}</td><td>{r:,.0f}</td><td>{g:,.0f}</td>"
            f"<td>{html.escape(s)}</td></tr>"
            for n, r, g, s in self.rows
        )
        return (
            "<table><caption>Receptors per cell in the course's cell types</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<p><small>gp130 numbers: {html.escape(self.gp130_source)}.</small></p>"
        )


def receptor_table() -> ReceptorTable:
    """The receptor numbers of `CELL_TYPES`, for display in a notebook.

    Examples
    --------
    >>> [(name, il6r) for name, il6r, _, _ in receptor_table().rows][:3]
    [('hepatocyte', 4500.0), ('HCC cell', 1200.0), ('endothelial cell', 0.0)]
    """
    rows = tuple(
        (name, cell.value("il6r"), cell.value("gp130"), cell["il6r"].source)
        for name, cell in CELL_TYPES.items()
    )
    sources = {cell["gp130"].source for cell in CELL_TYPES.values()}
    return ReceptorTable(rows=rows, gp130_source="; ".join(sorted(sources)))
