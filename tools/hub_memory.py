"""Measure the memory one student needs on a JupyterHub: the figure the instructor guide quotes.

What it does, as one student would: start JupyterLab's server (no browser) on a free loopback
port, open every lesson through the server's REST API (one session, so one kernel, per
notebook, as JupyterLab does when a notebook is opened), run each lesson top to bottom in its
kernel with nbclient, then move every control of every explorer the lesson displayed to both
ends of its range and back (each move redraws a figure), and keep every kernel alive, as a
student who leaves all lessons open.
With ``--exercises`` the exercise notebooks are then opened and run too (their stubs raise
NotImplementedError, which is expected). A thread samples, twice a second, the resident memory
(RSS) and the proportional set size (PSS: shared pages split between the processes that share
them, which is closer to what a container's memory limit counts) of the server and all its
child processes, and the peak of each sum is printed.

    python tools/hub_memory.py                 # lessons 00-07
    python tools/hub_memory.py --exercises     # lessons, then the exercise notebooks
    python tools/hub_memory.py --exercises --solved   # ... with every exercise answered

What it does not do: no browser is attached, so the server relays and buffers no websocket
traffic (the widget messages of each move reach only the measuring client); see
docs/instructors/running.md for the margin to add.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
import requests
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
#: Run after a lesson, in its kernel: move every control of every explorer the lesson displayed
#: (they are kept in IPython's ``Out``) to each end of its range, or through every option, and
#: back, as a student does; each move redraws the explorer's figure. Prints the number of moves.
MOVE_CONTROLS = """
def _move_every_control():
    moves = 0
    for box in list(Out.values()):
        for c in getattr(box, "controls", ()):
            start = c.value
            if hasattr(c, "_options_values"):
                values = list(c._options_values)
            elif isinstance(start, bool):
                values = [not start]
            elif hasattr(c, "base"):
                values = [c.base**c.min, c.base**c.max]
            else:
                values = [c.min, c.max]
            for value in [*values, start]:
                c.value = value
                moves += 1
    return moves
print("controls moved:", _move_every_control())
"""


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sampler(threading.Thread):
    """Sums the RSS and PSS (MB) of a process and its descendants; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_rss = self.peak_pss = 0.0
        self.last: dict[str, float] = {}
        self.stop = threading.Event()

    def sample(self) -> tuple[float, float]:
        rss = pss = 0.0
        for proc in [self.root, *self.root.children(recursive=True)]:
            try:
                info = proc.memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            rss += info.rss / MB
            pss += getattr(info, "pss", info.rss) / MB
        return rss, pss

    def run(self) -> None:
        while not self.stop.is_set():
            rss, pss = self.sample()
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.last = {"rss": rss, "pss": pss}
            self.stop.wait(self.interval)


def start_server(runtime: Path, port: int, token: str) -> subprocess.Popen:
    """JupyterLab's server on ``port``, rooted at the repository, waiting until it answers."""
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)}
    env.pop("MPLBACKEND", None)  # kernels use the inline backend, as in a real session
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}"]
    cmd += ["--ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--notebook-dir={ROOT}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            requests.get(f"http://127.0.0.1:{port}/api/status", params={"token": token}, timeout=2)
            return server
        except requests.ConnectionError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"the Jupyter server did not answer on port {port} within 60 s")


def open_and_run(
    base: str, token: str, runtime: Path, path: str, move_controls: bool = True
) -> tuple[float, list[str], str]:
    """Open ``path`` in a server session, run every cell in its kernel.

    Returns the seconds taken, the names of the errors cells raised and what the last cell printed.
    """
    reply = requests.post(
        f"{base}/api/sessions",
        params={"token": token},
        json={"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
        timeout=60,
    )
    reply.raise_for_status()
    kernel_id = reply.json()["kernel"]["id"]
    kc = AsyncKernelClient(connection_file=str(runtime / f"kernel-{kernel_id}.json"))
    kc.load_connection_file()
    kc.start_channels()
    for attempt in range(10):  # on a loaded machine the heartbeat can lag behind the start
        try:
            run_sync(kc.wait_for_ready)(timeout=120)
            break
        except RuntimeError:
            if attempt == 9:
                raise
            time.sleep(3)
    nb = nbformat.read(ROOT / path, as_version=4)
    if move_controls:
        nb.cells.append(nbformat.v4.new_code_cell(MOVE_CONTROLS))
    client = NotebookClient(nb, timeout=600, allow_errors=True)
    client.kc = kc
    client.reset_execution_trackers()
    start = time.perf_counter()
    for index, cell in enumerate(nb.cells):
        with contextlib.suppress(CellExecutionError):  # an exercise stub's NotImplementedError
            client.execute_cell(cell, index)
    kc.stop_channels()  # the kernel itself stays alive, as an open notebook's does
    errors = [
        out.get("ename", "?")
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    last = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", [])).strip()
    return time.perf_counter() - start, errors, last


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercises", action="store_true", help="also run exercises/*.ipynb")
    parser.add_argument(
        "--solved",
        action="store_true",
        help="with --exercises: run the solved notebooks of solutions/ instead (a student who "
        "has answered every question)",
    )
    parser.add_argument(
        "--no-moves", action="store_true", help="do not move the explorers' controls"
    )
    args = parser.parse_args(argv)
    paths = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("0*.ipynb"))
    if args.exercises:
        folder = ROOT / ("solutions" if args.solved else "exercises")
        paths += sorted(p.relative_to(ROOT).as_posix() for p in folder.glob("*.ipynb"))
    token, port = secrets.token_hex(16), free_port()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp), port, token)
        sampler = Sampler(server.pid)
        try:
            time.sleep(2)
            idle_rss, idle_pss = sampler.sample()
            print(f"server alone: RSS {idle_rss:.0f} MB, PSS {idle_pss:.0f} MB", flush=True)
            sampler.start()
            for path in paths:
                seconds, errors, last = open_and_run(
                    f"http://127.0.0.1:{port}", token, Path(tmp), path, not args.no_moves
                )
                rss, pss = sampler.sample()
                row = {"notebook": path, "seconds": round(seconds, 1), "errors": errors}
                row["moves"] = last.removeprefix("controls moved: ") if "moved" in last else "-"
                rows.append({**row, "rss_mb": round(rss), "pss_mb": round(pss)})
                print(
                    f"{path}: {seconds:.0f} s, errors {errors}, moves {row['moves']}; RSS {rss:.0f} MB"
                )
            time.sleep(2)
        finally:
            sampler.stop.set()
            kernels = psutil.Process(server.pid).children(recursive=True)
            server.terminate()
            server.wait(timeout=60)
            for kernel in kernels:  # the server shuts its kernels down; this makes sure
                if kernel.is_running():
                    kernel.kill()
    peaks = {"peak_rss_mb": round(sampler.peak_rss), "peak_pss_mb": round(sampler.peak_pss)}
    print(json.dumps({"kernels": len(paths), **peaks, "notebooks": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
