"""Submissions the grader cannot read as a notebook (course_lib.grading.intake): a missing,
empty, cut-short, too large or oddly encoded file, and JSON of another shape. Each gets a
status and a message that says what was wrong and what to do; the file is never changed.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from intake_files import (
    EXERCISE,
    REDO,
    exercise,
    load,
    put,
    refused,
)

from course_lib.grading import intake as intake_module
from course_lib.grading.intake import MAX_BYTES

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
