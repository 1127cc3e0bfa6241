"""Find a class's submitted notebooks, who sent each, and which exercise each one answers.

`find_submissions` accepts the three layouts a class folder comes in:

- nbgrader's ``submitted/<student>/<assignment>/<notebook>.ipynb``;
- a flat folder ``<student>.ipynb`` (one notebook per student);
- per-student folders ``<student>/<anything>.ipynb``, as an LMS export unpacks to (deeper
  folders count as the student's too).

Each notebook is matched to an instructor notebook of the source folder (`find_sources`) by its
file name (``00_start_here_exercises.ipynb``, also inside a longer name such as
``alice_00_start_here_exercises.ipynb``), else by nbgrader's assignment folder, else by
``metadata.course_lib.generated_from``, else by the assignment the instructor names. A notebook
that matches nothing keeps ``source=None``; the batch reports it as ``unknown exercise``.
``.ipynb_checkpoints`` and hidden folders are ignored.
Nothing is written.

>>> from pathlib import Path
>>> _student_and_folder(Path("alice/00_start_here/00_start_here.ipynb"))
('alice', '00_start_here', 'nbgrader')
>>> _student_and_folder(Path("bob.ipynb"))
('bob', None, 'flat')
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from course_lib.errors import ExerciseFileError, UnknownNameError
from course_lib.grading.intake import MAX_BYTES

__all__ = ["Submission", "find_sources", "find_submissions", "resolve_assignment"]


@dataclass(frozen=True)
class Submission:
    """One notebook found in a class folder.

    Examples
    --------
    >>> Submission(Path("/c/a.ipynb"), "a.ipynb", "a", "flat", "00_start_here", "file name")
    Submission(path=PosixPath('/c/a.ipynb'), file='a.ipynb', student='a', layout='flat', exercise='00_start_here', matched_by='file name')
    """

    path: Path
    """Where the notebook is (absolute)."""
    file: str
    """Its path inside the class folder, with ``/`` (how reports name it)."""
    student: str
    """The student: the first folder, or the file's name without ``.ipynb`` (flat layout)."""
    layout: str
    """``"nbgrader"``, ``"flat"`` or ``"student folder"``."""
    exercise: str | None
    """The matched source notebook's name without ``.ipynb``, e.g. ``00_start_here``; None when
    nothing matched."""
    matched_by: str = ""
    """How it was matched: ``file name``, ``assignment folder``, ``generated_from`` or
    ``--assignment``."""


def find_sources(source_dir: str | os.PathLike) -> dict[str, Path]:
    """The instructor notebooks of a source folder, by name without ``.ipynb``.

    Parameters
    ----------
    source_dir : str or path-like
        E.g. ``solutions``.

    Returns
    -------
    dict of str to Path
        ``{"00_start_here_exercises": Path("solutions/00_start_here_exercises.ipynb"), ...}``,
        sorted by name.

    Raises
    ------
    ExerciseFileError
        The folder does not exist or holds no notebook.
    """
    folder = Path(source_dir)
    if not folder.is_dir():
        raise ExerciseFileError(
            f"source folder '{folder}' does not exist or is not a folder; expected the folder of "
            "instructor notebooks (solutions/NN_name.ipynb). Pass it with --source."
        )
    found = {p.stem: p for p in sorted(folder.glob("*.ipynb")) if p.is_file()}
    if not found:
        raise ExerciseFileError(
            f"source folder '{folder}' holds no .ipynb notebook; expected the instructor "
            "notebooks (e.g. solutions/00_start_here_exercises.ipynb). Pass the right folder with "
            "--source."
        )
    return found


