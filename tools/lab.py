"""Start JupyterLab on the start-here lesson: what `make lab` runs.

Checks the port first and says plainly what to do when it is taken, adds ``--allow-root``
only when running as root, and does not try to open a browser on a machine without a
display (it prints the URL instead, as JupyterLab always does).
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = "notebooks/00_start_here.ipynb"


def port_problem(host: str, port: int) -> str | None:
    """None when ``port`` on ``host`` can be listened on; otherwise what is wrong, in words."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                return f"port {port} is already in use (another Jupyter or web server?)"
            if err.errno == errno.EACCES:
                return f"port {port} needs administrator rights"
            return f"port {port} cannot be used: {err.strerror}"
    return None


def has_display() -> bool:
    """Whether a browser window could open here (macOS and Windows always; Linux with X/Wayland)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# JupyterLab asks every new user whether to fetch Jupyter news; students should not meet that
# question in class. The override applies to this course's environment only.
NEWS_OFF = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                          "checkForUpdates": False}}  # fmt: skip


def quiet_news(prefix: Path = Path(sys.prefix)) -> Path:
    """Add the no-news setting to the environment's overrides.json, keeping what is there."""
    path = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    try:
        current = json.loads(path.read_text()) if path.exists() else {}
    except (OSError, ValueError):
        return path  # an unreadable file is someone else's; leave it alone
    if all(key in current for key in NEWS_OFF):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**NEWS_OFF, **current}, indent=2) + "\n")
    return path


def command(port: int, host: str, *, root: bool, browser: bool) -> list[str]:
    """The ``jupyter lab`` command line."""
    cmd = [
        sys.executable, "-m", "jupyter", "lab", f"--LabApp.default_url=/lab/tree/{START}",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--ServerApp.ip={host}",
        f"--ServerApp.root_dir={ROOT}",
    ]  # fmt: skip
    if not browser:
        cmd.append("--no-browser")
    if root:
        cmd.append("--allow-root")
    return cmd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535:
        print(f"error: PORT must be between 1 and 65535; got {args.port}.", file=sys.stderr)
        return 2
    problem = port_problem(args.host, args.port)
    if problem:
        print(
            f"error: cannot start JupyterLab: {problem}.\n"
            f"       Choose another port, e.g.  make lab PORT={args.port + 1}",
            file=sys.stderr,
        )
        return 1
    quiet_news()
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    cmd = command(args.port, args.host, root=root, browser=has_display())
    print(f"Starting JupyterLab on {START} (port {args.port}); stop it with Ctrl+C.", flush=True)
    os.chdir(ROOT)
    os.execv(cmd[0], cmd)  # replaces this process: Ctrl+C goes straight to Jupyter


if __name__ == "__main__":
    sys.exit(main())
