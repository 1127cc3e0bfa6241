"""Reading a submitted notebook for grading (course_lib.grading.intake), without running it.

Every malformed submission is built from exercises/00_start_here_exercises.ipynb and checked against
solutions/00_start_here_exercises.ipynb: it gets a status and a message that says what was wrong and what
to do, and the file is never changed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.errors import ExerciseFileError
from course_lib.grading import intake as intake_module
from course_lib.grading.intake import MAX_BYTES, STATUSES, Intake, load_submission

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "solutions" / "00_start_here_exercises.ipynb"
EXERCISE = ROOT / "exercises" / "00_start_here_exercises.ipynb"
OTHER = ROOT / "exercises" / "02_binding_and_buffer_exercises.ipynb"
REDO = "Open the notebook in JupyterLab, check that your answers are there, save it and submit "
TESTS = ["ex00-setup", "ex00-q1-check", "ex00-q2-check", "ex00-q3-check", "ex00-q4-check"]
ANSWERS = ["ex00-q1", "ex00-q2", "ex00-q3", "ex00-q4"]


def exercise() -> dict:
    """The handed-out notebook as plain JSON."""
    return json.loads(EXERCISE.read_text(encoding="utf-8"))


def put(folder: Path, content, name: str = "00_start_here_exercises.ipynb") -> Path:
    """Write a submission: bytes as they are, str as UTF-8, anything else as JSON."""
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, indent=1), encoding="utf-8")
    return path


def load(path: Path) -> Intake:
    """load_submission, checking that the file is unchanged and the status is documented."""
    before = path.read_bytes() if path.is_file() else None
    result = load_submission(path, SOURCE)
    assert result.status in STATUSES
    if before is not None:
        assert path.read_bytes() == before
    if before is not None and result.status != "too large":  # a file too large is not read
        assert result.sha256 == hashlib.sha256(before).hexdigest()
    return result


def refused(result: Intake, status: str, *phrases: str) -> None:
    assert (result.status, result.ok, result.notebook) == (status, False, None)
    for phrase in phrases:
        assert phrase in result.message


def grade_ids(nb) -> list[str]:
    return [c.metadata.get("nbgrader", {}).get("grade_id", "-") for c in nb.cells]


SKELETON = grade_ids(nbformat.read(SOURCE, as_version=4))


# ---- a good submission --------------------------------------------------------------------


def test_handed_out_exercise_is_ready_to_run(tmp_path):
    path = put(tmp_path, EXERCISE.read_bytes())
    result = load(path)
    assert (result.status, result.ok, result.notes) == ("ok", True, ())
    assert result.exercise == "solutions/00_start_here_exercises.ipynb"
    assert result.message == f"'{path}' is exercise 00_start_here_exercises; it is ready to run"
    assert grade_ids(result.notebook) == SKELETON
    assert "### BEGIN HIDDEN TESTS" in result.notebook.cells[6].source  # the source's tests
    nbformat.validate(result.notebook)


def test_sha256_is_of_the_files_bytes(tmp_path):
    path = put(tmp_path, EXERCISE.read_bytes())
    expected = hashlib.sha256(EXERCISE.read_bytes()).hexdigest()
    assert load(path).sha256 == expected
    nb = exercise()
    nb["cells"][5]["source"] = "il6_pM = 0.25"
    assert load(put(tmp_path, nb)).sha256 != expected


def test_file_is_byte_identical_after_loading(tmp_path):
    nb = exercise()
    nb["cells"][6]["source"] = "pass"  # an edited test cell, repaired in memory only
    nb["cells"][5]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x\n"}]
    path = put(tmp_path, nb)
    digest, stat = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat()
    result = load(path)
    assert result.ok
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest == result.sha256
    assert path.stat().st_mtime_ns == stat.st_mtime_ns


def test_deleted_test_cell_without_ids_is_put_back_after_its_answer(tmp_path):
    nb = exercise()
    nb["nbformat_minor"] = 4
    for cell in nb["cells"]:
        del cell["id"]
    nb["cells"][5]["source"] = "il6_pM = 0.25"
    nb["cells"].insert(6, {"cell_type": "code", "metadata": {}, "source": "print(il6_pM)"})
    del nb["cells"][10]  # ex00-q2-check, now one further down
    result = load(put(tmp_path, nb))
    assert result.ok
    layout = grade_ids(result.notebook)
    assert layout == [*SKELETON[:6], "-", *SKELETON[6:]]
    assert [c.source for c in result.notebook.cells[5:7]] == ["il6_pM = 0.25", "print(il6_pM)"]
    assert result.notes == ("cell 'ex00-q2-check' was missing; it was put back",)


def test_a_hundred_submissions_load_one_after_another(tmp_path):
    paths = []
    for n in range(100):
        nb = exercise()
        nb["cells"][5]["source"] = f"il6_pM = {n / 100}"
        paths.append(put(tmp_path, nb, f"student_{n:03d}.ipynb"))
    results = [load_submission(p, SOURCE) for p in paths]
    assert all(r.ok for r in results)
    assert len({r.sha256 for r in results}) == 100
    assert results[42].notebook.cells[5].source == "il6_pM = 0.42"


# ---- files that cannot be read --------------------------------------------------------------


def test_missing_file(tmp_path):
    result = load(tmp_path / "nothing.ipynb")
    refused(result, "unreadable", "does not exist", "whether anything was submitted")
    assert result.sha256 is None


def test_folder(tmp_path):
    refused(load(tmp_path), "unreadable", "is a folder", "Submit the .ipynb file itself")


def test_empty_file(tmp_path):
    path = put(tmp_path, b"")
    result = load(path)
    assert result.message == (
        f"'{path}' is empty (0 bytes); expected the saved notebook. Open 00_start_here_exercises.ipynb in "
        "JupyterLab, save it and submit it again; if it is empty there too, the work was not "
        "saved: ask your instructor."
    )
    refused(result, "empty")
    assert result.sha256 == hashlib.sha256(b"").hexdigest()


def test_file_of_white_space(tmp_path):
    refused(load(put(tmp_path, b"\n \n")), "empty", "(3 bytes, only white space)")


def test_not_json(tmp_path):
    path = put(tmp_path, "{ not json")
    result = load(path)
    refused(result, "unreadable")
    assert result.message == (
        f"'{path}' is not a notebook file: its text is not valid JSON (Expecting property name "
        "enclosed in double quotes at line 1, column 3); perhaps it was cut short or edited as "
        f"text. {REDO}00_start_here_exercises.ipynb again; if it does not open, ask your instructor for a "
        "fresh copy."
    )


def test_notebook_cut_short(tmp_path):
    data = EXERCISE.read_bytes()
    refused(load(put(tmp_path, data[: len(data) // 2])), "unreadable", "not valid JSON", REDO)


def test_json_nested_too_deep(tmp_path):
    refused(load(put(tmp_path, "[" * 100_000)), "unreadable", "not valid JSON", REDO)


def test_json_with_a_number_python_refuses(tmp_path):
    text = EXERCISE.read_text(encoding="utf-8").replace('"nbformat": 4,', f'"n": {"9" * 5000},')
    refused(load(put(tmp_path, text)), "unreadable", "is not a notebook file", REDO)


def test_text_in_another_encoding(tmp_path):
    text = EXERCISE.read_text(encoding="utf-8")  # its title has a "·", Latin-1 byte 0xb7
    data = text.encode("latin-1", errors="replace")
    position = next(i for i, byte in enumerate(data) if byte > 127)
    assert data[position] == 0xB7
    refused(
        load(put(tmp_path, data)),
        "unreadable",
        f"is not text in UTF-8 or UTF-16 (byte 0xb7 at position {position} cannot be read)",
        REDO,
    )


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.ipynb"
    with path.open("wb") as handle:  # sparse: no disk is used
        handle.truncate(MAX_BYTES + 5_000_000)
    result = load(path)
    refused(result, "too large", "is 55 MB, over the 50 MB limit", "Clear Outputs of All Cells")
    assert result.sha256 is None


def test_size_limit_is_read_at_call_time(tmp_path, monkeypatch):
    monkeypatch.setattr(intake_module, "MAX_BYTES", 1000)
    size = len(EXERCISE.read_bytes()) / 1e6
    refused(
        load(put(tmp_path, EXERCISE.read_bytes())),
        "too large",
        f"is {size:.3g} MB, over the 0.001 MB limit",
    )


# ---- JSON that is not a notebook ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ([1, 2], "holds a JSON list, not a notebook; expected a JSON object with 'cells'"),
        ("a string", "holds a JSON string, not a notebook"),
        (3.5, "holds a JSON number, not a notebook"),
        (None, "holds a JSON null, not a notebook"),
        ({"metadata": {}}, "is a JSON object without 'cells' (keys: metadata)"),
        ({}, "is a JSON object without 'cells' (keys: none)"),
    ],
)
def test_json_of_another_shape(tmp_path, content, problem):
    text = json.dumps(content)
    refused(load(put(tmp_path, text)), "not a notebook", problem, REDO)


def test_cells_not_a_list(tmp_path):
    nb = {**exercise(), "cells": {"0": {}}}
    refused(load(put(tmp_path, nb)), "not a notebook", "has 'cells' that are a JSON object")


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        (3, "has a cell 18 that is a JSON number, not a cell"),
        ("print(1)", "has a cell 18 that is a JSON string, not a cell"),
        ({"cell_type": "heading", "source": "x"}, "has a cell 18 of type 'heading'; expected"),
        ({"source": "x"}, "has a cell 18 of type None"),
        (
            {"cell_type": "code", "source": 5},
            "has a cell 18 whose text ('source') is a JSON number",
        ),
        ({"cell_type": "code", "source": ["a", 1]}, "whose text ('source') is a JSON list"),
        ({"cell_type": "code"}, "has a cell 18 whose text ('source') is a JSON null"),
    ],
)
def test_cells_that_are_not_cells(tmp_path, cell, problem):
    nb = exercise()
    nb["cells"].append(cell)
    refused(load(put(tmp_path, nb)), "not a notebook", problem, REDO)


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        (3, "is in notebook format 3; expected nbformat 4"),
        (5, "is in notebook format 5; expected nbformat 4"),
        ("4", "is in notebook format '4'; expected nbformat 4"),
    ],
)
def test_wrong_nbformat(tmp_path, version, problem):
    nb = {**exercise(), "nbformat": version}
    refused(load(put(tmp_path, nb)), "not a notebook", problem, REDO)


def test_nbformat_3_notebook(tmp_path):
    old = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}
    refused(load(put(tmp_path, old)), "not a notebook", "is in notebook format 3")


def test_missing_nbformat(tmp_path):
    nb = exercise()
    del nb["nbformat"]
    refused(load(put(tmp_path, nb)), "not a notebook", "has no 'nbformat' version", REDO)


# ---- encodings, ids and outputs: repaired ---------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "bom", "note"),
    [
        ("utf-16", b"", "UTF-16"),  # with a byte-order mark, little-endian here
        ("utf-16-le", b"", "UTF-16"),
        ("utf-16-be", b"\xfe\xff", "UTF-16"),
        ("utf-16-be", b"", "UTF-16"),
        ("utf-8", b"\xef\xbb\xbf", "UTF-8 with a byte-order mark"),
        ("utf-32", b"", "UTF-32"),
    ],
)
def test_other_unicode_encodings_are_read(tmp_path, codec, bom, note):
    text = EXERCISE.read_text(encoding="utf-8")
    result = load(put(tmp_path, bom + text.encode(codec)))
    assert result.ok
    assert result.notes == (f"the file was saved as {note}; it was read as such",)
    assert grade_ids(result.notebook) == SKELETON


def test_cell_ids_that_are_not_text_or_repeated(tmp_path):
    nb = exercise()
    nb["cells"][0]["id"], nb["cells"][1]["id"] = 42, None
    for cell in nb["cells"][7:]:
        cell["id"] = "same"
    nb["cells"][8]["source"] = "def pg_per_ml_to_pM(c, m):\n    return c / m"
    result = load(put(tmp_path, nb))
    assert result.ok
    assert result.notes == (
        "2 cell id(s) are not text (e.g. 42); they were ignored",
        "cell id(s) 'same' are used more than once; they were not used to match",
    )
    assert grade_ids(result.notebook) == SKELETON
    assert result.notebook.cells[8].source.endswith("return c / m")
    nbformat.validate(result.notebook)


def test_large_outputs_are_removed(tmp_path):
    nb = exercise()
    big = {"output_type": "stream", "name": "stdout", "text": "x" * 10_000_000}
    nb["cells"][5]["outputs"], nb["cells"][5]["execution_count"] = [big], 1
    result = load(put(tmp_path, nb))
    assert result.ok
    assert result.notes == (
        "the outputs of 1 cell(s) (10.0 MB) were removed; outputs are never graded, the "
        "notebook is run again",
    )
    assert all(not c.get("outputs") for c in result.notebook.cells)


def test_odd_cell_metadata_is_tolerated(tmp_path):
    nb = exercise()
    nb["cells"].append({"cell_type": "code", "metadata": [], "source": "x = 1"})
    nb["cells"].append({"cell_type": "code", "metadata": {"nbgrader": 7}, "source": "y = 2"})
    nb["cells"].append({"cell_type": "markdown", "source": ["my ", "notes"]})
    result = load(put(tmp_path, nb))
    assert result.ok
    # after the last test cell, which they followed
    assert [c.source for c in result.notebook.cells[16:19]] == ["x = 1", "y = 2", "my notes"]


# ---- the wrong notebook ---------------------------------------------------------------------


def test_notebook_of_another_exercise(tmp_path):
    path = put(tmp_path, OTHER.read_bytes())
    result = load(path)
    refused(result, "wrong exercise")
    assert result.message == (
        f"'{path}' is exercise 02_binding_and_buffer_exercises (generated from "
        "solutions/02_binding_and_buffer_exercises.ipynb); expected 00_start_here_exercises. Submit your copy of "
        "00_start_here_exercises.ipynb here, and this file to its own assignment."
    )
    assert result.exercise == "solutions/02_binding_and_buffer_exercises.ipynb"


def test_without_generated_from_it_is_recognised_by_grade_ids(tmp_path):
    nb = exercise()
    del nb["metadata"]["course_lib"]
    result = load(put(tmp_path, nb))
    assert result.ok
    assert result.exercise is None
    assert result.notes == (
        "it has no metadata.course_lib.generated_from; it was recognised by its grade_ids",
    )


def test_without_generated_from_and_with_other_grade_ids(tmp_path):
    nb = json.loads(OTHER.read_text(encoding="utf-8"))
    del nb["metadata"]["course_lib"]
    refused(
        load(put(tmp_path, nb)),
        "wrong exercise",
        "has none of the grade_ids of 00_start_here_exercises (it has ex02-numbers, ex02-q1",
        "expected e.g. ex00-numbers, ex00-q1): it is another exercise",
        "Submit your copy of 00_start_here_exercises.ipynb",
    )


def test_without_any_grading_metadata(tmp_path):
    nb = exercise()
    for cell in nb["cells"]:
        cell["metadata"] = {}
    refused(
        load(put(tmp_path, nb)),
        "not an exercise",
        "none of its cells carries the grading metadata (nbgrader grade_id) of 00_start_here_exercises",
        "copy your answers into its answer cells",
    )


@pytest.mark.parametrize(
    "metadata",
    [
        {"kernelspec": {"name": "ir", "display_name": "R", "language": "R"}},
        {"language_info": {"name": "R"}},
    ],
)
def test_notebook_for_another_language(tmp_path, metadata):
    nb = exercise()
    if "kernelspec" not in metadata:
        del nb["metadata"]["kernelspec"]  # else a Python kernelspec says what runs it
    nb["metadata"].update(metadata)
    result = load(put(tmp_path, nb))
    refused(result, "wrong language", "is written for the R language", "Change Kernel")
    assert result.exercise == "solutions/00_start_here_exercises.ipynb"


def test_other_python_kernels_are_accepted(tmp_path):
    nb = exercise()
    nb["metadata"]["kernelspec"] = {"name": "il6-env", "display_name": "IL-6", "language": "python"}
    assert load(put(tmp_path, nb)).ok


# ---- a bad source raises --------------------------------------------------------------------


def test_missing_source_raises(tmp_path):
    with pytest.raises(ExerciseFileError, match="does not exist"):
        load_submission(put(tmp_path, EXERCISE.read_bytes()), tmp_path / "00_none.ipynb")


def test_every_documented_status_has_a_description():
    assert set(STATUSES) == {
        "ok",
        "unreadable",
        "too large",
        "empty",
        "not a notebook",
        "wrong exercise",
        "not an exercise",
        "wrong language",
    }
    assert all(isinstance(text, str) and text for text in STATUSES.values())


# ---- whatever a cell holds, loading never raises ---------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
PLACES = st.sampled_from(
    ["id", "metadata", "nbgrader", "grade_id", "outputs", "top metadata", "source", "cell_type"]
)


@given(edits=st.lists(st.tuples(st.integers(0, 14), PLACES, JSON), max_size=4))
def test_any_json_in_a_cell_gives_a_status_never_an_error(tmp_path_factory, edits):
    nb = exercise()
    for index, place, value in edits:
        cell = nb["cells"][index]
        if place == "top metadata":
            nb["metadata"] = value
        elif place in ("nbgrader", "grade_id") and isinstance(cell.get("metadata"), dict):
            grading = cell["metadata"].get("nbgrader")
            if place == "nbgrader" or not isinstance(grading, dict):
                cell["metadata"]["nbgrader"] = value
            else:
                grading["grade_id"] = value
        elif place not in ("nbgrader", "grade_id"):
            cell[place] = value
    result = load(put(tmp_path_factory.mktemp("fuzz"), nb))
    if result.ok:
        nbformat.validate(result.notebook)
        assert [g for g in grade_ids(result.notebook) if g != "-"] == [
            g for g in SKELETON if g != "-"
        ]
