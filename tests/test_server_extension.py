"""course_lib.server_extension: kernel WebSockets without Nagle's delay.

The browser bench measures what this changes (the floor of a label-only slider). These tests
check the mechanism: the wrapped connection turns TCP_NODELAY on for a real Tornado WebSocket
before connecting, the extension wraps whatever class the server is configured with, and the
switch that enables it is installed by both routes (the wheel's data file; the Makefile for the
editable install). The wheel route is checked in a fresh venv by tests/test_packaging.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tomllib
from pathlib import Path
from types import SimpleNamespace

from course_testing import run_async
from jupyter_client.session import Session
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application
from tornado.websocket import WebSocketHandler, websocket_connect

from course_lib import server_extension
from course_lib.server_extension import CONNECTION_SETTING, holding_widget_busy, without_nagle

ROOT = Path(__file__).resolve().parents[1]
SWITCH = "jupyter-config/jupyter_server_config.d/course_lib.server_extension.json"


class _Connection:
    """Stands in for a jupyter_server connection: records what happened, in order."""

    def __init__(self, websocket_handler) -> None:
        self.websocket_handler = websocket_handler
        self.events: list = []

    def connect(self):
        self.events.append(("connect", getattr(self.websocket_handler, "nodelay", None)))
        return "connected"


class _Handler:
    nodelay = None

    def set_nodelay(self, value: bool) -> None:
        self.nodelay = value


def test_the_wrapped_connection_sets_nodelay_before_it_connects():
    wrapped = without_nagle(_Connection)
    connection = wrapped(_Handler())
    assert connection.connect() == "connected"
    assert connection.events == [("connect", True)]  # on when the base class connected
    assert issubclass(wrapped, _Connection)
    assert wrapped.__name__ == "_ConnectionWithoutNagle"


def test_one_class_per_base_and_a_wrapped_class_is_not_wrapped_again():
    wrapped = without_nagle(_Connection)
    assert without_nagle(_Connection) is wrapped
    assert without_nagle(wrapped) is wrapped
    holding = holding_widget_busy(_Sender)
    assert holding_widget_busy(_Sender) is holding and holding_widget_busy(holding) is holding


class _Sender:
    """Stands in for a jupyter_server connection's sending side: records what it sends."""

    def __init__(self) -> None:
        self.session = Session(key=b"")
        self.sent: list = []

    def handle_outgoing_message(self, stream, outgoing_msg) -> None:
        self.sent.append(outgoing_msg)


def _iopub(session: Session, msg_type: str, content: dict, parent_type: str, parent=None):
    """A kernel message's frames (as the server gets them) answering a new ``parent_type``
    message, or ``parent`` (a message from an earlier call); returns (frames, parent)."""
    parent = parent or session.msg(parent_type, {})
    return session.serialize(session.msg(msg_type, content, parent=parent)), parent


def _held(monkeypatch, uses) -> list:
    """What a holding connection sends for ``uses(connection)`` (a coroutine function)."""
    monkeypatch.setattr(server_extension, "BUSY_AFTER_S", 0.05)
    connection = holding_widget_busy(_Sender)()
    run_async(uses(connection), timeout=30)
    return connection.sent


def test_a_widget_messages_busy_is_dropped_when_the_idle_comes_in_time(monkeypatch):
    found = {}

    async def step(connection):
        session = connection.session
        busy, step = _iopub(session, "status", {"execution_state": "busy"}, "comm_msg")
        figure, _ = _iopub(session, "comm_msg", {"data": {}}, "", step)
        idle, _ = _iopub(session, "status", {"execution_state": "idle"}, "", step)
        for frames in (busy, figure, idle):
            connection.handle_outgoing_message("iopub", frames)
        await asyncio.sleep(0.15)  # three times as long as the busy is held
        found.update(figure=figure, idle=idle)

    assert _held(monkeypatch, step) == [found["figure"], found["idle"]]


def test_a_slow_widget_callback_still_shows_busy_late_and_a_cell_run_at_once(monkeypatch):
    found = {}

    async def slow(connection):
        session = connection.session
        busy, step = _iopub(session, "status", {"execution_state": "busy"}, "comm_msg")
        idle, _ = _iopub(session, "status", {"execution_state": "idle"}, "", step)
        run, _ = _iopub(session, "status", {"execution_state": "busy"}, "execute_request")
        connection.handle_outgoing_message("iopub", busy)
        await asyncio.sleep(0.15)  # the callback outlasts the hold: its busy goes out
        connection.handle_outgoing_message("iopub", idle)
        connection.handle_outgoing_message("iopub", run)  # a cell run's busy: at once
        found.update(busy=busy, idle=idle, run=run)

    assert _held(monkeypatch, slow) == [found["busy"], found["idle"], found["run"]]


def _server_app(connection_class):
    messages: list[str] = []
    return SimpleNamespace(
        web_app=SimpleNamespace(settings={CONNECTION_SETTING: connection_class}),
        kernel_websocket_connection_class=connection_class,
        log=SimpleNamespace(info=lambda text, *args: messages.append(text % args)),
        messages=messages,
    )


