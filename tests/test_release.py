"""The student copy built by `make release` (tools/release.py).

The release is built once into a temporary folder. It must hold no solution and no hidden test
(neither the markers nor the code between them, searched in every text file and in the zip),
exactly the lessons and exercises of the repository, a library that imports, and set-up files
that offer only `make lab`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import release  # noqa: E402

BEGIN = re.compile(r"^\s*### BEGIN (SOLUTION|HIDDEN TESTS)\s*$")
END = re.compile(r"^\s*### END (SOLUTION|HIDDEN TESTS)\s*$")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The release folder (``OUT/student``), built from this repository."""
    return release.build_release(ROOT, tmp_path_factory.mktemp("dist"))


def _squeeze(text: str) -> str:
    """The text with each line stripped and blank lines dropped: indentation does not hide code."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def secret_regions() -> list[tuple[str, str]]:
    """(where, code) of every solution region and hidden test region in solutions/*.ipynb."""
    regions = []
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            inside = None
            for line in "".join(cell["source"]).split("\n"):
                if BEGIN.match(line):
                    inside = []
                elif END.match(line) and inside is not None:
                    regions.append(
                        (f"{path.name}, cell index {index}", _squeeze("\n".join(inside)))
                    )
                    inside = None
                elif inside is not None:
                    inside.append(line)
    return [(where, code) for where, code in regions if code]


def _texts(folder: Path) -> dict[str, str]:
    """Relative path -> squeezed text, for every file of ``folder`` that is UTF-8 text."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        try:
            found[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
    return found


def _readable(rel: str, text: str) -> str:
    """The text, and for a notebook also its cells' sources as plain text (not JSON strings)."""
    if not rel.endswith(".ipynb"):
        return text
    cells = json.loads(text)["cells"]
    return "\n".join([text, *("".join(c["source"]) for c in cells)])


def _leaks(texts: dict[str, str]) -> list[str]:
    """What of the solutions' secrets each text contains: markers and region code."""
    regions = secret_regions()
    leaks = []
    for rel, raw in texts.items():
        text = _readable(rel, raw)
        squeezed = _squeeze(text)
        leaks += [f"{rel}: {m!r}" for m in ("BEGIN HIDDEN TESTS", "BEGIN SOLUTION") if m in text]
        leaks += [f"{rel}: the code of {where}" for where, code in regions if code in squeezed]
    return leaks


def test_the_search_finds_every_secret_in_the_solutions():
    """The leak search works: on solutions/ it finds every region (so a pass below means something)."""
    regions = secret_regions()
    answers = sum(
        bool(c.get("metadata", {}).get("nbgrader", {}).get("solution"))
        for p in (ROOT / "solutions").glob("*.ipynb")
        for c in json.loads(p.read_text(encoding="utf-8"))["cells"]
    )
    assert len(regions) > answers > 30, (len(regions), answers)  # answers plus hidden tests
    leaks = _leaks(_texts(ROOT / "solutions"))
    assert sum("the code of" in leak for leak in leaks) >= len(regions)


def test_no_file_holds_a_solution_or_a_hidden_test(built):
    texts = _texts(built)
    assert len(texts) > 80, sorted(texts)
    with zipfile.ZipFile(built.parent / "student.zip") as archive:
        texts |= {f"student.zip:{n}": archive.read(n).decode() for n in archive.namelist()}
    assert not _leaks(texts), "\n".join(_leaks(texts))


def test_notebooks_are_exactly_the_lessons_and_the_exercises(built):
    shipped = {p.relative_to(built).as_posix() for p in built.rglob("*.ipynb")}
    expected = {
        p.relative_to(ROOT).as_posix()
        for folder in ("notebooks", "exercises")
        for p in (ROOT / folder).glob("*.ipynb")
    }
    assert shipped == expected
    changed = [
        rel for rel in sorted(shipped) if (built / rel).read_bytes() != (ROOT / rel).read_bytes()
    ]
    assert not changed, f"copied with changes: {changed}"


def test_the_scenario_presets_are_shipped_beside_the_lessons(built):
    shipped = {p.relative_to(built).as_posix() for p in built.glob(release.PRESETS)}
    expected = {p.relative_to(ROOT).as_posix() for p in ROOT.glob(release.PRESETS)}
    assert len(expected) >= 10
    assert shipped == expected


def test_no_instructor_material_and_the_whole_library(built):
    top = {p.name for p in built.iterdir()}
    setup = {".gitignore", ".release-info", "Makefile", "README.md", "environment.yml", "postBuild"}
    assert top == {
        *setup,
        "course_lib",
        "exercises",
        "notebooks",
        "pyproject.toml",
        "tools",
        "jupyter-config",
    }
    assert [p.name for p in (built / "tools").iterdir()] == ["lab.py"]
    # pyproject.toml's data-files name it: without it `pip install .` of the release fails
    switch = "jupyter-config/jupyter_server_config.d/course_lib.server_extension.json"
    assert (built / switch).read_bytes() == (ROOT / switch).read_bytes()
    # Binder runs it to turn that switch on (environment.yml's install is editable)
    assert (built / "postBuild").read_bytes() == (ROOT / "postBuild").read_bytes()
    assert (built / "postBuild").stat().st_mode & 0o111, "postBuild lost its executable bit"
    library = {
        p.relative_to(ROOT / "course_lib").as_posix()
        for p in (ROOT / "course_lib").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    shipped = {
        p.relative_to(built / "course_lib").as_posix() for p in built.glob("course_lib/**/*.py")
    }
    grading = {m for m in library if m.startswith("grading/")}
    for_students = {
        m for m in grading if m in release.STUDENT_GRADING or m.startswith("grading/checks/")
    }
    assert {"grading/feedback.py", "grading/checks/start_here.py"} <= for_students
    assert {"grading/autograde.py", "grading/grader.py", "grading/solutions.py"} <= grading
    assert shipped == library - (grading - for_students)


