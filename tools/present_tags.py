"""Which cells of a lesson belong to presenter mode, as cell tags; and how those cells are shown.

The notebook stays the single source: this script only writes cell tags, and presenter mode
(``make present``, tools/present.py) reads them. Re-running it gives the same tags (it is
deterministic and idempotent; after a merge conflict in the tags, run it again)::

    python tools/present_tags.py            # tag notebooks/*.ipynb in place
    python tools/present_tags.py --check    # exit 1 if a notebook's tags are out of date

Tags:

``present``
    In a lesson (``NN_*.ipynb``): every explorer cell (its last line calls ``widgets.<name>()``,
    or ``widgets.<name>(preset="<name>")`` for an explorer opened on a scenario preset, or a
    prediction box ``<module>.<name>()`` from ``course_lib.widgets.predictions``); the
    title cell; the heading cell of each section that holds an explorer, and the cell that
    tells the class what to **Predict**, **Explore** or **Explain** there; the Key points.
    A markdown cell with this tag is shown up to its first block (paragraph, list, ``<details>``)
    that only makes sense next to code or to the exercises (:func:`presentable_blocks`).
``present-full``
    Glossary and references: shown whole (the lessons link to them).

Code cells without a tag still run (later cells need their variables) but show nothing: no
parameter tables, no print-outs. Markdown cells without a tag are left out.
:class:`PresentPreprocessor` applies all this to a notebook before Voila renders it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PRESENT = "present"
PRESENT_FULL = "present-full"
OUR_TAGS = (PRESENT, PRESENT_FULL)
#: metadata flag the preprocessor sets on code cells that run but are not shown
HIDDEN = "present_hidden"

LESSON = re.compile(r"^\d\d_.*\.ipynb$")
_PREDICTION_IMPORT = re.compile(r"from course_lib\.widgets\.predictions import (.+)")
_LEADS = ("**Predict.**", "**Explore.**", "**Explain.**")
# A block that only makes sense with code, or that points to the exercise notebooks.
_CODE_WORDS = re.compile(
    r"`|\b(code|run|running|print|printed|prints|import|library|exercises?|without the widget|"
    r"by hand|the table|(this|next|previous|following|code) cell|cells? (below|above))\b",
    re.IGNORECASE,
)

__all__ = [
    "HIDDEN",
    "PRESENT",
    "PRESENT_FULL",
    "PresentPreprocessor",
    "explorer_cells",
    "present_markdown",
    "presentable_blocks",
    "tag_notebook",
]


def _prediction_modules(nb) -> set[str]:
    names = set()
    for cell in nb.cells:
        if cell.cell_type == "code":
            for match in _PREDICTION_IMPORT.finditer(cell.source):
                names.update(n.strip() for n in match.group(1).split(","))
    return names


def explorer_cells(nb) -> list[int]:
    """Indices of the code cells whose last line shows an explorer or a prediction box."""
    modules = "|".join(sorted({"widgets", *_prediction_modules(nb)}))
    call = re.compile(rf"^({modules})\.\w+\((preset=\"[\w-]+\")?\)$")
    found = []
    for i, cell in enumerate(nb.cells):
        lines = [line for line in cell.source.strip().splitlines() if line.strip()]
        if cell.cell_type == "code" and lines and call.match(lines[-1].strip()):
            found.append(i)
    return found


def _sections(nb) -> list[list[int]]:
    """Cell indices grouped by section: a new one starts at each markdown cell opening with '## '."""
    sections: list[list[int]] = [[]]
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            sections.append([])
        sections[-1].append(i)
    return [s for s in sections if s]


def _lesson_tags(nb) -> dict[int, str]:
    explorers = set(explorer_cells(nb))
    tags = dict.fromkeys(explorers, PRESENT)
    tags[0] = PRESENT  # the title
    for section in _sections(nb):
        first = nb.cells[section[0]]
        if first.cell_type == "markdown" and first.source.startswith("## Key points"):
            tags[section[0]] = PRESENT
        if not explorers & set(section):
            continue
        for i in section:
            cell = nb.cells[i]
            if cell.cell_type != "markdown":
                continue
            if i == section[0] or _next_to_explorer(nb, i, explorers):
                tags[i] = PRESENT
    return tags


def _next_to_explorer(nb, i: int, explorers: set[int]) -> bool:
    """A Predict/Explore/Explain cell whose nearest code cell above is an explorer, or a
    Predict/Explore cell whose nearest code cell below is one (the prompt is about what is shown)."""
    source = nb.cells[i].source
    if not source.startswith(_LEADS):
        return False
    above = [j for j in range(i) if nb.cells[j].cell_type == "code"]
    below = [j for j in range(i + 1, len(nb.cells)) if nb.cells[j].cell_type == "code"]
    if above and above[-1] in explorers:
        return True
    ahead = source.startswith(("**Predict.**", "**Explore.**"))
    return ahead and bool(below) and below[0] in explorers


def tag_notebook(nb, name: str) -> bool:
    """Set this script's tags on ``nb`` (in place); True when something changed."""
    if LESSON.match(name):
        wanted = _lesson_tags(nb)
    else:
        wanted = {i: PRESENT_FULL for i, c in enumerate(nb.cells) if c.cell_type == "markdown"}
    changed = False
    for i, cell in enumerate(nb.cells):
        old = list(cell.metadata.get("tags", []))
        new = [t for t in old if t not in OUR_TAGS]
        if i in wanted:
            new.append(wanted[i])
        if new != old:
            changed = True
            if new:
                cell.metadata["tags"] = new
            else:
                del cell.metadata["tags"]
    return changed


