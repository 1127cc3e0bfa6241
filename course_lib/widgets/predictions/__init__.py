"""Predict, commit, reveal: the questions each lesson asks before it shows the answer.

One module per lesson, named after its science; one public function per predict box, so a
notebook cell is one line, for example ``predictions.dynamics.socs3_brake()`` after
``from course_lib.widgets.predictions import dynamics``. Every box is built on
`course_lib.widgets.predict.predict_box`, and every answer is computed by a call into
`course_lib.models` when the student commits, never written into the question.
"""

__all__: list[str] = []  # submodules are imported by name: from ...predictions import dynamics
