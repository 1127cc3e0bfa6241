"""The layers of course_lib, derived from its folders (DESIGN.md section 3).

A module's layer is the folder it sits in: ``course_lib/models/`` is the model layer,
``figures/`` the figure layer, ``widgets/`` and ``grading/`` theirs; a module directly in
``course_lib/`` belongs to the data layer. Arrows only point down:

- data imports only data;
- models import data and models: never matplotlib, ipywidgets or an upper layer;
- figures import data, models and figures: never widgets or grading;
- grading imports data, models and grading: never figures or widgets;
- widgets may import everything below them, and nothing in course_lib imports widgets.

There is no hand-kept list of modules: a new module is checked as soon as its file exists,
and a folder that is not one of the four layers fails the test (it is never skipped).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from course_testing import PACKAGE_DIR, course_modules

ROOT = PACKAGE_DIR.parent
LAYERS = ("models", "figures", "grading", "widgets")
#: What each layer may import from course_lib (by layer).
ALLOWED = {
    "data": {"data"},
    "models": {"data", "models"},
    "figures": {"data", "models", "figures"},
    "grading": {"data", "models", "grading"},
    "widgets": {"data", "models", "figures", "widgets"},
}
#: Third-party packages a layer must not load, even indirectly (checked in a fresh interpreter).
FORBIDDEN = {
    "data": {"matplotlib", "ipywidgets", "scipy"},
    "models": {"matplotlib", "ipywidgets"},
    "figures": {"ipywidgets"},
    "grading": {"matplotlib", "ipywidgets"},
}


MODULES = course_modules()


def layer_of(module: str) -> str:
    """The layer of a dotted module name, from its folder; an unknown folder is an error."""
    parts = module.split(".")
    if parts[0] != "course_lib":
        raise ValueError(f"{module} is not part of course_lib")
    if len(parts) == 1:
        return "data"
    if (PACKAGE_DIR / parts[1]).is_dir():
        if parts[1] not in LAYERS:
            raise ValueError(
                f"course_lib/{parts[1]}/ is not a layer; the layers are {', '.join(LAYERS)} "
                "(DESIGN.md section 3). Move its modules into one of them."
            )
        return parts[1]
    return "data"


def _path_of(module: str) -> Path:
    rel = Path(*module.split(".")[1:])
    package = PACKAGE_DIR / rel / "__init__.py"
    return package if package.exists() else (PACKAGE_DIR / rel).with_suffix(".py")


def course_imports(module: str) -> list[tuple[int, str, list[str]]]:
    """(line, imported course_lib module, names) for every import statement in ``module``."""
    tree = ast.parse(_path_of(module).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name[:10] == "course_lib"]
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{module}:{node.lineno}: use absolute imports in course_lib")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course_lib"):
            names = [a.name for a in node.names]
            subs = [f"{node.module}.{n}" for n in names if f"{node.module}.{n}" in MODULES]
            found += [(node.lineno, s, []) for s in subs]
            if len(subs) < len(names):
                found.append((node.lineno, node.module, [n for n in names if n not in subs]))
    return found


# --------------------------------------------------------------------------------------------
# The tree


def test_every_module_sits_in_a_known_layer():
    assert len(MODULES) > 40, "module discovery found too little: is course_lib installed?"
    unknown = {}
    for module in MODULES:
        try:
            layer_of(module)
        except ValueError as exc:
            unknown[module] = str(exc)
    assert not unknown, unknown


def test_the_top_level_shows_the_four_layers_and_the_data_modules():
    entries = {p.name for p in PACKAGE_DIR.iterdir() if not p.name.startswith((".", "__pycache"))}
    folders = {name for name in entries if (PACKAGE_DIR / name).is_dir()}
    assert folders == set(LAYERS), f"course_lib/ holds the folders {sorted(folders)}"
    for layer in LAYERS:
        assert (PACKAGE_DIR / layer / "__init__.py").exists(), f"{layer}/ is not a package"


def test_layer_of_fails_loudly_on_an_unknown_folder(tmp_path, monkeypatch):
    (tmp_path / "views").mkdir()
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE_DIR", tmp_path)
    with pytest.raises(ValueError, match=r"course_lib/views/ is not a layer; the layers are"):
        layer_of("course_lib.views.serum")
    assert layer_of("course_lib.units") == "data"


# --------------------------------------------------------------------------------------------
# Imports point down (static: every import statement, also those inside functions)


@pytest.mark.parametrize("module", MODULES)
def test_imports_point_down(module):
    layer = layer_of(module)
    wrong = [
        f"line {line}: imports {target} ({layer_of(target)} layer)"
        for line, target, _ in course_imports(module)
        if layer_of(target) not in ALLOWED[layer]
    ]
    assert not wrong, (
        f"{module} is in the {layer} layer, which may import only from "
        f"{sorted(ALLOWED[layer])} (DESIGN.md section 3): {wrong}"
    )


@pytest.mark.parametrize("module", MODULES)
def test_no_private_name_is_imported_from_another_module(module):
    private = [
        f"line {line}: {name} from {target}"
        for line, target, names in course_imports(module)
        for name in names
        if name.startswith("_") and target != module
    ]
    assert not private, (
        f"{module} imports private names {private}: make the name public in its proper home, "
        "or move the code that needs it there"
    )


def test_the_static_check_sees_an_upward_import(tmp_path, monkeypatch):
    models = tmp_path / "models"
    models.mkdir()
    (tmp_path / "figures").mkdir()
    (models / "bad.py").write_text("def f():\n    from course_lib.figures import plotting\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE_DIR", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "MODULES", [*MODULES, "course_lib.figures.plotting"])
    with pytest.raises(AssertionError, match=r"line 2: imports course_lib.figures.plotting"):
        test_imports_point_down("course_lib.models.bad")


# --------------------------------------------------------------------------------------------
# What a layer loads, in a fresh interpreter (catches indirect imports of matplotlib & co.)

_PROBE = """
import importlib, json, sys
out = {}
for layer, modules in GROUPS:
    for name in modules:
        importlib.import_module(name)
    out[layer] = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps(out))
