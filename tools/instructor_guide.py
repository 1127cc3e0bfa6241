"""Keep the generated parts of the instructor guide in step with the lessons and exercises.

``docs/instructors/lesson_NN.md`` is written by hand except for the blocks this tool writes:

- ``timing``: the lesson's sections and the minutes each states, from its ``## N. Title (M min)``
  headings, against the time the lesson states in its header;
- ``predict``: every predict-commit-reveal box the lesson shows, with its questions, options,
  the option the model picks, the model's computed detail and the reason shown after a commit
  (built by calling the same factories the notebook calls);
- ``exercises``: every nbgrader cell of ``solutions/NN_*_exercises.ipynb`` (grade_id, role,
  points), the check each test cell calls, and the misconceptions that check names in its
  feedback (read from the check's source in ``course_lib/grading/checks/``);
- one ``prompt`` block per **Predict.**, **Explain.**, **Think** and **Discuss.** prompt of the
  lesson, quoting it; the hand-written answer follows the block.

    python tools/instructor_guide.py           # rewrite the generated blocks
    python tools/instructor_guide.py --check   # list what is out of step; exit status 1 if any

A prompt that is new in a lesson gets a block with an "ANSWER NEEDED" line for its answer; a
prompt that has gone is reported and must be deleted by hand with its answer.
``tests/test_instructor_guide.py`` runs the check.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the library of this checkout, not another copy
GUIDE = ROOT / "docs" / "instructors"
BLOCKS = ("timing", "predict", "exercises")
NEEDED = "**ANSWER NEEDED.**"
PROMPT_RE = re.compile(r"^\*\*(Predict|Explain|Think|Discuss)[.!]?\*\*")
SECTION_RE = re.compile(r"^## (\d+)\. (.*?)(?: \((\d+) min\))?\s*$")

__all__ = ["check_guide", "exercise_block", "main", "predict_block", "prompts", "sync"]


# --------------------------------------------------------------------------------------------
# Reading the lessons


def lessons() -> dict[str, Path]:
    """Lesson number ("00".."07") -> lesson notebook."""
    return {p.name[:2]: p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))}


def _markdown(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def timing_block(nb) -> str:
    """The lesson's sections with their stated minutes, and the stated total."""
    rows, total = [], 0
    for text in _markdown(nb):
        for line in text.splitlines():
            if match := SECTION_RE.match(line):
                number, title, minutes = match.groups()
                rows.append(f"| {number} | {title} | {minutes or '-'} |")
                total += int(minutes or 0)
    stated = re.search(r"(\d+) min reading and exploring, (\d+) min", "\n".join(_markdown(nb)))
    reading, exercises = stated.groups() if stated else ("?", "?")
    lines = ["| section | title | min |", "|---|---|---|", *rows]
    lines.append(
        f"\nThe numbered sections add up to {total} min; the lesson states {reading} min of "
        f"reading and exploring and {exercises} min of exercises."
    )
    return "\n".join(lines)


def prompts(nb, lesson: str) -> dict[str, str]:
    """Key ("03-4-explain1") -> the prompt's markdown, for every prompt of the lesson."""
    found: dict[str, str] = {}
    section, counts = "0", {}
    for text in _markdown(nb):
        paragraphs = re.split(r"\n\s*\n", text)
        for i, para in enumerate(paragraphs):
            if heading := re.match(r"^## (\d+)\.", para):
                section, counts = heading.group(1), {}
            if not (match := PROMPT_RE.match(para.strip())):
                continue
            kind = match.group(1).lower()
            counts[kind] = counts.get(kind, 0) + 1
            body = para.strip()
            if body == match.group(0) and i + 1 < len(paragraphs):  # "**Explain.**" + a list
                body += "\n\n" + paragraphs[i + 1].strip()
            following = "\n".join(paragraphs[i + 1 : i + 3])
            if "<summary>One explanation" in following:
                body += "\n\n(The lesson's fold-out *One explanation* follows this prompt.)"
            found[f"{lesson}-{section}-{kind}{counts[kind]}"] = body
    return found


# --------------------------------------------------------------------------------------------
# Predict boxes


def _predict_calls(nb) -> list[tuple[str, str]]:
    """(module alias or "widgets", function) of each predict box the lesson builds, in order."""
    from course_lib import widgets

    modules, calls = {}, []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for match in re.finditer(r"from course_lib\.widgets\.predictions import (.+)", cell.source):
            modules.update({m.strip(): m.strip() for m in match.group(1).split(",")})
        for alias, name in re.findall(r"^(\w+)\.(\w+)\(\)\s*$", cell.source, re.MULTILINE):
            is_box = alias == "widgets" and "PredictBox" in str(
                inspect.signature(getattr(widgets, name)).return_annotation
            )
            if alias in modules or is_box:
                calls.append((alias, name))
    return calls


