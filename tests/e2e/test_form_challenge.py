"""form-challenge end to end: the RPA-Challenge-style single-page form keyed from its workbook.

No Python specific to the screen: the recipe presses Start once (before_items), keys each row
on the same page (session: batch) and reads the score (after_items). Every row arrives once,
in order, 70 of 70 fields right; a second run keys nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.spa_baseline import WORKBOOK, rows_of
from fixtures.practice_app import PracticeApp, launch
from tests.e2e.practice_runner import CREDENTIALS, run_recipe

pytestmark = pytest.mark.browser
PERFECT = "Congratulation! Your success rate is 100% (70 out of 70 fields) in "


@pytest.fixture(scope="module")
def practice() -> Iterator[PracticeApp]:
    with launch(env=CREDENTIALS) as app:
        yield app


def test_every_row_keyed_once_scores_70_of_70_and_a_second_run_keys_nothing(practice, tmp_path):
    practice.reset()
    result = run_recipe(practice, tmp_path, "form-challenge")
    assert result.returncode == 0, result.stderr[-3000:]
    summary = result.summary
    assert (summary["items"], summary["done"], summary["exceptions"]) == (10, 10, {})
    assert summary["batch"]["after"]["result"]["message"].startswith(PERFECT)  # after_items

    rows = practice.challenge_rows()
    emails = [row["Email"] for row in rows_of(WORKBOOK)]
    assert [row["fields"]["Email"] for row in rows] == emails  # each once, in order
    assert len({row["run"] for row in rows}) == 1  # one press of Start served the batch
    assert [row["matched"] for row in rows] == [7] * 10
    assert rows[0]["fields"]["Phone Number"] == "40716543298"  # a number cell, as digits

    again = run_recipe(practice, tmp_path, "form-challenge")
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.summary["already_finished"] == 10
    assert len(practice.challenge_rows()) == 10
