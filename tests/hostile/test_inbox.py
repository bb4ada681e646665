"""An inbox strangers write to: every entry becomes an item or is reported as skipped with its
reason; symbolic links are not followed out of the inbox unless the recipe allows it; a file is
hashed without reading it whole into memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from bots.engine.sources import Inbox, discover_items, survey_inbox
from bots.recipe import load_recipe

ROOT = Path(__file__).resolve().parents[2]


def recipe_file(tmp_path: Path, source: str = "{folder: inbox}") -> Path:
    path = tmp_path / "hostile-inbox.yaml"
    path.write_text("recipe: hostile-inbox\nsource: " + source + "\nsteps:\n"
                    "  - id: rules\n    uses: data.check_rules\n    with:\n      rules:\n"
                    "        - {code: NAME_MISSING, value: '${item.name}', not_empty: true}\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A folder with one entry of each kind a stranger can leave."""
    folder = tmp_path / "inbox"
    (folder / "archive").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    for name, body in (("good.pdf", b"%PDF-1.4 a"), ("..pdf", b"%PDF-1.4 b"),
                       (".DS_Store", b"x"), ("._good.pdf", b"y"), ("notes.md", b"z")):
        (folder / name).write_bytes(body)
    (folder / "link-out.pdf").symlink_to(tmp_path / "outside" / "secret.pdf")
    (folder / "link-in.pdf").symlink_to("good.pdf")
    (folder / "dangling.pdf").symlink_to("nowhere.pdf")
    os.mkfifo(folder / "pipe.pdf")
    return folder


def survey(tmp_path: Path, source: str) -> Inbox:
    return survey_inbox(load_recipe(str(recipe_file(tmp_path, source))))


def test_every_entry_is_an_item_or_skipped_with_its_reason(tmp_path: Path, inbox: Path) -> None:
    found = survey(tmp_path, "{folder: inbox, exclude: ['*.md']}")
    assert [item.name for item in found.items] == ["..pdf", "good.pdf"]
    assert found.repeats == ["link-in.pdf"]  # a link inside the inbox: the same content
    assert {entry.name: entry.reason for entry in found.skipped} == {
        ".DS_Store": "HIDDEN", "._good.pdf": "HIDDEN", "notes.md": "EXCLUDED",
        "archive": "NOT_A_FILE", "dangling.pdf": "NOT_A_FILE", "pipe.pdf": "NOT_A_FILE",
        "link-out.pdf": "SYMLINK_OUTSIDE"}
    listed = {entry.name for entry in inbox.iterdir()}
    accounted = {item.name for item in found.items} | set(found.repeats) \
        | {entry.name for entry in found.skipped}
    assert accounted == listed


def test_a_link_out_of_the_inbox_is_taken_only_when_the_recipe_allows(
        tmp_path: Path, inbox: Path) -> None:
    allowed = survey(tmp_path, "{folder: inbox, include: ['*.pdf'], follow_symlinks: true}")
    outside = [item for item in allowed.items if item.name == "link-out.pdf"]
    assert outside and outside[0].path == str((tmp_path / "outside" / "secret.pdf").resolve())
    refused = survey(tmp_path, "{folder: inbox, include: ['*.pdf']}")
    assert "link-out.pdf" not in [item.name for item in refused.items]


def test_an_include_pattern_starting_with_a_dot_takes_hidden_files(
        tmp_path: Path, inbox: Path) -> None:
    found = survey(tmp_path, "{folder: inbox, include: ['._*.pdf']}")
    assert [item.name for item in found.items] == ["._good.pdf"]
    assert {"good.pdf": "NOT_INCLUDED"}.items() <= \
        {entry.name: entry.reason for entry in found.skipped}.items()


def test_each_skipped_entry_is_one_logged_event(tmp_path: Path, inbox: Path) -> None:
    with capture_logs() as events:
        found = survey(tmp_path, "{folder: inbox}")
    skipped = [event for event in events if event["event"] == "source.skipped"]
    assert len(skipped) == len(found.skipped)
    link = next(event for event in skipped if event["file"] == "link-out.pdf")
    assert link["reason"] == "SYMLINK_OUTSIDE" and link["log_level"] == "warning"
    assert found.skipped_by_reason()["NOT_A_FILE"] == 3


def test_older_callers_still_get_items_and_repeats(tmp_path: Path, inbox: Path) -> None:
    items, repeats = discover_items(load_recipe(str(recipe_file(tmp_path))))
    assert "good.pdf" in [item.name for item in items] and repeats == ["link-in.pdf"]


def test_a_large_file_is_hashed_without_holding_it(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    with (folder / "huge.pdf").open("wb") as handle:
        handle.truncate(256 * 1024 * 1024)  # sparse: 256 MiB read back as zeros, fast
    recipe = load_recipe(str(recipe_file(tmp_path)))
    tracemalloc.start()
    try:
        found = survey_inbox(recipe)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [item.name for item in found.items] == ["huge.pdf"]
    assert peak < 16 * 1024 * 1024


def test_a_run_counts_skipped_files_in_its_summary(tmp_path: Path, inbox: Path) -> None:
    recipe = recipe_file(tmp_path, "{folder: inbox, exclude: ['*.md']}")
    env = {k: v for k, v in os.environ.items() if k not in ("BOTS_DATABASE_URL", "BOTS_CHAOS")}
    done = subprocess.run([sys.executable, "runner.py", str(recipe)], cwd=ROOT, text=True,
                          capture_output=True, timeout=120, check=False,
                          env={**env, "BOTS_STATE_DIR": str(tmp_path / "state")})
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert done.returncode == 0, done.stderr
    assert summary["items"] == 2 and summary["skipped_files"] == {
        "EXCLUDED": 1, "HIDDEN": 2, "NOT_A_FILE": 3, "SYMLINK_OUTSIDE": 1}
    assert "skipped 7 inbox file(s) that are no work item" in done.stderr
