"""Each lesson's predict -> commit -> reveal questions, one module per topic, named after the science.

Every public function returns a `course_lib.widgets.predict.PredictBox` whose answers are computed
by `course_lib.models` when the student commits, so a notebook cell is one line, e.g.
``liver_cancer.which_line()``. Import the module you need
(``from course_lib.widgets.predictions import liver_cancer``); this package imports none of them.
"""

__all__: list[str] = []
