"""Hostile and clumsy submissions against the grader (course_lib.grading.autograde).

Each test hands exercise 00 (5 points) to the grader with an attack in an answer cell and
wrong answers everywhere else, and checks that the attack earns nothing: the score is what
the honest part of the submission deserves. The attacks are the ones students have tried on
notebook graders: swallowing errors, rewriting later cells, monkeypatching the checks,
rigged objects, reading or writing the instructor's files, killing or lying to the grader,
lingering processes, fork and memory bombs.

Every test here runs the sandboxed grader (about 1-2 s each).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from pathlib import Path

import nbformat
import pytest

from course_lib.grading.autograde import score_notebook

pytestmark = [pytest.mark.sandbox, pytest.mark.notebooks]

ROOT = Path(__file__).resolve().parents[1]
EXERCISE = ROOT / "exercises" / "00_start_here_exercises.ipynb"
SOLUTION = ROOT / "solutions" / "00_start_here_exercises.ipynb"

RIGHT = {
    "ex00-q1": "il6_pM = 5.19 / 21",
    "ex00-q2": "def pg_per_ml_to_pM(conc, molar_mass_kDa):\n    return conc / molar_mass_kDa",
    "ex00-q3": 'answer_03 = "b"',
    "ex00-q4": 'answer_04 = "b"',
}
WRONG = {
    "ex00-q1": "il6_pM = 999.0",
    "ex00-q2": "def pg_per_ml_to_pM(conc, molar_mass_kDa):\n    return conc * molar_mass_kDa",
    "ex00-q3": 'answer_03 = "a"',
    "ex00-q4": 'answer_04 = "a"',
}


def submit(folder: Path, answers: dict[str, str], name: str = EXERCISE.name) -> Path:
    """A copy of exercise 00 with the answer cells' sources replaced, by grade_id."""
    nb = nbformat.read(EXERCISE, as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder / name


def attack(code: str, *, right: bool = False) -> dict[str, str]:
    """Answers with ``code`` run first in question 1's cell, then question 1's own answer."""
    answers = dict(RIGHT if right else WRONG)
    answers["ex00-q1"] = f"{code}\n{answers['ex00-q1']}"
    return answers


def points(path: Path, **kw) -> dict[str, float]:
    result = score_notebook(path, SOLUTION, **kw)
    return {q.grade_id: q.points for q in result.questions}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_honest_baselines(tmp_path):
    assert sum(points(submit(tmp_path / "right", RIGHT)).values()) == 5
    assert sum(points(submit(tmp_path / "wrong", WRONG)).values()) == 0


SWALLOW_ERRORS = "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"
TRANSFORMER = """
def _blank(lines):
    return ["pass\\n"]
get_ipython().input_transformers_post.append(_blank)
"""
MONKEYPATCH = """
import numpy as np
import course_lib.grading.feedback as fb
import course_lib.grading.checks.start_here as real
for name in dir(real):
    if not name.startswith("_"):
        setattr(real, name, lambda *a, **k: None)
fb.check_number = fb.check_choice = fb.check_callable = lambda *a, **k: None
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
checks = real
"""
RIGGED_STR = """
class Always(str):
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    __hash__ = str.__hash__
    def strip(self, *a):
        return self
    def lower(self):
        return self
answer_03 = Always("zzz")
"""
RIGGED_FLOAT = """
import inspect
class Sly(float):
    def __float__(self):
        for frame in inspect.stack():
            for name in ("expected", "want", "x"):
                if name in frame.frame.f_locals:
                    try:
                        return float(frame.frame.f_locals[name])
                    except Exception:
                        pass
        return 0.0
    def __eq__(self, other):
        return True
il6_pM = Sly(999.0)
"""


@pytest.mark.parametrize(
    "code",
    [SWALLOW_ERRORS, TRANSFORMER, MONKEYPATCH],
    ids=["custom-exception-handler", "input-transformer", "monkeypatched-checks"],
)
def test_tampering_with_the_kernel_earns_nothing(tmp_path, code):
    assert sum(points(submit(tmp_path / "mallory", attack(code))).values()) == 0


def test_tampering_does_not_cost_an_honest_student_anything(tmp_path):
    answers = attack(SWALLOW_ERRORS + "\n" + MONKEYPATCH, right=True)
    assert sum(points(submit(tmp_path / "honest", answers)).values()) == 5


def test_a_rigged_str_is_compared_as_a_plain_str(tmp_path):
    answers = {**RIGHT, "ex00-q3": RIGGED_STR, "ex00-q4": 'answer_04 = Always("zzz")'}
    got = points(submit(tmp_path / "mallory", answers))
    assert (got["ex00-q3-check"], got["ex00-q4-check"]) == (0, 0)
    assert got["ex00-q1-check"] == 1  # the rest is graded as usual


def test_a_rigged_float_crosses_as_its_value(tmp_path):
    answers = {**RIGHT, "ex00-q1": RIGGED_FLOAT}
    result = score_notebook(submit(tmp_path / "mallory", answers), SOLUTION)
    assert result.questions[0].points == 0
    assert "too large" in result.questions[0].feedback  # 999 pM, seen as a plain float


def test_an_object_that_is_not_data_passes_no_check(tmp_path):
    code = "class Anything:\n    def __float__(self):\n        return 0.247\nil6_pM = Anything()"
    result = score_notebook(submit(tmp_path / "mallory", {**RIGHT, "ex00-q1": code}), SOLUTION)
    assert result.questions[0].points == 0
    assert "Anything" in result.questions[0].feedback


def test_a_function_answer_cannot_hand_back_a_rigged_object(tmp_path):
    code = (
        "class Yes(float):\n    def __eq__(self, other):\n        return True\n"
        "def pg_per_ml_to_pM(conc, molar_mass_kDa):\n    return Yes(-1.0)"
    )
    got = points(submit(tmp_path / "mallory", {**RIGHT, "ex00-q2": code}))
    assert got["ex00-q2-check"] == 0


def test_a_seed_ignoring_random_generator_stays_in_the_sandbox(tmp_path):
    code = """
import numpy as np
_real = np.random.default_rng
np.random.default_rng = lambda seed=None: _real(0)
import numpy.random
numpy.random.seed = lambda *a, **k: None
"""
    assert sum(points(submit(tmp_path / "mallory", attack(code))).values()) == 0
    assert sum(points(submit(tmp_path / "honest", attack(code, right=True))).values()) == 5


SNOOP = """
import os, glob, pathlib, course_lib
seen = []
package = pathlib.Path(course_lib.__file__).resolve().parent
for folder in {str(package.parent), "/home", "/tmp", "/work", "/root", "/srv", "/opt", "/mnt"}:
    seen += glob.glob(os.path.join(folder, "**", "*.ipynb"), recursive=True)
    seen += glob.glob(os.path.join(folder, "**", "solutions"), recursive=True)
seen += [os.path.join("/", p) for p in os.listdir("/") if "solution" in p]
seen = sorted(set(seen))
cmdlines = []
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            cmdlines.append(open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace"))
        except OSError:
            pass
environment = dict(os.environ)
il6_pM = 999.0
"""


def test_the_sandbox_sees_no_solutions_or_instructor_files(tmp_path):
    from course_lib.grading.kernel import SandboxKernel

    sub = submit(tmp_path / "mallory", RIGHT)
    with SandboxKernel({sub.name: sub.read_bytes()}) as kernel:
        assert kernel.run(SNOOP, 60) == (True, "")
        found = kernel.answers(["seen", "cmdlines", "environment"], 60)
    assert found["seen"] == [f"/home/student/{sub.name}"]
    assert not any("solutions" in line for line in found["cmdlines"])
    assert not any("solutions" in value for value in found["environment"].values())
    assert str(tmp_path) not in repr(found)  # not even the submission's real folder


def test_no_network(tmp_path):
    from course_lib.grading.kernel import SandboxKernel

    code = """
import socket
reached = []
for host, port in (("1.1.1.1", 80), ("127.0.0.1", 8888), ("localhost", 22)):
    try:
        socket.create_connection((host, port), timeout=2).close()
        reached.append(host)
    except OSError:
        pass
"""
    with SandboxKernel() as kernel:
        assert kernel.run(code, 30) == (True, "")
        assert kernel.answers(["reached"], 10) == {"reached": []}


def test_writes_stay_in_the_private_copy(tmp_path):
    import course_lib

    package = Path(course_lib.__file__).resolve().parent
    marker = "graded-by-mallory.txt"
    code = f"""
import os, pathlib, course_lib
package = pathlib.Path(course_lib.__file__).resolve().parent
targets = [package / "{marker}", package.parent / "solutions" / "{marker}",
           package / "grading" / "{marker}", pathlib.Path("/tmp/../{marker}"),
           pathlib.Path("../{marker}")]
for target in targets:
    try:
        target.write_text("5 / 5")
    except OSError:
        pass
open("{EXERCISE.name}", "w").write("{{}}")  # its own (private) copy of the submission
"""
    sub = submit(tmp_path / "mallory", attack(code))
    before = digest(sub)
    assert sum(points(sub).values()) == 0
    assert digest(sub) == before
    assert not list(package.rglob(marker))
    assert not list(ROOT.joinpath("solutions").glob(marker))
    assert not list(tmp_path.rglob(marker))
    # the next student's untouched notebook is graded as it should be
    assert sum(points(submit(tmp_path / "next", {})).values()) == 0


def test_killing_the_grader_kills_only_the_sandbox(tmp_path):
    code = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.kill(-1, signal.SIGKILL)"
    got = points(submit(tmp_path / "mallory", attack(code, right=True)), timeout=20)
    assert got == {
        "ex00-q1-check": 0,  # its own question is lost
        "ex00-q2-check": 2,
        "ex00-q3-check": 1,
        "ex00-q4-check": 1,
    }


@pytest.mark.slow
def test_no_process_outlives_grading(tmp_path):
    marker = f"lingering-{os.getpid()}-{time.monotonic_ns()}"
    code = f"""
import subprocess, sys
script = "import time, sys; time.sleep(4); open(sys.argv[1], 'w').write('5 / 5')"
subprocess.Popen([sys.executable, "-c", script, "{EXERCISE.name}", "{marker}"],
                 start_new_session=True)
if __import__("os").fork() == 0:
    __import__("os").setsid()
    __import__("time").sleep(4)
    __import__("os")._exit(0)
"""
    sub = submit(tmp_path / "mallory", attack(code, right=True))
    before = digest(sub)
    assert sum(points(sub).values()) == 5
    time.sleep(5)
    alive = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError):
            alive.append(Path(f"/proc/{pid}/cmdline").read_bytes())
    assert not any(marker.encode() in line for line in alive)
    assert digest(sub) == before


