"""Build the student copy of the course: what `make release` runs.

``dist/student/`` (and ``dist/student.zip``, the same folder zipped) holds what a student needs
and nothing of the instructor's:

- ``notebooks/`` (with the scenario presets in ``notebooks/presets/``) and ``exercises/``,
  copied byte for byte, after checking that the exercises are in sync with ``solutions/`` and
  that no notebook is stored with outputs;
- ``course_lib/`` without its instructor modules: of ``course_lib/grading`` only what the
  exercises import is shipped (`STUDENT_GRADING`: the checks, their feedback engine and
  ``variants``, which draws each student's numbers); the
  rest generates exercises from ``solutions/`` and grades against it, so it knows the solution
  markers and is of no use without the solutions;
- the set-up files: ``pyproject.toml``, ``environment.yml`` and ``postBuild`` (Binder's set-up),
  ``.gitignore``, ``tools/lab.py``,
  a Makefile with only ``make lab`` (its rules copied from the course's Makefile) and a README
  without the sections for instructors and tests (`README_SECTIONS` are kept).

No ``solutions/``, no ``tests/``, no other tools. A last scan refuses a release in which any file
still contains a solution or hidden-test marker. Hand out the zip, or push ``dist/student`` to
the repository students pull with nbgitpuller. ``dist/.gitignore`` keeps the output out of git.

    python tools/release.py              # dist/student and dist/student.zip
    python tools/release.py --out DIR    # DIR/student and DIR/student.zip

This is a tool of the course repository and not part of `course_lib`: it reads the repository
layout (solutions, Makefile, README) and must not itself be handed to students.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the library of the repository being released, not another copy
from course_lib.grading.assign import check_exercises  # noqa: E402

__all__ = [
    "MARKERS",
    "PRESETS",
    "README_SECTIONS",
    "STUDENT_GRADING",
    "ReleaseError",
    "build_release",
    "data_files",
    "main",
    "student_makefile",
    "student_readme",
]

#: The parts of course_lib/grading a student gets (paths inside course_lib/; a folder ends in /):
#: everything else there is the instructor's (generating exercises, grading).
STUDENT_GRADING = (
    "grading/__init__.py",
    "grading/feedback.py",
    "grading/function_checks.py",
    "grading/answers.py",
    "grading/variants.py",
    "grading/checks/",
)
#: Copied as they are (paths from the repository root); with them, the data files that
#: pyproject.toml installs (`data_files`: without them `pip install .` of the copy fails).
SETUP_FILES = ("pyproject.toml", "environment.yml", "postBuild", ".gitignore", "tools/lab.py")
#: The scenario presets beside the lessons (course_lib.widgets.presets finds them there).
PRESETS = "notebooks/presets/*/*.json"
#: README sections (## headings) a student gets, in this order, after the title and summary.
README_SECTIONS = ("Getting started", "The course", "Conda, Binder and JupyterHub")
#: No file of a release may contain these.
MARKERS = (
    "### BEGIN SOLUTION",
    "### END SOLUTION",
    "### BEGIN HIDDEN TESTS",
    "### END HIDDEN TESTS",
)
INFO_FILE = ".release-info"  # marks a folder this tool built, so a rebuild may replace it
README_LAYOUT = """## What is here

