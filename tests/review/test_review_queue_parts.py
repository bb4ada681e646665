"""The queue's pure parts: times in words, the reason shortened, search, sort, CSV cells; and
the whole view over a real SQLite ledger of thousands of items: timed, and the page capped."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from starlette.testclient import TestClient

from bots.ledger import Ledger, people
from bots.ledger.tables import audit, items
from bots.review import create_app
from bots.review import queue_words as words
from bots.review.queue import QueueQuery, queue_view
from bots.review.queue_csv import cell, queue_csv
from bots.review.queue_page import MAX_ROWS
from bots.review.queue_search import searched, shortened, sort_choice, sorted_rows
from tests.review.review_helpers import PASSWORD, sign_on

NOW = datetime(2026, 7, 20, 12, 0, tzinfo=UTC)


def at(**delta: float) -> str:
    return (NOW + timedelta(**delta)).isoformat()


def test_times_in_words_with_the_exact_time_for_a_title() -> None:
    assert words.ago(at(days=-3, hours=-5), NOW) == "3 days ago"
    assert words.ago(at(hours=-1), NOW) == "1 hour ago"
    assert words.ago(at(seconds=-20), NOW) == "just now"
    assert words.due(at(hours=2, minutes=10), NOW) == "due in 2 hours"
    assert words.due(at(minutes=-40), NOW) == "overdue by 40 minutes"
    assert words.due(at(days=-1), NOW) == "overdue by 1 day"
    assert words.due(None, NOW) == words.ago("not a time", NOW) == "-"
    assert words.exact("2026-07-20T08:00:00+02:00") == "2026-07-20 06:00:00 UTC"
    assert words.ago("2026-07-20T11:00:00", NOW) == "1 hour ago"  # no zone: UTC


def test_the_reason_is_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    message = "the policy register has no row for policy PX-2231 and the claim cannot go on"
    short = shortened(message, 40)
    assert short == "the policy register has no row for…"
    assert len(short) <= 41 and message.startswith(short[:-1])
    assert shortened("short one") == "short one"
    assert shortened("  spaced\n  out  ") == "spaced out"
    assert shortened("x" * 70, 10) == "x" * 10 + "…"  # one long word is cut where it must be


def row(item_id: str, **fields: object) -> dict[str, object]:
    return {"item_id": item_id, "name": f"{item_id}.pdf", "path": "", "item_key": item_id,
            "short_id": item_id, "reference": None, "values": {}, "provenance": {}, **fields}


def test_search_matches_file_key_reference_and_any_extracted_value() -> None:
    rows = [row("a", name="Claim-ACME.pdf"), row("b", reference="CLM-2026-10"),
            row("c", values={"claim": {"policy": "PX-2231", "lines": [{"sku": "Bolt-M8"}]}}),
            row("d", provenance={"claim": {"amount": {"text": "Amount Claimed: EUR 9.400,00"}}}),
            row("e", values={"claim": {"amount": None}})]
    found = {query: [r["item_id"] for r in searched(rows, query)]
             for query in ("acme", "clm-2026", "px-22", "bolt-m8", "9.400,00", "  ", "zzz")}
    assert found == {"acme": ["a"], "clm-2026": ["b"], "px-22": ["c"], "bolt-m8": ["c"],
                     "9.400,00": ["d"], "  ": ["a", "b", "c", "d", "e"], "zzz": []}
    assert [r["item_id"] for r in searched(rows, "none")] == []  # a missing value is no text


def test_sorting_puts_rows_without_the_value_last_either_way() -> None:
    rows = [row("a", age_s=50, due_at=at(hours=3), assignee="Zoe", code="B"),
            row("b", age_s=900, due_at=None, assignee=None, code="A"),
            row("c", age_s=10, due_at=at(hours=1), assignee="ana", code="C")]
    order = {(sort, way): [r["item_id"] for r in sorted_rows(rows, sort, way)]
             for sort in ("age", "due", "assignee", "code") for way in ("asc", "desc")}
    assert order[("age", "desc")] == ["b", "a", "c"]  # the default: oldest first
    assert order[("due", "asc")] == ["c", "a", "b"] and order[("due", "desc")] == ["a", "c", "b"]
    assert order[("assignee", "asc")] == ["c", "a", "b"]  # case-insensitive, nobody last
    assert order[("code", "asc")] == ["b", "a", "c"]
    assert sort_choice("nonsense", "asc") == ("age", "desc")
    assert sort_choice("due", "sideways") == ("due", "asc")


def test_csv_cells_that_a_spreadsheet_would_run_are_defused() -> None:
    assert [cell(v) for v in ("=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\tx", "ok", None)] \
        == ["'=cmd|' /C calc'!A0", "'+1", "'-2", "'@SUM(A1)", "'\tx", "ok", ""]
    text = queue_csv([{"short_id": "a1", "name": "=HYPERLINK(\"x\")", "message": "a, \"b\"\nc"}])
    header, first = list(csv.reader(io.StringIO(text)))
    assert header[:3] == ["ID", "item", "recipe"] and header[-2:] == ["closed by", "closed at"]
    assert first[1] == "'=HYPERLINK(\"x\")" and first[5] == "a, \"b\"\nc"


def big_ledger(folder: Path, count: int) -> Ledger:
    """A ledger of ``count`` items (a third closed, with audit entries) written in one go."""
    ledger = Ledger(f"sqlite:///{folder / 'big.sqlite'}")
    stamp = "2026-07-01T08:00:00+00:00"
    rows = [{"item_id": f"claims-intake/{n:040x}", "recipe": "claims-intake",
             "item_key": f"{n:040x}", "name": f"claim-{n}.pdf", "path": f"inbox/claim-{n}.pdf",
             "arrived_at": stamp, "status": "exception", "code": "POLICY_NOT_FOUND",
             "message": f"policy PX-{n} is not in the register", "step": "policy",
             "values_json": f'{{"claim": {{"policy": "PX-{n}", "amount": "{n}.00"}}}}',
             "review_state": ("open", "rejected", "resolved")[n % 3],
             "created_at": stamp, "updated_at": stamp} for n in range(count)]
    closing = [{"item_id": r["item_id"], "at": stamp, "who": "ana", "action": "reject",
                "note": "duplicate"} for r in rows if r["review_state"] == "rejected"]
    with ledger.engine.begin() as db:
        db.execute(sa.insert(items), rows)
        db.execute(sa.insert(audit), closing)
    return ledger


def test_a_search_over_five_thousand_items_is_quick(tmp_path: Path) -> None:
    ledger = big_ledger(tmp_path, 5000)
    try:
        started = time.perf_counter()
        view = queue_view(ledger, QueueQuery(view="rejected", search="px-4999"), {})
        took = time.perf_counter() - started
    finally:
        ledger.close()
    print(f"queue view of 5000 items, rejected + search: {took:.2f} s")
    assert [r["name"] for r in view.rows] == ["claim-4999.pdf"]
    assert view.rows[0]["closed_by"] == "ana" and "duplicate" in view.rows[0]["how"]
    assert view.per_view == {"open": 1667, "mine": 0, "resolved": 1666, "rejected": 1667,
                             "done": 0}
    assert took < 5.0, f"the queue of 5000 items took {took:.2f} s"


def test_the_page_shows_the_first_rows_and_the_csv_all_of_them(tmp_path: Path) -> None:
    ledger = big_ledger(tmp_path, 3 * (MAX_ROWS + 20))  # a third of them open
    people.add_user(ledger.engine, "ana", "analyst", PASSWORD)
    ledger.close()
    with TestClient(create_app(f"sqlite:///{tmp_path / 'big.sqlite'}", tmp_path,
                               goals={})) as client:
        assert sign_on(client).status_code == 303
        page = client.get("/").text
        csv_rows = client.get("/queue.csv").text.splitlines()
    assert page.count('name="item"') == MAX_ROWS
    assert f"The first {MAX_ROWS} of {MAX_ROWS + 20} shown" in page
    assert len(csv_rows) == 1 + MAX_ROWS + 20
