#!/usr/bin/env python3
"""Run a recipe (`python runner.py claims-intake`) or a command (`python runner.py --help`)."""

import sys

from bots.bootstrap import ensure_ready

if __name__ == "__main__":
    ensure_ready(sys.argv)
    from bots.cli import main
    from bots.terminal import stdout_gone

    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:  # `... | head` read what it wanted: stop quietly, as tools do
        stdout_gone()
        sys.exit(0)
