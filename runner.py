#!/usr/bin/env python3
"""Run a recipe (`python runner.py claims-intake`) or a command (`python runner.py --help`)."""

import atexit
import contextlib
import os
import sys
import threading

from bots.bootstrap import ensure_ready


def exit_now(code: int) -> None:
    """End the process as Python's own exit would (other threads joined, exit handlers run,
    output flushed) but without tearing down every module and object one by one: that
    teardown took a second of every run's end on a loaded machine, and nothing needs it."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):  # its reader left, or closed
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    ensure_ready(sys.argv)
    from bots.deferred_import import defer_unused_libraries

    defer_unused_libraries()  # imported by DBOS, used only with PostgreSQL or its own config
    from bots.cli import main
    from bots.terminal import stdout_gone

    try:
        code = main(sys.argv[1:])
    except BrokenPipeError:  # `... | head` read what it wanted: stop quietly, as tools do
        stdout_gone()
        code = 0
    exit_now(code)
