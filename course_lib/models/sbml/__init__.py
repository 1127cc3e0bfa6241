"""The course's ODE models as SBML, for COPASI, tellurium/libRoadRunner and BioModels tools.

`signaling_sbml` writes the JAK1/STAT3/SOCS3 model of one cell (lesson 03) for a cell type, a
stimulus and an sgp130Fc dose; `milieu_sbml` writes the IL-6 milieu of blood (lesson 04) for
given protein levels. Both return SBML Level 3 text, with units, every parameter's source in its
notes, and the initial conditions of the case; ``path=`` also writes the file. From a shell::

    python -m course_lib.models.sbml signaling --cell hepatocyte --stimulus IL-6 --out model.xml
    python -m course_lib.models.sbml milieu --il6 0.002 --sil6r 0.3 --sgp130 3 --out milieu.xml

The export needs python-libsbml (``pip install 'il6-course[export]'``); it is imported only
when a model is written. The descriptions themselves (`signaling_description`,
`milieu_description`) are plain data and need nothing extra.

>>> d = signaling_description("endothelial cell", "Hyper-IL-6", 10.0)
>>> d.species_by_id("IL6R").initial, d.time_unit
(0.0, 'min')
"""

from __future__ import annotations

from pathlib import Path

from course_lib.models.sbml.description import ModelDescription
from course_lib.models.sbml.document import (
    MissingDependencyError,
    consistency_problems,
    to_sbml,
    write_sbml,
)
from course_lib.models.sbml.networks import milieu_description, signaling_description

__all__ = [
    "MissingDependencyError",
    "ModelDescription",
    "consistency_problems",
    "milieu_description",
    "milieu_sbml",
    "signaling_description",
    "signaling_sbml",
    "to_sbml",
    "write_sbml",
]


def _done(description: ModelDescription, path: str | Path | None) -> str:
    text = to_sbml(description)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def signaling_sbml(
    cell_type: str = "hepatocyte",
    stimulus: str = "IL-6",
    dose_ng_ml: float = 10.0,
    *,
    path: str | Path | None = None,
    **options,
) -> str:
    """SBML of the signalling model for one cell type, stimulus and dose (lesson 03).

    Parameters
    ----------
    cell_type, stimulus, dose_ng_ml
        As in `signaling_description` (a name in ``CELL_TYPES``; "IL-6", "IL-6 + sIL-6R" or
        "Hyper-IL-6"; ng/mL).
    path : str or Path, optional
        Also write the SBML to this file.
    **options
        ``sil6r_ng_ml``, ``sgp130fc_ug_ml``, ``socs3_feedback``, ``il6r``, ``gp130``,
        ``params``, as in `signaling_description`.

    Returns
    -------
    str
        The SBML Level 3 document.

    Raises
    ------
    MissingDependencyError
        When python-libsbml is not installed.
    """
    return _done(signaling_description(cell_type, stimulus, dose_ng_ml, **options), path)


def milieu_sbml(*, path: str | Path | None = None, **levels) -> str:
    """SBML of the IL-6 milieu of blood for given protein levels (nM, as in ``steady_state``).

    Parameters
    ----------
    path : str or Path, optional
        Also write the SBML to this file.
    **levels
        ``il6``, ``sil6r``, ``sgp130``, ``sgp130fc``, ``anti_il6``, ``anti_il6r`` (nM) and
        ``kinetics``, as in `milieu_description`.

    Returns
    -------
    str
        The SBML Level 3 document.
    """
    return _done(milieu_description(**levels), path)
