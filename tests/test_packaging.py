"""The wheel ships every layer of course_lib, and pyproject.toml declares what it imports.

The wheel test does what a user does (`pip wheel . -w dist`, a fresh venv, `pip install` the
wheel, dependencies resolved by pip), then imports every module found in the wheel in that
venv's Python, far from the source tree. It takes one to two minutes even with pip's cache
warm (mostly pip installing JupyterLab's dependencies), so it is marked ``packaging``:
`make test` runs it, `make test-fast` does not. The venv is deleted afterwards.

The wheel is built from a copy of the working tree, so no ``build/`` or ``*.egg-info`` is left
in the repository and no stale ``build/lib`` file from an earlier build can slip into it.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from course_testing import PACKAGE_DIR, course_modules
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 900  # seconds for one pip call; a cold cache downloads JupyterLab and friends
# Not part of a build: the developer's venv, caches and earlier build output.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", ".pytest_cache",
    ".ruff_cache", ".hypothesis", ".ipynb_checkpoints", "bench-results",
)  # fmt: skip


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(extras: bool = False) -> set[str]:
    """The dependencies; with ``extras``, the optional ones too (not the test extra)."""
    with (ROOT / "pyproject.toml").open("rb") as fh:
        project = tomllib.load(fh)["project"]
    groups = [project["dependencies"]]
    if extras:
        groups += [g for k, g in project.get("optional-dependencies", {}).items() if k != "test"]
    return {_normalise(Requirement(r).name) for group in groups for r in group}


def _clean_env() -> dict[str, str]:
    """The environment without anything that would put the source tree on sys.path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["MPLBACKEND"] = "Agg"
    return env


def _run(cmd: list, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=_clean_env(), capture_output=True, text=True,
        timeout=TIMEOUT, check=False,
    )  # fmt: skip
    assert result.returncode == 0, (
        f"`{' '.join(map(str, cmd))}` failed ({result.returncode}):\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


# --------------------------------------------------------------------------------------------
# Declared dependencies (static, fast)


def _third_party_imports(lazy: bool = False) -> dict[str, list[str]]:
    """Top-level names imported anywhere in course_lib that are neither stdlib nor course_lib,
    with the files that import them; ``lazy``: only imports inside a function, else only the
    others."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        inside = {
            id(node)
            for func in ast.walk(tree)
            if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(func)
        }
        for node in ast.walk(tree):
            if (id(node) in inside) != lazy:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "course_lib" and top not in sys.stdlib_module_names:
                    found.setdefault(top, []).append(path.relative_to(ROOT).as_posix())
    return found


def test_every_imported_package_is_declared():
    declared, providers = _declared(), packages_distributions()
    missing = {}
    for module, files in sorted(_third_party_imports().items()):
        dists = {_normalise(d) for d in providers.get(module, [module])}
        if not dists & declared:
            missing[module] = (sorted(dists), sorted(set(files)))
    assert not missing, (
        "course_lib imports packages that [project].dependencies does not declare "
        "(module: (distribution, files)); add them to pyproject.toml and environment.yml: "
        f"{missing}"
    )


def test_every_lazily_imported_package_is_declared_at_least_as_an_extra():
    # An import inside a function may need an optional extra (--dask needs `distributed`);
    # its error names the extra. The test extra does not count: users never install it.
    declared, providers = _declared(extras=True), packages_distributions()
    missing = {}
    for module, files in sorted(_third_party_imports(lazy=True).items()):
        dists = {_normalise(d) for d in providers.get(module, [module])}
        if not dists & declared:
            missing[module] = (sorted(dists), sorted(set(files)))
    assert not missing, (
        "course_lib imports, inside functions, packages that neither [project].dependencies "
        f"nor an optional extra declares (module: (distribution, files)): {missing}"
    )
    assert "distributed" in _third_party_imports(lazy=True), "the lazy scan finds nothing"


# --------------------------------------------------------------------------------------------
# The wheel, installed in a fresh venv


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source") / "il6-course"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-w", dist], cwd=source)
    wheels = sorted(dist.glob("*.whl"))
    assert len(wheels) == 1, f"expected one wheel; got {[w.name for w in wheels]}"
    return wheels[0]


@pytest.fixture(scope="module")
def wheel_modules(wheel) -> list[str]:
    """Dotted names of the course_lib modules in the wheel, from its file list."""
    with zipfile.ZipFile(wheel) as zf:
        files = [n for n in zf.namelist() if n.startswith("course_lib/") and n.endswith(".py")]
    return sorted(f.removesuffix(".py").removesuffix("/__init__").replace("/", ".") for f in files)


@pytest.fixture(scope="module")
def venv_python(wheel, tmp_path_factory) -> Iterator[Path]:
    """A fresh venv (no system site-packages) with the wheel installed, not editable."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", venv], cwd=venv)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([python, "-m", "pip", "install", wheel], cwd=venv)
    yield python
    shutil.rmtree(venv, ignore_errors=True)  # several hundred MB; pytest keeps its tmp dirs


