"""The claim fixture generator is deterministic and the committed files are its output."""

from __future__ import annotations

from pathlib import Path

from fixtures.make_claims import OUT, write_all


def contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_running_the_generator_twice_gives_identical_bytes(tmp_path: Path) -> None:
    write_all(tmp_path / "first")
    write_all(tmp_path / "second")
    first = contents(tmp_path / "first")
    assert len(first) >= 14 * 2 + 1
    assert first == contents(tmp_path / "second")


def test_the_committed_fixtures_are_up_to_date(tmp_path: Path) -> None:
    write_all(tmp_path)
    stale = [name for name, data in contents(tmp_path).items()
             if not (OUT / name).is_file() or (OUT / name).read_bytes() != data]
    assert not stale, f"run `python -m fixtures.make_claims` to refresh: {stale}"
