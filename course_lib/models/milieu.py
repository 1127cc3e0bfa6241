"""The IL-6 milieu of a living animal: production, clearance and binding in blood (open system).

A culture well is closed: what is added stays, and binding reaches equilibrium
(`course_lib.models.binding.serum_equilibrium`). Blood is open: IL-6, soluble IL-6R (sIL-6R),
soluble gp130 (sgp130) and a drug are made and removed all the time, and IL-6 is removed within
minutes (Dwivedi model: 34.8 per hour), about a hundred times faster than it meets sIL-6R
(0.384 per nM per hour times a fraction of a nM). Most IL-6 is therefore removed before it ever
binds, and free IL-6, the ligand of classic signalling, is set by production and clearance. A
trap for IL-6·sIL-6R (sgp130Fc) lowers the trans-signalling complex without touching free IL-6,
**provided enough of what it catches leaves blood**: each catch is either removed with the trap
(a share removal / (removal + let-go)) or let go again, and the catches that end in removal
must outpace the complex's other fates (falling apart, capture by natural sgp130, its own
removal). A trap that holds its catch for weeks, like an antibody, lets nearly all of it go
again and only buffers it. How fast the captured complex is removed, and how fast the dimeric
trap lets go, nobody has measured (FACTS 1.4b): both are explicit assumptions in
`MILIEU_KINETICS`, with ranges, and lesson 04 lets students move them.

Every species is made at a constant rate (``level x clearance``: the inputs of `steady_state`
are the levels each protein would reach on its own), binds with mass-action rates, and is
removed by first-order clearance; each complex has its own removal rate. `steady_state` solves
the balance of production, binding and removal exactly (one monotone unknown, the IL-6·sIL-6R
complex); `course_lib.models.milieu_odes` writes the same equations as differential
equations, for integration over time and for a dish (``closed=True``: no production, no removal).

>>> m = steady_state(il6=0.002, sil6r=0.3, sgp130=3.0)
>>> trapped = steady_state(il6=0.002, sil6r=0.3, sgp130=3.0, sgp130fc=45.0)
>>> round(trapped.il6 / m.il6, 3), round(trapped.il6_sil6r / m.il6_sil6r, 2)
(1.0, 0.14)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from course_lib.errors import CourseTypeError, ShapeError, as_nonnegative
from course_lib.models._roots import solve_decreasing_near
from course_lib.parameters import Parameter, ParameterSet

__all__ = [
    "CLEARANCE",
    "MILIEU_KINETICS",
    "PROTEINS",
    "SPECIES",
    "Milieu",
    "kinetics_floats",
    "steady_state",
]

_DW = "BIOMD0000000534 (Dwivedi 2014, PMID:24402116)"
_DW_SGP = "BIOMD0000000536 (Dwivedi 2014 sgp130Fc model, PMID:24402116)"

MILIEU_KINETICS = ParameterSet(
    "IL-6 milieu in blood: binding, production and removal rates",
    [
        Parameter("kon_il6_sil6r", 0.384, "1/(nM*h)", "association of IL-6 with sIL-6R",
                  _DW, (0.1, 5.0)),
        Parameter("koff_il6_sil6r", 1.92, "1/h", "dissociation of IL-6·sIL-6R",
                  _DW, (0.5, 10.0)),
        Parameter("kon_sgp130", 20.52, "1/(nM*h)", "association of IL-6·sIL-6R with sgp130",
                  f"{_DW} (the rates of gp130)", (1.0, 100.0)),
        Parameter("koff_sgp130", 1.026, "1/h", "dissociation of IL-6·sIL-6R·sgp130",
                  f"{_DW} (the rates of gp130)", (0.1, 10.0)),
        Parameter("kon_sgp130fc", 20.52, "1/(nM*h)", "association of IL-6·sIL-6R with sgp130Fc",
                  f"{_DW_SGP}, which gives sgp130Fc the rates of gp130", (1.0, 100.0)),
        Parameter("koff_sgp130fc", 1.026, "1/h",
                  "effective dissociation of IL-6·sIL-6R from the dimeric trap sgp130Fc",
                  "assumed: monomeric gp130's 1.026 /h as in BIOMD0000000536; a dimer that "
                  "rebinds its catch may let go up to 100 times more slowly (avidity); this rate "
                  "has not been measured", (0.01, 1.026)),
        Parameter("kon_anti_il6", 1000.0, "1/(nM*h)", "association of an anti-IL-6 antibody",
                  _DW, (10.0, 5000.0)),
        Parameter("koff_anti_il6", 2.5, "1/h", "dissociation of anti-IL-6·IL-6", _DW,
                  (0.1, 10.0)),
        Parameter("kon_anti_il6r", 3.6, "1/(nM*h)", "association of an anti-IL-6R antibody with sIL-6R",
                  "assumed: a typical antibody on-rate of 1e6 /M/s; with the 1.24 nM Kd of "
                  "course_lib.models.affinities it sets the off-rate", (0.36, 36.0)),
        Parameter("koff_anti_il6r", 4.46, "1/h", "dissociation of anti-IL-6R·sIL-6R",
                  "assumed: 1.24 nM (Kd in course_lib.models.affinities) x 3.6 /nM/h",
                  (0.1, 50.0)),
        Parameter("clear_il6", 34.82, "1/h", "removal of free IL-6 from blood",
                  f"{_DW}; t1/2 about 1.5 min in rats (Eur J Clin Invest 1990;20:366)",
                  (1.39, 41.6)),
        Parameter("clear_sil6r", 0.3, "1/h", "removal of free sIL-6R", _DW, (0.1, 1.0)),
        Parameter("clear_sgp130", 1.0, "1/h", "removal of free sgp130", _DW, (0.1, 1.0)),
        Parameter("clear_fc", 0.0018, "1/h",
                  "removal of Fc proteins and antibodies (sgp130Fc, anti-IL-6, anti-IL-6R)",
                  f"{_DW} (t1/2 about 16 days)", (0.0005, 0.01)),
        Parameter("clear_il6_sil6r", 0.3, "1/h", "removal of the IL-6·sIL-6R complex",
                  "assumed: removed like its carrier, free sIL-6R (0.3 /h, PMID:24402116); "
                  "no measured value was found", (0.1, 1.0)),
        Parameter("clear_sgp130_complex", 1.0, "1/h", "removal of IL-6·sIL-6R·sgp130",
                  "assumed: removed like its carrier, free sgp130 (1.0 /h, PMID:24402116)",
                  (0.1, 1.0)),
        Parameter("clear_trapped", 0.3, "1/h",
                  "removal of the captured complex IL-6·sIL-6R·sgp130Fc",
                  "assumed: as fast as free sIL-6R is removed (0.3 /h, PMID:24402116), the "
                  "slowest removal under which the model blocks trans-signalling in "
                  "sgp130Fc-transgenic mice as Rabe et al. report (Blood 2008;111:1021); the "
                  "slow end is IgG-like recycling (0.0018 /h), the fast end sgp130's 1 /h "
                  "doubled; this rate has not been measured", (0.0018, 2.0)),
        Parameter("clear_antibody_complex", 0.0018, "1/h",
                  "removal of antibody complexes (anti-IL-6·IL-6, anti-IL-6R·sIL-6R)",
                  "assumed: removed like the antibody itself (PMID:24402116), so bound IL-6 "
                  "and sIL-6R accumulate in blood under antibody treatment", (0.0005, 0.3)),
    ],
)  # fmt: skip

#: Species of the milieu, in the order of `rates`; free species first, then complexes.
SPECIES = (
    "il6",
    "sil6r",
    "sgp130",
    "sgp130fc",
    "anti_il6",
    "anti_il6r",
    "il6_sil6r",
    "il6_sil6r_sgp130",
    "il6_sil6r_sgp130fc",
    "anti_il6_il6",
    "anti_il6r_sil6r",
)
#: The proteins that blood makes (or receives as a drug), in the order of `steady_state`.
PROTEINS = ("il6", "sil6r", "sgp130", "sgp130fc", "anti_il6", "anti_il6r")
#: The clearance parameter of each protein while it is free.
CLEARANCE = dict(
    zip(
        PROTEINS,
        ("clear_il6", "clear_sil6r", "clear_sgp130", "clear_fc", "clear_fc", "clear_fc"),
        strict=True,
    )
)


@dataclass(frozen=True)
class Milieu:
    """Steady-state concentrations (nM) of the milieu, each shaped like the inputs.

    The free species (``il6``, ``sil6r``, ...) and the complexes carry the names of
    `SPECIES`; ``production`` holds each protein's production rate (nM/h). A cell in this
    blood sees ``il6`` (classic signalling) and ``trans_complex`` (trans-signalling), so a
    `Milieu` can be passed to `course_lib.models.receptors.receptor_occupancy`.
    """

    il6: np.ndarray
    sil6r: np.ndarray
    sgp130: np.ndarray
    sgp130fc: np.ndarray
    anti_il6: np.ndarray
    anti_il6r: np.ndarray
    il6_sil6r: np.ndarray
    il6_sil6r_sgp130: np.ndarray
    il6_sil6r_sgp130fc: np.ndarray
    anti_il6_il6: np.ndarray
    anti_il6r_sil6r: np.ndarray
    production: dict[str, np.ndarray]
    kinetics: ParameterSet

    @property
    def trans_complex(self) -> np.ndarray:
        """The free complex that engages gp130 on any cell: IL-6·sIL-6R, nM."""
        return self.il6_sil6r

    @property
    def total_il6(self) -> np.ndarray:
        """All IL-6 in blood, free and bound (what a total-IL-6 assay reads), nM."""
        return (
            self.il6
            + self.il6_sil6r
            + self.il6_sil6r_sgp130
            + self.il6_sil6r_sgp130fc
            + self.anti_il6_il6
        )

    def species(self) -> dict[str, np.ndarray]:
        """Every species by name (nM), in the order of `SPECIES`."""
        return {name: getattr(self, name) for name in SPECIES}

    def state(self) -> np.ndarray:
        """The species stacked along a last axis, the state vector of `rates`."""
        return np.stack([np.asarray(v, dtype=float) for v in self.species().values()], axis=-1)


def _levels(given: dict[str, object]) -> dict[str, np.ndarray]:
    arrays = {name: as_nonnegative(name, value, "nM") for name, value in given.items()}
    try:
        return dict(zip(arrays, np.broadcast_arrays(*arrays.values()), strict=True))
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in arrays.items() if a.ndim)
        raise ShapeError(
            f"the levels must broadcast against each other; got shapes {shapes}. Give single "
            "numbers, or arrays of one shape (or shapes numpy can broadcast)."
        ) from None


def kinetics_floats(kinetics) -> dict[str, float]:
    """The rates of a `MILIEU_KINETICS`-like set as floats, after checking its names."""
    if not isinstance(kinetics, ParameterSet) or set(kinetics) != set(MILIEU_KINETICS):
        raise CourseTypeError(
            f"kinetics must be a ParameterSet with the names of MILIEU_KINETICS; got "
            f"{kinetics!r}. Use MILIEU_KINETICS.with_values(...) to change a rate."
        )
    return kinetics.as_floats()


def _captured(k: dict[str, float], trap: str, clear: str) -> float:
    """Net removal of IL-6·sIL-6R per nM of a trap and per hour, at steady state."""
    return k[f"kon_{trap}"] * k[clear] / (k[f"koff_{trap}"] + k[clear])


def _free(s: np.ndarray, clear: float, capture: np.ndarray) -> np.ndarray:
    """Free level x of a species made at ``s`` that solves clear x + capture(x) = s, where a
    bound partner takes ``a s' x / (k' + a x)`` (``capture`` gives a, s', k'). A quadratic."""
    a, s_partner, k_partner = capture
    b = clear * k_partner + a * s_partner - s * a
    root = np.sqrt(b * b + 4.0 * clear * a * s * k_partner)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(b >= 0, 2.0 * s * k_partner / (b + root), (root - b) / (2.0 * clear * a))
    return np.where(a * s_partner > 0, x, s / clear)


class _Balance:
    """Production, binding and removal at steady state, given the IL-6·sIL-6R complex ``c``.

    Every other species follows from ``c`` in closed form: the traps (sgp130, sgp130Fc) from
    their own balance, free IL-6 and sIL-6R from theirs (a quadratic when an antibody binds
    them). `residual` is the balance of the complex itself, decreasing in ``c``.
    """

    def __init__(self, k: dict[str, float], made: dict[str, np.ndarray]) -> None:
        self.k, self.made = k, made
        self.a_g = _captured(k, "sgp130", "clear_sgp130_complex")
        self.a_f = _captured(k, "sgp130fc", "clear_trapped")
        self.a_a = _captured(k, "anti_il6", "clear_antibody_complex")
        self.a_b = _captured(k, "anti_il6r", "clear_antibody_complex")

    def free(self, c: np.ndarray, i=slice(None)) -> tuple[np.ndarray, ...]:
        """(IL-6, sIL-6R, sgp130, sgp130Fc) free, nM, for complex levels ``c``."""
        k, made, k_fc = self.k, self.made, self.k["clear_fc"]
        g = made["sgp130"][i] / (k["clear_sgp130"] + self.a_g * c)
        f = made["sgp130fc"][i] / (k_fc + self.a_f * c)
        flux = (k["clear_il6_sil6r"] + self.a_g * g + self.a_f * f) * c  # through the complex
        il6_made = np.maximum(made["il6"][i] - flux, 0.0)
        r_made = np.maximum(made["sil6r"][i] - flux, 0.0)
        il6 = _free(il6_made, k["clear_il6"], (self.a_a, made["anti_il6"][i], k_fc))
        r = _free(r_made, k["clear_sil6r"], (self.a_b, made["anti_il6r"][i], k_fc))
        return il6, r, g, f

    def residual(self, c: np.ndarray, i=None) -> tuple[np.ndarray, np.ndarray]:
        """(complex made - complex lost, their sum as the scale) per hour."""
        i = slice(None) if i is None else i
        il6, r, g, f = self.free(c, i)
        k = self.k
        made = k["kon_il6_sil6r"] * il6 * r
        lost = (k["koff_il6_sil6r"] + k["clear_il6_sil6r"] + self.a_g * g + self.a_f * f) * c
        return made - lost, made + lost

    def complex_level(self) -> np.ndarray:
        """The IL-6·sIL-6R complex at steady state, nM (0 without IL-6 or sIL-6R)."""
        k, made = self.k, self.made
        # an upper bound: IL-6 and sIL-6R at their free-running levels, no removal but koff
        upper = k["kon_il6_sil6r"] * made["il6"] / k["clear_il6"] * made["sil6r"]
        upper = upper / k["clear_sil6r"] / k["koff_il6_sil6r"]
        c = np.zeros(upper.shape)
        idx = np.flatnonzero(upper > 0)
        if idx.size:  # from a first guess; [upper 1e-30, upper] where the guess is poor
            c[idx] = solve_decreasing_near(
                lambda x, i=None: self.residual(x, idx if i is None else idx[i]),
                self.first_guess(idx),
                upper[idx] * 1e-30,
                upper[idx],
            )
        return c

    def first_guess(self, i) -> np.ndarray:
        """The complex if it used up neither IL-6 nor sIL-6R nor the traps, nM: made at the
        free levels of no complex, lost at those levels' rate (within a factor of about 6 of
        the steady state in the lessons' sera, whatever the trap does)."""
        il6, r, g, f = self.free(np.zeros(len(i)), i)
        k = self.k
        lost = k["koff_il6_sil6r"] + k["clear_il6_sil6r"] + self.a_g * g + self.a_f * f
        return k["kon_il6_sil6r"] * il6 * r / lost

    def species(self, c: np.ndarray) -> dict[str, np.ndarray]:
        """Every species of `SPECIES`, nM, for the steady-state complex level ``c``."""
        k, made, k_fc = self.k, self.made, self.k["clear_fc"]
        il6, r, g, f = self.free(c)
        a = made["anti_il6"] / (k_fc + self.a_a * il6)
        b = made["anti_il6r"] / (k_fc + self.a_b * r)

        def bound(trap: str, clear: str, x, y):
            return k[f"kon_{trap}"] * x * y / (k[f"koff_{trap}"] + k[clear])

        return {
            "il6": il6,
            "sil6r": r,
            "sgp130": g,
            "sgp130fc": f,
            "anti_il6": a,
            "anti_il6r": b,
            "il6_sil6r": c,
            "il6_sil6r_sgp130": bound("sgp130", "clear_sgp130_complex", c, g),
            "il6_sil6r_sgp130fc": bound("sgp130fc", "clear_trapped", c, f),
            "anti_il6_il6": bound("anti_il6", "clear_antibody_complex", il6, a),
            "anti_il6r_sil6r": bound("anti_il6r", "clear_antibody_complex", r, b),
        }


