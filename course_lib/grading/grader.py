"""Grade one submission safely: the student's code in a sandbox, the checks in the grader.

`grade_prepared` walks the prepared submission (tests restored in place) question by question:

1. **Run the student's cells in a sandbox** (`course_lib.grading.kernel.SandboxKernel`) up to
   the next test cell: the source's setup cells, the student's answer cells and any cells the
   student added, in the source's order (`course_lib.grading.restore`). Test cells never run
   there. A cell that runs past its time limit, or kills the kernel, costs only its own
   question: the kernel is restarted, the cells before it are run again, and grading goes on.
2. **Fetch the test's answers as plain data**: every name the test cell reads that the setup
   does not define (`course_lib.grading.answers`), as it stands at that point of the notebook.
   A function answer stays in the sandbox and is called there with plain-data arguments.
3. **Run the source's test cell, hidden tests included, in the grader's own process**, in a
   fresh namespace made from the source's setup cells and the fetched answers. The verdict is
   decided here, where the student's code never ran: exception hooks, input transformers,
   monkeypatched modules and rigged ``__eq__`` or ``__float__`` have nothing to act on. A test
   cell passes when it raises nothing.

The score is never read from the kernel's output or files.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course_lib.grading.identity import id_note, stated_id
from course_lib.grading.kernel import KernelLost, SandboxKernel
from course_lib.grading.nbgrader_cells import nbgrader_meta
from course_lib.grading.scores import NotebookScore, QuestionScore
from course_lib.grading.variants import ENV, graded_as, normalise_id

__all__ = ["CellRun", "Plan", "grade_prepared", "plan", "source_files"]

_FEEDBACK_CHARS = 500


@dataclass(frozen=True)
class Plan:
    """What to run where: the cells for the sandbox and the tests for the grader."""

    sandbox_cells: tuple[tuple[str, str], ...]
    """(label, source) of each cell the sandbox runs, in order."""
    setup: tuple[str, ...]
    """Sources of the source notebook's setup cells (locked, not tests), run by the grader."""
    tests: tuple[tuple[str, float, str, int], ...]
    """(grade_id, points, source, index of the last sandbox cell before it) of each test."""
    manual: tuple[str, ...] = ()
    """grade_ids of answers graded by hand."""


@dataclass
class CellRun:
    """How one sandbox cell went: ``"ok"``, ``"error"`` (it raised) or ``"lost"``."""

    label: str
    status: str = "not run"
    detail: str = ""
    seconds: float = 0.0


def _role(cell) -> str:
    meta = nbgrader_meta(cell)
    if cell.get("cell_type") != "code":
        return "manual" if meta.get("solution") and meta.get("grade") else "text"
    if meta.get("grade") and not meta.get("solution"):
        return "test"
    if meta.get("locked") and not meta.get("solution"):
        return "setup"
    return "answer" if meta.get("solution") else "student"


def plan(prepared: nbformat.NotebookNode, source: nbformat.NotebookNode) -> Plan:
    """Split a prepared submission (tests restored in place) into sandbox work and tests.

    The tests' sources come from ``source`` (visible and hidden); everything else the sandbox
    runs comes from ``prepared``.
    """
    by_gid = {nbgrader_meta(c).get("grade_id"): c for c in source.cells}
    cells, tests, manual = [], [], []
    for index, cell in enumerate(prepared.cells):
        role, gid = _role(cell), nbgrader_meta(cell).get("grade_id")
        if role == "test" and gid in by_gid:
            meta = nbgrader_meta(by_gid[gid])
            points = float(meta.get("points", 0) or 0)
            tests.append((gid, points, "".join(by_gid[gid].source), len(cells) - 1))
        elif role == "manual" and gid:
            manual.append(gid)
        elif cell.get("cell_type") == "code":
            cells.append((gid or f"cell {index + 1}", "".join(cell.source)))
    setup = tuple("".join(c.source) for c in source.cells if _role(c) == "setup")
    return Plan(tuple(cells), setup, tuple(tests), tuple(manual))


