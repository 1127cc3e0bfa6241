"""The grader's side of a sandboxed kernel: start it, run cells, fetch answers, call functions.

A `SandboxKernel` starts `course_lib.grading.runner` in a sandbox (`course_lib.grading.sandbox`)
with a private copy of the submission's folder contents (the submission itself only), and talks
to it over two pipes, one JSON line each way. Every request has a wall-clock limit; when it
passes, or the sandbox dies, the kernel is killed with everything it started, and the request
reports why (`KernelLost`). `restart` starts a fresh one.

>>> kernel = SandboxKernel(sandbox=False)  # doctest: +SKIP
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from course_lib.errors import CourseLibError
from course_lib.grading.answers import decode
from course_lib.grading.cgroups import ControlGroup
from course_lib.grading.sandbox import Limits, limits, sandbox_command, sandbox_user

__all__ = ["MAX_REPLY_BYTES", "KernelLost", "SandboxKernel", "StudentCodeError", "student_error"]

#: The longest reply the grader reads from a kernel (a longer one counts as a broken kernel).
MAX_REPLY_BYTES = 64 * 1024**2


class KernelLost(CourseLibError, RuntimeError):
    """The sandboxed kernel stopped answering: it timed out, died, or broke the protocol."""


class StudentCodeError(CourseLibError, RuntimeError):
    """A student's function raised an exception that is not a builtin one."""


_NOT_RAISED = {"StopIteration", "StopAsyncIteration", "GeneratorExit"}


def student_error(name: str, reply: dict) -> Exception:
    """The exception a student's function raised in the sandbox, rebuilt in the grader.

    A builtin exception (``NotImplementedError``, ``ZeroDivisionError`` ...) comes back as the
    same builtin type with the same message, so the checks' feedback can name it; anything else
    becomes a `StudentCodeError`. Only the name and the message cross: never an object.

    >>> student_error("f", {"ename": "ZeroDivisionError", "evalue": "division by zero"})
    ZeroDivisionError('division by zero')
    >>> student_error("f", {"ename": "MyError", "evalue": "boom"})
    StudentCodeError('your function f raised MyError: boom')
    """
    ename, evalue = str(reply.get("ename", "")), str(reply.get("evalue", ""))[:400]
    kind = getattr(builtins, ename, None)
    if isinstance(kind, type) and issubclass(kind, Exception) and ename not in _NOT_RAISED:
        with contextlib.suppress(Exception):
            return kind(evalue)
    what = f"{ename}: {evalue}" if ename else str(reply.get("error", "an error"))
    return StudentCodeError(f"your function {name} raised {what}"[:500])


