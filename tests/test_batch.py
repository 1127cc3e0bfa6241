"""Grading a whole class (course_lib.grading.batch): layouts, outputs, resuming, refusals.

Most tests read one class of eight notebooks graded once per session (`graded`): four run in
the sandbox (solved, untouched, two half solved), four are refused before running (cut-short
JSON, an R notebook, another exercise, a notebook of no exercise). Resuming tests work on a
copy of that class and its output folder, so they grade only what they change.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from course_lib.grading import batch_worker, sandbox
from course_lib.grading.batch import GradeOptions, _progress_bar, grade_class
from course_lib.grading.batch_cli import main
from course_lib.grading.discover import find_sources, find_submissions
from course_lib.grading.feedback_pages import page_name
from course_lib.grading.report import mistakes
from course_lib.grading.results import STATE_FILE, csv_rows
from course_lib.grading.svg_chart import bar_chart

ROOT = Path(__file__).resolve().parents[1]
EXERCISE = "00_start_here_exercises"
RIGHT = {
    "ex00-q1": "il6_pM = my.il6_pg_ml * 1e-12 / 1e-3 / 21e3 / 1e-12",  # the student's own level
    "ex00-q2": "def pg_per_ml_to_pM(conc, molar_mass_kDa):\n    return conc / molar_mass_kDa",
    "ex00-q3": 'answer_03 = "b"',
    "ex00-q4": 'answer_04 = "b"',
}
HALF = {k: RIGHT[k] for k in ("ex00-q1", "ex00-q3")}
EVIL = "<img src=x onerror=alert(1)>"  # a student's (flat) file name
UNSAFE = GradeOptions(unsafe=True)  # for classes of empty files: no student code runs


def exercise_json(name: str = EXERCISE) -> dict:
    return json.loads((ROOT / "exercises" / f"{name}.ipynb").read_text(encoding="utf-8"))


def answered(answers: dict[str, str], name: str = EXERCISE) -> str:
    nb = exercise_json(name)
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    return json.dumps(nb, indent=1)


def r_notebook() -> str:
    nb = json.loads(answered(RIGHT))
    nb["metadata"]["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    return json.dumps(nb)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build_class(folder: Path) -> Path:
    """Eight notebooks in the three layouts (see the module docstring)."""
    write(folder / "alice" / EXERCISE / f"{EXERCISE}.ipynb", answered(RIGHT))  # nbgrader
    write(folder / "bob.ipynb", answered({}))  # flat: by generated_from
    write(folder / "chen" / "my upload (2).ipynb", answered(HALF))  # LMS folder
    write(folder / f"{EVIL}.ipynb", answered(HALF))
    write(folder / "dora" / EXERCISE / f"{EXERCISE}.ipynb", answered(RIGHT)[:400])
    write(folder / "emil" / EXERCISE / f"{EXERCISE}.ipynb", r_notebook())
    write(
        folder / "fay" / EXERCISE / f"{EXERCISE}.ipynb", answered({}, "01_two_pathways_exercises")
    )
    write(folder / "gus" / "scratch.ipynb", json.dumps({"cells": [], "metadata": {}}))
    write(folder / "kim" / ".ipynb_checkpoints" / "x-checkpoint.ipynb", answered(RIGHT))
    return folder


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and the sha256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def source(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("solutions")
    shutil.copy(ROOT / "solutions" / f"{EXERCISE}.ipynb", folder)
    return folder


@pytest.fixture(scope="session")
def graded(tmp_path_factory, source):
    """The class, graded once with two workers: (class folder, output folder, result, the
    class's files before grading)."""
    base = tmp_path_factory.mktemp("batch")
    folder = build_class(base / "submitted")
    before = tree(folder)
    result = grade_class(folder, source, base / "grading", jobs=2, progress=False)
    return folder, base / "grading", result, before


@pytest.fixture
def copy_of_graded(graded, tmp_path):
    """A copy of the graded class and its output folder (the state makes reruns cheap)."""
    folder, out, _, _ = graded
    shutil.copytree(folder, tmp_path / "submitted")
    shutil.copytree(out, tmp_path / "grading")
    return tmp_path / "submitted", tmp_path / "grading"


# --------------------------------------------------------------------------------------------
# Finding the notebooks (nothing runs)


def test_the_three_layouts_are_found_with_student_and_assignment(tmp_path, source):
    folder = build_class(tmp_path / "class")
    write(folder / "hal" / "ps0" / "answers.ipynb", answered(RIGHT))  # nbgrader, other names
    found = find_submissions(folder, find_sources(source))
    assert [(s.student, s.file, s.layout, s.exercise, s.matched_by) for s in found] == [
        (EVIL, f"{EVIL}.ipynb", "flat", EXERCISE, "generated_from"),
        ("alice", f"alice/{EXERCISE}/{EXERCISE}.ipynb", "nbgrader", EXERCISE, "file name"),
        ("bob", "bob.ipynb", "flat", EXERCISE, "generated_from"),
        ("chen", "chen/my upload (2).ipynb", "student folder", EXERCISE, "generated_from"),
        ("dora", f"dora/{EXERCISE}/{EXERCISE}.ipynb", "nbgrader", EXERCISE, "file name"),
        ("emil", f"emil/{EXERCISE}/{EXERCISE}.ipynb", "nbgrader", EXERCISE, "file name"),
        ("fay", f"fay/{EXERCISE}/{EXERCISE}.ipynb", "nbgrader", EXERCISE, "file name"),
        ("gus", "gus/scratch.ipynb", "student folder", None, ""),
        ("hal", "hal/ps0/answers.ipynb", "nbgrader", EXERCISE, "generated_from"),
    ]


def test_assignment_option_and_folder_name_match_what_names_and_metadata_do_not(tmp_path):
    sources = {EXERCISE: Path("s.ipynb"), "02_binding_and_buffer_exercises": Path("t.ipynb")}
    bare = json.dumps({"cells": [], "metadata": {}})
    write(tmp_path / "c" / "ann.ipynb", bare)
    write(tmp_path / "c" / "ben" / "02_binding_and_buffer_exercises" / "work.ipynb", bare)
    write(tmp_path / "c" / "cy" / "Lab_00_start_here_exercises_cy.ipynb", bare)
    found = find_submissions(tmp_path / "c", sources, EXERCISE)
    assert [(s.student, s.exercise, s.matched_by) for s in found] == [
        ("ann", EXERCISE, "--assignment"),
        ("ben", "02_binding_and_buffer_exercises", "assignment folder"),
        ("cy", EXERCISE, "file name"),
    ]


# --------------------------------------------------------------------------------------------
# The outputs of one graded class


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_grades_csv(graded):
    _, out, result, _ = graded
    base = f"{EXERCISE}/{EXERCISE}.ipynb"
    assert (out / "grades.csv").read_text(encoding="utf-8").splitlines() == [
        "student,assignment,ex00-q1-check,ex00-q2-check,ex00-q3-check,ex00-q4-check,total,"
        "maximum,status,file",
        f"{EVIL},{EXERCISE},1,0,1,0,2,5,graded,{EVIL}.ipynb",
        f"alice,{EXERCISE},1,2,1,1,5,5,graded,alice/{base}",
        f"bob,{EXERCISE},0,0,0,0,0,5,graded,bob.ipynb",
        f"chen,{EXERCISE},1,0,1,0,2,5,graded,chen/my upload (2).ipynb",
        f"dora,{EXERCISE},,,,,,5,unreadable,dora/{base}",
        f"emil,{EXERCISE},,,,,,5,wrong language,emil/{base}",
        f"fay,{EXERCISE},,,,,,5,wrong exercise,fay/{base}",
        "gus,,,,,,,,unknown exercise,gus/scratch.ipynb",
    ]
    assert result.graded == 7  # gus matched no exercise: nothing to grade
    assert result.statuses == {
        "graded": 4,
        "unreadable": 1,
        "wrong language": 1,
        "wrong exercise": 1,
        "unknown exercise": 1,
    }


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_submissions_are_never_written(graded):
    folder, out, _, before = graded
    assert tree(folder) == before  # no file changed, none added or removed
    log = json.loads((out / "grading-log.json").read_text(encoding="utf-8"))
    assert len(log["submissions"]) == 8
    for record in log["submissions"]:
        actual = hashlib.sha256((folder / record["file"]).read_bytes()).hexdigest()
        assert record["sha256_before"] == record["sha256_after"] == actual, record["file"]


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_the_log_has_times_cells_and_the_grader_version(graded):
    _, out, _, _ = graded
    log = json.loads((out / "grading-log.json").read_text(encoding="utf-8"))
    assert log["unsafe"] is False
    assert log["counts"]["graded"] == 4
    assert set(log["grader"]) >= {"course_lib", "code_sha256", "python"}
    alice = next(r for r in log["submissions"] if r["student"] == "alice")
    assert set(alice["question_seconds"]) == {f"ex00-q{i}-check" for i in range(1, 5)}
    assert alice["seconds"] > 0 and alice["cells"] and alice["kernel_exits"] == []
    assert {c["status"] for c in alice["cells"]} == {"ok"}
    assert alice["unsafe"] is False and alice["grader"]["code_sha256"]


def hidden_test_lines() -> list[str]:
    """The code lines of the source's hidden tests (their messages are meant to be shown)."""
    nb = json.loads((ROOT / "solutions" / f"{EXERCISE}.ipynb").read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        for block in re.findall(r"BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", text, re.S):
            found += [line.strip() for line in block.splitlines()]
    return [line for line in found if len(line) > 3 and not line.startswith(('"', "'"))]


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_feedback_pages_show_feedback_and_never_the_hidden_tests(graded):
    _, out, result, _ = graded
    hidden = hidden_test_lines()
    assert len(hidden) >= 5  # the scan found the hidden tests
    pages = sorted(p.name for p in (out / "feedback").iterdir())
    assert pages == sorted(f"{page_name(s)}.html" for s in {r["student"] for r in result.records})
    for record in result.records:
        text = (out / "feedback" / f"{page_name(record['student'])}.html").read_text("utf-8")
        for q in record["questions"]:
            assert html.escape(q["feedback"]) in text
        if record["status"] not in ("graded", "grader error"):
            assert html.escape(record["message"]) in text
        for line in hidden:
            assert line not in text and html.escape(line) not in text, line
        assert "0.2471" not in text  # the expected value of question 0.1 (pM)
    bob = (out / "feedback" / "bob.html").read_text("utf-8")
    assert "0 of 5 points" in bob and "no answer: answer_04 is not defined" in bob


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_a_student_name_with_markup_is_escaped_everywhere(graded):
    _, out, _, _ = graded
    name = page_name(EVIL)
    assert re.fullmatch(r"[A-Za-z0-9._-]+", name) and "/" not in name and ".." not in name
    page = (out / "feedback" / f"{name}.html").read_text("utf-8")
    report = (out / "report.html").read_text("utf-8")
    for text in (page, report):
        assert EVIL not in text and "<img" not in text
        assert html.escape(EVIL) in text
    assert f'href="feedback/{name}.html"' in report
    assert page_name("..") != ".." and page_name("a/../b") == "a_.._b-" + page_name("a/../b")[-8:]


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_the_report_counts_each_mistake_per_student(graded):
    _, out, result, _ = graded
    report = (out / "report.html").read_text("utf-8")
    # bob left q4 unanswered, and so did both half-solved students: 3 of the 4 graded
    assert "ex00-q4-check: no answer: 3 of 4" in report
    assert "ex00-q1-check: no answer: 1 of 4" in report
    counts = [m[2] for m in mistakes(list(result.records))]
    assert counts == sorted(counts, reverse=True)
    assert re.search(r"<td>unreadable</td><td class=\"num\">1</td>", report)
    assert re.search(r"<td>graded</td><td class=\"num\">4</td>", report)
    assert "UNSAFE" not in report


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_the_report_is_accessible_and_self_contained(graded):
    _, out, _, _ = graded
    report = (out / "report.html").read_text("utf-8")
    assert report.startswith("<!DOCTYPE html>") and '<html lang="en">' in report
    assert "<h1>" in report and "<h2" in report and "<caption>" in report
    assert not re.search(r"<script|<link|@import|src=\"http|url\(", report)
    svgs = re.findall(r"<svg.*?</svg>", report, re.S)
    assert len(svgs) == 5  # the totals and each of the 4 questions
    for svg in svgs:
        ids = re.search(r'aria-labelledby="(\S+) (\S+)"', svg).groups()
        assert f'<title id="{ids[0]}">' in svg and f'<desc id="{ids[1]}">' in svg
        assert re.search(r">\d+ notebooks?<", svg)  # every bar says its count in text
    figures = re.findall(r'<div class="figure">(<svg.*?</svg>)(<table>.*?</table>)', report, re.S)
    assert len(figures) == 5  # each chart has a table of the same numbers beside it


# --------------------------------------------------------------------------------------------
# Resuming


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_a_second_run_grades_nothing_and_an_edit_regrades_only_that(copy_of_graded, source):
    folder, out = copy_of_graded
    csv = (out / "grades.csv").read_text("utf-8")
    again = grade_class(folder, source, out, jobs=2, progress=False)
    assert (again.graded, again.reused) == (0, 7)
    assert (out / "grades.csv").read_text("utf-8") == csv
    write(folder / "bob.ipynb", answered(RIGHT))  # bob hands in a new version
    edited = grade_class(folder, source, out, jobs=2, progress=False)
    assert (edited.graded, edited.reused) == (1, 6)
    assert (
        "bob,00_start_here_exercises,1,2,1,1,5,5,graded,bob.ipynb"
        in (out / "grades.csv").read_text()
    )


@pytest.mark.notebooks
@pytest.mark.sandbox
@pytest.mark.slow
def test_force_grades_everything_again(copy_of_graded, source):
    folder, out = copy_of_graded
    forced = grade_class(folder, source, out, jobs=2, force=True, progress=False)
    assert (forced.graded, forced.reused) == (7, 0)


def test_results_are_reused_only_with_the_same_file_source_options_and_grader(
    tmp_path, source, monkeypatch
):
    folder = tmp_path / "class"
    write(folder / "ann.ipynb", "")
    write(folder / "ben.ipynb", " ")
    out = tmp_path / "out"

    def run(**kw) -> tuple[int, int]:
        kw = {"jobs": 1, "assignment": EXERCISE, "options": UNSAFE, "progress": False, **kw}
        result = grade_class(folder, kw.pop("source", source), out, **kw)
        assert result.statuses == {"empty": 2}
        return result.graded, result.reused

    assert run() == (2, 0)
    assert run() == (0, 2)
    assert run(force=True) == (2, 0)
    assert run(options=GradeOptions(timeout=30, unsafe=True)) == (2, 0)
    assert run(options=UNSAFE) == (2, 0)  # back to the first options
    write(folder / "ben.ipynb", "\n")
    assert run() == (1, 1)
    changed = tmp_path / "changed"
    changed.mkdir()
    nb = json.loads((source / f"{EXERCISE}.ipynb").read_text("utf-8"))
    nb["cells"].append({"cell_type": "markdown", "id": "new", "metadata": {}, "source": "x"})
    write(changed / f"{EXERCISE}.ipynb", json.dumps(nb))
    assert run(source=changed) == (2, 0)
    monkeypatch.setattr("course_lib.grading.batch.code_sha256", lambda: "another grader")
    assert run(source=changed) == (2, 0)


def test_an_interrupted_run_resumes_with_what_was_finished(tmp_path, source, monkeypatch):
    folder = tmp_path / "class"
    for name in ("ann", "ben", "cy", "dee"):
        write(folder / f"{name}.ipynb", "")  # empty files: graded without a kernel
    calls = []
    real = batch_worker.grade_submission

    def stops_at_the_third(*args):
        calls.append(args[0].student)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr("course_lib.grading.batch.grade_submission", stops_at_the_third)
    with pytest.raises(KeyboardInterrupt):
        grade_class(folder, source, tmp_path / "out", jobs=1, assignment="00", options=UNSAFE)
    state = (tmp_path / "out" / STATE_FILE).read_text("utf-8").splitlines()
    assert [json.loads(line)["student"] for line in state] == ["ann", "ben"]
    monkeypatch.setattr("course_lib.grading.batch.grade_submission", real)
    resumed = grade_class(folder, source, tmp_path / "out", jobs=1, assignment="00", options=UNSAFE)
    assert (resumed.graded, resumed.reused) == (2, 2)
    assert resumed.statuses == {"empty": 4}


# --------------------------------------------------------------------------------------------
# Errors, refusals, the command line


def test_an_unexpected_error_is_a_row_and_the_batch_goes_on(tmp_path, source, monkeypatch):
    folder = tmp_path / "class"
    write(folder / "ann.ipynb", "")
    write(folder / "ben.ipynb", "")

    def broken(path, source_path):
        if "ann" in str(path):
            raise RuntimeError("the grader tripped")
        return real(path, source_path)

    real = batch_worker.load_submission
    monkeypatch.setattr(batch_worker, "load_submission", broken)
    out = tmp_path / "out"
    args = [str(folder), "--source", str(source), "--out", str(out), "--assignment", EXERCISE]
    assert main([*args, "--jobs", "1", "--unsafe"]) == 1  # no code runs: empty files
    rows = (out / "grades.csv").read_text("utf-8").splitlines()
    assert rows[1:] == [
        f"ann,{EXERCISE},,,,,,5,grader error,ann.ipynb",
        f"ben,{EXERCISE},,,,,,5,empty,ben.ipynb",
    ]
    log = json.loads((out / "grading-log.json").read_text("utf-8"))
    assert log["submissions"][0]["message"] == "RuntimeError: the grader tripped"
    assert "RuntimeError" in log["submissions"][0]["traceback"]


def test_no_sandbox_refuses_to_start_unless_unsafe(tmp_path, source, monkeypatch, capsys):
    monkeypatch.setattr(sandbox, "check_sandbox", lambda: "bubblewrap is not installed (test)")
    folder = write(tmp_path / "class" / "ann.ipynb", answered(RIGHT)).parent
    write(folder / "ben.ipynb", "{")
    out = tmp_path / "out"
    args = [str(folder), "--source", str(source), "--out", str(out), "--jobs", "1"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "bubblewrap is not installed (test)" in err and "--unsafe" in err
    assert not out.exists()


@pytest.mark.notebooks
def test_unsafe_grading_says_so_in_every_output(tmp_path, source, monkeypatch, capsys):
    monkeypatch.setattr(sandbox, "check_sandbox", lambda: "bubblewrap is not installed (test)")
    folder = write(tmp_path / "class" / "ann.ipynb", answered(RIGHT)).parent
    write(folder / "ben.ipynb", "{")
    out = tmp_path / "out"
    args = [str(folder), "--source", str(source), "--out", str(out), "--jobs", "1", "--unsafe"]
    assert main(args) == 0
    assert "WARNING: --unsafe" in capsys.readouterr().err
    rows = (out / "grades.csv").read_text("utf-8").splitlines()
    assert rows[1] == f"ann,{EXERCISE},1,2,1,1,5,5,graded UNSAFE (no sandbox),ann.ipynb"
    log = json.loads((out / "grading-log.json").read_text("utf-8"))
    assert log["unsafe"] is True and all(r["unsafe"] for r in log["submissions"])
    report = (out / "report.html").read_text("utf-8")
    assert report.index("UNSAFE GRADING") < report.index("<h2")  # at the top
    assert "UNSAFE" in (out / "feedback" / "ann.html").read_text("utf-8")


def test_the_output_folder_must_not_be_in_the_submissions_or_the_sources(tmp_path, source):
    folder = write(tmp_path / "class" / "ann.ipynb", "").parent
    base = [str(folder), "--source", str(source)]
    assert main([*base, "--out", str(folder / "grading")]) == 2
    assert main([*base, "--out", str(folder)]) == 2
    assert main([*base, "--out", str(source)]) == 2
    assert sorted(p.name for p in folder.iterdir()) == ["ann.ipynb"]
    assert main([str(tmp_path / "missing"), "--source", str(source)]) == 2
    assert main([*base, "--out", str(tmp_path / "o"), "--assignment", "99", "--unsafe"]) == 2
    assert main([*base, "--out", str(tmp_path / "o"), "--jobs", "0"]) == 2


def test_a_folder_without_notebooks_is_an_error(tmp_path, source, capsys):
    write(tmp_path / "class" / "notes.txt", "not a notebook")
    args = [str(tmp_path / "class"), "--source", str(source), "--out", str(tmp_path / "o")]
    assert main([*args, "--unsafe"]) == 2
    assert "no notebook (.ipynb) found" in capsys.readouterr().err


def test_the_progress_bar_uses_tqdm_when_installed(monkeypatch):
    bars = []

    class FakeBar:
        def __init__(self, total, **kw):
            self.total, self.n, self.closed, self.kw = total, 0, False, kw
            bars.append(self)

        def update(self, n):
            self.n += n

        def close(self):
            self.closed = True

    monkeypatch.setitem(sys.modules, "tqdm", type(sys)("tqdm"))
    monkeypatch.setattr(sys.modules["tqdm"], "tqdm", FakeBar, raising=False)
    step = _progress_bar(2, True)
    step({"status": "graded"})
    assert (bars[0].n, bars[0].closed, bars[0].kw["file"]) == (1, False, sys.stderr)
    step({"status": "empty"})
    assert (bars[0].n, bars[0].closed) == (2, True)
    _progress_bar(2, False)({"status": "graded"})  # off: nothing is made
    assert len(bars) == 1


def test_without_tqdm_progress_is_a_line_per_notebook(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm fails
    _progress_bar(2, True)({"status": "graded"})
    assert capsys.readouterr().err == "graded 1/2: graded\n"


def test_dask_without_distributed_names_the_extra(tmp_path, source, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    folder = write(tmp_path / "class" / "ann.ipynb", "").parent
    args = [str(folder), "--source", str(source), "--out", str(tmp_path / "o")]
    assert main([*args, "--dask", "tcp://127.0.0.1:1"]) == 2
    assert "pip install -e '.[dask]'" in capsys.readouterr().err


@pytest.mark.notebooks
@pytest.mark.sandbox
def test_the_command_line_reports_and_exits_0(copy_of_graded, source, capsys):
    folder, out = copy_of_graded
    assert main([str(folder), "--source", str(source), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "8 notebook(s): 4 graded, 1 unknown exercise" in printed
    assert "graded now 0, kept 7 unchanged" in printed


# --------------------------------------------------------------------------------------------
# Dask: the same grades as the process pool


@pytest.mark.notebooks
@pytest.mark.sandbox
@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_grades(graded, source, tmp_path):
    distributed = pytest.importorskip("distributed", reason="install the dask extra")
    folder, out, _, _ = graded
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = grade_class(
            folder, source, tmp_path / "dask", executor=client.get_executor(), progress=False
        )
    assert result.graded == 7
    assert (tmp_path / "dask" / "grades.csv").read_text() == (out / "grades.csv").read_text()


# --------------------------------------------------------------------------------------------
# Pieces, without grading


def test_mistakes_count_students_once_and_only_failures():
    def rec(student, diagnosis, passed=False):
        q = {"grade_id": "q1", "diagnosis": diagnosis, "passed": passed}
        return {"status": "graded", "student": student, "assignment": "ex", "questions": [q]}

    records = [rec(s, "unit slip") for s in ("a", "b", "c", "c")]  # c sent two notebooks
    records += [rec("d", "no answer"), rec("e", ""), rec("f", "stale label", passed=True)]
    records.append({**rec("g", "unit slip"), "status": "unreadable"})
    assert mistakes(records) == [("q1", "unit slip", 3, 6), ("q1", "no answer", 1, 6)]


def test_csv_cells_a_spreadsheet_would_run_are_defused():
    record = {"student": "=HYPERLINK(1)", "file": "@x.ipynb", "assignment": "", "status": "x"}
    assert csv_rows([record], {})[1] == ["'=HYPERLINK(1)", "", "", "", "x", "'@x.ipynb"]


def test_bar_chart_escapes_its_text():
    svg = bar_chart("<q>", "a & b", [("<0>", 2, "#000")])
    assert "<q>" not in svg and "&lt;q&gt;" in svg and "a &amp; b" in svg and ">2 notebooks<" in svg
