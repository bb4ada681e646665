"""fixtures/make_soak.py writes distinct, repeatable claim PDFs, and refuses a silly count."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from fixtures.make_soak import LARGEST_COUNT, external_ref, main, templates, write_claims


def test_every_file_is_distinct_and_every_run_writes_the_same_bytes(tmp_path: Path) -> None:
    count = 3 * len(templates())
    first = write_claims(tmp_path / "a", count)
    second = write_claims(tmp_path / "b", count)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in first}
    assert len(digests) == count and all(p.read_bytes().startswith(b"%PDF") for p in first)
    assert len({external_ref(p) for p in first}) == count


def test_the_templates_are_the_seven_valid_fixture_claims() -> None:
    assert len(templates()) == 7
    assert {layout for layout, _, _ in templates()} == {"acme", "northwind", "harbor"}


def test_a_count_out_of_range_is_refused_with_the_range(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=f"0..{LARGEST_COUNT}"):
        write_claims(tmp_path, LARGEST_COUNT + 1)


def test_the_command_line_writes_the_files_and_explains_bad_arguments(tmp_path, capsys) -> None:
    assert main([str(tmp_path / "inbox"), "4"]) == 0
    assert len(list((tmp_path / "inbox").glob("soak-*.pdf"))) == 4
    assert main([str(tmp_path), "many"]) == 2
    assert "usage:" in capsys.readouterr().err
