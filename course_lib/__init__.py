"""course_lib: the helper library behind the IL-6 trans-signalling course module.

Layers (an import may only point down the list):

- data: `parameters`, `units`, `errors`
- models: pure numpy/scipy, no plotting, no widgets
- view: `plotting` (matplotlib only)
- wiring: `widgets` (ipywidgets); only notebooks import it
- exercises: `grading` (checks with feedback), `assign` (student notebooks from solutions)

Nothing happens on import: no backend is chosen, no style is set, no seed is drawn.
"""

from course_lib import errors, parameters, units

__all__ = ["__version__", "errors", "parameters", "units"]
__version__ = "0.1.0"
