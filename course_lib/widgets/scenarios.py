"""The "Scenarios" section of every explorer: save its settings as a preset, load one.

Folded away under the figure (an Accordion, closed), it holds a name box with
"Save settings" (and a "replace" tick box: nothing is overwritten without it) and a menu of
this explorer's presets with "Load". A line below says where a preset was written, what was
loaded, or what was wrong. The files and their format: `course_lib.widgets.presets`.
"""

from __future__ import annotations

import html

import ipywidgets as W

from course_lib.errors import CourseLibError
from course_lib.widgets._access import no_null_tooltips
from course_lib.widgets._ahead import postpone
from course_lib.widgets.presets import list_presets, load_preset, preset_values, save_preset

__all__ = [
    "PRESET_LOAD_CLASS",
    "PRESET_MENU_CLASS",
    "PRESET_MESSAGE_CLASS",
    "PRESET_NAME_CLASS",
    "PRESET_SAVE_CLASS",
    "Scenarios",
    "with_presets",
]

#: CSS classes of the section's parts, for the browser test and bench: the "Load" button, the
#: menu of presets, the message line, the name box and the "Save settings" button.
PRESET_LOAD_CLASS = "course-preset-load"
PRESET_MENU_CLASS = "course-preset-menu"
PRESET_MESSAGE_CLASS = "course-preset-message"
PRESET_NAME_CLASS = "course-preset-name"
PRESET_SAVE_CLASS = "course-preset-save"

_ROW = W.Layout(display="flex", flex_flow="row wrap", align_items="center")
# The labels' width: "preset name" whole (ipywidgets' default cut it to "preset na..."), and
# the menu's label as wide, so that the two boxes line up.
_LABEL_WIDTH = "100px"