def steady_state(
    il6=0.0,
    sil6r=0.0,
    sgp130=0.0,
    sgp130fc=0.0,
    anti_il6=0.0,
    anti_il6r=0.0,
    *,
    kinetics: ParameterSet = MILIEU_KINETICS,
) -> Milieu:
    """The steady state of blood in which each protein is made and removed.

    Parameters
    ----------
    il6, sil6r, sgp130, sgp130fc, anti_il6, anti_il6r : float or array_like
        Each protein's level on its own, nM: production rate / its clearance (the level it
        would reach if nothing bound it). Finite, >= 0, broadcastable against each other.
    kinetics : ParameterSet
        Binding and removal rates (`MILIEU_KINETICS` or a changed copy).

    Returns
    -------
    Milieu
        Free species and complexes, nM, of the broadcast shape.

    Examples
    --------
    >>> m = steady_state(il6=0.002, sil6r=0.3, sgp130=3.0)
    >>> bool(m.il6 > 0.99 * 0.002 / 1.11)  # about a tenth of IL-6 is bound, mostly to sgp130
    True
    >>> steady_state(il6=-1.0)
    Traceback (most recent call last):
    ...
    course_lib.errors.CourseValueError: il6 must be a concentration >= 0 nM; got -1.0 nM. Concentrations cannot be negative: check the sign.
    """
    k = kinetics_floats(kinetics)
    given = (il6, sil6r, sgp130, sgp130fc, anti_il6, anti_il6r)
    levels = _levels(dict(zip(PROTEINS, given, strict=True)))
    shape = levels["il6"].shape
    made = {n: np.ravel(levels[n]) * k[c] for n, c in CLEARANCE.items()}
    balance = _Balance(k, made)
    out = balance.species(balance.complex_level())
    shaped = {name: (float(v[0]) if not shape else v.reshape(shape)) for name, v in out.items()}
    production = {n: (float(v[0]) if not shape else v.reshape(shape)) for n, v in made.items()}
    return Milieu(**shaped, production=production, kinetics=kinetics)