@pytest.mark.packaging
def test_wheel_holds_every_module_of_the_source_tree(wheel_modules):
    on_disk = ["course_lib", *course_modules()]
    assert set(wheel_modules) == set(on_disk), (
        f"the wheel lacks {sorted(set(on_disk) - set(wheel_modules))} and has extra "
        f"{sorted(set(wheel_modules) - set(on_disk))}; pyproject.toml should find packages "
        '([tool.setuptools.packages.find] include = ["course_lib*"])'
    )
    for layer in ("course_lib.models", "course_lib.figures", "course_lib.widgets",
                  "course_lib.grading", "course_lib.grading.checks"):  # fmt: skip
        assert layer in wheel_modules, f"{layer} is missing from the wheel"


@pytest.mark.packaging
def test_wheel_metadata_declares_the_license_and_dependencies(wheel):
    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = zf.read(name).decode("utf-8")
    assert "License-Expression: MIT" in metadata, metadata[:1500]
    requires = {
        _normalise(Requirement(line.partition(":")[2].strip()).name)
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    }
    assert requires == _declared(), f"wheel requires {sorted(requires)}"


_IMPORT_ALL = """
import importlib, json, sys
failed = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = f"{type(exc).__name__}: {exc}"
import course_lib
print(json.dumps({"file": course_lib.__file__, "failed": failed}))
"""


@pytest.mark.packaging
def test_every_module_imports_from_the_installed_wheel(venv_python, wheel_modules, tmp_path):
    result = _run([venv_python, "-c", _IMPORT_ALL, *wheel_modules], cwd=tmp_path)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert not report["failed"], f"modules fail to import from the wheel: {report['failed']}"
    installed = Path(report["file"]).resolve()
    assert ROOT not in installed.parents, f"imported the source tree, not the wheel: {installed}"
    assert "site-packages" in installed.parts, installed


@pytest.mark.packaging
def test_the_issue_command_works(venv_python, tmp_path):
    # pip wheel . -w dist && python -m venv v && v/bin/pip install dist/*.whl &&
    # v/bin/python -c 'import course_lib.widgets, course_lib.grading.checks'
    _run([venv_python, "-c", "import course_lib.widgets, course_lib.grading.checks"], cwd=tmp_path)


@pytest.mark.packaging
def test_the_wheel_turns_the_server_extension_on(venv_python, tmp_path):
    # The wheel's data file lands in <venv>/etc/jupyter/jupyter_server_config.d/; jupyter
    # server then finds, imports and validates course_lib.server_extension.
    switch = venv_python.parents[1] / "etc/jupyter/jupyter_server_config.d"
    assert (switch / "course_lib.server_extension.json").is_file(), sorted(switch.iterdir())
    result = _run([venv_python, "-m", "jupyter", "server", "extension", "list"], cwd=tmp_path)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)  # no colours
    assert re.search(r"course_lib\.server_extension\s+enabled", listing), listing
    assert re.search(r"course_lib\.server_extension\s+\S*\s*OK", listing), listing


_GRADE = """
import json, sys
from course_lib.grading.autograde import score_notebook
result = score_notebook(sys.argv[1], sys.argv[1])
print(json.dumps({"points": result.points, "max": result.max_points, "notes": result.notes}))
"""


@pytest.mark.packaging
@pytest.mark.sandbox
def test_grading_runs_in_the_sandbox_from_the_installed_wheel(venv_python, tmp_path):
    # The sandboxed kernel must find the interpreter and the installed course_lib, wherever
    # the venv lives (here under /tmp, which the sandbox replaces with its own empty /tmp).
    (solution,) = (ROOT / "solutions").glob("00_*.ipynb")  # the warm-up exercise
    result = _run([venv_python, "-c", _GRADE, solution], cwd=tmp_path)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["points"] == report["max"] > 0, report
