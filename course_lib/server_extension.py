"""Kernel messages sent at once: a Jupyter server extension for the course's JupyterLab.

A slider step in an explorer is a few small WebSocket messages from the server to the page:
the kernel's "busy", the widget's echo of the new value, the new figure, "idle".
jupyter_server leaves Nagle's algorithm on for its kernel WebSockets (Tornado's default). A
message written while the previous one is still unacknowledged then waits for the browser's
acknowledgement, which TCP may delay by up to 40 ms. About every other slider step paid that
wait. On the course's 2-core test machine, a label-only slider below lesson 06, pressed again
as soon as the kernel was idle, answered in 62 ms (median, key press to painted page) without
this extension and in 41 ms with it (34 ms in an otherwise empty notebook).

`without_nagle` wraps the server's connection class (whichever it is configured to use) so
that a kernel WebSocket sets TCP_NODELAY as it opens; nothing else about the connection
changes.

`holding_widget_busy` wraps it too: the kernel's "busy" for a widget message (a slider step,
a click) is held back for `BUSY_AFTER_S` and dropped if the kernel is idle again by then, as it
almost always is. JupyterLab otherwise redraws its kernel indicators (toolbar, status bar, tab
icon) twice per step, "busy" then "idle": on the 2-core test machine that work competed with
the kernel drawing the new figure. Lessons 04 and 06, two alternating runs each of the browser
bench: first actions on a control 44 and 49 ms (median) with it against 59 and 66 ms without;
later actions 18 and 23 against 28 and 30 ms. The "idle" is always sent (ipywidgets waits for
it before it sends the next change of a control), and a callback that runs longer than
`BUSY_AFTER_S` still shows "busy", late by that much. A cell run is not touched.

The switch that enables the extension is
``jupyter-config/jupyter_server_config.d/course_lib.server_extension.json``: the wheel installs
it into ``etc/jupyter/jupyter_server_config.d/`` of its environment, and ``make lab`` copies it
there for the editable install (which leaves data files out). Every Jupyter server of that
environment then loads the extension; ``jupyter server extension list`` shows it.
"""

from __future__ import annotations

import asyncio
from functools import cache

__all__ = [
    "BUSY_AFTER_S",
    "CONNECTION_SETTING",
    "holding_widget_busy",
    "widget_status",
    "without_nagle",
]

#: Seconds a widget message's "busy" is held back: sent only if the kernel is still busy then.
BUSY_AFTER_S = 0.1

#: The web application setting that holds the kernel WebSocket connection class.
CONNECTION_SETTING = "kernel_websocket_connection_class"


@cache
def without_nagle(connection_class: type) -> type:
    """A subclass of ``connection_class`` (a jupyter_server kernel WebSocket connection) that
    turns Nagle's algorithm off for its WebSocket before connecting; one class per base, and
    a class made here is returned as it is."""
    if getattr(connection_class, "sends_without_nagle", False):
        return connection_class

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super(wrapped, self).connect()

    wrapped = type(
        connection_class.__name__ + "WithoutNagle",
        (connection_class,),
        {
            "connect": connect,
            "sends_without_nagle": True,
            "__module__": __name__,
            "__doc__": f"{connection_class.__name__}, with TCP_NODELAY on its WebSocket.",
        },
    )
    return wrapped


def widget_status(session, frames: list) -> tuple[str, str] | None:
    """``(execution state, the widget message's id)`` for a kernel status message that answers
    a widget (comm) message, given its frames after the identities (``frames[0]`` is the
    signature); None for any other message."""
    header = session.unpack(frames[1])
    if header.get("msg_type") != "status":
        return None
    parent = session.unpack(frames[2])
    if parent.get("msg_type") != "comm_msg":
        return None
    return session.unpack(frames[4]).get("execution_state"), parent.get("msg_id")


@cache
def holding_widget_busy(connection_class: type) -> type:
    """A subclass of ``connection_class`` (a jupyter_server kernel WebSocket connection) that
    holds a widget message's "busy" back for `BUSY_AFTER_S` and drops it if the "idle" comes
    first; every other message goes out as before. One class per base."""
    if getattr(connection_class, "holds_widget_busy", False):
        return connection_class

    def handle_outgoing_message(self, stream, outgoing_msg):
        send = super(wrapped, self).handle_outgoing_message
        channel = stream if isinstance(stream, str) else getattr(stream, "channel", None)
        found = None
        if channel == "iopub":
            try:
                found = widget_status(self.session, self.session.feed_identities(outgoing_msg)[1])
            except Exception:  # not ours to judge: sent as it is
                found = None
        if found is None:
            return send(stream, outgoing_msg)
        state, parent = found
        held = self.__dict__.setdefault("_held_busy", {})
        if state == "busy":

            def late() -> None:  # still busy: the page is told after all
                if held.pop(parent, None) is not None:
                    send(stream, outgoing_msg)

            # The server's event loop (the connection's messages arrive in its thread).
            held[parent] = asyncio.get_running_loop().call_later(BUSY_AFTER_S, late)
            return None
        if state == "idle" and (timer := held.pop(parent, None)) is not None:
            timer.cancel()  # the busy never reaches the page
        return send(stream, outgoing_msg)

    wrapped = type(
        connection_class.__name__ + "HoldingWidgetBusy",
        (connection_class,),
        {
            "handle_outgoing_message": handle_outgoing_message,
            "holds_widget_busy": True,
            "__module__": __name__,
            "__doc__": f"{connection_class.__name__}, holding a widget message's busy back.",
        },
    )
    return wrapped


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Give the server's kernel WebSockets TCP_NODELAY and hold a widget message's busy back
    (jupyter_server calls this at start)."""
    settings = serverapp.web_app.settings
    current = settings.get(CONNECTION_SETTING) or serverapp.kernel_websocket_connection_class
    settings[CONNECTION_SETTING] = without_nagle(holding_widget_busy(current))
    serverapp.log.info("il6-course: kernel WebSockets send without Nagle's delay")
    serverapp.log.info(
        "il6-course: a widget message's busy is held back %.0f ms", BUSY_AFTER_S * 1e3
    )