def _blocks(source: str) -> list[str]:
    """Markdown split at blank lines, keeping a ``<details>...</details>`` together."""
    blocks: list[str] = []
    open_details = 0
    for part in re.split(r"\n\s*\n", source.strip()):
        if open_details:
            blocks[-1] += "\n\n" + part
        else:
            blocks.append(part)
        open_details += part.count("<details") - part.count("</details>")
    return blocks


def presentable_blocks(source: str) -> list[str]:
    """The blocks of a ``present`` markdown cell that presenter mode shows.

    They stop at the first block that mentions code, cells, running, printing or the exercises,
    that opens folded background (``<details>``), that starts a sub-heading, or that ends with
    a colon (it introduces a code cell's output).

    >>> presentable_blocks("## 1. A\\n\\nSee the figure.\\n\\nRun the next cell:\\n\\nMore.")
    ['## 1. A', 'See the figure.']
    """
    blocks = _blocks(source)
    shown = []
    if blocks and blocks[0].startswith("#") and "\n" not in blocks[0]:
        shown.append(blocks.pop(0))  # the heading itself
    for block in blocks:
        text = block.strip()
        if _CODE_WORDS.search(text) or text.startswith(("<details", "#")) or text.endswith(":"):
            break
        shown.append(block)
    return shown


def present_markdown(source: str) -> str:
    """What presenter mode shows of a ``present`` markdown cell: a title or section heading
    with the rest folded (``<details>``), Key points and Predict/Explore/Explain prompts open.

    >>> print(present_markdown("## 2. B\n\nSome prose.\n\nMore prose."))
    ## 2. B
    <BLANKLINE>
    <details class="course-present-more"><summary>More</summary>
    <BLANKLINE>
    Some prose.
    <BLANKLINE>
    More prose.
    <BLANKLINE>
    </details>
    """
    shown = presentable_blocks(source)
    heading = shown[0] if shown and shown[0].startswith("#") else None
    if len(shown) == 1 and shown[0].strip() in _LEADS:
        return ""  # a bare "Explore." whose list was cut
    if heading is None or heading.startswith("## Key points") or len(shown) == 1:
        return "\n\n".join(shown)
    rest = "\n\n".join(shown[1:])
    return (
        f'{heading}\n\n<details class="course-present-more"><summary>More</summary>\n\n'
        f"{rest}\n\n</details>"
    )


class PresentPreprocessor(Preprocessor):
    """Voila (``VoilaExporter.preprocessors``): keep the presenter's cells, as tagged.

    Markdown cells: ``present-full`` as they are, ``present`` cut by :func:`presentable_blocks`,
    others removed. Code cells all stay (they run in order) and those without ``present`` get
    ``metadata.present_hidden``, which the course-present template does not show.
    """

    def preprocess(self, nb, resources):
        cells = []
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            if cell.cell_type == "code":
                if PRESENT not in tags:
                    cell.metadata[HIDDEN] = True
                cells.append(cell)
            elif PRESENT_FULL in tags:
                cells.append(cell)
            elif PRESENT in tags and cell.cell_type == "markdown":
                shown = present_markdown(cell.source)
                if shown:
                    cell.source = shown
                    cells.append(cell)
        nb.cells = cells
        return nb, resources


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/)")
    parser.add_argument("--check", action="store_true", help="report stale tags, change nothing")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    stale = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if tag_notebook(nb, path.name):
            stale.append(path)
            if not args.check:
                path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    verb = "out of date" if args.check else "tagged"
    for path in stale:
        print(f"{verb}: {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
