"""A valid `course_lib.parameters.Parameter` with any field changed, for the tests of
parameters and parameter sets (tests/test_parameters.py, tests/test_parameter_sets.py)."""

from __future__ import annotations

from course_lib.parameters import Parameter

CITED = "PMID:11502067"


def make(**overrides) -> Parameter:
    fields = {
        "name": "kd",
        "value": 1.0,
        "unit": "nM",
        "description": "IL-6:IL-6R dissociation constant",
        "source": CITED,
        "bounds": (0.5, 20.0),
    }
    fields.update(overrides)
    return Parameter(**fields)
