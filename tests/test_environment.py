"""environment.yml (conda / Binder) and pyproject.toml (pip) must ask for the same packages.

environment.yml is read with PyYAML (``yaml.safe_load``), declared in the ``test`` extras.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
ENVIRONMENT = ROOT / "environment.yml"

# Conda-only entries that pip does not list.
CONDA_ONLY = {"python", "pip"}


# --------------------------------------------------------------------------------------------
# Requirements


def normalise(name: str) -> str:
    """PEP 503 name: lower case, runs of '-', '_' and '.' become '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


_CONDA_SPEC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


def split_conda_spec(spec: str) -> tuple[str, str]:
    match = _CONDA_SPEC.match(spec)
    if not match:
        raise ValueError(f"cannot read the conda spec {spec!r}")
    name, constraint = match.groups()
    return normalise(name), re.sub(r"\s+", "", constraint)


def _same_constraint(a: str, b: str) -> bool:
    try:
        return SpecifierSet(a) == SpecifierSet(b)
    except InvalidSpecifier:  # conda-only syntax such as "=1.2": compare the text
        return a == b


def _constraint(spec: SpecifierSet | str) -> str:
    return ",".join(sorted(str(s) for s in SpecifierSet(str(spec)))) if str(spec) else ""


@pytest.fixture(scope="module")
def pyproject() -> dict:
    with PYPROJECT.open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def environment() -> dict:
    data = yaml.safe_load(ENVIRONMENT.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"environment.yml is not a mapping; got {type(data).__name__}"
    return data


@pytest.fixture(scope="module")
def pip_requirements(pyproject) -> dict[str, str]:
    reqs = [Requirement(r) for r in pyproject["project"]["dependencies"]]
    return {normalise(r.name): _constraint(r.specifier) for r in reqs}


@pytest.fixture(scope="module")
def conda_requirements(environment) -> dict[str, str]:
    specs = [d for d in environment["dependencies"] if isinstance(d, str)]
    parsed = [split_conda_spec(s) for s in specs]
    names = [name for name, _ in parsed]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"environment.yml lists these packages twice: {duplicates}"
    return dict(parsed)


# --------------------------------------------------------------------------------------------
# Reading conda specs


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("jupyterlab>=4.2,<5", ("jupyterlab", ">=4.2,<5")),
        ("jupyterlab_widgets >=3.0, <4", ("jupyterlab-widgets", ">=3.0,<4")),
        ("Numpy", ("numpy", "")),
    ],
)
def test_split_conda_spec(spec, expected):
    assert split_conda_spec(spec) == expected


# --------------------------------------------------------------------------------------------
# The two dependency lists


def test_same_packages_with_the_same_constraints(pip_requirements, conda_requirements, pyproject):
    conda = {n: c for n, c in conda_requirements.items() if n not in CONDA_ONLY}
    extras = {
        normalise(r.name): _constraint(r.specifier)
        for group in pyproject["project"].get("optional-dependencies", {}).values()
        for r in map(Requirement, group)
    }
    only_pip = sorted(set(pip_requirements) - set(conda))
    # test extras may appear in environment.yml, but need not
    only_conda = sorted(set(conda) - set(pip_requirements) - set(extras))
    differ = sorted(
        f"{name}: pyproject {pip_requirements.get(name, extras.get(name))!r} vs "
        f"environment.yml {conda[name]!r}"
        for name in conda
        if name in pip_requirements or name in extras
        if not _same_constraint(pip_requirements.get(name, extras.get(name, "")), conda[name])
    )
    problems = []
    if only_pip:
        problems.append(f"only in pyproject.toml: {only_pip}")
    if only_conda:
        problems.append(f"only in environment.yml: {only_conda}")
    if differ:
        problems.append(f"different constraints: {differ}")
    assert not problems, "dependency lists out of step; " + "; ".join(problems)


def test_environment_uses_conda_forge(environment):
    channels = environment.get("channels")
    assert channels, "environment.yml lists no channels"
    assert channels[0] == "conda-forge", f"first channel should be conda-forge; got {channels}"
    assert "defaults" not in channels, "mixing 'defaults' with conda-forge breaks solves"


def test_environment_has_a_name(environment):
    assert environment.get("name") == "il6-course"


#: How repo2docker (Binder, most JupyterHub image builds) reads the Python version from
#: environment.yml: a dependency line `python=X.Y` (repo2docker/buildpacks/conda, PYTHON_REGEX).
#: A range such as `python>=3.11,<3.13` does not match, and repo2docker then uses its default.
REPO2DOCKER_PYTHON = re.compile(r"python\s*=+\s*([\d\.]*)")


def repo2docker_python(environment: dict) -> str | None:
    """The Python version repo2docker would install for ``environment``, or None (its default)."""
    for dep in environment.get("dependencies", []):
        if isinstance(dep, str) and (match := REPO2DOCKER_PYTHON.match(dep)):
            return match.group(1)
    return None


@pytest.mark.parametrize(
    ("spec", "version"),
    [("python=3.12", "3.12"), ("python >=3.11,<3.13", None), ("python", None)],
)
def test_how_repo2docker_reads_the_python_line(spec, version):
    assert repo2docker_python({"dependencies": [spec, "pip"]}) == version


def test_environment_pins_a_python_repo2docker_recognises(environment, pyproject):
    version = repo2docker_python(environment)
    assert version, "environment.yml needs a `python=3.X` line; repo2docker ignores ranges"
    assert re.fullmatch(r"3\.\d+", version), f"pin a minor version (python=3.12); got {version}"
    requires = SpecifierSet(pyproject["project"]["requires-python"])
    assert f"{version}.0" in requires, f"requires-python {requires} excludes python {version}"


def test_pyproject_keeps_a_python_range(pyproject):
    requires = SpecifierSet(pyproject["project"]["requires-python"])
    assert "3.11.0" in requires and "3.12.7" in requires, f"requires-python is {requires}"


def test_environment_installs_the_package_with_pip(environment, conda_requirements):
    pip_sections = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
    assert pip_sections == [["-e ."]], f"expected one `- pip: ['-e .']`; got {pip_sections}"
    assert "pip" in conda_requirements, "list `pip` itself before the `pip:` section"


def test_pyproject_lists_the_course_dependencies(pip_requirements, pyproject):
    for name in ("jupyterlab", "ipywidgets", "jupyterlab-widgets", "numpy", "scipy", "matplotlib"):
        assert name in pip_requirements, f"{name} missing from [project].dependencies"
    # PyYAML is needed by this test only: a test extra, not a course dependency
    assert "pyyaml" not in pip_requirements
    test_extras = {
        normalise(Requirement(r).name)
        for r in pyproject["project"]["optional-dependencies"]["test"]
    }
    assert "pyyaml" in test_extras, "declare pyyaml in [project.optional-dependencies].test"
