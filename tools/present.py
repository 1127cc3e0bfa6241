"""Presenter mode: serve the lessons with Voila as apps, what `make present LESSON=04` runs.

Voila serves ``notebooks/`` (so links between lessons and to the glossary work) with the
course-present template (present/voila/templates/course-present): code hidden, only the cells
tools/present_tags.py tagged, explorers enlarged, larger type. Kernels do not outlive their
page: once a page is closed its kernel has no connection, and Voila's kernel manager culls a
kernel without connection that has been idle ``--cull-after`` seconds (30 by default; the
MappingKernelManager culling settings; an open page is never culled, however idle). Voila 0.5.13
itself does not shut the kernel down when the page closes (checked: the kernel stays until culled).

    python tools/present.py --lesson 04 [--port 8866]
    python tools/present.py --print-command      # the voila command, to run or adapt by hand
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TEMPLATES = ROOT / "present"  # holds voila/templates/course-present; goes on JUPYTER_PATH
TEMPLATE = "course-present"
PREPROCESSOR = "present_tags.PresentPreprocessor"  # tools/ goes on PYTHONPATH

__all__ = ["environment", "lesson_path", "voila_command"]


def lesson_path(lesson: str, notebooks: Path = NOTEBOOKS) -> Path:
    """The notebook for ``lesson`` ("04", "4", "glossary" or a file name) in ``notebooks``."""
    name = lesson.removesuffix(".ipynb")
    if name.isdigit():
        name = f"{int(name):02d}_"
    matches = sorted(p for p in notebooks.glob("*.ipynb") if p.stem.startswith(name))
    if len(matches) != 1:
        known = ", ".join(p.stem for p in sorted(notebooks.glob("*.ipynb")))
        raise SystemExit(f"error: no single lesson matches {lesson!r}; choose one of: {known}")
    return matches[0]


def voila_command(
    port: int,
    root: Path = NOTEBOOKS,
    *,
    ip: str = "127.0.0.1",
    cull_after: int = 30,
    cull_interval: int = 10,
    extra: tuple[str, ...] = (),
) -> list[str]:
    """The Voila command line that serves ``root`` in presenter mode."""
    command = [
        sys.executable,
        "-m",
        "voila",
        str(root),
        "--no-browser",
        f"--Voila.ip={ip}",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--VoilaExporter.preprocessors={PREPROCESSOR}",
        # An idle kernel whose page has gone (no connection) is shut down; an open page keeps its own.
        f"--MappingKernelManager.cull_idle_timeout={cull_after}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        "--MappingKernelManager.cull_connected=False",
        *extra,
    ]
    return command


def environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's) with the template and preprocessor findable."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATES), env.get("JUPYTER_PATH")]))
    tools = str(ROOT / "tools")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [tools, env.get("PYTHONPATH")]))
    env.pop("MPLBACKEND", None)  # kernels draw inline, as a student's would
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lesson", default="00", help="lesson number or notebook name")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--cull-after", type=int, default=30, help="seconds (default 30)")
    parser.add_argument("--print-command", action="store_true", help="print it, do not run it")
    args = parser.parse_args(argv)
    page = lesson_path(args.lesson)
    command = voila_command(args.port, cull_after=args.cull_after)
    if args.print_command:
        env = environment({})
        print(f"JUPYTER_PATH={env['JUPYTER_PATH']} PYTHONPATH={env['PYTHONPATH']} \\")
        print("  " + shlex.join(command))
        return 0
    url = f"http://127.0.0.1:{args.port}/voila/render/{quote(page.name)}"
    print(f"Presenter mode: open {url}  (Ctrl+C stops the server)", flush=True)
    try:
        return subprocess.call(command, env=environment(), cwd=NOTEBOOKS)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