```
notebooks/    the lessons: read, run, move the sliders (start with 00_start_here.ipynb)
exercises/    your exercise notebooks, NN_<topic>_exercises.ipynb: answer, then run each check
course_lib/   the course library the notebooks import: models, figures, widgets, checks
tools/lab.py  what `make lab` runs
```
"""
MAKEFILE_HEADER = """\
# Student copy of the IL-6 course (built by `make release` in the course repository).
# `make lab` creates .venv with the machine's Python (3.11 or newer) on first use, installs the
# course library into it, and starts JupyterLab; later runs start at once.
"""


class ReleaseError(Exception):
    """The release cannot be built; the message says why and what to do."""


def _block(text: str, pattern: str, what: str) -> str:
    """The first match of ``pattern`` (multi-line) in the Makefile ``text``, or ReleaseError."""
    match = re.search(pattern, text, re.MULTILINE)
    if not match:
        raise ReleaseError(
            f"the course Makefile has no {what}; tools/release.py copies it into the student "
            "Makefile. Restore it, or update student_makefile in tools/release.py."
        )
    return match.group(0).rstrip("\n")


def student_makefile(makefile: str) -> str:
    """The student Makefile: ``make lab``, ``make help`` and ``make clean-venv`` only.

    The variables and rules are copied from the course's ``makefile`` text, so the two set up
    the environment the same way; nothing that needs solutions/, tests/ or other tools remains.

    Parameters
    ----------
    makefile : str
        The course's Makefile.

    Returns
    -------
    str
        The student Makefile.

    Raises
    ------
    ReleaseError
        A variable or rule to copy is missing from ``makefile``.
    """
    names = ("PYTHON", "PORT", "VENV", "BIN", "RUN_STAMP", "SERVER_EXTENSION")
    variables = [_block(makefile, rf"^{n}\s*[:?]?=.*$", f"variable {n}") for n in names]
    rules = [
        _block(makefile, rf"^{re.escape(target)}:.*\n(\t.*\n?)+", f"rule for {target}")
        for target in ("$(BIN)/python", "$(RUN_STAMP)", "lab", "clean-venv")
    ]
    help_lab = _block(makefile, r"^\t@echo \"make lab .*$", "help line for make lab")
    help_clean = '\t@echo "make clean-venv delete .venv; the next make lab sets it up again"'
    head = "\n".join([*variables, "", ".PHONY: lab help clean-venv", ".DEFAULT_GOAL := help"])
    help_rule = f"help:\n{help_lab}\n{help_clean}"
    return "\n\n".join([f"{MAKEFILE_HEADER}\n{head}", help_rule, *rules]) + "\n"


def student_readme(readme: str) -> str:
    """The student README: title and summary, `README_SECTIONS`, and the release's layout.

    Lines of the summary that mention ``make test`` are dropped (there are no tests here).

    Parameters
    ----------
    readme : str
        The course's README.md.

    Returns
    -------
    str
        The student README.

    Raises
    ------
    ReleaseError
        A section of `README_SECTIONS` is missing from ``readme``.
    """
    parts = re.split(r"^(?=## )", readme, flags=re.MULTILINE)
    sections = {p.splitlines()[0][3:].strip(): p.rstrip() + "\n" for p in parts[1:]}
    missing = [name for name in README_SECTIONS if name not in sections]
    if missing:
        raise ReleaseError(
            f"README.md has no section {missing[0]!r}; the student README is made of "
            f"{list(README_SECTIONS)}. Restore the heading, or update README_SECTIONS in "
            "tools/release.py."
        )
    summary = "\n".join(line for line in parts[0].split("\n") if "make test" not in line)
    kept = [sections[name] for name in README_SECTIONS]
    return "\n".join([summary.rstrip() + "\n", *kept, README_LAYOUT])


def _check_sources(root: Path) -> None:
    """ReleaseError unless exercises/ is in sync with solutions/ and no notebook has outputs."""
    if not (root / "solutions").is_dir():
        raise ReleaseError(
            f"'{root}' has no solutions/ folder; a release is built from the course repository "
            "(with solutions/), not from a student copy."
        )
    report = check_exercises(root / "solutions", root / "exercises")
    if not report.ok:
        raise ReleaseError(
            f"exercises/ is not in sync with solutions/:\n{report}\nRun `make exercises` (and "
            "commit) before `make release`."
        )
    stored = []
    for path in sorted([*root.glob("notebooks/*.ipynb"), *root.glob("exercises/*.ipynb")]):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        if any(c.get("outputs") or c.get("execution_count") is not None for c in cells):
            stored.append(path.relative_to(root).as_posix())
    if stored:
        raise ReleaseError(
            f"notebooks stored with outputs: {stored}; students would get stale results. "
            "Clear them (JupyterLab: Edit > Clear Outputs of All Cells), save, and run again."
        )


def _for_students(module: str) -> bool:
    """Whether ``module`` (a path inside course_lib/) goes into the release."""
    if not module.startswith("grading/"):
        return True
    return any(module == s or (s.endswith("/") and module.startswith(s)) for s in STUDENT_GRADING)


def _files(root: Path) -> list[str]:
    """Paths (from the root) of the files copied as they are."""
    library = [
        p.relative_to(root).as_posix()
        for p in sorted((root / "course_lib").rglob("*.py"))
        if "__pycache__" not in p.parts
        and _for_students(p.relative_to(root / "course_lib").as_posix())
    ]
    notebooks = [
        p.relative_to(root).as_posix()
        for folder in ("notebooks", "exercises")
        for p in sorted((root / folder).glob("*.ipynb"))
    ]
    presets = [p.relative_to(root).as_posix() for p in sorted(root.glob(PRESETS))]
    return [*SETUP_FILES, *data_files(root), *notebooks, *presets, *library]


def data_files(root: Path) -> list[str]:
    """The files ``[tool.setuptools.data-files]`` of ``root``'s pyproject.toml installs."""
    with (root / "pyproject.toml").open("rb") as fh:
        tables = tomllib.load(fh).get("tool", {}).get("setuptools", {}).get("data-files", {})
    return [path for paths in tables.values() for path in paths]