"""


def _probe(groups: list[tuple[str, list[str]]]) -> dict[str, list[str]]:
    code = f"GROUPS = {groups!r}\n" + textwrap.dedent(_PROBE)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert result.returncode == 0, f"importing course_lib failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def _leaks(modules: list[str], forbidden: set[str]) -> dict[str, list[str]]:
    """Which of ``modules``, each imported alone in a fresh interpreter, load a forbidden
    package (run only to name the culprit once the grouped probe has failed)."""
    leaks = {}
    for name in modules:
        loaded = set(_probe([("one", [name])])["one"])
        if loaded & forbidden:
            leaks[name] = sorted(loaded & forbidden)
    return leaks


@pytest.fixture(scope="module")
def loaded_by_layer() -> dict[str, list[str]]:
    """Top-level packages in ``sys.modules`` after importing the data layer, then the models,
    then figures and grading, in one fresh interpreter: each layer is loaded on top of the
    ones below it only, so what it pulls in shows up at its step."""
    by_layer = {layer: [m for m in MODULES if layer_of(m) == layer] for layer in ALLOWED}
    return _probe(
        [
            ("data", by_layer["data"]),
            ("models", by_layer["models"]),
            ("grading", by_layer["grading"]),
            ("figures", by_layer["figures"]),
        ]
    )


@pytest.mark.slow
@pytest.mark.parametrize("layer", ["data", "models", "grading", "figures"])
def test_a_layer_never_loads_what_it_must_not(layer, loaded_by_layer):
    leaked = FORBIDDEN[layer] & set(loaded_by_layer[layer])
    if leaked:
        modules = [m for m in MODULES if layer_of(m) == layer]
        pytest.fail(
            f"importing the {layer} layer loads {sorted(leaked)}; culprits, each imported "
            f"alone: {_leaks(modules, FORBIDDEN[layer])}"
        )


@pytest.mark.slow
def test_the_fresh_interpreter_probe_sees_matplotlib():
    assert _leaks(["course_lib.figures.plotting"], {"matplotlib"}) == {
        "course_lib.figures.plotting": ["matplotlib"]
    }
