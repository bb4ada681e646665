"""What every command shares: where state lives, and printing for people and machines."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from bots.kernel.errors import RecipeError
from bots.terminal import printable, printable_json


def state_dir() -> Path:
    """The folder for the state database, logs, evidence and locks (BOTS_STATE_DIR)."""
    return Path(os.environ.get("BOTS_STATE_DIR", "state")).resolve()


def database_url() -> str:
    """The state database: BOTS_DATABASE_URL, else a SQLite file in the state folder."""
    url = os.environ.get("BOTS_DATABASE_URL")
    if url:
        return url
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'bots.sqlite'}"


def print_json(data: Any) -> None:
    """One line of JSON on stdout, control characters escaped (it may reach a terminal)."""
    print(printable_json(data), flush=True)


def say(text: str, *, err: bool = False) -> None:
    """Print text for people: lines kept, every other control character escaped."""
    print(printable(text, lines=True), file=sys.stderr if err else sys.stdout, flush=True)


def report_recipe_error(error: RecipeError) -> None:
    """Every problem of a recipe, one per line, on stderr."""
    count = len(error.problems)
    print(f"{count} problem{'s' if count != 1 else ''} in the recipe:", file=sys.stderr)
    for problem in error.problems:
        print(f"  {printable(problem)}", file=sys.stderr)


def fail(message: str) -> None:
    say(f"error: {message}", err=True)