class _Session:
    """One submission's kernel, walked forward cell by cell; lost cells are dropped on replay."""

    def __init__(self, kernel: SandboxKernel, work: Plan, cell_timeout: float, deadline):
        self.kernel, self.work, self.timeout, self.deadline = kernel, work, cell_timeout, deadline
        self.runs = [CellRun(label) for label, _ in work.sandbox_cells]
        self.done: list[int] = []  # cells that ran (ok or raised), replayed after a restart
        self.next = 0

    def run_until(self, last: int) -> None:
        """Run the sandbox cells up to index ``last`` (inclusive)."""
        while self.next <= last:
            self._run(self.next)
            self.next += 1

    def left(self) -> float:
        """Seconds the next request may take: the cell limit, or less near the notebook's."""
        if self.deadline is None:
            return self.timeout
        return min(self.timeout, self.deadline - time.monotonic())

    def _run(self, index: int) -> None:
        run, start = self.runs[index], time.monotonic()
        left = self.left()
        if left <= 0:
            run.status, run.detail = "lost", "not run: the notebook's time limit was used up"
            return
        try:
            ok, error = self.kernel.run(self.work.sandbox_cells[index][1], left)
            run.status, run.detail = ("ok", "") if ok else ("error", error)
            self.done.append(index)
        except KernelLost as exc:
            run.status, run.detail = "lost", str(exc)
            self.recover()
        run.seconds = round(time.monotonic() - start, 3)

    def recover(self) -> None:
        """After a lost kernel: a fresh one in which the cells that ran before are run again."""
        self.kernel.restart()
        for index in list(self.done):
            if self.left() <= 0:  # no time left to replay: the next cells say so
                return
            try:
                self.kernel.run(self.work.sandbox_cells[index][1], self.left())
            except KernelLost as exc:  # it ran before, but not now: drop it for good
                self.done.remove(index)
                self.runs[index].status = "lost"
                self.runs[index].detail = f"on a rerun: {exc}"
                self.kernel.restart()

    def problems(self, first: int, last: int) -> list[str]:
        """What went wrong in cells ``first..last``: errors raised and cells lost."""
        return [
            f"{r.label} {'raised' if r.status == 'error' else 'was stopped:'} {r.detail}"
            for r in self.runs[max(first, 0) : last + 1]
            if r.status in ("error", "lost")
        ]


def _free_names(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    loads = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and type(n.ctx) is ast.Load}
    stores = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and type(n.ctx) is ast.Store}
    for node in ast.walk(tree):  # names a test binds itself: imports, defs
        if isinstance(node, ast.Import | ast.ImportFrom):
            stores |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            stores.add(node.name)
    return loads - stores - set(dir(builtins))


def _namespace(setup: tuple[str, ...], student: str | None = None) -> dict:
    """The source's set-up cells run here, with ``student``'s varied numbers (never the id the
    notebook states): ``STUDENT_ID`` is the submission's student, and `variant` gives their
    numbers whatever it is asked."""
    ns: dict = {"__name__": "__grading__", "STUDENT_ID": student or ""}
    with graded_as(student):
        for source in setup:
            exec(compile(source, "<setup cell>", "exec"), ns)  # the instructor's own code
    return ns