class Scenarios:
    """The Scenarios section of one explorer ``box`` (made by `with_presets`).

    Attributes
    ----------
    widget : ipywidgets.Accordion
        Titled "Scenarios", closed at first.
    name, save, replace, choice, load, message : ipywidgets widgets
        The name box, the "Save settings" button, the "replace" tick box, the menu of
        presets, the "Load" button and the message line (``aria-live``).
    """

    def __init__(self, box: W.VBox) -> None:
        self.box = box
        self.name = W.Text(
            placeholder="e.g. my_scenario",
            description="preset name",
            tooltip="preset name: letters, digits, - and _ (other characters become _)",
            style={"description_width": _LABEL_WIDTH},
            layout=W.Layout(width="300px"),
        )
        self.save = W.Button(
            description="Save settings", tooltip="save every control's value as a preset"
        )
        self.replace = W.Checkbox(
            False,
            description="replace",
            indent=False,
            tooltip="replace: overwrite a preset of the same name",
            layout=W.Layout(width="auto"),
        )
        self.choice = W.Dropdown(
            description="preset",
            tooltip="preset: a saved scenario for this explorer",
            style={"description_width": _LABEL_WIDTH},
            # As wide as its longest title (the browser sizes a menu so), up to the section's
            # width: a fixed 300 px cut the longer titles.
            layout=W.Layout(width="auto", min_width="300px", max_width="100%"),
        )
        self.load = W.Button(description="Load", tooltip="set the controls to the preset")
        for part, css in (
            (self.choice, PRESET_MENU_CLASS),
            (self.load, PRESET_LOAD_CLASS),
            (self.name, PRESET_NAME_CLASS),
            (self.save, PRESET_SAVE_CLASS),
        ):
            part.add_class(css)
        # Full width without side margins: 100% plus ipywidgets' 2 px a side would overflow
        # the explorer by 4 px and make it scroll sideways (the browser test's 1024x768 check).
        self.message = W.HTML(layout=W.Layout(width="100%", margin="2px 0px"))
        self.message.add_class(PRESET_MESSAGE_CLASS)
        self.save.on_click(lambda _button: self.on_save())
        self.load.on_click(lambda _button: self.on_load())
        self.refresh()
        self.choice.observe(self._prepare, names="value")
        self.name.observe(lambda _change: postpone(), names="value")
        rows = W.VBox(
            [
                W.HBox([self.choice, self.load], layout=_ROW),
                W.HBox([self.name, self.save, self.replace], layout=_ROW),
                self.message,
            ]
        )
        self.widget = W.Accordion(
            [rows], titles=("Scenarios",), layout=W.Layout(width="100%", margin="2px 0px")
        )
        self.widget.selected_index = None
        no_null_tooltips(self.widget)

    def refresh(self, selected: str | None = None) -> None:
        """Fill the menu with this explorer's presets (their titles, with the file's name where
        two share a title: a long title and its name did not fit at 1024 px); select
        ``selected``."""
        problems: list[str] = []
        presets = list_presets(self.box.preset_explorer, problems)
        titles = [p.title for p in presets.values()]
        self.choice.options = [
            (p.title if titles.count(p.title) == 1 else f"{p.title} ({name})", name)
            for name, p in presets.items()
        ]
        self.load.disabled = not presets
        if selected in presets:
            self.choice.value = selected
        if problems:
            self.say("Left out of the menu: " + " ".join(problems), ok=False)

    def _prepare(self, change: dict) -> None:
        """Draw the chosen preset's picture now (the explorer's ``prepare``): a student who
        chose one is about to load it, and Load then only sets the controls and shows it."""
        postpone()
        if change["new"] is None:
            return
        try:
            self.box.prepare(**preset_values(self.box, change["new"]))
        except Exception:  # a bad file, value or model error: Load says what is wrong
            return

    def say(self, text: str, ok: bool = True) -> None:
        """Show ``text`` on the message line (announced by screen readers)."""
        colour = "inherit" if ok else "#b00020"
        self.message.value = (
            f'<p role="status" aria-live="polite" style="margin: 0.25em 0; color: {colour}">'
            f"{html.escape(text, quote=False)}</p>"
        )

    def on_save(self) -> None:
        """Save the explorer's settings under the typed name; say where, or what was wrong."""
        try:
            path = save_preset(
                self.box, self.name.value, title=self.name.value, overwrite=self.replace.value
            )
        except (CourseLibError, OSError) as error:
            self.say(f"Not saved: {error}", ok=False)
            return
        self.replace.value = False
        self.refresh(selected=path.stem)
        self.say(f"Saved as preset {path.stem!r} in {path}.")

    def on_load(self) -> None:
        """Load the preset chosen in the menu; say what it is, or what was wrong."""
        if self.choice.value is None:
            self.say("No preset to load: save one first, or add a file.", ok=False)
            return
        try:
            preset = load_preset(self.box, self.choice.value)
        except (CourseLibError, OSError) as error:
            self.say(f"Not loaded: {error}", ok=False)
            return
        about = f" {preset.description}" if preset.description else ""
        self.say(f"Loaded {preset.title!r}.{about}")


def with_presets(box: W.VBox, explorer: str, preset: str | None = None) -> W.VBox:
    """Give an explorer ``box`` its Scenarios section and, if asked, load a preset.

    Parameters
    ----------
    box : ipywidgets.VBox
        Made by `course_lib.widgets._panel.explorer`.
    explorer : str
        The factory's name: its presets are in ``<presets folder>/<explorer>/``.
    preset : str, optional
        A preset's name (or a path to its JSON file) to open the explorer on.

    Returns
    -------
    ipywidgets.VBox
        ``box``, with ``preset_explorer`` and ``scenarios`` (a `Scenarios`) attached.
    """
    box.preset_explorer = explorer
    box.scenarios = Scenarios(box)
    children = list(box.children)
    children.insert(children.index(box.panel.widget) + 1, box.scenarios.widget)
    box.children = tuple(children)
    if preset is not None:
        loaded = load_preset(box, preset)
        box.scenarios.refresh(selected=loaded.path.stem)
    return box
