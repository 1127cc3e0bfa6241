"""Limits that bind a whole sandbox, not one process: a control group per kernel.

``setrlimit`` limits (`course_lib.grading.sandbox.Limits`) act per process, and the limit on
the number of processes does not bind a root grader. Where the grader may create control
groups (root on Linux, cgroup v1 or v2), each sandboxed kernel gets its own group that caps
the number of processes (a fork bomb stops there) and the memory of everything it starts.
Where it may not, `ControlGroup.create` returns None with the reason, and the per-process
limits remain.

>>> group, why = ControlGroup.create("doc", processes=64, memory_bytes=2**30, root="/nonexistent")
>>> group is None, why
(True, 'no control groups here (no pids controller under /nonexistent)')
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

__all__ = ["ControlGroup"]

_ROOT = "/sys/fs/cgroup"


def _own_path(controller: str) -> str:
    """This process's group path for ``controller`` (v1), or its unified path (v2)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return "/"
    for line in lines:
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            return path
    for line in lines:
        if line.startswith("0::"):
            return line[3:]
    return "/"


def _folders(root: Path, name: str) -> dict[str, Path]:
    """Where a group called ``name`` goes for each controller: v1 mounts, else v2."""
    found = {}
    for controller in ("pids", "memory"):
        mount = root / controller
        if (mount / "cgroup.procs").exists():
            parent = mount / _own_path(controller).lstrip("/")
            found[controller] = (parent if parent.is_dir() else mount) / name
    if not found and (root / "cgroup.controllers").exists():
        parent = root / _own_path("").lstrip("/")
        controllers = (parent / "cgroup.controllers").read_text().split()
        found = {c: parent / name for c in ("pids", "memory") if c in controllers}
    return found


class ControlGroup:
    """A control group (one folder per controller) holding one sandboxed kernel."""

    def __init__(self, folders: dict[str, Path]) -> None:
        self.folders = folders

    @classmethod
    def create(
        cls, name: str, *, processes: int, memory_bytes: int, root: str = _ROOT
    ) -> tuple[ControlGroup | None, str]:
        """A new group limited to ``processes`` and ``memory_bytes``; or (None, why not)."""
        folders = _folders(Path(root), f"course-grading-{os.getpid()}-{name}")
        if "pids" not in folders:
            return None, f"no control groups here (no pids controller under {root})"
        limits = {"pids": ("pids.max", processes)}
        if "memory" in folders:
            v1 = folders["memory"].parent.joinpath("memory.limit_in_bytes").exists()
            limits["memory"] = ("memory.limit_in_bytes" if v1 else "memory.max", memory_bytes)
        made = {}
        try:
            for controller, (knob, value) in limits.items():
                folder = folders[controller]
                folder.mkdir(exist_ok=True)
                made[controller] = folder
                (folder / knob).write_text(str(int(value)))
        except OSError as exc:
            cls(made).remove()
            return None, f"cannot create a control group ({exc.strerror or exc})"
        return cls(made), ""

    def join(self) -> None:
        """Move the calling process into the group (call in the child before ``exec``)."""
        for folder in self.folders.values():
            (folder / "cgroup.procs").write_text(str(os.getpid()))

    def remove(self) -> None:
        """Kill whatever is left in the group and delete it."""
        for folder in self.folders.values():
            for _ in range(50):
                with contextlib.suppress(OSError):
                    pids = [int(p) for p in (folder / "cgroup.procs").read_text().split()]
                    for pid in pids:
                        with contextlib.suppress(ProcessLookupError, PermissionError):
                            os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(OSError):
                    folder.rmdir()
                    break
                time.sleep(0.02)
