"""A throw-away JupyterLab server for tests/test_browser.py, and what its page looks like.

The selectors and scripts below were checked against JupyterLab 4.6 with ipywidgets 8.1 (see
/work/shared/design/BROWSER_TESTING.md); a new JupyterLab should only need changes here and in
tests/page_checks.py (the clipping, axe and predict-box checks).

Named ``lab_server`` rather than ``jupyter_server`` so that putting tests/ on ``sys.path``
(pytest's default import mode) cannot shadow the real ``jupyter_server`` package.

The server runs the test's own Python (``sys.executable -m jupyter lab``), so its kernels use the
same environment as the test. Everything it writes (config, runtime files, workspaces, IPython
and matplotlib caches, the notebooks it runs) lives in a temporary folder.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import nbformat
from server_process import children, free_port, stop_group

# Keep headless Chromium quiet on a closed network (BROWSER_TESTING.md). Playwright adds
# --headless and a fresh temporary profile (--user-data-dir) itself.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# --- The page (JupyterLab 4.6) ---

# The open notebook (`?reset` in the URL leaves exactly one panel).
NOTEBOOK = ".jp-NotebookPanel .jp-Notebook"
# JupyterLab 4.6 renders tracebacks with the stderr MIME type too; the error type is kept in
# case a later version stops converting them.
ERROR_OUTPUTS = ", ".join(
    f'{NOTEBOOK} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.{kind}"]'
    for kind in ("stderr", "error")
)
# ipywidgets 8 gives IntSlider, FloatSlider, FloatLogSlider, SelectionSlider (and the range
# sliders) the class widget-slider; each has noUiSlider handles (.noUi-handle, aria-value*).
SLIDERS = f"{NOTEBOOK} .widget-slider"
KERNEL_IDLE = (
    "[...document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem')]"
    ".some(e => e.textContent.includes('| Idle'))"
)
PENDING = (  # a cell queued or running shows the prompt "[*]:"
    f"[...document.querySelectorAll('{NOTEBOOK} .jp-CodeCell .jp-InputPrompt')]"
    ".some(p => p.textContent.includes('*'))"
)
# Run All can finish between two polls; a MutationObserver set up before the click catches
# the first "[*]:" however brief, so a stale idle state cannot end the wait early.
WATCH_RUN_JS = f"""() => {{
    window.__courseRunStarted = false;
    const observer = new MutationObserver(() => {{
        if ({PENDING}) {{ window.__courseRunStarted = true; observer.disconnect(); }}
    }});
    observer.observe(document.querySelector('{NOTEBOOK}'),
                     {{subtree: true, childList: true, characterData: true}});
}}"""
# Output of a widget callback that no cell owns (e.g. an exception in an observe() handler)
# goes to the log console, announced by a status bar item; errors are logged at level "error".
LOG_ERRORS_JS = """() => [...document.querySelectorAll('.jp-LogConsolePanel .jp-OutputArea-child')]
    .filter(c => ['error', 'critical'].includes(
        c.querySelector('[data-log-level]')?.dataset.logLevel))
    .map(c => c.querySelector('.jp-OutputArea-output').textContent)"""

# --- The course's own outputs: layout, accessibility, predict-commit-reveal ---

# Every cell's output area in the open notebook (not the log console's, not the prompts).
OUTPUT_AREAS = f"{NOTEBOOK} .jp-Cell-outputArea"
OUTPUT_PROMPTS = f"{NOTEBOOK} .jp-OutputPrompt"
# Whether an element's notebook cell is the active (selected) one.
CELL_ACTIVE_JS = "(el) => el.closest('.jp-Cell').classList.contains('jp-mod-active')"


def code_notebook(folder: Path, name: str, cells: list[str]) -> Path:
    """Write a notebook of code ``cells`` (sources) with a Python 3 kernelspec, as ``name`` in
    ``folder``; its path."""
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(book, folder / name)
    return folder / name


@contextmanager
def lab_page(browser, notebooks: Path, workdir: Path):
    """A JupyterLab serving the folder ``notebooks`` and a page of its own (a new browser
    context, 1400x1000): ``(server, page)``; both are closed afterwards."""
    server = LabServer(notebooks, workdir)
    server.start(timeout=60)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        yield server, context.new_page()
    finally:
        context.close()
        server.stop()


@contextmanager
def run_notebook(browser, tmp_path_factory, name: str, cells: list[str]):
    """A page of its own JupyterLab with a notebook of code ``cells`` (written as ``name`` in a
    temporary folder) open and run (`run_all`); the folders are removed afterwards."""
    stem = Path(name).stem
    folder = tmp_path_factory.mktemp(f"{stem}-notebooks")
    code_notebook(folder, name, cells)
    try:
        with lab_page(browser, folder, tmp_path_factory.mktemp(f"{stem}-lab")) as (server, page):
            run_all(page, server.lab_url(name))
            yield page
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_all(page, url: str, timeout_ms: float = 120_000) -> None:
    """Open the notebook at ``url``, wait for an idle kernel, Run All (from the Run menu, as a
    student does) and wait until every cell has run and the kernel stayed idle for two polls."""
    page.goto(url, timeout=timeout_ms)
    page.wait_for_selector(NOTEBOOK, timeout=timeout_ms)
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)
    page.evaluate(WATCH_RUN_JS)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.wait_for_function("() => window.__courseRunStarted", timeout=timeout_ms)
    deadline, settled = time.monotonic() + timeout_ms / 1000, 0
    while settled < 2:
        if time.monotonic() > deadline:
            raise TimeoutError(f"Run All did not finish within {timeout_ms / 1000:.0f} s")
        settled = settled + 1 if page.evaluate(f"() => {KERNEL_IDLE} && !({PENDING})") else 0
        time.sleep(0.3)


# Settings written as the user's JupyterLab settings (in a temporary user-settings folder).
USER_SETTINGS = {
    # No "would you like news?" toast and no update check: a closed network, and a toast can
    # cover the notebook.
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # Lay out every cell. In the default mode ("contentVisibility") the browser skips the layout
    # of cells scrolled out of view: their widths read 0 and axe-core sees them as hidden, so
    # the clipping and accessibility checks would miss everything below the fold.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


class LabServer:
    """Start ``jupyter lab`` on a free loopback port with a random token; `stop` ends it.

    Parameters
    ----------
    notebooks : Path
        Folder whose contents are copied into ``workdir/notebooks``, the server's root_dir.
    workdir : Path
        An empty temporary folder owned by the caller.
    """

    def __init__(self, notebooks: Path, workdir: Path) -> None:
        self.workdir = workdir
        self.root = workdir / "notebooks"
        # A copy, so that running cells never writes outputs into the repository's notebooks.
        shutil.copytree(notebooks, self.root)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "jupyter-lab.log"
        self.process: subprocess.Popen | None = None

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
            env[var] = str(self._mkdir(var.lower()))
        env["MPLCONFIGDIR"] = str(self._mkdir("mplconfig"))
        # `make test` exports MPLBACKEND=Agg for the test process; a kernel that inherited it
        # could not show pyplot figures inline. Kernels should start as a student's would.
        env.pop("MPLBACKEND", None)
        env.pop("JUPYTER_TOKEN", None)
        return env

    def _mkdir(self, name: str) -> Path:
        path = self.workdir / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _write_user_settings(self) -> Path:
        settings_dir = self._mkdir("user-settings")
        for plugin, values in USER_SETTINGS.items():
            package, _, name = plugin.rpartition("/")
            target = settings_dir / package / f"{name}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        return settings_dir

    def start(self, timeout: float = 60.0) -> None:
        """Launch the server and wait until ``/api/status`` answers."""
        command = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",  # fail rather than silently move to another port
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            f"--LabApp.user_settings_dir={self._write_user_settings()}",
            f"--LabApp.workspaces_dir={self._mkdir('workspaces')}",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        with open(self.log_path, "wb") as log:
            # Its own process group, so that `stop` can signal the server as a whole.
            self.process = subprocess.Popen(
                command,
                cwd=self.workdir,
                env=self._environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.process.returncode} before it was ready."
                    f"\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(self.api_url("/api/status"), timeout=2) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"JupyterLab did not answer {self.base_url}/api/status within {timeout:.0f} s."
            f"\n{self.log_tail()}"
        )

    def api_url(self, path: str) -> str:
        return f"{self.base_url}{path}?token={self.token}"

    def lab_url(self, notebook: str) -> str:
        """The page that opens ``notebook``; ``reset`` starts from an empty workspace, so tabs
        left open by an earlier test are not restored next to it."""
        return f"{self.base_url}/lab/tree/{quote(notebook)}?token={self.token}&reset"

    def shutdown_kernels(self) -> None:
        """Delete every session (and so its kernel); errors are ignored (best effort)."""
        try:
            with urllib.request.urlopen(self.api_url("/api/sessions"), timeout=5) as reply:
                sessions = json.load(reply)
            for session in sessions:
                url = self.api_url(f"/api/sessions/{session['id']}")
                request = urllib.request.Request(url, method="DELETE")
                with urllib.request.urlopen(request, timeout=10):
                    pass
        except (urllib.error.URLError, OSError, ValueError):
            pass

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log, for failure messages."""
        try:
            text = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return "(no server log)"
        return "--- last lines of the JupyterLab log ---\n" + "\n".join(text)

    def loaded_extension(self, module: str) -> bool:
        """Whether the server's log says it loaded the server extension ``module``."""
        try:
            log = self.log_path.read_text(errors="replace")
        except OSError:
            return False
        return f"{module} | extension was successfully loaded" in log

    def stop(self) -> None:
        """Shut down the kernels and the server; kill whatever is left after a grace period.

        Kernels are asked to stop through the REST API first and, should one survive the
        server, are killed by pid (`server_process.stop_group`).
        """
        if self.process is None or self.process.poll() is not None:
            return
        self.shutdown_kernels()
        stop_group(self.process, children(self.process.pid))
