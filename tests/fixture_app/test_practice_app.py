"""The challenge screen of the practice app: what makes it hard for a bot, proved in Chromium.

A person's way through it (labels, Start, Submit) scores 70 of 70; the fields move and get new
ids and names after every submit, labels have no `for`, and no page load ever happens.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from bench.spa_baseline import rows_of
from fixtures.practice_app import PracticeApp, launch
from fixtures.practice_app.challenge_store import ChallengeStore, expected_rows

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
WORKBOOK = ROOT / "fixtures" / "practice" / "challenge.xlsx"
CREDENTIALS = {"PRACTICE_USER": "buyer", "PRACTICE_PASSWORD": "pw-practice-1"}


@pytest.fixture(scope="module")
def practice() -> Iterator[PracticeApp]:
    with launch(env=CREDENTIALS) as app:
        yield app


def layout(page: Page) -> list[tuple[str, str, str, bool]]:
    """Each field in screen order: label, input id, input name, whether the label has `for`."""
    cells: list[list[Any]] = page.eval_on_selector_all(
        "#grid .cell", "cells => cells.map(c => [c.querySelector('label').textContent, "
        "c.querySelector('input').id, c.querySelector('input').name, "
        "c.querySelector('label').hasAttribute('for')])")
    return [(str(c[0]), str(c[1]), str(c[2]), bool(c[3])) for c in cells]


def key_row(page: Page, row: dict[str, str]) -> None:
    for label, value in row.items():
        page.locator(f"xpath=//label[normalize-space(.)='{label}']"
                     "/following-sibling::input[1]").fill(value)
    page.locator("input[type=submit]").click()
    page.get_by_role("status").filter(has_text=f": {row['Email']}").wait_for()


def test_the_workbook_is_shaped_like_the_public_challenges() -> None:
    rows = expected_rows(WORKBOOK)
    assert len(rows) == 10  # the used range runs to row 1000, the data to row 11
    assert rows[0]["Last Name"] == "Marquardt"  # read from the header "Last Name "
    assert rows[0]["Phone Number"] == "40716543298"  # stored as a number
    from openpyxl import load_workbook
    sheet = load_workbook(WORKBOOK).worksheets[0]
    assert sheet.max_row == 1000 and isinstance(sheet["G2"].value, int)
    assert sheet["B1"].value == "Last Name "


def test_a_person_scores_70_of_70_while_fields_move_without_a_page_load(page, practice):
    rows = rows_of(WORKBOOK)
    loads: list[str] = []
    page.goto(practice.url + "/challenge")
    page.on("load", lambda _: loads.append("load"))
    page.get_by_role("button", name="Start").click()
    page.get_by_role("status").filter(has_text="Round 1 of 10").wait_for()
    layouts = []
    for row in rows:
        layouts.append(layout(page))
        key_row(page, row)
    message = page.get_by_role("alert").inner_text()
    assert message.startswith("Congratulation! Your success rate is 100% (70 out of 70 fields)"
                              " in ") and message.endswith(" milliseconds")
    assert loads == []  # every submit was handled by script
    assert not any(has_for for fields in layouts for *_, has_for in fields)
    ids = [i for fields in layouts for _, i, _, _ in fields]
    names = [n for fields in layouts for _, _, n, _ in fields]
    assert len(set(ids)) == len(ids) == 70 and len(set(names)) == 70
    assert len({tuple(label for label, *_ in fields) for fields in layouts}) > 1  # shuffled
    stored = practice.challenge_rows()
    assert [r["round"] for r in stored] == list(range(1, 11))
    assert all(r["matched"] == 7 for r in stored)
    assert [r["fields"]["Email"] for r in stored] == [r["Email"] for r in rows]


def test_submit_before_start_stores_nothing(page, practice):
    page.goto(practice.url + "/challenge")
    page.locator("input[type=submit]").click()
    page.get_by_role("status").filter(has_text="Press Start first.").wait_for()
    assert practice.challenge_rows() == []


def test_rows_keyed_in_the_wrong_order_score_less(page, practice):
    rows = rows_of(WORKBOOK)
    page.goto(practice.url + "/challenge")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("status").filter(has_text="Round 1 of 10").wait_for()
    for row in reversed(rows):
        key_row(page, row)
    message = page.get_by_role("alert").inner_text()
    assert "100%" not in message and "out of 70 fields" in message


def test_scoring_counts_fields_that_match_their_rounds_row() -> None:
    store = ChallengeStore(WORKBOOK)
    run = store.start()
    first = dict(store.expected[0])
    assert store.submit(run, {**first, "Phone Number": " 40716543298 "})["matched"] == 7
    assert store.submit(run, first)["matched"] < 7  # round 2 expects the second row
    for row in store.expected[2:]:
        store.submit(run, row)
    message = store.result_message(run)
    assert message.startswith("Congratulation! Your success rate is ")
    assert f"({63 + store.rows()[1]['matched']} out of 70 fields)" in message
