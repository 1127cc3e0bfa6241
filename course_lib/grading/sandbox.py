"""The sandbox a submission runs in: bubblewrap, a private folder, no network, hard limits.

`sandbox_command` wraps a command in bubblewrap (``bwrap``, Debian package ``bubblewrap``):

- the filesystem is empty except for read-only system folders, the Python installation, the
  course library itself (only its package folder: never ``solutions/`` or anything beside it)
  and one writable folder holding a private copy of the submission;
- no network, its own PID namespace (the code cannot signal the grader, and everything it
  starts dies with the sandbox), its own user namespace with every capability dropped;
- `limits` (applied by the grader to the process it starts) caps memory, CPU time, file size
  and the number of processes.

Where bubblewrap cannot run (macOS, a kernel without user namespaces), `check_sandbox` says why;
the grader then refuses unless the instructor explicitly asks for unsafe grading.

>>> cmd = sandbox_command(["python", "-c", "pass"], "/tmp/work")
>>> cmd[0], "--unshare-all" in cmd, "--die-with-parent" in cmd
('bwrap', True, True)
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import course_lib
from course_lib.errors import CourseLibError, CourseValueError

__all__ = [
    "HOME",
    "NOBODY",
    "Limits",
    "SandboxUnavailable",
    "check_sandbox",
    "limits",
    "refuse_unless_sandboxed",
    "require_timeout",
    "sandbox_command",
    "sandbox_user",
]

_SYSTEM = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc")
#: Where the submission's private copy appears inside the sandbox (the working folder).
HOME = "/home/student"
#: The user id of ``nobody``, which a root grader runs the sandbox as.
NOBODY = 65534


@dataclass(frozen=True)
class Limits:
    """Hard limits of one sandboxed kernel (per process; CPU in seconds, sizes in bytes)."""

    memory_bytes: int = 3 * 1024**3
    cpu_seconds: int = 600
    file_bytes: int = 64 * 1024**2
    processes: int = 256


def limits(spec: Limits) -> None:
    """Apply ``spec`` with ``setrlimit`` (call in the child before it runs the sandbox)."""
    for what, value in (
        (resource.RLIMIT_AS, spec.memory_bytes),
        (resource.RLIMIT_CPU, spec.cpu_seconds),
        (resource.RLIMIT_FSIZE, spec.file_bytes),
        (resource.RLIMIT_NPROC, spec.processes),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(what, (value, value))


def _python_roots() -> list[str]:
    """Folders the Python interpreter and its packages live in."""
    roots = {sys.base_prefix, sys.prefix, str(Path(sys.executable).resolve().parent.parent)}
    return sorted(r for r in roots if r and Path(r).exists())


def sandbox_command(
    command: list[str], workdir: str | Path, extra_env: dict[str, str] | None = None
) -> list[str]:
    """``command`` wrapped in bubblewrap, with ``workdir`` (writable) as its home and cwd.

    Parameters
    ----------
    command : list of str
        What to run inside, e.g. ``[sys.executable, "-m", "course_lib.grading.runner", ...]``.
    workdir : str or Path
        A private folder on the host; it appears as `HOME` inside, read-write.
    extra_env : dict of str to str, optional
        More environment variables inside (e.g. ``COURSE_STUDENT_ID``, the student's id).
    """
    package = str(Path(course_lib.__file__).resolve().parent)
    argv = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    # The empty /tmp first: a venv or course_lib under /tmp is bound on top of it, not hidden.
    argv += ["--tmpfs", "/tmp"]
    for folder in _SYSTEM:
        if Path(folder).exists():
            argv += ["--ro-bind", folder, folder]
    for root in _python_roots():
        argv += ["--ro-bind", root, root]
    argv += ["--ro-bind", package, package]
    argv += ["--proc", "/proc", "--dev", "/dev"]
    argv += ["--bind", str(workdir), HOME, "--chdir", HOME]
    env = {
        "HOME": HOME,
        "PYTHONPATH": str(Path(package).parent),
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp",
        "IPYTHONDIR": "/tmp/ipython",
        "PATH": "/usr/bin:/bin",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        **(extra_env or {}),
    }
    argv += ["--clearenv"] + [x for k, v in env.items() for x in ("--setenv", k, v)]
    return [*argv, "--", *command]


class SandboxUnavailable(CourseLibError, RuntimeError):
    """bubblewrap cannot run here, and the instructor did not ask for unsafe grading."""


@functools.cache
def _probe(user: int | None) -> subprocess.CompletedProcess:
    probe = sandbox_command([sys.executable, "-c", "import course_lib, IPython"], "/tmp")
    ids = {} if user is None else {"user": user, "group": user, "extra_groups": []}
    return subprocess.run(probe, capture_output=True, text=True, timeout=60, check=False, **ids)


@functools.cache
def sandbox_user() -> int | None:
    """The user id the sandbox runs as when the grader is root: ``nobody`` (65534).

    Limits on the number of processes do not bind root, so a root grader drops to ``nobody``
    for the sandbox (when bubblewrap and Python work as ``nobody`` here). None: keep the
    grader's own user (it is not root, or ``nobody`` cannot run the sandbox).
    """
    if os.geteuid() != 0:
        return None
    try:
        return NOBODY if _probe(NOBODY).returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def check_sandbox() -> str:
    """'' when bubblewrap can run a sandbox here; otherwise the reason, in one sentence.

    Probed once per process (starting a sandbox takes a fraction of a second).
    """
    if sys.platform != "linux":
        return f"bubblewrap needs Linux; this is {sys.platform}"
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    try:
        done = _probe(sandbox_user())
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start: {exc}"
    if done.returncode != 0:
        return f"bubblewrap could not start a sandbox here: {done.stderr.strip()[-300:]}"
    return ""


def refuse_unless_sandboxed(unsafe: bool) -> None:
    """Raise `SandboxUnavailable` when no sandbox can run here and ``unsafe`` is False."""
    if unsafe:
        return
    reason = check_sandbox()
    if reason:
        raise SandboxUnavailable(
            f"cannot grade safely: {reason}. Student code would run with your files and your "
            "network. Install bubblewrap, or grade on a Linux machine that has it; to grade "
            "anyway, pass unsafe=True (--unsafe on the command line): the report will say so."
        )


def require_timeout(name: str, seconds: object) -> float:
    """``seconds`` as a positive float, or a clear error naming ``name``."""
    ok = isinstance(seconds, int | float) and not isinstance(seconds, bool)
    if not ok or not 0 < float(seconds) < float("inf"):
        raise CourseValueError(
            f"{name} must be a positive number of seconds; got {seconds!r}. Give e.g. 60."
        )
    return float(seconds)
