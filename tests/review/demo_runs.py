"""Real runs of both demos and of the bad-input corpus in one state folder, for the item page
tests: built once per test session (tests/built_once.py), each module reading its own copy.

claims-intake reads one inbox holding the demo's claims and the corpus's (one run instead of
two: a runner start and a browser fewer, the same items), then order-entry runs as shipped and
once more over the corpus's order books, all against one fixture legacy app in real Chromium.
A test that wants the demos' items alone leaves out those of the corpus (`from_the_corpus`).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bots.ledger import Ledger
from fixtures.legacy_app import LegacyApp, launch
from fixtures.recipe_copy import recipe_copy
from tests.built_once import copy_of

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "fixtures" / "bad_inputs"
USER, PASSWORD = "render.clerk", "pw-" + secrets.token_hex(8)
CORPUS_FILES = frozenset(path.name for path in BAD.rglob("*") if path.is_file())


def run(app: LegacyApp, state: Path, recipe: str, ok: tuple[int, ...] = (0, 1)) -> None:
    """`runner.py run RECIPE` at the project root, its state in `state`; exit 2 is allowed
    where a bad workbook refuses the run before any item (nothing to show)."""
    env = {**os.environ, "LEGACY_URL": app.url, "LEGACY_USER": USER,
           "LEGACY_PASSWORD": PASSWORD, "BOTS_STATE_DIR": str(state),
           "BOTS_ISOLATE_NETWORK": "1"}
    done = subprocess.run([sys.executable, "runner.py", "run", recipe], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode in ok, done.stderr[-3000:]


def bad_order_books(data: Any) -> None:
    """order-entry reading every bad order book of the corpus, one source each."""
    workbook = data["sources"][0]
    data["sources"] = [{**workbook, "name": f"book{index}",
                        "sheet": {**workbook["sheet"], "path": str(path)}}
                       for index, path in enumerate(sorted((BAD / "sheets").glob("orders-*.xlsx")))]


def every_claim(inbox: Path) -> Callable[[Any], None]:
    """claims-intake reading one inbox that holds the demo's claims and the corpus's."""
    inbox.mkdir()
    for folder in (ROOT / "fixtures" / "claims", BAD / "claims"):
        for path in folder.iterdir():
            if path.is_file():
                shutil.copy(path, inbox / path.name)

    def change(data: Any) -> None:
        data["source"]["folder"] = str(inbox)
    return change


def build(folder: Path) -> None:
    """The three runs, into `folder / "state"`, against a fixture legacy app of their own."""
    state = folder / "state"
    with launch(env={"LEGACY_USER": USER, "LEGACY_PASSWORD": PASSWORD}) as app:
        app.reset()
        run(app, state, str(recipe_copy(folder, "claims-intake",
                                        every_claim(folder / "claims-inbox"))))
        run(app, state, "order-entry")
        run(app, state, str(recipe_copy(folder, "order-entry", bad_order_books,
                                        file_name="orders-bad.yaml")), ok=(0, 1, 2))


def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This module's own copy of the state folder of the session's demo runs."""
    return copy_of(tmp_path_factory, "demo-runs", build, "state")


def items(state: Path) -> list[dict[str, Any]]:
    """Every item of the state's ledger."""
    ledger = Ledger(f"sqlite:///{state / 'bots.sqlite'}")
    try:
        return ledger.find_items()
    finally:
        ledger.close()


def from_the_corpus(item: dict[str, Any]) -> bool:
    """Whether the item came from the bad-input corpus (not from a demo's own inputs)."""
    return Path(item["path"] or "").name in CORPUS_FILES
