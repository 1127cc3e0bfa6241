"""A throw-away presenter-mode server (Voila, tools/present.py's command) for tests/test_present.py.

Like lab_server.LabServer: its own process group, Jupyter/IPython/matplotlib state in a
temporary folder, and every kernel it started killed on stop. ``kernels()`` lists the kernels
still running (the server's child processes, read from /proc).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from server_process import children, free_port, stop_group  # noqa: E402

import present  # noqa: E402  (tools/present.py)

__all__ = ["VoilaServer", "free_port"]


class VoilaServer:
    """``tools/present.py``'s Voila on a free port, serving ``root`` (default: notebooks/)."""

    def __init__(self, workdir: Path, root: Path = present.NOTEBOOKS, **options) -> None:
        self.workdir = workdir
        self.root = root
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "voila.log"
        self.options = options
        self.process: subprocess.Popen | None = None

    def _environment(self) -> dict[str, str]:
        env = present.environment()
        for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
            env[var] = str(self.workdir / var.lower())
        env["MPLCONFIGDIR"] = str(self.workdir / "mpl")
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env["PYTHONPATH"]])
        return env

    def start(self, timeout: float = 60.0) -> None:
        command = present.voila_command(self.port, self.root, **self.options)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.root,
                env=self._environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"voila exited early\n{self.log_tail()}")
            with (
                contextlib.suppress(urllib.error.URLError, OSError),
                urllib.request.urlopen(f"{self.base_url}/voila/tree", timeout=2),
            ):
                return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"voila did not answer within {timeout:.0f} s\n{self.log_tail()}")

    def url(self, notebook: str) -> str:
        return f"{self.base_url}/voila/render/{quote(notebook)}"

    def status(self, url: str) -> int:
        """The HTTP status of a GET of ``url`` (404 and friends included). A lesson page is not
        fetched (that would start and run a kernel): it is 200 when its notebook exists."""
        path = urlsplit(url).path
        if path.startswith("/voila/render/"):
            target = self.root / unquote(path.removeprefix("/voila/render/"))
            return 200 if target.is_file() and target.suffix == ".ipynb" else 404
        try:
            with urllib.request.urlopen(url, timeout=60) as reply:
                return reply.status
        except urllib.error.HTTPError as error:
            return error.code

    def kernels(self) -> list[tuple[int, str]]:
        """(pid, start time) of the kernels still running (the server's child processes)."""
        return [] if self.process is None else children(self.process.pid)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return "(no voila log)"
        return "--- last lines of the voila log ---\n" + "\n".join(text)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        stop_group(self.process, self.kernels())
