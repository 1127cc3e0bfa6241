"""The instructor guide (docs/instructors/) is in step with the lessons, predictions and exercises.

The generated blocks of each ``lesson_NN.md`` (timing, predict boxes, exercises and their
misconceptions, the quoted prompts) are rebuilt by ``tools/instructor_guide.py`` and compared
with the files; a changed question, option, reason, grade_id, check or prompt fails here until
``python tools/instructor_guide.py`` is run and the hand-written answers are re-read.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "instructors"
sys.path.insert(0, str(ROOT / "tools"))
import instructor_guide  # noqa: E402


def _grade_ids() -> list[str]:
    ids = []
    for path in sorted((ROOT / "solutions").glob("*_exercises.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if grade_id := cell.metadata.get("nbgrader", {}).get("grade_id"):
                ids.append(grade_id)
    return ids


def test_generated_parts_are_in_step_with_the_source():
    problems = instructor_guide.check_guide()
    assert not problems, "instructor guide out of step:\n" + "\n".join(problems)


def test_every_grade_id_appears_in_the_guide():
    text = "\n".join(p.read_text(encoding="utf-8") for p in GUIDE.glob("*.md"))
    ids = _grade_ids()
    assert len(ids) > 40, f"expected the grade_ids of eight exercise notebooks; found {len(ids)}"
    missing = [i for i in ids if f"`{i}`" not in text]
    assert not missing, f"grade_ids not in docs/instructors/: {missing}"


def test_every_lesson_has_a_page_with_answers_and_no_gaps():
    for lesson in instructor_guide.lessons():
        text = (GUIDE / f"lesson_{lesson}.md").read_text(encoding="utf-8")
        assert instructor_guide.NEEDED not in text, f"lesson_{lesson}.md has an unanswered prompt"
        for heading in ("## Learning outcomes", "## Discussion questions", "## Technical problems"):
            assert heading in text, f"lesson_{lesson}.md has no '{heading}' section"
        units = re.findall(
            r"<!-- /prompt -->\n\n(.*?)(?=\n<!-- prompt |\n<!-- END prompts)", text, re.S
        )
        assert all(u.strip() for u in units), f"lesson_{lesson}.md has a prompt with no answer"


def test_a_changed_prompt_or_block_is_noticed():
    page = (
        "<!-- BEGIN GENERATED timing: x -->\nold\n<!-- END GENERATED timing -->\n"
        "<!-- prompt 09-1-explain1 -->\n> **Explain.** Old words?\n<!-- /prompt -->\n\nAn answer.\n\n"
        "<!-- prompt 09-2-think1 -->\n> **Think.** Gone?\n<!-- /prompt -->\n\nAnother.\n\n"
        "<!-- END prompts -->\n"
    )
    asked = {"09-1-explain1": "**Explain.** New words?", "09-3-predict1": "**Predict.** New?"}
    text, problems = instructor_guide.sync(page, {"timing": "new"}, asked)
    assert "<!-- BEGIN GENERATED timing: x -->\nnew\n<!-- END GENERATED timing -->" in text
    assert "> **Explain.** New words?" in text and "An answer." in text
    assert any("09-2-think1 is no longer in the lesson" in p for p in problems)
    assert "<!-- prompt 09-3-predict1 -->" in text and instructor_guide.NEEDED in text
    assert any("no answer yet" in p for p in problems)


def test_a_missing_block_is_named():
    _, problems = instructor_guide.sync("no markers here", {"exercises": "x"}, {})
    assert problems == ["no 'exercises' block (<!-- BEGIN GENERATED exercises --> ... END)"]


@pytest.mark.parametrize("page", ["index.md", "running.md", "grading.md", "session_plans.md"])
def test_the_general_pages_exist(page):
    assert (GUIDE / page).is_file(), f"docs/instructors/{page} is missing"
