"""Grading: exercise notebooks, the checks inside them, and the grading of submissions.

- `feedback`: the check engine (numbers, choices, functions) with misconception feedback;
- `checks`: one module of checks per lesson, imported by the exercise notebooks;
- `variants`: each student's own numbers for the varied exercise items, drawn from their id
  (shipped to students with the checks); `identity` compares the id a submission states with
  the one the grader knows;
- `assign`: writes the student notebooks in ``exercises/`` from the sources in ``solutions/``
  (its command line); the work is done by `nbgrader_cells` (one cell: its role and the version
  a student gets), `solutions` (one instructor notebook, read, validated and turned into an
  exercise in memory) and `exercise_files` (the exercises folder, never losing student work);
- `autograde`: scores one submitted notebook against its source. `intake` reads the file and
  says what is wrong with one that is not a usable notebook; `restore` puts back the source's
  test and locked cells in their places; `grader` runs the student's cells in a sandboxed
  kernel (`kernel`, which starts `runner` inside `sandbox`, with `cgroups` limits) and decides
  every check in its own process on answers that cross as plain data (`answers`); the results
  are `scores`;
- `batch`: grades a whole class (its command line is `batch_cli`): `discover` finds the
  notebooks and their exercises, `batch_worker` grades one in a worker process, `results` keeps
  the records (resume state, ``grades.csv``, ``grading-log.json``), `feedback_pages` writes a
  page per student and `report` the class report, with `svg_chart` for its charts.

Grading imports the data layer and `course_lib.models` (for expected values), never
`course_lib.figures` or `course_lib.widgets`.
"""

__all__: list[str] = []
