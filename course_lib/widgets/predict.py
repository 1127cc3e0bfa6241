"""Predict, commit, reveal, explain: the one widget every lesson uses at its key ideas.

A student answers one or more questions before seeing the model, commits (the choices lock),
and only then sees, beside each prediction, what the model computes and why. The model's
answer is computed by a function the lesson passes in (a call into `course_lib.models`) once
every question has an answer, kept in the kernel and never written into the widget until the
student commits: the click on Commit then only shows it.

Examples
--------
>>> q = Question(
...     "Does 2 + 2 exceed 3?",
...     {"yes": "yes", "no": "no"},
...     model=lambda: Answer("yes", "2 + 2 = 4."),
...     why="Four is more than three.",
... )
>>> box = predict_box([q], title="Warm-up")
>>> box.commit()
False
>>> box.choices[0].value = "yes"
>>> box.commit(), box.committed, box.record[0]["model"], box.record[0]["match"]
(True, True, 'yes', True)
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import ipywidgets as W

from course_lib.errors import CourseValueError
from course_lib.widgets._access import make_accessible
from course_lib.widgets._ahead import postpone

__all__ = ["Answer", "PredictBox", "Question", "predict_box"]

# Wrapped lines of prose at reading distance (an HTML widget's line height is a control's
# height, 28 px, which sets two-line prompts far apart) and words never broken mid-word.
_PROSE = "margin: 4px 0; line-height: 1.4; overflow-wrap: break-word; white-space: normal"


@dataclass(frozen=True)
class Answer:
    """What the model says: the key of the right option and one sentence of computed detail."""

    key: str
    detail: str = ""


@dataclass(frozen=True)
class Question:
    """One prediction to commit to.

    Parameters
    ----------
    prompt : str
        The question, plain text.
    options : mapping of str to str
        Option key -> the words on its button (two to five options).
    model : callable returning Answer
        Runs the model once every question has an answer (shown when the student commits);
        its ``key`` must be one of ``options``.
    why : str or mapping of str to str
        The explanation shown after the commit: one text, or one per model answer key.
    """

    prompt: str
    options: Mapping[str, str]
    model: Callable[[], Answer]
    why: str | Mapping[str, str] = ""

    def __post_init__(self) -> None:
        if not 2 <= len(self.options) <= 5:
            raise CourseValueError(
                f"a prediction needs 2 to 5 options; {self.prompt!r} has {len(self.options)}. "
                "Give each plausible answer its own option."
            )

    def explanation(self, key: str) -> str:
        """The explanation for the model's answer ``key``."""
        return self.why if isinstance(self.why, str) else self.why.get(key, "")


def predict_box(questions: Sequence[Question], *, title: str = "Predict first") -> PredictBox:
    """A box of questions to answer, commit and compare with the model.

    Parameters
    ----------
    questions : sequence of Question
    title : str
        Shown in bold above the questions.

    Returns
    -------
    PredictBox
        An ipywidgets box (CSS class ``course-predict``) with ``commit()``, ``committed``,
        ``predictions``, ``answers`` and ``record`` for tests.
    """
    if not questions:
        raise CourseValueError("predict_box needs at least one Question.")
    return PredictBox(tuple(questions), title)


