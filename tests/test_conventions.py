"""Mechanical checks of the course_lib conventions (DESIGN.md sections 3 and 5).

The layers have their own test (test_layers.py).

- nothing happens at import: no rcParams or backend change, no global seeding, no print options;
- every Parameter is cited, has a unit, a description and a value inside its bounds;
- every public module has `__all__` with documented functions and classes; modules stay small.

Modules are discovered with pkgutil, so a new module is covered as soon as it exists.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from course_testing import PACKAGE_DIR, course_modules

from course_lib.parameters import UNITS, all_parameter_sets, all_parameters

ROOT = PACKAGE_DIR.parent
MAX_LINES = 400  # DESIGN.md 5.1: "each under ~400 lines"; STYLE_ANCHORS: "at most ~400 lines"
MODULES = course_modules()
PUBLIC_MODULES = ["course_lib"] + [
    m for m in MODULES if not any(part.startswith("_") for part in m.split("."))
]


def _run_fresh(code: str, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON object on its last line."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (
        f"fresh interpreter failed (exit {result.returncode}):\n{result.stderr[-3000:]}"
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# Nothing happens at import

_STATE_PROBE = """
    import importlib, json, random, sys
    import numpy as np
    import matplotlib

    def rc():
        get = getattr(matplotlib.rcParams, "_get", None) or (
            lambda k: dict.__getitem__(matplotlib.rcParams, k)
        )
        return {k: repr(get(k)) for k in matplotlib.rcParams}

    def snapshot():
        state = np.random.get_state()
        return {
            "rc": rc(),
            "backend": repr(matplotlib.rcParams._get("backend")),
            "np_random": [state[0], state[1].tolist(), *map(repr, state[2:])],
            "random": repr(random.getstate()),
            "printoptions": repr(sorted(np.get_printoptions().items())),
            "seterr": repr(sorted(np.geterr().items())),
        }

    before = snapshot()
    imported, failed = [], {}
    for name in MODULES:
        try:
            importlib.import_module(name)
            imported.append(name)
        except Exception as exc:
            failed[name] = f"{type(exc).__name__}: {exc}"
    after = snapshot()
    after["backend_resolved"] = matplotlib.get_backend()
    print(json.dumps({"before": before, "after": after, "imported": imported, "failed": failed}))