def _fresh_folder(folder: Path) -> None:
    """Empty ``folder`` for a new build; only a folder this tool built is deleted."""
    if folder.exists():
        if not (folder / INFO_FILE).is_file():
            raise ReleaseError(
                f"'{folder}' exists and was not built by tools/release.py (no {INFO_FILE}); "
                "remove it yourself or choose another --out folder."
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _source_commit(root: Path) -> str:
    try:
        run = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return run.stdout.strip()


def _scan(folder: Path) -> None:
    """ReleaseError if any text file of the release contains a marker of `MARKERS`."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found = [m for m in MARKERS if m in text]
        if found:
            raise ReleaseError(
                f"{path.relative_to(folder)} contains {found[0]!r}: it would give students a "
                "solution or a hidden test. Leave the file out of the release (tools/release.py)."
            )


def build_release(root: str | Path = ROOT, out: str | Path | None = None) -> Path:
    """Build ``OUT/student`` and ``OUT/student.zip`` from the course repository ``root``.

    Parameters
    ----------
    root : str or Path
        The course repository (with solutions/).
    out : str or Path, optional
        Where to build; ``ROOT/dist`` when None.

    Returns
    -------
    Path
        The ``student`` folder.

    Raises
    ------
    ReleaseError
        Exercises out of sync, notebooks with outputs, a Makefile or README part missing, an
        output folder this tool did not build, or a marker left in a file.
    """
    root = Path(root).resolve()
    out = Path(out) if out is not None else root / "dist"
    _check_sources(root)
    makefile = student_makefile((root / "Makefile").read_text(encoding="utf-8"))
    readme = student_readme((root / "README.md").read_text(encoding="utf-8"))
    folder = out / "student"
    _fresh_folder(folder)
    for rel in _files(root):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / rel, folder / rel)  # with its mode: postBuild stays executable
    (folder / "Makefile").write_text(makefile, encoding="utf-8")
    (folder / "README.md").write_text(readme, encoding="utf-8")
    info = {"built_from_commit": _source_commit(root), "built_by": "tools/release.py"}
    (folder / INFO_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    _scan(folder)
    (out / ".gitignore").write_text("# build output of tools/release.py\n*\n", encoding="utf-8")
    shutil.make_archive(str(out / "student"), "zip", root_dir=out, base_dir="student")
    return folder


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the release and say where it is.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        0 when built, 2 when refused (the reason is printed).
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="default: dist/")
    args = parser.parse_args(argv)
    try:
        folder = build_release(ROOT, args.out)
    except ReleaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    count = sum(1 for p in folder.rglob("*") if p.is_file())
    print(f"Built {folder} ({count} files) and {folder}.zip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