class PredictBox(W.VBox):
    """The questions' buttons, a commit button, and one reveal per question."""

    def __init__(self, questions: tuple[Question, ...], title: str) -> None:
        self.questions = questions
        self.choices = tuple(
            W.ToggleButtons(
                options=[(words, key) for key, words in q.options.items()],
                value=None,
                description="",
                tooltips=list(q.options.values()),
                style={"button_width": "auto"},
            )
            for q in questions
        )
        self.reveals = tuple(W.HTML("", layout=W.Layout(display="none")) for _ in questions)
        for reveal in self.reveals:
            reveal.add_class("course-predict-reveal")
        many = len(questions) > 1
        self.button = W.Button(
            description="Commit predictions" if many else "Commit prediction",
            button_style="primary",
            icon="lock",
            tooltip="Lock your answers and compare them with the model",
            layout=W.Layout(width="fit-content"),  # not a full-width bar
        )
        self.status = W.HTML(
            f"<i>Choose an answer{' for every question' if many else ''}, then commit.</i>"
        )
        self._predictions: dict[int, str] | None = None
        self._answers: dict[int, Answer] | None = None
        self._ready: dict[int, Answer] | None = None  # run ahead of the commit, not shown
        for choice in self.choices:
            choice.observe(self._keep_locked, names="value")
            choice.observe(self._answer_ahead, names="value")
        self.button.on_click(lambda _button: self.commit())
        rows: list[W.Widget] = [W.HTML(f"<b>{html.escape(title)}</b>")]
        for i, (q, choice, reveal) in enumerate(
            zip(questions, self.choices, self.reveals, strict=True), start=1
        ):
            number = f"{i}. " if many else ""
            prompt = f"<p style='{_PROSE}'>{number}{html.escape(q.prompt)}</p>"
            rows += [W.HTML(prompt), choice, reveal]
            # No visible label (the prompt above is one): the prompt is the buttons' name
            # for assistive technology and their tooltip (None would show as "null").
            choice._course_label, choice._course_unit = f"{number}{q.prompt}", None
            choice.tooltip = q.prompt
        super().__init__([*rows, self.button, self.status])
        self.add_class("course-predict")
        make_accessible(self, self.choices)

    @property
    def committed(self) -> bool:
        """Whether the predictions are committed (and locked)."""
        return self._predictions is not None

    @property
    def predictions(self) -> dict[int, str | None]:
        """Question index -> the student's choice (None if none); frozen once committed."""
        if self._predictions is not None:
            return dict(self._predictions)
        return {i: c.value for i, c in enumerate(self.choices)}

    @property
    def answers(self) -> dict[int, str] | None:
        """Question index -> the model's answer key, or None before the commit."""
        return None if self._answers is None else {i: a.key for i, a in self._answers.items()}

    @property
    def record(self) -> list[dict[str, object]]:
        """One row per question: prompt, the student's choice, the model's, and whether they match."""
        rows = []
        for i, q in enumerate(self.questions):
            yours = self.predictions[i]
            model = None if self._answers is None else self._answers[i].key
            rows.append(
                {
                    "question": q.prompt,
                    "yours": yours,
                    "model": model,
                    "match": None if model is None else yours == model,
                }
            )
        return rows

    def commit(self) -> bool:
        """Lock the predictions and reveal the model's answers; False (and a hint) if any is missing."""
        if self._predictions is not None:
            return True
        missing = [i + 1 for i, c in enumerate(self.choices) if c.value is None]
        if missing:
            which = (
                f"question {', '.join(map(str, missing))} "
                f"{'has' if len(missing) == 1 else 'have'} no answer yet"
                if len(self.choices) > 1
                else "choose an answer"
            )
            self.status.value = f"<i>Predict first: {which}.</i>"
            return False
        answers = self._ready or {i: q.model() for i, q in enumerate(self.questions)}
        for q, answer in zip(self.questions, answers.values(), strict=True):
            if answer.key not in q.options:
                raise CourseValueError(
                    f"the model's answer {answer.key!r} to {q.prompt!r} is not one of the "
                    f"options {list(q.options)}; fix the question's model function."
                )
        self._predictions = {i: c.value for i, c in enumerate(self.choices)}
        self._answers = answers
        # The reveals first (what the student waits for), then the locks: the page gets one
        # message per widget changed, in this order.
        right = 0
        for i, q in enumerate(self.questions):
            answer, yours = answers[i], self._predictions[i]
            match = answer.key == yours
            right += match
            mark = "&#10003; as you predicted" if match else "&#10007; not what you predicted"
            detail = f" {html.escape(answer.detail)}" if answer.detail else ""
            why = q.explanation(answer.key)
            self.reveals[i].value = (
                f"<div style='{_PROSE}; margin: 0 0 8px 16px'>"
                f"You predicted <b>{html.escape(q.options[yours])}</b>; the model (simulated) "
                f"gives <b>{html.escape(q.options[answer.key])}</b>: {mark}.{detail}"
                + (f"<br>{html.escape(why)}" if why else "")
                + "</div>"
            )
            self.reveals[i].layout.display = None
        for choice in self.choices:
            choice.disabled = True
        with self.button.hold_sync():  # one message for both
            self.button.disabled = True
            self.button.description = "Committed"
        total = len(self.questions)
        self.status.value = (
            f"<b>Committed.</b> {right} of {total} "
            f"prediction{'s' if total > 1 else ''} match{'es' if right == 1 else ''} the model."
        )
        return True

    def _answer_ahead(self, _change: dict) -> None:
        """Once every question has an answer, run the models (kept here, not shown): a student
        who has answered is about to commit. A model that fails runs again at the commit,
        which says what went wrong."""
        postpone()  # a student answering is not a quiet spell to draw explorers ahead in
        if self._ready is not None or self._predictions is not None:
            return
        if any(c.value is None for c in self.choices):
            return
        try:
            self._ready = {i: q.model() for i, q in enumerate(self.questions)}
        except Exception:
            self._ready = None

    def _keep_locked(self, change: dict) -> None:
        if self._predictions is not None:  # committed: undo any change
            i = self.choices.index(change["owner"])
            if change["new"] != self._predictions[i]:
                change["owner"].value = self._predictions[i]
