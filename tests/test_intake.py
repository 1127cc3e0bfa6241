"""Reading a submitted notebook for grading (course_lib.grading.intake), without running it.

Every malformed submission is built from exercises/00_start_here_exercises.ipynb and checked against
solutions/00_start_here_exercises.ipynb: it gets a status and a message that says what was wrong and what
to do, and the file is never changed. Files it cannot read as a notebook at all:
tests/test_intake_refused.py.
"""

from __future__ import annotations

import hashlib
import json

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st
from intake_files import (
    EXERCISE,
    OTHER,
    SKELETON,
    SOURCE,
    exercise,
    grade_ids,
    load,
    put,
    refused,
)

from course_lib.errors import ExerciseFileError
from course_lib.grading.intake import STATUSES, load_submission

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
