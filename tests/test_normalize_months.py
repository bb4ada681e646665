"""normalize_date (spreadsheets, web values) reads month names in the CLDR languages too."""

from __future__ import annotations

import pytest

from bots.normalize import normalize_date


@pytest.mark.parametrize(("text", "iso"), [
    ("3 März 2026", "2026-03-03"),
    ("12 maart 2026", "2026-03-12"),
    ("1er juillet 2026", "2026-07-01"),
    ("févr. 3, 2026", "2026-02-03"),
    ("14 Mar 2026", "2026-03-14"),   # the English forms as before
])
def test_worded_dates_in_other_languages_become_iso(text: str, iso: str) -> None:
    assert normalize_date(text) == iso


def test_an_unknown_month_is_still_refused() -> None:
    with pytest.raises(ValueError, match="unknown month name 'blub'"):
        normalize_date("3 Blub 2026")
