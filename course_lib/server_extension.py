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
changes. The switch that enables it is
``jupyter-config/jupyter_server_config.d/course_lib.server_extension.json``: the wheel installs
it into ``etc/jupyter/jupyter_server_config.d/`` of its environment, and ``make lab`` copies it
there for the editable install (which leaves data files out). Every Jupyter server of that
environment then loads the extension; ``jupyter server extension list`` shows it.
"""

from __future__ import annotations

from functools import cache

__all__ = ["CONNECTION_SETTING", "without_nagle"]

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


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Give the server's kernel WebSockets TCP_NODELAY (jupyter_server calls this at start)."""
    settings = serverapp.web_app.settings
    current = settings.get(CONNECTION_SETTING) or serverapp.kernel_websocket_connection_class
    settings[CONNECTION_SETTING] = without_nagle(current)
    serverapp.log.info("il6-course: kernel WebSockets send without Nagle's delay")
