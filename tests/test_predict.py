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


def test_the_model_runs_once_every_question_is_answered_and_shows_only_at_commit():
    calls: list[str] = []
    box = _box(calls)
    assert "course-predict" in box._dom_classes
    box.choices[0].value = "down"
    assert box.commit() is False and calls == []
    assert "question 2 has no answer yet" in box.status.value
    assert all(r.layout.display == "none" and r.value == "" for r in box.reveals)
    box.choices[1].value = "up"  # every question answered: the models run, nothing is shown
    assert calls == ["ran", "ran"] and box.answers is None
    assert all(r.layout.display == "none" and r.value == "" for r in box.reveals)
    box.choices[0].value = "flat"  # a changed answer does not run them again
    assert calls == ["ran", "ran"]
    assert box.commit() is True and calls == ["ran", "ran"]
    assert box.answers == {0: "down", 1: "down"}
    assert [r["match"] for r in box.record] == [False, False]
    assert "0 of 2 predictions match the model" in box.status.value


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


def test_a_model_that_fails_ahead_runs_again_at_commit_and_its_error_is_raised_there():
    runs: list[str] = []

    def flaky() -> Answer:
        runs.append("ran")
        if len(runs) == 1:
            raise RuntimeError("the first run fails")
        return Answer("up")

    box = predict_box([Question("What does A do?", OPTIONS, flaky)])
    box.choices[0].value = "up"  # the run ahead fails quietly: nothing is kept
    assert runs == ["ran"] and not box.committed
    assert box.commit() is True and runs == ["ran", "ran"] and box.answers == {0: "up"}


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


def test_the_reveals_reach_the_page_before_the_locks():
    # One message per widget changed, in the order of the changes: what the student waits for
    # (the model's answer) goes first.
    order: list[str] = []
    box = _box([])
    box.reveals[1].observe(lambda _: order.append("reveal"), names="value")
    box.choices[0].observe(lambda _: order.append("lock"), names="disabled")
    box.button.observe(lambda _: order.append("button"), names="disabled")
    box.choices[0].value, box.choices[1].value = "up", "down"
    box.commit()
    assert order == ["reveal", "lock", "button"]
