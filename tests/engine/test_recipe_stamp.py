"""The recipe an item runs with: recorded per item (path and digest), found again by path, then
by name, else a clear error; a resumed item whose recipe changed says so once. Real SQLite and
PostgreSQL ledgers, real recipe files."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from bots.engine.recipe_of import RecipeMissing, note_resumed, recipe_file_of, stamp_of
from bots.kernel import WorkItem
from bots.ledger import Ledger, RecipeStamp
from bots.recipe import load_recipe
from fixtures.recipe_copy import recipe_copy

ITEM = WorkItem(key="k1", name="claim-01.pdf", path="/in/claim-01.pdf",
                arrived_at="2026-01-01T00:00:00+00:00")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bots.sqlite'}"
    return str(request.getfixturevalue("database"))


def test_an_older_database_gets_the_columns_and_its_items_keep_working(url: str) -> None:
    ledger = Ledger(url)
    ledger.item_queued("r/old", "claims-intake", ITEM, "run1")
    with ledger.engine.begin() as db:  # as a database from before the columns were added
        db.execute(sa.text("ALTER TABLE bots_items DROP COLUMN recipe_path"))
        db.execute(sa.text("ALTER TABLE bots_items DROP COLUMN recipe_digest"))
    ledger.close()
    ledger = Ledger(url)  # upgrades it
    try:
        old = ledger.item("r/old")
        assert old is not None and old["recipe_path"] is None and old["recipe_digest"] is None
        stamp = RecipeStamp("/somewhere/x.yaml", "0123456789abcdef")
        assert ledger.item_queued("r/new", "x", ITEM, "run2", stamp)
        new = ledger.item("r/new")
        assert new is not None
        assert (new["recipe_path"], new["recipe_digest"]) == (stamp.path, stamp.digest)
    finally:
        ledger.close()


def test_the_recorded_file_first_then_recipes_by_name_then_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recorded = tmp_path / "away" / "mine.yaml"
    recorded.parent.mkdir()
    recorded.write_text("recipe: mine\n")
    project = tmp_path / "project"
    (project / "recipes").mkdir(parents=True)
    monkeypatch.chdir(project)
    item = {"recipe": "mine", "name": "a.pdf", "recipe_path": str(recorded)}
    assert recipe_file_of(item) == recorded
    recorded.unlink()
    with pytest.raises(RecipeMissing) as missing:
        recipe_file_of(item)
    assert str(recorded) in missing.value.message
    assert str(project / "recipes" / "mine.yaml") in missing.value.message
    assert "put the recipe file back" in missing.value.message
    (project / "recipes" / "mine.yaml").write_text("recipe: mine\n")
    assert recipe_file_of(item).resolve() == project / "recipes" / "mine.yaml"
    assert recipe_file_of({**item, "recipe_path": None}).name == "mine.yaml"  # older rows


def test_a_resumed_item_whose_recipe_changed_says_so_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = recipe_copy(tmp_path, "claims-intake")
    before = load_recipe(str(path))
    ledger = Ledger(f"sqlite:///{tmp_path / 'bots.sqlite'}")
    try:
        ledger.item_queued("claims-intake/k1", before.name, ITEM, "run1", stamp_of(before))
        ledger.update_item("claims-intake/k1", status="running")
        ledger.record_values("claims-intake/k1", {"claim": {"amount": "12.00"}})
        note_resumed(ledger, "claims-intake/k1", before)  # unchanged: nothing said
        assert capsys.readouterr().err == ""
        path.write_text(path.read_text("utf-8") + "# edited while the run was stopped\n")
        after = load_recipe(str(path))
        note_resumed(ledger, "claims-intake/k1", after)
        note_resumed(ledger, "claims-intake/k1", after)  # said once: the new version recorded
        changed = [e for e in ledger.events("claims-intake/k1")
                   if e["event"] == "item.recipe_changed"]
        assert len(changed) == 1
        assert changed[0]["data"] == {"name": "claim-01.pdf", "was": before.digest[:8],
                                      "now": after.digest[:8], "path": str(path.resolve()),
                                      "steps_done": ["claim"]}
        err = capsys.readouterr().err
        assert err.count("changed since the item started") == 1
        assert f"{before.digest[:8]} -> {after.digest[:8]}" in err and "claim" in err
        row = ledger.item("claims-intake/k1")
        assert row is not None and row["recipe_digest"] == after.digest
    finally:
        ledger.close()


def test_an_item_that_ended_or_never_started_says_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = recipe_copy(tmp_path, "claims-intake")
    recipe = load_recipe(str(path))
    ledger = Ledger(f"sqlite:///{tmp_path / 'bots.sqlite'}")
    try:
        ledger.item_queued("claims-intake/k1", recipe.name, ITEM, "run1",
                           RecipeStamp(str(path.resolve()), "an older version"))
        ledger.update_item("claims-intake/k1", status="done")
        note_resumed(ledger, "claims-intake/k1", recipe)
        assert ledger.events("claims-intake/k1") == [] and capsys.readouterr().err == ""
        ledger.item_queued("claims-intake/k2", recipe.name, ITEM, "run1",
                           RecipeStamp(str(path.resolve()), "an older version"))
        note_resumed(ledger, "claims-intake/k2", recipe)  # queued, never started: all new
        assert ledger.events("claims-intake/k2") == [] and capsys.readouterr().err == ""
        row = ledger.item("claims-intake/k2")
        assert row is not None and row["recipe_digest"] == recipe.digest
    finally:
        ledger.close()
