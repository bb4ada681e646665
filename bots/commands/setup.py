"""`setup`: (re)install the project into .venv and say what was found."""

from __future__ import annotations

import os

from bots import bootstrap


def report_setup() -> int:
    """Run the setup again (idempotent) and report the browser the toolkit will use."""
    if not os.environ.pop("BOTS_JUST_SET_UP", ""):
        bootstrap.setup()
    try:
        from bots.web.browser import find_browser

        print(f"browser: {find_browser() or 'Playwright bundled Chromium'}")
    except Exception as error:  # a missing browser is reported, the venv is still usable
        print(f"browser: not found ({error})")
    return 0
