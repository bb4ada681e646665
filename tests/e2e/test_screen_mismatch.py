"""A recipe that does not match the screen stops the batch with exit 2 ("fix the recipe"),
never 75 ("the target system looks down") while the system answers every request."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fixtures.legacy_app import LegacyApp
from tests.e2e.runner_support import CLAIMS, run_runner, write_recipe

pytestmark = pytest.mark.browser

VALID = ("claim-01-acme-water.pdf", "claim-02-acme-theft.pdf",
         "claim-03-northwind-collision.pdf", "claim-05-harbor-fire.pdf")


def test_screens_the_recipe_does_not_match_stop_the_run_with_exit_2(app: LegacyApp,
                                                                    tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in VALID:
        shutil.copy(CLAIMS / name, inbox / name)
    recipe = write_recipe(tmp_path, inbox, concurrency=1)
    app.set_screens(2)  # the vendor upgraded: labels reworded, fields moved
    result = run_runner(app, tmp_path / "state", str(recipe), "--no-heal")
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.returncode == 2, result.stderr
    assert summary["halted_by"] == "screen" and summary["exceptions"] == {"SCREEN_MISMATCH": 3}
    assert summary["not_finished"] == 1 and app.claims() == []
    assert "the recipe does not match the screen" in result.stdout + result.stderr
