"""Figures: matplotlib drawings of what the models return.

A figure module draws; it computes no science. Every number a figure shows comes from a
function in `course_lib.models` that a test can call without matplotlib. Figures are built once
and updated in place, never call ``plt.show()``, label axes with units, never use colour as the
only cue, and describe themselves in a sentence computed from their data (alt text).
"""

__all__: list[str] = []
