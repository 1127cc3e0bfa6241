"""Scenario presets: an explorer's settings saved as a small named JSON file, and loaded back.

A preset is ``<folder>/<explorer>/<name>.json``, keyed by the controls' names (the keywords of
the explorer's ``update``)::

    {"explorer": "cell_explorer",
     "title": "Endothelial cell, IL-6 alone",
     "description": "No IL-6R: gp130 alone does not bind IL-6.",
     "settings": {"cell_type": "endothelial cell", "stimulus": "IL-6"}}

A preset may set only some controls; the others keep their values. Where presets are found,
first match wins (`preset_folders`):

1. ``$COURSE_PRESETS_DIR``, when set (an instructor's own scenarios, or a class hub's);
2. ``presets/`` in the working folder: a notebook's kernel starts in the notebook's folder, so
   for a lesson this is ``notebooks/presets/``, beside the lessons;
3. ``notebooks/presets/`` beside the installed ``course_lib`` (a course checkout or the student
   copy of ``make release``; a wheel holds the library only, not the lessons).

`save_preset` writes to the first of 1-2 (``folder=`` chooses another), never outside it and
never over an existing preset unless ``overwrite=True``. Every factory takes ``preset=``, so a
lesson cell can be ``cell_explorer(preset="endothelial_il6_alone")``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as W

from course_lib.errors import (
    CourseLibError,
    CourseTypeError,
    CourseValueError,
    UnknownNameError,
    require_name,
)
from course_lib.widgets._panel import same_value

__all__ = [
    "PRESETS_ENV",
    "Preset",
    "apply_settings",
    "list_presets",
    "load_preset",
    "preset_folders",
    "preset_name",
    "preset_values",
    "read_preset",
    "save_preset",
]

#: The environment variable naming a folder of presets searched first and saved to.
PRESETS_ENV = "COURSE_PRESETS_DIR"
_CHECKOUT_PRESETS = Path(__file__).resolve().parents[2] / "notebooks" / "presets"
_KEYS = ("explorer", "title", "description", "settings")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


@dataclass(frozen=True)
class Preset:
    """One scenario: which explorer, a title and a description for people, and the settings.

    ``path`` is the file it was read from (None for one not saved yet).
    """

    explorer: str
    title: str
    description: str
    settings: dict = field(default_factory=dict)
    path: Path | None = None


def preset_name(text: str) -> str:
    """The file name (without ``.json``) for a preset called ``text``: lower case, letters,
    digits, ``-`` and ``_`` only, so that it cannot leave the presets folder.

    >>> preset_name("Garbers culture well (sIL-6R in excess)")
    'garbers_culture_well_sil-6r_in_excess'
    >>> preset_name("../../etc/passwd")
    'etc_passwd'
    """
    if not isinstance(text, str):
        raise CourseTypeError(
            f"a preset name must be a str; got {text!r} of type {type(text).__name__}. "
            "Give a short name such as 'garbers_culture'."
        )
    name = re.sub(r"[^a-z0-9_-]+", "_", text.strip().lower()).strip("_-")[:64]
    if not _NAME.fullmatch(name):
        raise CourseValueError(
            f"a preset name needs at least one letter or digit; got {text!r}. Give a short "
            "name such as 'garbers_culture' (letters, digits, '-' and '_')."
        )
    return name


def preset_folders() -> list[Path]:
    """The folders searched for presets, first match wins (see the module's docstring)."""
    found = []
    if os.environ.get(PRESETS_ENV):
        found.append(Path(os.environ[PRESETS_ENV]).expanduser())
    found += [Path.cwd() / "presets", _CHECKOUT_PRESETS]
    unique: list[Path] = []
    for folder in found:
        if folder.resolve() not in {f.resolve() for f in unique}:
            unique.append(folder)
    return unique


def _save_folder(folder: str | os.PathLike | None) -> Path:
    if folder is not None:
        return Path(folder)
    return Path(os.environ.get(PRESETS_ENV) or Path.cwd() / "presets").expanduser()


def _file(folder: Path, explorer: str, name: str) -> Path:
    """``folder/explorer/name.json``, checked to lie inside ``folder``."""
    path = (folder / preset_name(explorer) / f"{preset_name(name)}.json").resolve()
    if not path.is_relative_to(folder.resolve()):  # a symlinked sub-folder pointing out
        raise CourseValueError(
            f"the preset {name!r} would be written to {path}, outside the presets folder "
            f"{folder.resolve()}. Remove the link that leads out of the folder."
        )
    return path


def list_presets(explorer: str, problems: list[str] | None = None) -> dict[str, Preset]:
    """The presets of ``explorer`` (a factory's name, e.g. ``"cell_explorer"``), by name.

    A preset in an earlier folder of `preset_folders` hides one of the same name in a later one.
    A file that cannot be read is left out, and what is wrong with it is appended to
    ``problems`` when given (loading it by name raises the same error).
    """
    found: dict[str, Preset] = {}
    for folder in reversed(preset_folders()):
        for path in sorted((folder / explorer).glob("*.json")):
            try:
                found[path.stem] = read_preset(path)
            except (CourseLibError, OSError, UnicodeDecodeError) as error:
                found.pop(path.stem, None)
                if problems is not None:
                    problems.append(str(error))
    return dict(sorted(found.items()))


def read_preset(path: str | os.PathLike) -> Preset:
    """Read and check one preset file (its format, not yet its values: see `apply_settings`).

    Raises
    ------
    CourseValueError
        Malformed JSON (with the file, line and column), missing or unknown keys.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CourseValueError(
            f"the preset file {path} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}. Expected an object with the keys {', '.join(_KEYS)}; fix "
            "that line (a missing comma or quote, or a trailing comma)."
        ) from None
    if not isinstance(data, dict) or set(data) - set(_KEYS) or "explorer" not in data:
        got = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise CourseValueError(
            f"the preset file {path} has the wrong keys: got {got}; expected 'explorer' and "
            f"'settings', with optional 'title' and 'description', and no others."
        )
    settings = data.get("settings")
    if not isinstance(settings, dict):
        raise CourseValueError(
            f"the preset file {path} needs 'settings' to be an object of control names and "
            f'values; got {settings!r}. Write e.g. "settings": {{"cell_type": "hepatocyte"}}.'
        )
    return Preset(
        str(data["explorer"]),
        str(data.get("title") or path.stem),
        str(data.get("description") or ""),
        settings,
        path,
    )


def _find(explorer: str, name: str) -> Path:
    stem = preset_name(name)
    for folder in preset_folders():
        path = _file(folder, explorer, stem)
        if path.is_file():
            return path
    known = ", ".join(map(repr, list_presets(explorer))) or "none yet"
    raise UnknownNameError(
        f"unknown preset {name!r} for {explorer}; expected one of: {known}. Presets are "
        f"searched in {', '.join(str(f / explorer) for f in preset_folders())}; save one from "
        "the explorer's Scenarios section, or check the name."
    )


def _check_value(name: str, control: W.ValueWidget, value: object) -> object:
    """``value`` if ``control`` can take it, else an error that says what it can take."""
    options = getattr(control, "_options_values", None)
    if options is not None:
        for option in options:
            if isinstance(option, bool) == isinstance(value, bool) and same_value(option, value):
                return option
        raise CourseValueError(
            f"setting {name!r} is {value!r}, which is not one of its options; expected one of: "
            f"{', '.join(map(repr, options))}. Use one of these values in the preset."
        )
    if isinstance(control.value, bool):
        if not isinstance(value, bool):
            raise CourseTypeError(
                f"setting {name!r} is a tick box: expected true or false; got {value!r}. "
                "Write true or false (JSON, without quotes)."
            )
        return value
    whole = isinstance(control.value, int)
    if isinstance(value, bool) or not isinstance(value, int | float) or (whole and value % 1):
        kind = "a whole number" if whole else "a number"
        raise CourseTypeError(f"setting {name!r} must be {kind}; got {value!r}. Write {kind}.")
    low, high = control.min, control.max
    if hasattr(control, "base"):  # a log slider's min and max are exponents
        low, high = control.base**low, control.base**high
    ends = (same_value(float(value), float(end)) for end in (low, high))
    if not (low <= value <= high or any(ends)):
        raise CourseValueError(
            f"setting {name!r} is {value!r}, outside its slider's range {low:.4g} to "
            f"{high:.4g}; give a value in that range."
        )
    return int(value) if whole else float(value)


def _set_all(box: W.VBox, settings: dict, check: bool) -> None:
    """Set the controls in the explorer's order until every one holds its value: a control
    that resets another (a new cell type resets the receptor ratio) is then undone."""
    controls = [c for c in box.controls if c._course_name in settings]
    for _ in range(3):
        for control in controls:
            value = settings[control._course_name]
            if check:
                value = _check_value(control._course_name, control, value)
            if not same_value(control.value, value):
                control.value = value
        if all(same_value(c.value, settings[c._course_name]) for c in controls):
            return
    moved = [c._course_name for c in controls if c.value != settings[c._course_name]]
    raise CourseValueError(
        f"the settings {moved} did not keep the preset's values: another control resets "
        "them. Leave them out of the preset, or check the explorer's links."
    )


def apply_settings(box: W.VBox, settings: dict) -> None:
    """Set ``box``'s controls to ``settings`` (control name -> value) and redraw once.

    Every name and value is checked; on an error the controls go back to where they were and
    nothing is redrawn. The figure redraws once, after the last control is set. Controls the settings do not name keep their values.
    """
    valid = [c._course_name for c in box.controls]
    settings = {require_name("setting", k, valid): v for k, v in settings.items()}
    before = {c._course_name: c.value for c in box.controls}
    box.held.append("preset")
    try:
        _set_all(box, settings, check=True)
    except Exception:
        _set_all(box, before, check=False)
        raise
    finally:
        box.held.remove("preset")
    box.update(**{c._course_name: c.value for c in box.controls})


def load_preset(box: W.VBox, name: str | os.PathLike) -> Preset:
    """Set an explorer to a preset: a name from `list_presets` or a path to a JSON file.

    Returns the `Preset`. Raises `course_lib.errors.UnknownNameError` for an unknown preset
    or setting name and `course_lib.errors.CourseValueError` for a value the control cannot
    take, a preset made for another explorer, or a malformed file.
    """
    explorer = box.preset_explorer
    is_path = isinstance(name, os.PathLike) or str(name).endswith(".json")
    preset = read_preset(name if is_path else _find(explorer, str(name)))
    if preset.explorer != explorer:
        raise CourseValueError(
            f"the preset {preset.path} is for {preset.explorer!r}, not for {explorer!r}. "
            f"Open it with {preset.explorer}(preset=...), or choose one of this explorer's: "
            f"{list(list_presets(explorer))}."
        )
    try:
        apply_settings(box, preset.settings)
    except CourseLibError as error:
        raise type(error)(f"in the preset {preset.path}: {error}") from None
    return preset


def preset_values(box: W.VBox, name: str) -> dict:
    """Every control's value as it will be once the preset ``name`` is loaded, without setting
    any: each value checked as `load_preset` checks it (the same errors are raised), but
    against the ranges the controls have now. A range that follows another control (the
    virtual liver's mouse number, up to the cohort size) may refuse here a value that Load,
    setting the controls in order, accepts: the caller then draws nothing ahead."""
    preset = read_preset(_find(box.preset_explorer, str(name)))
    controls = {c._course_name: c for c in box.controls}
    values = {key: control.value for key, control in controls.items()}
    for key, value in preset.settings.items():
        key = require_name("setting", key, list(controls))
        values[key] = _check_value(key, controls[key], value)
    return values


def save_preset(
    box: W.VBox,
    name: str,
    *,
    title: str | None = None,
    description: str = "",
    overwrite: bool = False,
    folder: str | os.PathLike | None = None,
) -> Path:
    """Save every control's value of ``box`` as the preset ``name``; return the file written.

    The file goes to ``folder/<explorer>/<name>.json`` (default folder: ``$COURSE_PRESETS_DIR``,
    else ``presets/`` in the working folder, beside the lesson). ``name`` is made safe by
    `preset_name`. An existing preset is replaced only with ``overwrite=True``.
    """
    explorer = box.preset_explorer
    base = _save_folder(folder)
    path = _file(base, explorer, name)
    if path.exists() and not overwrite:
        raise CourseValueError(
            f"a preset {path.stem!r} already exists at {path}; it was not replaced. Choose "
            "another name, or pass overwrite=True (tick 'replace' in Scenarios) to replace it."
        )
    preset = {
        "explorer": explorer,
        "title": title or name,
        "description": description,
        "settings": {c._course_name: c.value for c in box.controls},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(preset, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
