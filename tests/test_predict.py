"""The shared predict -> commit -> reveal widget (course_lib.widgets.predict)."""

from __future__ import annotations

import pytest

from course_lib.errors import CourseValueError
from course_lib.widgets.predict import Answer, Question, predict_box

OPTIONS = {"up": "rises", "flat": "stays the same", "down": "falls"}


def _box(calls: list[str], answer: str = "down"):
    def model() -> Answer:
        calls.append("ran")
        return Answer(answer, "computed: 3 of 4.")

    why = {"down": "Because the trap wins.", "up": "Because the trap loses."}
    return predict_box(
        [Question("What does A do?", OPTIONS, model, why), Question("And B?", OPTIONS, model)]
    )


def test_the_model_runs_only_at_commit_and_only_when_every_question_is_answered():
    calls: list[str] = []
    box = _box(calls)
    assert "course-predict" in box._dom_classes
    box.choices[0].value = "down"
    assert box.commit() is False and calls == []
    assert "question 2 has no answer yet" in box.status.value
    assert all(r.layout.display == "none" and r.value == "" for r in box.reveals)
    box.choices[1].value = "up"
    assert box.commit() is True and calls == ["ran", "ran"]
    assert box.answers == {0: "down", 1: "down"}
    assert [r["match"] for r in box.record] == [True, False]
    assert "1 of 2 predictions matches the model" in box.status.value


def test_the_reveal_sets_the_prediction_beside_the_models_answer_with_its_explanation():
    box = _box([])
    box.choices[0].value, box.choices[1].value = "up", "down"
    box.commit()
    first, second = (r.value for r in box.reveals)
    assert "You predicted <b>rises</b>; the model (simulated) gives <b>falls</b>" in first
    assert "not what you predicted" in first and "computed: 3 of 4." in first
    assert "Because the trap wins." in first and "Because the trap loses." not in first
    assert "as you predicted" in second
    assert all(r.layout.display is None for r in box.reveals)


def test_committed_choices_are_locked():
    box = _box([])
    box.choices[0].value, box.choices[1].value = "up", "flat"
    box.commit()
    box.choices[0].value = "down"
    assert box.choices[0].value == "up" and box.predictions == {0: "up", 1: "flat"}
    assert all(c.disabled for c in box.choices) and box.button.disabled
    assert box.button.description == "Committed"
    assert box.commit() is True


def test_a_model_answer_outside_the_options_is_a_clear_error_and_nothing_is_locked():
    box = _box([], answer="sideways")
    box.choices[0].value, box.choices[1].value = "up", "up"
    with pytest.raises(CourseValueError, match="'sideways' .* is not one of the options"):
        box.commit()
    assert not box.committed and not box.button.disabled


@pytest.mark.parametrize("options", [{"only": "one"}, {str(i): str(i) for i in range(6)}])
def test_a_question_needs_two_to_five_options(options):
    with pytest.raises(CourseValueError, match="2 to 5 options"):
        Question("?", options, lambda: Answer("only"))


def test_an_empty_box_is_refused():
    with pytest.raises(CourseValueError, match="at least one Question"):
        predict_box([])