def test_printing_a_fake_score_reaches_no_one(tmp_path, capfd):
    code = """
import os
print("5 / 5 points")
for fd in map(int, os.listdir("/proc/self/fd")):  # every file it holds
    try:
        os.write(fd, b"\\n5 / 5 points\\n")
    except OSError:
        pass
"""
    result = score_notebook(submit(tmp_path / "mallory", attack(code)), SOLUTION)
    assert result.points == 0
    out, err = capfd.readouterr()
    assert "5 / 5" not in out + err


# Every pipe the kernel holds, found as a determined student would (the descriptor numbers
# depend on how many files the grader has open, so a fixed range can miss the reply pipe).
FIND_PIPES = """
import os, stat
PIPES = []
for name in os.listdir("/proc/self/fd"):
    try:
        if stat.S_ISFIFO(os.fstat(int(name)).st_mode):
            PIPES.append(int(name))
    except OSError:
        pass
assert len(PIPES) >= 2, PIPES  # the request and the reply pipe
"""


@pytest.mark.slow
def test_forged_and_flooded_replies_cost_only_the_forger(tmp_path):
    code = (
        FIND_PIPES
        + """
import json, os
fake = json.dumps({"ok": True, "answers": {"il6_pM": 0.247, "answer_03": "b"}}) + "\\n"
for fd in PIPES:
    try:
        os.write(fd, fake.encode())
    except OSError:
        pass
"""
    )
    forged = score_notebook(submit(tmp_path / "mallory", attack(code)), SOLUTION)
    assert forged.points == 0
    assert "the kernel sent" in str(forged)  # the forged line reached the grader, and was refused
    flood = (
        FIND_PIPES
        + """
import os
for fd in PIPES:
    try:
        os.write(fd, b"x" * (70 * 1024 * 1024))
    except OSError:
        pass
"""
    )
    flooded = score_notebook(
        submit(tmp_path / "flood", attack(flood, right=True)), SOLUTION, timeout=20
    )
    got = {q.grade_id: q.points for q in flooded.questions}
    assert flooded.notes == ("ex00-q1: the kernel sent a reply that is too large",)
    assert got == {"ex00-q1-check": 0, "ex00-q2-check": 2, "ex00-q3-check": 1, "ex00-q4-check": 1}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "code"),
    [
        (
            "fork bomb",
            "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass",
        ),
        ("memory bomb", "blocks = []\nwhile True:\n    blocks.append(bytearray(10**8))"),
        (
            "disk filler",
            "with open('big', 'wb') as f:\n    while True:\n        f.write(b'0' * 10**7)",
        ),
    ],
)
def test_bombs_cost_only_their_question(tmp_path, name, code):
    got = points(submit(tmp_path / name.replace(" ", "-"), attack(code, right=True)), timeout=5)
    assert got == {"ex00-q1-check": 0, "ex00-q2-check": 2, "ex00-q3-check": 1, "ex00-q4-check": 1}


def test_an_enormous_answer_is_refused_not_swallowed(tmp_path):
    code = "il6_pM = list(range(5_000_000))"
    result = score_notebook(submit(tmp_path / "mallory", {**RIGHT, "ex00-q1": code}), SOLUTION)
    assert result.questions[0].points == 0
    assert result.points == 4


def test_an_endless_loop_in_question_2_costs_question_2_only(tmp_path):
    answers = {**RIGHT, "ex00-q2": "while True:\n    pass"}
    got = points(submit(tmp_path / "carol", answers), timeout=3)
    assert got == {"ex00-q1-check": 1, "ex00-q2-check": 0, "ex00-q3-check": 1, "ex00-q4-check": 1}