def test_loading_wraps_the_class_the_server_is_configured_with():
    class Gateway(_Connection):  # e.g. a gateway server's connection class
        pass

    app = _server_app(Gateway)
    server_extension._load_jupyter_server_extension(app)
    installed = app.web_app.settings[CONNECTION_SETTING]
    assert installed is without_nagle(holding_widget_busy(Gateway))
    assert issubclass(installed, Gateway)
    assert any("Nagle" in m for m in app.messages), app.messages
    assert any("busy is held back" in m for m in app.messages), app.messages
    server_extension._load_jupyter_server_extension(app)  # loaded twice: still one wrapper
    assert app.web_app.settings[CONNECTION_SETTING] is installed


def test_jupyter_server_accepts_the_wrapped_default_connection():
    from jupyter_server.serverapp import ServerApp
    from jupyter_server.services.kernels.connection.channels import (
        ZMQChannelsWebsocketConnection,
    )

    wrapped = without_nagle(holding_widget_busy(ZMQChannelsWebsocketConnection))
    app = ServerApp()
    app.kernel_websocket_connection_class = wrapped  # a traitlets Type: validated here
    assert app.kernel_websocket_connection_class is wrapped
    assert server_extension._jupyter_server_extension_points() == [
        {"module": "course_lib.server_extension"}
    ]


def _nodelay_of_a_real_websocket(wrap: bool) -> int:
    """TCP_NODELAY of the server side of a Tornado WebSocket over loopback, after the
    connection (wrapped by `without_nagle` or not) has connected."""
    seen: dict = {}

    class Handler(WebSocketHandler):
        def open(self):
            connection_class = without_nagle(_Connection) if wrap else _Connection
            connection_class(self).connect()
            sock = self.ws_connection.stream.socket
            seen["nodelay"] = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            self.write_message("opened")

    async def run():
        sockets = bind_sockets(0, "127.0.0.1")
        port = sockets[0].getsockname()[1]
        server = HTTPServer(Application([("/ws", Handler)]))
        server.add_sockets(sockets)
        try:
            client = await websocket_connect(f"ws://127.0.0.1:{port}/ws")
            assert await client.read_message() == "opened"
            client.close()
        finally:
            server.stop()

    run_async(run(), timeout=30)  # beside the loop an earlier Playwright test may leave
    return seen["nodelay"]


def test_a_real_websocket_gets_tcp_nodelay():
    assert _nodelay_of_a_real_websocket(wrap=False) == 0  # Tornado's default: Nagle on
    assert _nodelay_of_a_real_websocket(wrap=True) != 0


def test_the_switch_enables_the_extension():
    config = json.loads((ROOT / SWITCH).read_text(encoding="utf-8"))
    assert config == {"ServerApp": {"jpserver_extensions": {server_extension.__name__: True}}}


def test_the_wheel_and_the_makefile_both_install_the_switch():
    with (ROOT / "pyproject.toml").open("rb") as fh:
        data_files = tomllib.load(fh)["tool"]["setuptools"]["data-files"]
    assert data_files == {"etc/jupyter/jupyter_server_config.d": [SWITCH]}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"SERVER_EXTENSION := {SWITCH}" in makefile
    rule = re.search(r"^\$\(RUN_STAMP\):.*\n(\t.*\n)+", makefile, re.M)
    assert rule, "the Makefile has no $(RUN_STAMP) rule"
    assert "cp $(SERVER_EXTENSION) $(VENV)/etc/jupyter/jupyter_server_config.d/" in rule[0]
    assert "-e ." in rule[0]  # editable: data files are not installed, hence the copy


def test_postbuild_turns_the_extension_on_in_an_environment_from_environment_yml(tmp_path):
    """environment.yml's editable install leaves out the switch; repo2docker (Binder,
    JupyterHub images) runs ``postBuild`` after it, and conda users run it by hand."""
    from jupyter_server.extension.config import ExtensionConfigManager

    script = ROOT / "postBuild"
    assert script.stat().st_mode & 0o111, "postBuild must be executable"
    prefix = tmp_path / "env"
    config = [str(prefix / "etc" / "jupyter")]
    assert ExtensionConfigManager(read_config_path=config).get_jpserver_extensions() == {}
    done = subprocess.run(
        ["bash", str(script), str(prefix)], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    enabled = ExtensionConfigManager(read_config_path=config).get_jpserver_extensions()
    assert enabled == {server_extension.__name__: True}  # as jupyter_server reads it
    copied = prefix / "etc" / "jupyter" / "jupyter_server_config.d" / Path(SWITCH).name
    assert copied.read_bytes() == (ROOT / SWITCH).read_bytes()


def test_postbuild_without_the_course_environment_says_what_to_do(tmp_path):
    bin_dir = tmp_path / "bin"  # a `python` that has no course_lib
    bin_dir.mkdir()
    (bin_dir / "python").write_text(f'#!/bin/sh\nexec {sys.executable} -I -S "$@"\n')
    (bin_dir / "python").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", str(ROOT / "postBuild")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "course_lib is not installed" in done.stderr and "conda activate" in done.stderr