def test_the_library_imports_from_the_release(built, tmp_path):
    """Every module of the shipped course_lib imports from the release, widgets included."""
    code = (
        "import importlib, pkgutil, course_lib, course_lib.widgets\n"
        "names = [m.name for m in pkgutil.walk_packages(course_lib.__path__, 'course_lib.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(course_lib.__file__, len(names))"
    )
    env = {**os.environ, "PYTHONPATH": str(built), "MPLBACKEND": "Agg"}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]
    where, count = run.stdout.split()
    assert Path(where).is_relative_to(built), f"imported {where}, not the release's course_lib"
    assert int(count) > 40


def _targets(makefile: str) -> set[str]:
    return set(re.findall(r"^([^\s#.][^:=]*?):(?!=)", makefile, re.MULTILINE))


def test_the_makefile_offers_only_lab(built):
    text = (built / "Makefile").read_text(encoding="utf-8")
    course = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert _targets(text) == {"help", "$(BIN)/python", "$(RUN_STAMP)", "lab", "clean-venv"}
    for word in ("solutions", "tests", "pytest", "bench", "exercises", "TEST_STAMP"):
        assert word not in text, f"the student Makefile mentions {word!r}"
    for script in re.findall(r"tools/\S+\.py", text):
        assert (built / script).is_file(), f"the Makefile runs {script}, which is not shipped"
    lab_rule = re.search(r"^lab:.*\n(\t.*\n)+", text, re.MULTILINE).group(0)
    assert lab_rule in course, "make lab differs from the course Makefile's"
    # the venv's set-up turns the server extension on, from a file the release ships
    (switch,) = re.findall(r"^SERVER_EXTENSION := (\S+)$", text, re.MULTILINE)
    assert (built / switch).is_file(), f"the Makefile copies {switch}, which is not shipped"
    assert "cp $(SERVER_EXTENSION)" in text


def test_the_readme_is_for_students(built):
    text = (built / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# IL-6") and "make lab" in text
    for phrase in ("solutions/", "make test", "For instructors", "hidden test", "nbgrader"):
        assert phrase not in text, f"the student README mentions {phrase!r}"
    assert "## What is here" in text


def test_the_zip_holds_the_folder(built):
    with zipfile.ZipFile(built.parent / "student.zip") as archive:
        names = {n for n in archive.namelist() if not n.endswith("/")}
    files = {f"student/{p.relative_to(built).as_posix()}" for p in built.rglob("*") if p.is_file()}
    assert names == files


def test_stale_exercises_are_refused(tmp_path):
    fake = tmp_path / "course"
    for folder in ("solutions", "exercises"):
        (fake / folder).mkdir(parents=True)
        shutil.copyfile(
            ROOT / folder / "00_start_here_exercises.ipynb",
            fake / folder / "00_start_here_exercises.ipynb",
        )
    stale = fake / "exercises" / "00_start_here_exercises.ipynb"
    stale.write_text(
        stale.read_text(encoding="utf-8").replace("Warm-up", "Warm up"), encoding="utf-8"
    )
    with pytest.raises(release.ReleaseError, match="not in sync with solutions/"):
        release.build_release(fake, tmp_path / "dist")
    shutil.rmtree(fake / "solutions")
    with pytest.raises(release.ReleaseError, match="has no solutions/ folder"):
        release.build_release(fake, tmp_path / "dist")


def test_a_folder_not_built_here_is_not_replaced(tmp_path, capsys):
    (tmp_path / "student").mkdir()
    (tmp_path / "student" / "thesis.tex").write_text("mine")
    assert release.main(["--out", str(tmp_path)]) == 2
    assert "was not built by tools/release.py" in capsys.readouterr().err
    assert (tmp_path / "student" / "thesis.tex").read_text() == "mine"


def test_missing_makefile_rule_or_readme_section_is_named():
    with pytest.raises(release.ReleaseError, match=r"no rule for \$\(BIN\)/python"):
        release.student_makefile(
            "PYTHON ?= python3\nPORT ?= 1\nVENV := v\nBIN := b\nRUN_STAMP := s\n"
            "SERVER_EXTENSION := e.json\n"
        )
    with pytest.raises(release.ReleaseError, match="no section 'Getting started'"):
        release.student_readme("# Title\n\n## The course\n")