class SandboxKernel:
    """One sandboxed Python kernel for one submission.

    Parameters
    ----------
    files : dict of str to bytes, optional
        Files to put in the kernel's private folder (e.g. the submission itself).
    sandbox : bool
        Run inside bubblewrap (True), or as a plain subprocess (False: unsafe, for machines
        without bubblewrap, and only when the instructor asks for it).
    spec : Limits
        Memory, CPU, file and process limits.
    env : dict of str to str, optional
        More environment variables for the kernel (the grader sets ``COURSE_STUDENT_ID``).
    """

    def __init__(
        self,
        files: dict[str, bytes] | None = None,
        *,
        sandbox: bool = True,
        spec: Limits | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.files, self.sandbox, self.spec = dict(files or {}), sandbox, spec or Limits()
        self.env = dict(env or {})
        self.exits: list[str] = []  # why earlier kernels ended (for the grading log)
        self.group_note = ""  # why there is no control group, if there is none
        self._proc = None
        self._start()

    def _start(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="course-grading-")
        user = sandbox_user() if self.sandbox else None
        for name, data in self.files.items():
            Path(self._dir, Path(name).name).write_bytes(data)
        if user is not None:  # the private folder belongs to the sandbox's user
            for path in (self._dir, *(p for p in Path(self._dir).iterdir())):
                os.chown(path, user, user)
        ids = {} if user is None else {"user": user, "group": user, "extra_groups": []}
        self._group = None
        if self.sandbox:
            self._group, self.group_note = ControlGroup.create(
                f"{id(self):x}-{len(self.exits)}",
                processes=self.spec.processes,
                memory_bytes=self.spec.memory_bytes,
            )
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        command = [sys.executable, "-m", "course_lib.grading.runner", str(req_r), str(rep_w)]
        if self.sandbox:
            command, cwd, env = sandbox_command(command, self._dir, self.env), None, None
        else:
            cwd, env = self._dir, {**os.environ, "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1"}
            env.update(self.env)
        self._proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(req_r, rep_w),
            cwd=cwd,
            env=env,
            start_new_session=True,
            preexec_fn=self._enter_limits,
            **ids,
        )
        os.close(req_r)
        os.close(rep_w)
        self._requests = os.fdopen(req_w, "w", encoding="utf-8")
        self._replies = rep_r
        self._buffer = b""

    def _enter_limits(self) -> None:
        """In the child, before the sandbox starts: per-process limits and the control group."""
        limits(self.spec)
        if self._group is not None:
            self._group.join()

    def request(self, message: dict, timeout: float) -> dict:
        """Send one request and wait at most ``timeout`` seconds for its reply."""
        if self._proc is None:
            raise KernelLost("the kernel was closed")
        try:
            self._requests.write(json.dumps(message) + "\n")
            self._requests.flush()
        except (BrokenPipeError, OSError):
            raise self._lost("the kernel died") from None
        line = self._read_line(time.monotonic() + timeout, timeout)
        try:
            reply = json.loads(line)
        except ValueError:
            raise self._lost("the kernel sent something that is not a reply") from None
        if not isinstance(reply, dict):
            raise self._lost("the kernel sent something that is not a reply")
        return reply

    def _read_line(self, deadline: float, timeout: float) -> bytes:
        buffer, searched = bytearray(self._buffer), 0
        while (end := buffer.find(b"\n", searched)) < 0:
            searched = len(buffer)  # search only what is new: a long reply costs linear time
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._lost(f"ran longer than {timeout:g} s (an endless loop?)")
            ready, _, _ = select.select([self._replies], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise self._lost("the kernel died (a crash, or out of memory)")
            if len(buffer) + len(chunk) > MAX_REPLY_BYTES:
                raise self._lost("the kernel sent a reply that is too large")
            buffer += chunk
        self._buffer = bytes(buffer[end + 1 :])
        return bytes(buffer[:end])

    def _lost(self, why: str) -> KernelLost:
        self.close(why)
        return KernelLost(why)

    def run(self, source: str, timeout: float) -> tuple[bool, str]:
        """Run one cell: (True, "") or (False, "ename: evalue")."""
        reply = self.request({"op": "run", "source": source}, timeout)
        return bool(reply.get("ok") is True), str(reply.get("error") or "")[:500]

    def answers(self, names: list[str], timeout: float) -> dict[str, object]:
        """The named answers that exist in the kernel, rebuilt as plain data (missing: absent)."""
        reply = self.request({"op": "get", "names": list(names)}, timeout)
        raw = reply.get("answers")
        if not isinstance(raw, dict):
            raise self._lost("the kernel sent answers in the wrong form")
        caller = self._caller(timeout)
        return {n: decode(raw[n], caller, name=n) for n in names if n in raw}

    def _caller(self, timeout: float):
        def call(name: str, args: list, kwargs: dict):
            reply = self.request(
                {"op": "call", "name": name, "args": args, "kwargs": kwargs}, timeout
            )
            if "result" in reply:
                return decode(reply["result"])
            raise student_error(name, reply)

        return call

    @property
    def closed(self) -> bool:
        """True when the kernel was killed (a timeout, a crash) and not yet restarted."""
        return self._proc is None

    def restart(self) -> None:
        """A fresh kernel in a fresh private folder (the old one is killed)."""
        self.close("restarted")
        self._start()

    def close(self, why: str = "closed") -> None:
        """Kill the kernel, everything it started, and its private folder."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        self.exits.append(why)
        with contextlib.suppress(OSError):
            self._requests.close()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if self._group is not None:
            self._group.remove()
        os.close(self._replies)
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> SandboxKernel:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
