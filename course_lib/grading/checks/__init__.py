"""Exercise checks, one module per lesson, named after the lesson.

>>> from course_lib.grading.checks import start_here
>>> start_here.gp130_cells("b").passed
True
"""

from course_lib.grading.checks import (
    binding_and_buffer,
    capstone,
    experimental_design,
    liver_cancer,
    sgp130fc_mechanism,
    signalling_dynamics,
    start_here,
    two_pathways,
)

__all__ = [
    "binding_and_buffer",
    "capstone",
    "experimental_design",
    "liver_cancer",
    "sgp130fc_mechanism",
    "signalling_dynamics",
    "start_here",
    "two_pathways",
]
