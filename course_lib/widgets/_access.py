"""Accessible names and states for the controls of an explorer, in the rendered page.

What ipywidgets 8.1 renders, and what it lacks (checked in JupyterLab 4.6, headless Chromium):

- A slider's handle is a noUiSlider ``<div role="slider" tabindex="0">`` with ``aria-valuenow``
  and ``aria-valuetext`` but no accessible name: the ``description`` becomes a
  ``<label class="widget-label">`` that is not associated with it (no ``for``; a div cannot be
  labelled that way), and the ``tooltip`` only becomes that label's ``title``. A log slider's
  ``aria-valuetext`` is the exponent ("0.9999999999999996" for 10), a SelectionSlider's the
  index ("0"). No trait reaches the handle's attributes (ipywidgets does not pass noUiSlider's
  ``handleAttributes``).
- Toggle buttons (`ipywidgets.ToggleButtons`, the prediction questions' choices) show their
  state only as the CSS class ``mod-active``: no ``aria-pressed``.
- Radio buttons (`ipywidgets.RadioButtons`, an explorer's rows of choices) are native
  ``<input type="radio">`` inside their ``<label>``, but with no ``name``: each is a group of its
  own, so the arrow keys do not move between them, and the box is not named as a group.
  ``RadioButtons`` has no tooltip per option.

So the names and states are set in the front end by a short script that the explorer carries
in a zero-height `ipywidgets.Output` (an ``application/javascript`` output, which JupyterLab
runs for outputs of cells the student ran). It finds its explorer (the DOM class
``course-explorer``) and each control (``course-control-<i>``), and keeps, as the page changes:

- on a slider handle, ``aria-label`` = the control's label with its unit, and
  ``aria-valuetext`` = the shown value with its unit (a word stop such as "none" as it is);
- on a row of toggle buttons, ``role="group"`` + ``aria-label``, and ``aria-pressed`` on each
  button;
- on a row of radio buttons, ``role="radiogroup"`` + ``aria-label``, one ``name`` for its
  inputs (unique to the control), and each choice's tooltip (``control._course_tooltips``, set
  by `course_lib.widgets._controls.toggles`) as its label's ``title``. Its arrow keys stay
  inside it: they move the choice, as in any radio group, where JupyterLab's command mode
  would have taken them to select another cell.

Without JavaScript nothing breaks: only these attributes are missing. Every widget of the
explorer also gets a tooltip, so no label says ``title="null"``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence

import ipywidgets as W
from IPython.display import HTML, Javascript

__all__ = [
    "EXPLORER_CLASS",
    "EXPLORER_CSS",
    "IN_EXPLORER_JS",
    "accessible_name",
    "make_accessible",
    "name_script",
    "no_null_tooltips",
]

#: DOM class of a box whose controls the script labels.
EXPLORER_CLASS = "course-explorer"
#: The headers of an explorer's folded sections ("Describe the figure", "Scenarios") in the
#: theme's first text colour: ipywidgets' own (--jp-ui-font-color2 on --jp-layout-color2) is
#: 4.45:1 in the light theme, under WCAG AA's 4.5:1 (axe, presenter mode).
EXPLORER_CSS = (
    f"<style>.{EXPLORER_CLASS} .jupyter-widget-Collapse-header "
    "{ color: var(--jp-ui-font-color1, rgba(0, 0, 0, 0.87)); }"
    # A row of choices (RadioButtons) lines up with the sliders and menus: its label is set
    # out as theirs (ipywidgets' inline-hbox rule, which RadioButtons lacks), and its choices
    # wrap in a narrow window, each set apart from the next one's button.
    f".{EXPLORER_CLASS} .widget-radio > .widget-label {{ color: var(--jp-widgets-label-color); "
    "text-align: right; margin-right: calc(var(--jp-widgets-inline-margin) * 2); "
    "flex-shrink: 0; }"
    f".{EXPLORER_CLASS} .widget-radio-box-horizontal {{ flex-wrap: wrap; }}"
    f".{EXPLORER_CLASS} .widget-radio-box-horizontal label {{ margin-right: 18px; }}</style>"
)

#: JavaScript for the inside of an explorer's scripts: ``inExplorer(element, then)`` calls
#: ``then(box)`` with the explorer box that holds the script's output ``element``, once
#: JupyterLab has put that output in the page (looked for every 50 ms, for up to 20 s).
IN_EXPLORER_JS = f"""
  const inExplorer = (element, then) => {{
    const started = Date.now();
    const look = () => {{
      const box = element.closest('.{EXPLORER_CLASS}');
      if (box) then(box);
      else if (Date.now() - started < 20000) setTimeout(look, 50);
    }};
    look();
  }};"""

_SCRIPT = r"""
(function (element, controls) {%(in_explorer)s
  const apply = (box) => {
    for (const [cls, info] of Object.entries(controls)) {
      const el = box.querySelector('.' + cls);
      if (!el) continue;
      const handle = el.querySelector('.noUi-handle');
      if (handle) {
        if (handle.getAttribute('aria-label') !== info.name) {
          handle.setAttribute('aria-label', info.name);
        }
        const readout = el.querySelector('.widget-readout');
        if (readout) {
          const shown = readout.textContent.trim();
          // A number gets its unit ("10.0 ng/mL"); a word stop ("none") stays as it is.
          const text = shown + (info.unit && /^[-+.\d]/.test(shown) ? ' ' + info.unit : '');
          if (handle.getAttribute('aria-valuetext') !== text) {
            handle.setAttribute('aria-valuetext', text);
          }
        }
      }
      const radios = el.querySelector('.widget-radio-box');
      if (radios) {
        if (radios.getAttribute('role') !== 'radiogroup') {
          radios.setAttribute('role', 'radiogroup');
        }
        if (radios.getAttribute('aria-label') !== info.name) {
          radios.setAttribute('aria-label', info.name);
        }
        if (!radios.dataset.courseArrows) {
          // The arrow keys move the choice (the browser's own radio group behaviour); in
          // JupyterLab's command mode they would select another cell instead.
          radios.dataset.courseArrows = 'yes';
          radios.addEventListener('keydown', (event) => {
            if (event.key.startsWith('Arrow')) event.stopPropagation();
          });
        }
        radios.querySelectorAll('label').forEach((choice, i) => {
          const input = choice.querySelector('input[type="radio"]');
          if (input && input.name !== info.group) input.name = info.group;
          const tip = (info.tips || [])[i];
          if (tip && choice.title !== tip) choice.title = tip;
        });
      }
      const buttons = el.querySelectorAll('button.widget-toggle-button');
      if (buttons.length) {
        const group = buttons[0].parentElement;
        if (group.getAttribute('role') !== 'group') group.setAttribute('role', 'group');
        if (group.getAttribute('aria-label') !== info.name) {
          group.setAttribute('aria-label', info.name);
        }
        for (const button of buttons) {
          const pressed = String(button.classList.contains('mod-active'));
          if (button.getAttribute('aria-pressed') !== pressed) {
            button.setAttribute('aria-pressed', pressed);
          }
        }
      }
    }
  };
  inExplorer(element, (box) => {
    apply(box);
    // aria-* attributes are not watched, so setting them cannot loop.
    new MutationObserver(() => apply(box)).observe(box, {
      subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ['class'],
    });
  });
})(element, %(controls)s);
"""


def accessible_name(control) -> str:
    """The name a screen reader announces: the label, with the unit when there is one."""
    return control.description or getattr(control, "_course_label", "") or ""


def name_script(controls: Sequence[W.DOMWidget]) -> str:
    """The JavaScript that names ``controls`` (after `make_accessible` gave them DOM classes)."""
    token = secrets.token_hex(4)  # radio inputs group by name in the whole page
    info = {
        f"course-control-{i}": {
            "name": accessible_name(c),
            "unit": getattr(c, "_course_unit", None) or "",
            "group": f"course-choice-{token}-{i}",
            "tips": list(getattr(c, "_course_tooltips", ())),
        }
        for i, c in enumerate(controls)
    }
    return _SCRIPT % {"in_explorer": IN_EXPLORER_JS, "controls": json.dumps(info)}


def no_null_tooltips(widget: W.Widget) -> None:
    """Give every widget in the tree under ``widget`` that has none an empty tooltip.

    Every ipywidgets 8.1 widget with a description (HTML and Label too) writes its tooltip
    into its ``<label>`` as ``title``, and None becomes ``title="null"``: a hover tip saying
    "null". An empty tooltip writes ``title=""``, which shows nothing.
    """
    if widget.has_trait("description") and widget.tooltip is None:
        widget.tooltip = ""
    for child in getattr(widget, "children", ()):
        no_null_tooltips(child)


def make_accessible(box: W.Box, controls: Sequence[W.DOMWidget]) -> W.Output:
    """Mark ``box`` and its ``controls`` and append the naming script to ``box``, with the
    style of `EXPLORER_CSS`.

    Returns the (zero-height) Output widget that carries the script; it is also
    ``box.accessibility``.
    """
    box.add_class(EXPLORER_CLASS)
    for i, control in enumerate(controls):
        control.add_class(f"course-control-{i}")
        if control.tooltip is None:
            control.tooltip = accessible_name(control)
    no_null_tooltips(box)
    carrier = W.Output(layout=W.Layout(height="0px", overflow="hidden", margin="0"))
    carrier.append_display_data(Javascript(name_script(controls)))
    carrier.append_display_data(HTML(EXPLORER_CSS))
    box.children = (*box.children, carrier)
    box.accessibility = carrier
    return carrier
