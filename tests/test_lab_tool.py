"""`make lab`'s launcher: port checks, root handling, headless use."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import lab  # noqa: E402


def test_busy_port_is_reported_in_words_not_a_traceback():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert "already in use" in lab.port_problem("127.0.0.1", port)
        result = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "lab.py"), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"port {port} is already in use" in result.stderr
    assert f"make lab PORT={port + 1}" in result.stderr
    assert "Traceback" not in result.stderr


def test_free_port_has_no_problem():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert lab.port_problem("127.0.0.1", port) is None


def test_out_of_range_port():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "lab.py"), "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "between 1 and 65535; got 70000" in result.stderr


def test_command_line():
    cmd = lab.command(9000, "127.0.0.1", root=False, browser=False)
    assert "--allow-root" not in cmd and "--no-browser" in cmd
    assert "--ServerApp.port=9000" in cmd and "--ServerApp.port_retries=0" in cmd
    assert f"--LabApp.default_url=/lab/tree/{lab.START}" in cmd
    assert (ROOT / lab.START).exists()
    assert "--allow-root" in lab.command(9000, "127.0.0.1", root=True, browser=True)
    assert "--no-browser" not in lab.command(9000, "127.0.0.1", root=True, browser=True)


def test_headless_detection(monkeypatch):
    monkeypatch.setattr(lab.sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert lab.has_display() is False
    monkeypatch.setenv("DISPLAY", ":0")
    assert lab.has_display() is True


def test_quiet_news_adds_the_setting_and_keeps_existing_ones(tmp_path):
    settings = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}')
    assert lab.quiet_news(tmp_path) == settings
    data = json.loads(settings.read_text())
    assert data["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert data["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    before = settings.stat().st_mtime_ns
    lab.quiet_news(tmp_path)  # already there: not rewritten
    assert settings.stat().st_mtime_ns == before


def test_quiet_news_leaves_an_unreadable_file_alone(tmp_path):
    settings = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings.parent.mkdir(parents=True)
    settings.write_text("{not json")
    lab.quiet_news(tmp_path)
    assert settings.read_text() == "{not json"
