"""`demo`: start the fixture legacy app and run claims-intake on the bundled claims."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from bots.commands.common import state_dir
from bots.commands.run import run
from bots.secrets import load_dotenv, register_secret

DEMO_RECIPE = "claims-intake"


def demo(recipe: str = DEMO_RECIPE, *, concurrency: int | None = None,
         dry_run: bool = False) -> int:
    """Run a recipe against a local legacy app; the run's exit code."""
    from fixtures.legacy_app.launch import launch

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
