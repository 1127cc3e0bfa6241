"""What the test servers (tests/lab_server.py: JupyterLab, tests/voila_server.py: Voila) share:
a free port, and stopping a server with every kernel it started."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from pathlib import Path

__all__ = ["children", "free_port", "stat_fields", "stop_group"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stat_fields(pid: str) -> list[str] | None:
    """Fields 3 onwards of /proc/<pid>/stat (state, ppid, ...), or None if it is gone.

    The command name (field 2) is in parentheses and may contain spaces, hence the rpartition.
    """
    try:
        return (Path("/proc") / pid / "stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None


def children(parent: int) -> list[tuple[int, str]]:
    """(pid, start time) of the direct children of process ``parent`` (a server's kernels)."""
    return [
        (int(proc.name), fields[19])
        for proc in Path("/proc").glob("[0-9]*")
        if (fields := stat_fields(proc.name)) and int(fields[1]) == parent
    ]


def stop_group(process: subprocess.Popen, kernels: list[tuple[int, str]]) -> None:
    """End ``process`` and its process group (SIGTERM, then SIGKILL after a grace period), then
    kill any of ``kernels`` (from `children`, taken before) that outlived it.

    Kernels run in their own process groups (jupyter_client starts them with a new session), so
    a server's group signal does not reach them.
    """
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=wait)
            break
        except ProcessLookupError:
            break
        except subprocess.TimeoutExpired:
            continue
    for pid, started in kernels:
        fields = stat_fields(str(pid))
        if fields and fields[19] == started:  # still that kernel, not a reused pid
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