def predict_block(nb) -> str:
    """Every predict box of the lesson: questions, options, the model's answer and why."""
    out = []
    for n, (alias, name) in enumerate(_predict_calls(nb), start=1):
        where = (
            "course_lib.widgets"
            if alias == "widgets"
            else f"course_lib.widgets.predictions.{alias}"
        )
        box = getattr(importlib.import_module(where), name)()
        out.append(f"**Box {n}: `{alias}.{name}()`**\n")
        for q_number, question in enumerate(box.questions, start=1):
            answer = question.model()
            options = "; ".join(
                f"**{words}** (model)" if key == answer.key else words
                for key, words in question.options.items()
            )
            out.append(f"{q_number}. {question.prompt}")
            out.append(f"   - Options: {options}.")
            out.append(f"   - Computed when the student commits: {answer.detail}")
            if why := question.explanation(answer.key):
                out.append(f"   - Why (shown after the commit): {why}")
        out.append("")
    return "\n".join(out).strip() or "This lesson has no predict box."


# --------------------------------------------------------------------------------------------
# Exercises and the misconceptions of their checks


def _text(node: ast.AST) -> str | None:
    """A string literal or f-string as text ("..." for each interpolated value)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "..." for v in node.values)
    return None


def _call_name(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")


def _correct_option(check, keys: list[str]) -> str | None:
    """The option ``check`` accepts, found by asking it (for a right answer computed at run time)."""
    for key in keys:
        try:
            if check(key).passed:
                return key
        except Exception:  # a wrong option raises CheckFailed: that is the point
            continue
    return None


def _hint_strings(func: ast.FunctionDef) -> list[str]:
    """Strings a check raises with, or keeps in a variable named like feedback."""
    names = {"hint", "why", "feedback", "message", "msg", "advice"}
    nodes = [n.exc for n in ast.walk(func) if isinstance(n, ast.Raise) and n.exc is not None]
    nodes += [
        n.value
        for n in ast.walk(func)
        if isinstance(n, ast.Assign) and any(getattr(t, "id", "") in names for t in n.targets)
    ]
    texts = [t for node in nodes for n in ast.walk(node) if (t := _text(n)) and len(t) >= 45]
    # sentences only: not short status labels, not the "tell your instructor" internal error
    return [t for t in texts if re.search(r"[.:]", t) and "tell your instructor" not in t]


def misconceptions(module: str, function: str) -> list[str]:
    """The feedback a check gives for recognised wrong answers, read from its source."""
    mod = importlib.import_module(module)
    tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
    defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    func, found, seen = defs[function], [], set()
    dicts = {
        t.id: n.value
        for n in ast.walk(func)
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Dict)
        for t in n.targets
        if isinstance(t, ast.Name)
    }

    def add(text: str | None, label: str = "") -> None:
        text = re.sub(r"^\.\.\.: ", "", text or "")  # the f"{question}: " prefix
        if text and text not in seen:
            seen.add(text)
            found.append(f"{label}{text}")

    for node in ast.walk(func):
        if not isinstance(node, ast.Call):
            continue
        kwargs = {k.arg: k.value for k in node.keywords}
        if _call_name(node) == "Misconception":
            add(_text(kwargs.get("feedback", node.args[1] if len(node.args) > 1 else None)))
        elif _call_name(node) == "check_choice":
            options = kwargs.get("feedback")
            options = dicts.get(options.id) if isinstance(options, ast.Name) else options
            pairs = [
                (_text(k), v)
                for k, v in zip(
                    getattr(options, "keys", []), getattr(options, "values", []), strict=True
                )
            ]
            correct = _text(kwargs.get("correct", ast.Constant(None)))
            correct = correct or _correct_option(getattr(mod, function), [k for k, _ in pairs])
            for key, value in pairs:
                if key == correct:
                    seen.add(_text(value))
                else:
                    add(_text(value), f"option {key}: ")
        elif _call_name(node) == "check_callable" and isinstance(
            kwargs.get("misconceptions"), ast.List
        ):
            for item in kwargs["misconceptions"].elts:
                add(_text(item.elts[1]) if isinstance(item, ast.Tuple) else None)
    for text in _hint_strings(func):
        if not any(text in f for f in found):
            add(text)
    return found


def _is_check(module: str, name: str) -> bool:
    """Whether ``module.name`` is a check (returns a CheckResult), not a helper a test calls."""
    annotation = inspect.signature(getattr(importlib.import_module(module), name)).return_annotation
    return "CheckResult" in str(annotation)


def exercise_block(lesson: str) -> str:
    """The lesson's exercise cells: grade_id, role, points, check and misconceptions."""
    [path] = sorted((ROOT / "solutions").glob(f"{lesson}_*_exercises.ipynb"))
    nb = nbformat.read(path, as_version=4)
    module = question = ""
    rows, notes = [], []
    for cell in nb.cells:
        if found := re.search(
            r"from course_lib\.grading\.checks import (\w+) as checks", cell.source
        ):
            module = f"course_lib.grading.checks.{found.group(1)}"
        if cell.cell_type == "markdown" and (
            found := re.match(r"## (Question [\d.]+)", cell.source)
        ):
            question = found.group(1)
        meta = cell.metadata.get("nbgrader")
        if not meta:
            continue
        role = (
            "manually graded answer"
            if meta.get("solution") and meta.get("grade")
            else "answer cell"
            if meta.get("solution")
            else "autograded test"
            if meta.get("grade")
            else "set-up (locked)"
        )
        called = (
            set(re.findall(r"checks\.([a-z]\w*)\(", cell.source)) if meta.get("grade") else set()
        )
        checks = sorted(c for c in called if _is_check(module, c))
        shown = ", ".join(f"`{c}`" for c in checks) or "-"
        rows.append(
            f"| `{meta['grade_id']}` | {question or '-'} | {role} | {meta.get('points', '-')} | {shown} |"
        )
        for check in checks:
            items = misconceptions(module, check)
            notes.append(f"**`{meta['grade_id']}`** (`{module.rsplit('.', 1)[1]}.{check}`):")
            notes.extend(f"- {item}" for item in items)
            if not items:
                notes.append("- (no named misconception: the check gives generic feedback)")
            notes.append("")
    head = f"Source: `solutions/{path.name}`.\n\n| grade_id | question | role | points | check |\n|---|---|---|---|---|"
    return "\n".join(
        [
            head,
            *rows,
            "",
            "What each check recognises in a wrong answer, and says (never the expected value):",
            "",
            *notes,
        ]
    ).strip()