def resolve_assignment(name: str, sources: dict[str, Path]) -> str:
    """The source a ``--assignment`` value names: its stem, its file name, or its number.

    Examples
    --------
    >>> sources = {"00_start_here": Path("s/00_start_here.ipynb")}
    >>> resolve_assignment("00_start_here.ipynb", sources), resolve_assignment("00", sources)
    ('00_start_here', '00_start_here')
    >>> resolve_assignment("07", sources)
    Traceback (most recent call last):
    ...
    course_lib.errors.UnknownNameError: unknown assignment '07'; expected one of the source notebooks: '00_start_here' (or its number, e.g. '00').
    """
    stem = Path(name).stem if name.endswith(".ipynb") else name
    if stem in sources:
        return stem
    numbered = [s for s in sources if s.split("_", 1)[0] == stem]
    if len(numbered) == 1:
        return numbered[0]
    known = ", ".join(repr(s) for s in sources)
    example = next(iter(sources)).split("_", 1)[0]
    raise UnknownNameError(
        f"unknown assignment {name!r}; expected one of the source notebooks: {known} (or its "
        f"number, e.g. {example!r})."
    )


def _student_and_folder(rel: Path) -> tuple[str, str | None, str]:
    """(student, nbgrader assignment folder or None, layout) of a path inside the class folder."""
    parts = rel.parts
    if len(parts) == 1:
        return rel.stem, None, "flat"
    if len(parts) == 3:
        return parts[0], parts[1], "nbgrader"
    return parts[0], None, "student folder"


def _generated_from(path: Path) -> str | None:
    """The stem of ``metadata.course_lib.generated_from``, or None (any problem: None)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        raw = json.loads(path.read_bytes().decode("utf-8-sig"))
        claimed = raw["metadata"]["course_lib"]["generated_from"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Path(claimed.replace("\\", "/")).stem if isinstance(claimed, str) else None


def _by_name(name: str, stems: list[str]) -> str | None:
    """The source named by a file or folder name: exactly, else inside it (one match only)."""
    if name in stems:
        return name
    inside = [s for s in stems if s in name]
    return inside[0] if len(inside) == 1 else None


def _match(path: Path, folder: str | None, stems: list[str], assignment: str | None):
    """(exercise, how) for one notebook, or (None, "")."""
    found = _by_name(path.stem, stems)
    if found:
        return found, "file name"
    found = _by_name(folder, stems) if folder else None
    if found:
        return found, "assignment folder"
    claimed = _generated_from(path)
    if claimed in stems:
        return claimed, "generated_from"
    if assignment:
        return assignment, "--assignment"
    return None, ""


def _notebooks(root: Path) -> list[Path]:
    """Every ``*.ipynb`` file under ``root``, skipping hidden and checkpoint folders."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        found += [Path(folder, f) for f in sorted(files) if f.endswith(".ipynb") and f[0] != "."]
    return found


def find_submissions(
    root: str | os.PathLike, sources: dict[str, Path], assignment: str | None = None
) -> list[Submission]:
    """Every notebook in a class folder, with its student and matched exercise.

    Parameters
    ----------
    root : str or path-like
        The class folder (e.g. nbgrader's ``submitted``).
    sources : dict of str to Path
        The instructor notebooks, from `find_sources`.
    assignment : str, optional
        The exercise of notebooks that match nothing else (a source name from `sources`).

    Returns
    -------
    list of Submission
        Sorted by student, then file.

    Raises
    ------
    ExerciseFileError
        ``root`` is not a folder.
    """
    top = Path(root)
    if not top.is_dir():
        raise ExerciseFileError(
            f"submissions folder '{top}' does not exist or is not a folder; expected a folder of "
            "notebooks: <student>/<assignment>/<notebook>.ipynb (nbgrader), <student>.ipynb, or "
            "<student>/<notebook>.ipynb. Check the path."
        )
    top = top.resolve()
    stems = sorted(sources)
    found = []
    for path in _notebooks(top):
        rel = path.relative_to(top)
        student, folder, layout = _student_and_folder(rel)
        exercise, how = _match(path, folder, stems, assignment)
        found.append(Submission(path, rel.as_posix(), student, layout, exercise, how))
    return sorted(found, key=lambda s: (s.student, s.file))
