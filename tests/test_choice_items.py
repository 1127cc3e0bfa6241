"""Multiple-choice items: every option is explained, and no wrong option's feedback gives the
right answer away.

The items are read from the instructor notebooks (``solutions/``): each option line
``* **x**: text``, the right letter from the solution cell and the check from the test cell.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course_lib.grading import checks as check_modules
from course_lib.grading.feedback import CheckFailed

ROOT = Path(__file__).resolve().parents[1]
OPTION = re.compile(r"^\* \*\*([a-d])\*\*: (.+)$", re.MULTILINE)
ANSWER = re.compile(r'^(answer_\d+) = "([a-d])"', re.MULTILINE)
CALL = re.compile(r"^checks\.(\w+)\((answer_\d+)\)", re.MULTILINE)


def _items() -> list[tuple[str, str, dict[str, str], str]]:
    items = []
    for path in sorted((ROOT / "solutions").glob("*_exercises.ipynb")):
        nb = json.loads(path.read_text("utf-8"))
        sources = ["".join(c["source"]) for c in nb["cells"]]
        setup = next(s for s in sources if " as checks" in s)  # the set-up cell
        module = re.search(r"from course_lib.grading.checks import (\w+) as checks", setup)[1]
        for i, text in enumerate(sources):
            call = CALL.search(text)
            if not call:
                continue
            answer = next(m for s in sources[:i] if (m := ANSWER.search(s)) and m[1] == call[2])
            question = next(s for s in reversed(sources[:i]) if OPTION.search(s))
            options = dict(OPTION.findall(question))
            func = getattr(getattr(check_modules, module), call[1])
            items.append((f"{path.stem}:{call[1]}", answer[2], options, func))
    return items


ITEMS = _items()


def _words(text: str) -> list[str]:
    return re.findall(r"[\w·-]+", text.lower())


def _shares_a_run(feedback: str, option: str, run: int = 6) -> bool:
    """True when ``feedback`` repeats ``run`` consecutive words of ``option``."""
    words, fb = _words(option), " ".join(_words(feedback))
    return any(" ".join(words[i : i + run]) in fb for i in range(len(words) - run + 1))


def test_every_choice_item_is_found():
    assert len(ITEMS) >= 12, [i[0] for i in ITEMS]


@pytest.mark.parametrize(("name", "right", "options", "check"), ITEMS, ids=[i[0] for i in ITEMS])
def test_options_are_alike_and_each_is_explained(name, right, options, check):
    lengths = [len(text) for text in options.values()]
    assert max(lengths) <= 1.6 * min(lengths) or max(lengths) < 60, (name, lengths)
    # a reason ("claim: because ...") on every option or on none, never on the right one alone
    reasons = [bool(re.search(r"[:;]", text)) for text in options.values()]
    assert all(reasons) or not any(reasons), (name, reasons)
    result = check(right)
    assert result.passed
    explanation = result.message.removeprefix("correct. ")
    assert len(explanation) > len("Hidden checks also count toward your grade.") + 40, name


@pytest.mark.parametrize(("name", "right", "options", "check"), ITEMS, ids=[i[0] for i in ITEMS])
def test_wrong_feedback_does_not_give_the_answer(name, right, options, check):
    right_text = options[right]
    for letter in options:
        if letter == right:
            continue
        with pytest.raises(CheckFailed) as info:
            check(letter)
        feedback = str(info.value)
        lowered = feedback.lower()
        for tell in (
            f"answer is {right}",
            f"option {right}",
            f"({right})",
            f"'{right}'",
            f'"{right}"',
            f"choose {right}",
            f"answer {right}",
        ):
            assert tell not in lowered, (name, letter, feedback)
        assert right_text.lower() not in lowered, (name, letter)
        assert not _shares_a_run(feedback, right_text), (name, letter, feedback)
        assert info.value.diagnosis.startswith(f"chose {letter!r}"), info.value.diagnosis