# --------------------------------------------------------------------------------------------
# Writing the blocks


def _quote(text: str) -> str:
    """A lesson's paragraph as a Markdown quote; its links to other notebooks, relative to
    notebooks/, are made relative to docs/instructors/."""
    text = re.sub(r"\]\((?!https?:|#|\.\./)([^)\s]+\.ipynb)", r"](../../notebooks/\1", text)
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines())


def sync(text: str, blocks: dict[str, str], asked: dict[str, str]) -> tuple[str, list[str]]:
    """``text`` with its generated blocks rewritten, and the problems that need a person."""
    problems = []
    for name, body in blocks.items():
        begin, end = rf"<!-- BEGIN GENERATED {name}\b[^\n]*-->", f"<!-- END GENERATED {name} -->"
        pattern = re.compile(rf"({begin})\n(?:.*?\n)?({end})", re.S)
        if not pattern.search(text):
            problems.append(f"no '{name}' block (<!-- BEGIN GENERATED {name} --> ... END)")
        text = pattern.sub(lambda m, body=body: f"{m.group(1)}\n{body}\n{m.group(2)}", text)
    present = re.findall(r"<!-- prompt (\S+) -->", text)
    for key in present:
        if key not in asked:
            problems.append(f"prompt {key} is no longer in the lesson: delete its block and answer")
            continue
        pattern = re.compile(rf"(<!-- prompt {re.escape(key)} -->\n).*?(\n<!-- /prompt -->)", re.S)
        text = pattern.sub(lambda m, key=key: m.group(1) + _quote(asked[key]) + m.group(2), text)
    new = [key for key in asked if key not in present]
    if new and "<!-- END prompts -->" not in text:
        problems.append("no '<!-- END prompts -->' line to add new prompts before")
    for key in new:
        unit = f"<!-- prompt {key} -->\n{_quote(asked[key])}\n<!-- /prompt -->\n\n{NEEDED}\n\n"
        text = text.replace("<!-- END prompts -->", unit + "<!-- END prompts -->")
    if NEEDED in text:
        problems.append("a prompt has no answer yet (search for ANSWER NEEDED)")
    return text, problems


def expected(lesson: str, path: Path) -> tuple[str, list[str]]:
    """The guide page of ``lesson`` as it should be, and the problems that need a person."""
    nb = nbformat.read(lessons()[lesson], as_version=4)
    blocks = {
        "timing": timing_block(nb),
        "predict": predict_block(nb),
        "exercises": exercise_block(lesson),
    }
    return sync(path.read_text(encoding="utf-8"), blocks, prompts(nb, lesson))


def check_guide() -> list[str]:
    """What is out of step between the guide and the source (empty when all is well)."""
    problems = []
    for lesson in lessons():
        path = GUIDE / f"lesson_{lesson}.md"
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)} is missing")
            continue
        text, found = expected(lesson, path)
        problems += [f"{path.name}: {p}" for p in found]
        if text != path.read_text(encoding="utf-8"):
            problems.append(
                f"{path.name}: generated blocks are stale; run python tools/instructor_guide.py"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report; write nothing")
    args = parser.parse_args(argv)
    if args.check:
        problems = check_guide()
        print("\n".join(problems) or "instructor guide: in step with the lessons and exercises")
        return 1 if problems else 0
    status = 0
    for lesson in lessons():
        path = GUIDE / f"lesson_{lesson}.md"
        if not path.exists():
            print(
                f"{path.relative_to(ROOT)}: missing; write it with the markers first",
                file=sys.stderr,
            )
            status = 1
            continue
        text, problems = expected(lesson, path)
        path.write_text(text, encoding="utf-8")
        for problem in problems:
            print(f"{path.name}: {problem}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
