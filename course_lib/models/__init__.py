"""Models: the science of the course as pure numpy/scipy functions.

No module here imports matplotlib or ipywidgets, or anything from `course_lib.figures`,
`course_lib.widgets` or `course_lib.grading`; a test checks this in a fresh interpreter. Each
module is named after the science it models (`binding`, `signaling`, `liver`, `design`, ...);
import the one you need, e.g. ``from course_lib.models.binding import serum_equilibrium``.
"""

__all__: list[str] = []