def _evaluate(source: str, ns: dict) -> tuple[bool, str, str]:
    """Run one test cell in ``ns``: (passed, feedback, diagnosis); feedback is the error's
    message or what the last expression showed."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            exec(compile(tree, "<test cell>", "exec"), ns)
            shown = (
                eval(compile(ast.Expression(last.value), "<test cell>", "eval"), ns)
                if last
                else None
            )
    except Exception as exc:  # a failed check, an assertion, a missing answer: all fail alike
        return False, _message(exc), _diagnosis(exc)
    text = str(shown) if shown is not None else out.getvalue()
    return True, text.strip()[:_FEEDBACK_CHARS], ""


def _diagnosis(exc: Exception) -> str:
    """The label a failure is counted under in the class report."""
    label = getattr(exc, "diagnosis", "")
    if type(exc).__name__ == "CheckFailed":
        return label if isinstance(label, str) else ""
    if isinstance(exc, KernelLost):
        return "stopped (time limit or crash)"
    if isinstance(exc, NameError):
        return "no answer"
    if isinstance(exc, AssertionError):
        return "failed a check"
    return f"raised {type(exc).__name__}"


def _message(exc: Exception) -> str:
    if isinstance(exc, KernelLost):  # a function answer ran too long or crashed the kernel
        return f"the kernel stopped while this question was checked: {exc}"
    if isinstance(exc, NameError) and getattr(exc, "name", None):
        return f"no answer: {exc.name} is not defined"
    name, text = type(exc).__name__, str(exc)
    if name in ("CheckFailed", "StudentCodeError"):
        return text[:_FEEDBACK_CHARS]
    return (f"{name}: {text}" if text else name)[:_FEEDBACK_CHARS]


def grade_prepared(
    prepared: nbformat.NotebookNode,
    source: nbformat.NotebookNode,
    *,
    submission: str = "submission.ipynb",
    source_label: str = "source.ipynb",
    sandbox: bool = True,
    cell_timeout: float = 60.0,
    notebook_timeout: float | None = None,
    files: dict[str, bytes] | None = None,
    student: str | None = None,
) -> tuple[NotebookScore, dict]:
    """Grade a prepared submission (see the module docstring).

    ``student`` is the id the grader knows from where the notebook was submitted (None: the
    default numbers): the kernel gets it as ``COURSE_STUDENT_ID`` and the expected values of
    varied items are computed for it (`course_lib.grading.variants`). An id the notebook
    states otherwise is reported in the notes, never used.

    Returns the score and a log for the grading log: seconds, each sandbox cell's status and
    time, the kernels' exits and each question's time.
    """
    work, started = plan(prepared, source), time.monotonic()
    student = normalise_id(student)
    setup = _namespace(work.setup, student)
    deadline = None if notebook_timeout is None else started + notebook_timeout
    questions, seconds = [], {}
    with SandboxKernel(files, sandbox=sandbox, env={ENV: student or ""}) as kernel:
        session = _Session(kernel, work, cell_timeout, deadline)
        first, last = 0, -1  # the sandbox cells that belong to the current test(s)
        for test in work.tests:
            begin = time.monotonic()
            if test[3] != last:
                first, last = last + 1, test[3]
            session.run_until(last)
            questions.append(_question(test, session, setup, first))
            if kernel.closed:  # a function answer ran too long or crashed: carry on
                session.recover()
            seconds[test[0]] = round(time.monotonic() - begin, 3)
        exits = list(kernel.exits)
    notes = tuple(f"{r.label}: {r.detail}" for r in session.runs if r.status == "lost")
    stated = [id_note(stated_id(data), student) for data in (files or {}).values()]
    notes = (*(n for n in stated if n), *notes)
    score = NotebookScore(submission, source_label, tuple(questions), work.manual, notes)
    return score, {
        "seconds": round(time.monotonic() - started, 3),
        "question_seconds": seconds,
        "cells": [vars(r) for r in session.runs],
        "kernel_exits": exits,
    }


def _question(test, session: _Session, setup: dict, first: int) -> QuestionScore:
    """Fetch the test's answers from the kernel as it stands now and run the test here."""
    gid, points, source, after = test
    wanted = sorted(_free_names(source) - set(setup))
    ns = dict(setup)
    if session.left() <= 0:
        why = "not checked: the notebook's time limit was used up"
        return QuestionScore(gid, 0.0, points, False, why, "stopped (time limit or crash)")
    try:
        ns.update(session.kernel.answers(wanted, session.left()))
        passed, feedback, diagnosis = _evaluate(source, ns)
    except KernelLost as exc:
        passed, feedback, diagnosis = False, _message(exc), _diagnosis(exc)
    if not passed:
        why = session.problems(first, after)
        if diagnosis == "no answer" and any("was stopped" in w for w in why):
            diagnosis = "stopped (time limit or crash)"
        if why:
            feedback = f"{feedback}. Cell {'; cell '.join(why)}"[:_FEEDBACK_CHARS]
        elif feedback.startswith("no answer"):
            feedback += ". Did your answer cell set it?"
    return QuestionScore(gid, points * passed, points, passed, feedback, diagnosis)


def source_files(path: Path) -> dict[str, bytes]:
    """The files a submission's sandbox gets: the submission itself only."""
    return {path.name: path.read_bytes()}
