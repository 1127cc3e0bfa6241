"""Scenario presets: every preset loads into its explorer; save, load, bad files, the UI."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import ipywidgets as W
import pytest

from course_lib import widgets
from course_lib.errors import CourseTypeError, CourseValueError, UnknownNameError
from course_lib.widgets import presets
from course_lib.widgets._panel import same_value
from course_lib.widgets._recall import settings_key
from course_lib.widgets.presets import (
    PRESETS_ENV,
    list_presets,
    load_preset,
    preset_folders,
    preset_name,
    preset_values,
    read_preset,
    save_preset,
)

ROOT = Path(__file__).resolve().parent.parent
PRESET_FILES = sorted((ROOT / "notebooks" / "presets").glob("*/*.json"))


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """An empty presets folder of one's own (``$COURSE_PRESETS_DIR``), run from elsewhere."""
    monkeypatch.setenv(PRESETS_ENV, str(tmp_path / "mine"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "mine"


def _values(box) -> dict:
    return {c._course_name: c.value for c in box.controls}


def _write(folder: Path, explorer: str, name: str, data) -> Path:
    path = folder / explorer / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_there_are_presets_for_the_session_plans():
    explorers = {p.parent.name for p in PRESET_FILES}
    assert len(PRESET_FILES) >= 20
    assert {"cell_explorer", "time_course_explorer", "drug_explorer"} <= explorers
    assert {"virtual_liver_explorer", "experiment_explorer"} <= explorers


@pytest.mark.parametrize("path", PRESET_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_preset_loads_into_its_explorer(path):
    preset = read_preset(path)
    assert preset.explorer == path.parent.name, "a preset lives in its explorer's folder"
    assert preset.title and preset.description.startswith("Lesson 0")
    box = getattr(widgets, preset.explorer)()
    renders = box.panel.renders
    assert load_preset(box, path.stem).path.resolve() == path.resolve()
    assert box.panel.renders == renders + 1, "the figure redraws once, not once per control"
    now = _values(box)
    for name, value in preset.settings.items():
        assert same_value(now[name], value), (name, now[name], value)


def test_a_factory_opens_on_a_preset():
    box = widgets.cell_explorer(preset="endothelial_il6_sil6r")
    assert _values(box)["cell_type"] == "endothelial cell"
    assert _values(box)["stimulus"] == "IL-6 + sIL-6R"
    assert box.scenarios.choice.value == "endothelial_il6_sil6r"
    assert "Endothelial cell given IL-6" in box.panel.headline.value


def test_a_control_that_resets_another_ends_with_the_preset_values(folder):
    # Lesson 03: a new cell type resets the receptor ratio; lesson 01: moving the dose ticks
    # the sgp130Fc box. A preset that sets both ends with its own values, in one redraw.
    box = widgets.time_course_explorer()
    settings = {"cell_type": "endothelial cell", "il6r_per_gp130": 10.0}
    _write(
        folder,
        "time_course_explorer",
        "ratio",
        {"explorer": "time_course_explorer", "settings": settings},
    )
    renders = box.panel.renders
    load_preset(box, "ratio")
    assert _values(box)["il6r_per_gp130"] == 10.0
    assert _values(box)["cell_type"] == "endothelial cell"
    assert box.panel.renders == renders + 1
    cell = widgets.cell_explorer()
    settings = {"sgp130fc": False, "sgp130fc_ug_ml": 0.01}
    _write(folder, "cell_explorer", "untick", {"explorer": "cell_explorer", "settings": settings})
    load_preset(cell, "untick")
    assert _values(cell)["sgp130fc"] is False
    assert same_value(_values(cell)["sgp130fc_ug_ml"], 0.01)


def test_the_controls_answer_as_before_after_a_load(folder):
    box = widgets.cell_explorer(preset="endothelial_il6_alone")
    renders = box.panel.renders
    box.controls[0].value = "hepatocyte"
    assert box.panel.renders == renders + 1
    assert "Hepatocyte" in box.panel.headline.value


def test_save_then_load_is_a_round_trip(folder):
    box = widgets.virtual_liver_explorer()
    for name, value in {"genotype": "IL-6 knockout", "n": 30, "mouse": 25, "sex": "female"}.items():
        next(c for c in box.controls if c._course_name == name).value = value
    path = save_preset(box, "My cohort", title="Knockout females", description="for class")
    assert path == (folder / "virtual_liver_explorer" / "my_cohort.json").resolve()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["explorer"] == "virtual_liver_explorer" and data["title"] == "Knockout females"
    assert data["settings"] == _values(box)
    fresh = widgets.virtual_liver_explorer()
    assert load_preset(fresh, "my_cohort").description == "for class"
    assert _values(fresh) == _values(box)
    assert "my_cohort" in list_presets("virtual_liver_explorer")


def test_saving_never_overwrites_silently(folder):
    box = widgets.concentration_explorer()
    path = save_preset(box, "scale")
    box.controls[0].value = 100.0
    with pytest.raises(CourseValueError, match=r"already exists at .*scale\.json.*overwrite=True"):
        save_preset(box, "scale")
    assert json.loads(path.read_text())["settings"]["il6_pg_ml"] == 5.19
    save_preset(box, "scale", overwrite=True)
    assert json.loads(path.read_text())["settings"]["il6_pg_ml"] == 100.0


@pytest.mark.parametrize(
    "name", ["../../escape", "/etc/passwd", "a/../../b", "x\\..\\y", ".hidden"]
)
def test_a_name_cannot_leave_the_presets_folder(folder, name):
    box = widgets.concentration_explorer()
    path = save_preset(box, name)
    assert path.parent == (folder / "concentration_explorer").resolve()
    assert path.name == f"{preset_name(name)}.json"


@pytest.mark.parametrize("name", ["", "   ", "../..", "!!!"])
def test_a_name_with_no_letter_or_digit_is_refused(name):
    with pytest.raises(CourseValueError, match="needs at least one letter or digit"):
        preset_name(name)


def test_a_link_out_of_the_folder_is_refused(folder, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    folder.mkdir()
    os.symlink(outside, folder / "concentration_explorer")
    with pytest.raises(CourseValueError, match="outside the presets folder"):
        save_preset(widgets.concentration_explorer(), "x")
    assert not list(outside.iterdir())


def _load_bad(folder, settings, explorer="drug_explorer"):
    _write(folder, explorer, "bad", {"explorer": explorer, "settings": settings})
    box = getattr(widgets, explorer)()
    before, renders = _values(box), box.panel.renders
    return box, before, renders


BAD_SETTINGS = [
    ({"dose": 10.0}, UnknownNameError, r"unknown setting 'dose'; expected one of: 'drug', 'concentration_nM'"),
    ({"drug": "aspirin"}, CourseValueError, r"'aspirin', which is not one of its options; expected one of: 'sgp130Fc', 'anti-IL-6R', 'anti-IL-6'"),
    ({"il6_ng_ml": 5000.0}, CourseValueError, r"outside its slider's range 0\.01 to 1000"),
    ({"il6_ng_ml": "ten"}, CourseTypeError, r"'il6_ng_ml' must be a number; got 'ten'"),
    ({"affinity_set": "effective", "concentration_nM": 0.0}, CourseValueError, r"outside its slider's range 0\.001 to 1e\+04"),
]  # fmt: skip


@pytest.mark.parametrize(("settings", "error", "message"), BAD_SETTINGS)
def test_a_bad_setting_is_named_and_leaves_the_explorer_as_it_was(folder, settings, error, message):
    box, before, renders = _load_bad(folder, settings)
    with pytest.raises(error, match=message) as info:
        load_preset(box, "bad")
    assert "bad.json" in str(info.value), "the message names the file"
    assert _values(box) == before
    assert box.panel.renders == renders


def test_wrong_kinds_of_value_are_named(folder):
    _write(
        folder, "cell_explorer", "tick", {"explorer": "cell_explorer", "settings": {"sgp130fc": 1}}
    )
    with pytest.raises(CourseTypeError, match="'sgp130fc' is a tick box: expected true or false"):
        load_preset(widgets.cell_explorer(), "tick")
    _write(
        folder,
        "power_explorer",
        "half",
        {"explorer": "power_explorer", "settings": {"reduction_pct": 50.5}},
    )
    with pytest.raises(CourseTypeError, match="'reduction_pct' must be a whole number"):
        load_preset(widgets.power_explorer(), "half")
    _write(
        folder,
        "experiment_explorer",
        "one",
        {"explorer": "experiment_explorer", "settings": {"blinding": 1}},
    )
    with pytest.raises(
        CourseValueError, match=r"not one of its options; expected one of: True, False"
    ):
        load_preset(widgets.experiment_explorer(), "one")


def test_a_preset_for_another_explorer_is_refused(folder):
    path = _write(folder, "drug_explorer", "other", {"explorer": "cell_explorer", "settings": {}})
    with pytest.raises(CourseValueError, match=r"is for 'cell_explorer', not for 'drug_explorer'"):
        load_preset(widgets.drug_explorer(), path)


def test_an_unknown_preset_lists_the_known_ones(folder):
    with pytest.raises(
        UnknownNameError,
        match=r"unknown preset 'nope' for drug_explorer; expected one of: .*'garbers_culture_well'",
    ):
        load_preset(widgets.drug_explorer(), "nope")


def test_malformed_json_names_the_file_and_the_line(folder):
    text = '{\n  "explorer": "drug_explorer",\n  "settings": {"drug": "sgp130Fc",}\n}\n'
    path = _write(folder, "drug_explorer", "broken", text)
    with pytest.raises(CourseValueError, match=rf"{path} is not valid JSON: .* at line 3, column"):
        read_preset(path)
    problems: list[str] = []
    assert "broken" not in list_presets("drug_explorer", problems)
    assert "line 3" in problems[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"explorer": "drug_explorer", "setting": {}},
            r"wrong keys: got \['explorer', 'setting'\]",
        ),
        ([1, 2], "wrong keys: got list"),
        ({"explorer": "drug_explorer", "settings": [1]}, "needs 'settings' to be an object"),
    ],
)
def test_a_preset_of_the_wrong_shape_says_what_it_needs(folder, data, message):
    with pytest.raises(CourseValueError, match=message):
        read_preset(_write(folder, "drug_explorer", "shape", data))


def test_the_folders_are_searched_in_order(folder, tmp_path):
    assert preset_folders()[:2] == [folder, tmp_path / "presets"]
    assert preset_folders()[-1] == ROOT / "notebooks" / "presets"
    mine = {"explorer": "drug_explorer", "title": "Mine", "settings": {"drug": "anti-IL-6"}}
    _write(folder, "drug_explorer", "anti_il6r", mine)  # hides the course's preset
    assert list_presets("drug_explorer")["anti_il6r"].title == "Mine"
    assert "garbers_culture_well" in list_presets("drug_explorer")


def test_without_the_variable_presets_are_saved_beside_the_notebook(tmp_path, monkeypatch):
    monkeypatch.delenv(PRESETS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # a kernel starts in its notebook's folder
    path = save_preset(widgets.concentration_explorer(), "here")
    assert path == (tmp_path / "presets" / "concentration_explorer" / "here.json").resolve()


def _tree(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _tree(child)


def test_the_scenarios_section_is_folded_away_and_named():
    box = widgets.drug_explorer()
    section = box.scenarios.widget
    assert section in box.children
    assert section.titles == ("Scenarios",) and section.selected_index is None
    for widget in _tree(section):
        if isinstance(widget, (W.Text, W.Button, W.Checkbox, W.Dropdown)):
            assert widget.description and widget.tooltip, widget
    assert "garbers_culture_well" in box.scenarios.choice.options[0][1] or any(
        value == "garbers_culture_well" for _, value in box.scenarios.choice.options
    )


def test_the_scenarios_buttons_save_and_load(folder):
    box = widgets.drug_explorer()
    ui = box.scenarios
    box.controls[0].value = "anti-IL-6"
    ui.name.value = "Antibody demo"
    ui.save.click()
    path = folder / "drug_explorer" / "antibody_demo.json"
    assert path.is_file()
    assert (
        "Saved as preset 'antibody_demo'" in ui.message.value
        and str(path.resolve()) in ui.message.value
    )
    assert ui.choice.value == "antibody_demo"
    ui.save.click()  # again: refused, with a message, until 'replace' is ticked
    assert "Not saved" in ui.message.value and "already exists" in ui.message.value
    ui.replace.value = True
    ui.save.click()
    assert "Saved" in ui.message.value and not ui.replace.value
    box.controls[0].value = "sgp130Fc"
    renders = box.panel.renders
    ui.load.click()
    assert box.controls[0].value == "anti-IL-6"
    assert box.panel.renders == renders + 1
    assert "Loaded 'Antibody demo'" in ui.message.value
    ui.choice.value = "garbers_culture_well"
    ui.load.click()
    assert box.controls[1].value == 100.0 and "Garbers 2011" in ui.message.value


def test_a_preset_chosen_in_the_menu_is_drawn_then_and_load_shows_that_picture():
    box = widgets.experiment_explorer()
    ui = box.scenarios
    name = next(value for _, value in ui.choice.options if value != ui.choice.value)
    values = preset_values(box, name)
    assert values != _values(box)  # nothing set yet
    key = settings_key(values, box.panel.figure.dpi)
    shown = box.panel.image.value
    assert key not in box.pictures
    ui.choice.value = name  # chosen: drawn and kept, not shown
    assert key in box.pictures and box.panel.image.value == shown
    kept = box.pictures.get(key)[0]
    ui.load.click()
    assert _values(box) == values
    assert box.panel.snapshot() == kept


def test_the_scenarios_load_button_reports_a_bad_preset(folder):
    box = widgets.drug_explorer()
    _write(folder, "drug_explorer", "bad", {"explorer": "drug_explorer", "settings": {"dose": 1}})
    box.scenarios.refresh(selected="bad")
    box.scenarios.load.click()
    assert "Not loaded" in box.scenarios.message.value
    assert "unknown setting 'dose'" in box.scenarios.message.value
    box.scenarios.name.value = "///"
    box.scenarios.save.click()
    assert "Not saved" in box.scenarios.message.value


def test_presets_module_is_reexported_for_lessons():
    assert presets.load_preset is load_preset
    assert widgets.load_preset is load_preset and widgets.save_preset is save_preset


GUIDE_PAGES = sorted((ROOT / "docs" / "instructors").glob("*.md"))
_NAMED = re.compile(r"`([a-z][a-z0-9]*_[a-z0-9_]+)`")
_OPENED = re.compile(r'(\w+)\(preset="([\w-]+)"\)')


def test_the_guide_and_lessons_name_only_presets_that_exist():
    every = {p.stem for p in PRESET_FILES}
    texts = {p.name: p.read_text(encoding="utf-8") for p in GUIDE_PAGES}
    texts |= {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "notebooks").glob("*.ipynb")}
    plans = texts["session_plans.md"]
    used = set(_NAMED.findall(plans)) - {"code"}
    assert len(used) >= 20, used
    assert used <= every, f"session_plans.md names presets that do not exist: {used - every}"
    for page, text in texts.items():
        for explorer, name in _OPENED.findall(text.replace('\\"', '"')):
            assert (ROOT / "notebooks/presets" / explorer / f"{name}.json").is_file(), (page, name)


def test_the_menu_shows_titles_and_a_name_only_where_two_share_one(folder):
    for name in ("one", "two"):
        preset = {"explorer": "drug_explorer", "title": "Same", "settings": {}}
        _write(folder, "drug_explorer", name, preset)
    labels = {value: label for label, value in widgets.drug_explorer().scenarios.choice.options}
    assert labels["one"] == "Same (one)" and labels["two"] == "Same (two)"
    shipped = ROOT / "notebooks" / "presets" / "drug_explorer" / "garbers_culture_well.json"
    assert labels["garbers_culture_well"] == read_preset(shipped).title
