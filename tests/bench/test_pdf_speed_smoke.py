"""Smoke test of bench.pdf_speed on made-up samples: every reader runs, the JSON holds the
numbers, and reading one form field leaves the text layer unparsed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.pdf_speed import field_and_text, large_form, one_field, run, text_document


def test_the_bench_measures_each_reader_on_small_samples(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    text = text_document(tmp_path / "text.pdf", pages=2)
    form = large_form(tmp_path / "form.pdf", fields=12, pages=3)
    out = tmp_path / "speed.json"
    run({"text": ([text], None), "form": ([form], "section1.field0004")}, 1, out)
    results = json.loads(out.read_text(encoding="utf-8"))
    text_set, form_set = results["sets"]["text"], results["sets"]["form"]
    assert (text_set["pages"], form_set["pages"]) == (2, 3)
    assert set(text_set["readers"]) == {"raw", "words", "ours", "pdfplumber"}
    assert {"form field", "form + text", "form, before"} <= set(form_set["readers"])
    raw = text_set["readers"]["raw"]
    assert raw["ratio_to_raw"] == 1 and raw["pages_per_s"] > 0
    assert text_set["readers"]["ours"]["documents_per_s"] > 0
    printed = capsys.readouterr().out
    assert "pages/s" in printed and "x raw" in printed and "form field" in printed


def test_a_form_field_is_read_without_the_text_and_a_wrong_name_is_caught(
        tmp_path: Path) -> None:
    form = large_form(tmp_path / "form.pdf", fields=6, pages=2)
    assert one_field(form, "field0005") == 1
    assert field_and_text(form, "section0.field0000") == 2
    with pytest.raises(AssertionError, match="no field"):
        one_field(form, "field0099")
