"""`demo`: start the fixture legacy app and run claims-intake on the bundled claims.

The fixture app and the claim files live in the project's source tree (``fixtures/``), not in
the installed package: the demo finds them beside ``bots/`` and says so when they are not there.
"""

from __future__ import annotations

import importlib
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bots.commands.common import fail, state_dir
from bots.commands.run import run
from bots.engine.summary import EXIT_RECIPE
from bots.secrets import load_dotenv, register_secret

DEMO_RECIPE = "claims-intake"
SOURCE_TREE = Path(__file__).resolve().parents[2]


def demo(recipe: str = DEMO_RECIPE, *, concurrency: int | None = None,
         dry_run: bool = False) -> int:
    """Run a recipe against a local legacy app; the run's exit code."""
    launch = fixture_app()
    if launch is None:
        fail(f"the demo needs the project's source tree (fixtures/legacy_app beside bots/), "
             f"which {SOURCE_TREE} does not have: run it from a clone of the project")
        return EXIT_RECIPE
    load_dotenv(Path(".env"))
    os.environ.setdefault("LEGACY_USER", "demo.bot")
    # a fresh password per demo unless one is given: nothing secret lives in the repository
    os.environ.setdefault("LEGACY_PASSWORD", secrets.token_urlsafe(12))
    register_secret(os.environ["LEGACY_PASSWORD"])
    os.environ.setdefault("BOTS_ISOLATE_NETWORK", "1")
    db_path = state_dir() / "demo" / "legacy_app.sqlite"
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with launch(db_path=db_path) as app:
        os.environ["LEGACY_URL"] = app.url
        _say(f"fixture legacy app running at {app.url} (its database: {db_path})")
        code = run(recipe, concurrency=concurrency, dry_run=dry_run)
        _say(f"in the legacy app now: {len(app.claims())} claim(s), {len(app.orders())} "
             "order(s). The exception queue: python runner.py exceptions")
    return code


def _say(message: str) -> None:
    print(f"[demo] {message}", file=sys.stderr, flush=True)


def fixture_app() -> Callable[..., Any] | None:
    """The fixture app's `launch`, from the source tree; None in an installed package."""
    if not (SOURCE_TREE / "fixtures" / "legacy_app" / "launch.py").is_file():
        return None
    if str(SOURCE_TREE) not in sys.path:
        sys.path.insert(0, str(SOURCE_TREE))
    launcher: Callable[..., Any] = importlib.import_module("fixtures.legacy_app.launch").launch
    return launcher
