"""The student's side of grading: runs inside the sandbox, answers the grader over two pipes.

Started by `course_lib.grading.kernel` as ``python -m course_lib.grading.runner IN OUT``, where
IN and OUT are the numbers of two pipes inherited from the grader. Everything the student's
code prints goes to /dev/null: the grader reads only the pipe, one JSON request and one JSON
reply per line. The requests:

- ``{"op": "run", "source": ...}``: run one cell in an IPython shell (magics work); the reply
  says whether it raised, and what (``"ename: evalue"``);
- ``{"op": "get", "names": [...]}``: the named answers, as plain data (`answers.encode`);
- ``{"op": "call", "name": ..., "args": [...], "kwargs": {...}}``: call a function answer with
  plain-data arguments and return its result as plain data.

The student's code shares this process and may tamper with it; that can only garble its own
answers, which the grader checks as data in its own process.
"""

from __future__ import annotations

import json
import os
import sys

__all__ = ["main", "serve"]

_MAX_ERROR = 500


def _summary(exc: BaseException | None) -> str:
    if exc is None:
        return ""
    return f"{type(exc).__name__}: {exc}"[:_MAX_ERROR]


def _handle(shell, request: dict) -> dict:
    from course_lib.grading.answers import decode, encode

    op = request.get("op")
    if op == "run":
        result = shell.run_cell(str(request.get("source", "")), store_history=False)
        error = result.error_in_exec or result.error_before_exec
        return {"ok": error is None, "error": _summary(error)}
    if op == "get":
        names = [str(n) for n in request.get("names", [])]
        ns = shell.user_ns
        return {"answers": {n: encode(ns[n]) for n in names if n in ns}}
    if op == "call":
        function = shell.user_ns.get(str(request.get("name")))
        if not callable(function):
            return {"error": f"{request.get('name')!r} is not a function"}
        args = [decode(a) for a in request.get("args", [])]
        kwargs = {str(k): decode(v) for k, v in request.get("kwargs", {}).items()}
        try:
            return {"result": encode(function(*args, **kwargs))}
        except Exception as exc:  # the student's function raised: the grader reports it
            return {"error": _summary(exc), "ename": type(exc).__name__, "evalue": str(exc)[:400]}
    return {"error": f"unknown request {op!r}"}


def serve(requests, replies) -> None:
    """Answer requests (one JSON object per line of ``requests``) until it closes."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    for line in requests:
        try:
            reply = _handle(shell, json.loads(line))
        except Exception as exc:  # never let one bad request end the conversation
            reply = {"error": _summary(exc)}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


def main(argv: list[str] | None = None) -> int:
    """Serve the grader on the pipes named by their file descriptors in ``argv``."""
    fd_in, fd_out = (int(x) for x in (argv or sys.argv[1:])[:2])
    requests = os.fdopen(fd_in, "r", encoding="utf-8")
    replies = os.fdopen(fd_out, "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # the student's prints and errors go nowhere the grader reads
        os.dup2(devnull, fd)
    serve(requests, replies)
    return 0


if __name__ == "__main__":
    sys.exit(main())