"""


@pytest.fixture(scope="module")
def import_state() -> dict:
    # An explicit non-default backend, so that a stray matplotlib.use("Agg") shows as a change.
    code = f"MODULES = {MODULES!r}\n" + textwrap.dedent(_STATE_PROBE)
    return _run_fresh(code, env={"MPLBACKEND": "svg"})


@pytest.mark.slow
def test_every_module_imports(import_state):
    assert not import_state["failed"], f"modules fail to import: {import_state['failed']}"
    assert set(import_state["imported"]) == set(MODULES)


@pytest.mark.slow
def test_import_leaves_rcparams_unchanged(import_state):
    before, after = import_state["before"]["rc"], import_state["after"]["rc"]
    changed = {k: (before.get(k), after.get(k)) for k in before.keys() | after.keys()}
    changed = {k: v for k, v in changed.items() if v[0] != v[1]}
    assert not changed, (
        f"importing course_lib modules changed matplotlib rcParams: {sorted(changed)[:10]}. "
        "Use a context manager (plotting.course_style()) instead of editing rcParams at import."
    )


@pytest.mark.slow
def test_import_does_not_change_the_backend(import_state):
    assert import_state["after"]["backend"] == import_state["before"]["backend"]
    assert import_state["after"]["backend_resolved"] == "svg", (
        "a course_lib module chose a matplotlib backend at import; leave that to MPLBACKEND"
    )


@pytest.mark.slow
def test_import_does_not_seed_or_draw_from_global_rngs(import_state):
    assert import_state["after"]["np_random"] == import_state["before"]["np_random"], (
        "importing course_lib seeded or drew from numpy's global RNG; pass rng=... instead"
    )
    assert import_state["after"]["random"] == import_state["before"]["random"], (
        "importing course_lib seeded or drew from the random module's global RNG"
    )


@pytest.mark.slow
def test_import_does_not_set_numpy_print_or_error_options(import_state):
    assert import_state["after"]["printoptions"] == import_state["before"]["printoptions"]
    assert import_state["after"]["seterr"] == import_state["before"]["seterr"]


# --------------------------------------------------------------------------------------------
# Parameters are data

_CITATION = re.compile(
    r"doi:10\.\d{4,9}/\S+|PMID:\s?\d{6,9}|PMC\d{6,8}|BIOMD\d{10}|(?:19|20)\d\d;\s?\d+(?:\(\d+\))?:"
)
_ASSUMPTION = re.compile(r"^assumed: \S.*\S.*", re.DOTALL)

PARAMETERS = list(all_parameters())


def test_all_parameters_is_not_empty():
    assert len(PARAMETERS) >= 10


@pytest.mark.parametrize("param", PARAMETERS, ids=lambda p: p.name)
def test_parameter_is_cited_described_and_in_bounds(param):
    assert param.unit, f"{param.name} has no unit"
    assert param.unit in UNITS, f"{param.name}: unit {param.unit!r} is not in UNITS"
    assert param.description.strip(), f"{param.name} has no description"
    assert _CITATION.search(param.source) or _ASSUMPTION.match(param.source), (
        f"{param.name}: source {param.source!r} is neither a citation nor 'assumed: <reason>'"
    )
    if param.source.startswith("assumed: "):
        assert len(param.source.split()) >= 4, f"{param.name}: give a real reason"
    low, high = param.bounds
    assert low <= param.value <= high, f"{param.name}: {param.value} outside [{low}, {high}]"
    assert isinstance(param.value, float)


def _fold(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def test_parameter_names_unique_within_each_set_even_after_folding():
    # Lookups fold case and underscores, so 'kd_il6' and 'KD_IL6' would be ambiguous.
    problems = []
    for pset in all_parameter_sets():
        names = [p.name for p in pset.values()]
        assert names == list(pset), f"{pset.title}: key differs from Parameter.name"
        folded = [_fold(n) for n in names]
        if len(set(folded)) != len(folded):
            problems.append(f"{pset.title}: {names}")
    assert not problems, f"names that collide after folding: {problems}"


def test_all_parameters_include_the_molar_masses():
    from course_lib.units import MOLAR_MASSES, MOLECULES, molar_mass

    for molecule in ("IL-6", "sIL-6R", "sgp130", "sgp130Fc", "Hyper-IL-6", "IgG"):
        param = MOLAR_MASSES[MOLECULES[molecule]]
        assert param in PARAMETERS, f"molar mass of {molecule} missing from all_parameters()"
        assert param.unit == "kDa"
        assert molar_mass(molecule) == param.value


def test_every_module_level_parameter_set_is_reachable():
    # A data or model module that defines DEFAULTS = ParameterSet(...) is found by
    # all_parameter_sets() without being listed anywhere.
    from course_lib.parameters import ParameterSet

    known = {id(s) for s in all_parameter_sets()}
    missing = []
    for name in MODULES:
        if not (name.startswith("course_lib.models.") or name.count(".") == 1):
            continue
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if isinstance(obj, ParameterSet) and attr.isupper() and id(obj) not in known:
                missing.append(f"{name}.{attr}")
    assert not missing, f"ParameterSets not yielded by all_parameter_sets(): {missing}"


# --------------------------------------------------------------------------------------------
# Public API and size


def _has_own_docstring(obj: object) -> bool:
    doc = obj.__dict__.get("__doc__") if isinstance(obj, type) else obj.__doc__
    if not doc or not doc.strip():
        return False
    # dataclasses invent "Name(field: type, ...)" when the class has no docstring
    return not (dataclasses.is_dataclass(obj) and doc.startswith(f"{obj.__name__}("))


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_module_defines_all_and_documents_it(module_name):
    module = importlib.import_module(module_name)
    assert (module.__doc__ or "").strip(), f"{module_name} has no module docstring"
    assert hasattr(module, "__all__"), f"{module_name} does not define __all__"
    exported = list(module.__all__)
    assert len(exported) == len(set(exported)), f"{module_name}.__all__ has duplicates"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{module_name}.__all__ names things that do not exist: {missing}"
    undocumented = [
        n
        for n in exported
        if (inspect.isfunction(getattr(module, n)) or inspect.isclass(getattr(module, n)))
        and not _has_own_docstring(getattr(module, n))
    ]
    assert not undocumented, f"{module_name}: public names without a docstring: {undocumented}"


def _python_files() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.py"))


def test_modules_stay_small():
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in _python_files()
    }
    longest = max(sizes, key=sizes.get)
    too_long = {p: n for p, n in sizes.items() if n > MAX_LINES}
    assert not too_long, (
        f"modules over {MAX_LINES} lines (split them): {too_long}; "
        f"longest is {longest} with {sizes[longest]} lines"
    )


def test_no_star_imports():
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, f"star imports: {offenders}"
