"""Insights per recipe over a real SQLite ledger: items over several days, two recipes, several
codes per step, decisions by people; exact rates, shares, waits and percentiles."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from bots.ledger import Ledger
from bots.ledger.tables import audit, events, items
from bots.review import create_app
from bots.review.insights import InsightsView, in_words, insights
from bots.review.insights_figures import Figures, percentile
from bots.review.insights_period import period_from
from bots.sla.goal import ServiceGoal
from tests.review.review_helpers import sign_on

NOW = datetime(2026, 7, 20, 12, 0, tzinfo=UTC)
CLAIMS, ORDERS = "claims-intake", "order-entry"
GOALS = {CLAIMS: ServiceGoal(due_after="2 days", at_risk_before="8 hours"), ORDERS: None}
MARKUP_NAME = "order<b>77</b>"

# Each item: recipe, key, minutes ago it arrived, what happened (minutes ago, what, detail),
# and its row now. "exception" and "done" are the bot's ends (an exception names its step and
# code); a "bare" exception has no step event (the engine's own, as POSSIBLE_DUPLICATE), a
# "legacy" end no event at all (rows from before they were kept); the others are audit
# entries (a person's, or the run's own automatic retry).
ITEMS: list[tuple[str, str, int, list[tuple[int, str, Any]], dict[str, Any]]] = [
    (CLAIMS, "c1", 125, [(120, "done", None)], {"status": "done"}),
    (CLAIMS, "c2", 1265, [(1260, "legacy-done", None)], {"status": "done"}),
    (CLAIMS, "c3", 1625, [(1620, "exception", ("rules", "AMOUNT_OVER_LIMIT")),
                          (1500, "approve", None), (1499, "retry", {}), (1494, "done", None)],
     {"status": "done"}),
    (CLAIMS, "c4", 3125, [(3120, "exception", ("policy", "POLICY_NOT_FOUND")),
                          (3090, "resolve", None)],
     {"status": "exception", "review_state": "resolved"}),
    (CLAIMS, "c5", 3065, [(3060, "exception", ("policy", "POLICY_NOT_FOUND")),
                          (1380, "reject", None)],
     {"status": "exception", "review_state": "rejected"}),
    (CLAIMS, "c6", 4445, [(4440, "exception", ("claim", "FIELD_MISSING")),
                          (4430, "retry", {"claim.loss_date": "2026-07-01"}),
                          (4425, "done", None)], {"status": "done"}),
    (CLAIMS, "c7", 365, [(360, "exception", ("submit", "SERVER_ERROR")),
                         (300, "auto-retry", None), (299, "done", None)], {"status": "done"}),
    (CLAIMS, "c8", 2520, [(180, "exception", ("rules", "POLICY_LAPSED"))], {}),
    (CLAIMS, "c9", 5765, [(5760, "exception", ("rules", "AMOUNT_OVER_LIMIT"))], {}),
    (CLAIMS, "c10", 27365, [(27360, "done", None)], {"status": "done"}),
    (CLAIMS, "c11", 25925, [(25920, "exception", ("policy", "POLICY_NOT_FOUND")),
                            (25860, "resolve", None)], {"review_state": "resolved"}),
    (CLAIMS, "c12", 7325, [(7320, "exception", ("rules", "POLICY_MISSING")),
                           (7300, "reject", None)], {"review_state": "rejected"}),
    (CLAIMS, "c13", 7265, [(7260, "bare-exception", ("rules", "FIELD_INVALID")),
                           (7020, "resolve", None)], {"review_state": "resolved"}),
    (CLAIMS, "c14", 60, [], {"status": "queued"}),
    (ORDERS, "o1", 245, [(240, "exception", ("lines", "PRICE_MISMATCH"))], {}),
    (ORDERS, "o2", 1205, [(1200, "done", None)], {"status": "done"}),
    (ORDERS, "o3", 1565, [(1560, "exception", ("lines", "QUANTITY_OVER_STOCK")),
                          (1515, "retry", {"lines[0].quantity": "4"}), (1510, "done", None)],
     {"status": "done"}),
]


def stamp(now: datetime, minutes_ago: int) -> str:
    """A ledger timestamp (as bots.ledger.now writes them) so many minutes before `now`."""
    return (now - timedelta(minutes=minutes_ago)).isoformat(timespec="milliseconds")


def seed(url: str, now: datetime) -> None:
    """The ITEMS in a real ledger, their times counted back from `now`."""
    ledger = Ledger(url)
    with ledger.engine.begin() as db:
        for recipe, key, arrived, story, row in ITEMS:
            _put_item(db, now, recipe, key, arrived, story, row)
    ledger.close()


def _put_item(db: sa.Connection, now: datetime, recipe: str, key: str, arrived: int,
              story: list[tuple[int, str, Any]], row: dict[str, Any]) -> None:
    item_id = f"{recipe}/{key}"
    last = story[-1][0] if story else arrived
    stopped = [detail for _, what, detail in story if what.endswith("exception")]
    step, code = stopped[-1] if stopped else (None, None)
    db.execute(items.insert().values(
        item_id=item_id, recipe=recipe, item_key=key, name=MARKUP_NAME if key == "o1" else
        f"{key}.pdf", arrived_at=stamp(now, arrived), created_at=stamp(now, arrived),
        updated_at=stamp(now, last), step=step, code=code,
        **{"status": "exception", "review_state": "open", **row}))
    for minutes, what, detail in story:
        _put_story(db, item_id, stamp(now, minutes), what, detail)


def _put_story(db: sa.Connection, item_id: str, at: str, what: str, detail: Any) -> None:
    if what == "exception":
        data = f'{{"code": "{detail[1]}", "outcome": "exception", "step_id": "{detail[0]}"}}'
        db.execute(events.insert().values(item_id=item_id, at=at, event="step.finished",
                                          data_json=data))
    if what.endswith(("done", "exception")):
        if not what.startswith("legacy"):
            status = what.removeprefix("bare-")
            db.execute(events.insert().values(item_id=item_id, at=at, event="item.ended",
                                              data_json=f'{{"status": "{status}"}}'))
    else:
        who = "auto-retry" if what == "auto-retry" else "ana"
        db.execute(audit.insert().values(item_id=item_id, at=at, who=who,
                                         action="retry" if who != "ana" else what,
                                         after_json=sa.null() if detail is None
                                         else json.dumps(detail)))


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    url = f"sqlite:///{tmp_path_factory.mktemp('insights') / 'bots.sqlite'}"
    seed(url, NOW)
    return Ledger(url)


def view_of(ledger: Ledger, **params: str) -> InsightsView:
    return insights(ledger, GOALS, params, NOW)


def claims(view: InsightsView) -> Figures:
    return next(s.figures for s in view.sections if s.figures.recipe == CLAIMS)


def test_every_recipe_has_its_own_section_and_steps_never_mix(ledger: Ledger) -> None:
    view = view_of(ledger)
    assert [s.figures.recipe for s in view.sections] == [CLAIMS, ORDERS]
    assert [step for step, _ in view.sections[1].figures.codes] == ["lines"]
    assert "lines" not in [step for step, _ in claims(view).codes]
    only = view_of(ledger, recipe=ORDERS)
    assert [s.figures.recipe for s in only.sections] == [ORDERS]


def test_throughput_rate_and_share_that_needed_a_person_over_seven_days(
        ledger: Ledger) -> None:
    figures = claims(view_of(ledger))
    assert figures.days[0] == "2026-07-14" and figures.days[-1] == "2026-07-20"
    assert figures.done == [0, 0, 0, 0, 0, 1, 1]
    assert figures.exceptions == [0, 2, 1, 1, 2, 1, 2]
    assert figures.finished == 11 and figures.rate == pytest.approx(9 / 11)
    assert figures.people == {"resolved": 2, "rejected": 2, "approved": 1, "corrected": 1,
                              "retried": 0, "waiting": 2}
    assert figures.needed == 8 and figures.needed_share == pytest.approx(8 / 11)


def test_every_code_of_every_step_sorted_with_meanings(ledger: Ledger) -> None:
    codes = {step: [(c.code, c.count) for c in rows] for step, rows in
             claims(view_of(ledger)).codes}
    assert list(codes) == ["rules", "policy", "claim", "submit"]
    assert codes["rules"] == [("AMOUNT_OVER_LIMIT", 2), ("FIELD_INVALID", 1),
                              ("POLICY_LAPSED", 1), ("POLICY_MISSING", 1)]
    assert codes["policy"] == [("POLICY_NOT_FOUND", 2)]
    first = claims(view_of(ledger)).codes[0][1][0]
    assert first.meaning == "The claimed amount exceeds the policy's coverage limit."


def test_waits_from_arrival_in_the_queue_to_a_persons_decision(ledger: Ledger) -> None:
    figures = claims(view_of(ledger))
    assert figures.waits == [600, 1200, 1800, 7200, 14400, 100800]
    assert figures.median_wait == 4500 and in_words(figures.median_wait) == "1 h 15 min"
    assert figures.p90_wait == 100800 and in_words(figures.p90_wait) == "1 d 4 h"
    assert [(w.name, w.wait_s) for w in figures.waiting] == [("c9.pdf", 96 * 3600),
                                                            ("c8.pdf", 3 * 3600)]


def test_service_goal_standing_and_no_goal(ledger: Ledger) -> None:
    view = view_of(ledger)
    assert view.sections[0].sla == {"on_time": 1, "at_risk": 1, "breached": 1}
    assert view.sections[0].goal == "2 days"
    assert view.sections[1].sla is None


def test_thirty_days_today_and_a_range(ledger: Ledger) -> None:
    month = claims(view_of(ledger, period="30d"))
    assert month.finished == 13 and sum(month.done) == 3
    assert month.waits[3] == 3600 and month.median_wait == 3600  # c11's hour joins
    assert dict((s, [(c.code, c.count) for c in r]) for s, r in month.codes)["policy"] == [
        ("POLICY_NOT_FOUND", 3)]
    today = claims(view_of(ledger, period="today"))
    assert (today.days, today.done, today.exceptions) == (["2026-07-20"], [1], [2])
    assert today.waits == [] and in_words(today.median_wait) == "-"
    span = claims(view_of(ledger, **{"from": "2026-07-15", "to": "2026-07-16"}))
    assert (span.finished, span.rate) == (3, 1.0)
    assert span.waits == [1200, 14400]


def test_orders_figures(ledger: Ledger) -> None:
    orders = view_of(ledger, recipe=ORDERS).sections[0].figures
    assert (orders.finished, orders.rate, orders.needed) == (3, 2 / 3, 2)
    assert orders.people["corrected"] == 1 and orders.people["waiting"] == 1
    assert orders.waits == [2700] and in_words(orders.p90_wait) == "45 min"


@pytest.mark.parametrize(("params", "problem"), [
    ({"period": "forever"}, "'forever' is not a period"),
    ({"from": "2026-13-01"}, "write both dates as YYYY-MM-DD"),
    ({"from": "2026-07-10", "to": "2026-07-01"}, "swap the dates"),
    ({"recipe": "nope"}, "no items of a recipe named 'nope'"),
])
def test_a_bad_choice_is_named_and_seven_days_shown(ledger: Ledger, params: dict[str, str],
                                                    problem: str) -> None:
    view = view_of(ledger, **params)
    assert problem in view.problem
    assert view.period.label == "Last 7 days" and len(view.sections) == 2


def test_links_keep_the_other_choice() -> None:
    period = period_from({"from": "2026-07-01", "to": "2026-07-05"}, date(2026, 7, 20))
    view = InsightsView(period, CLAIMS, [CLAIMS, ORDERS], [], "")
    assert view.link(recipe=ORDERS) == "?recipe=order-entry&from=2026-07-01&to=2026-07-05"
    assert view.link(period="30d") == "?recipe=claims-intake&period=30d"
    assert view.link(recipe="") == "?from=2026-07-01&to=2026-07-05"


def test_words_and_percentiles() -> None:
    assert [in_words(s) for s in (40, 600, 7800, 86400, 93600)] == [
        "40 s", "10 min", "2 h 10 min", "1 d", "1 d 2 h"]
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert percentile([5], 0.9) == 5 and percentile([], 0.5) is None


def test_the_page_shows_the_figures_escaped(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bots.sqlite'}"
    seed(url, datetime.now(UTC))
    from bots.ledger import people

    people.add_user(Ledger(url).engine, "ana", "analyst", "correct horse battery")
    with TestClient(create_app(url, tmp_path, goals=GOALS)) as client:
        sign_on(client)
        page = client.get("/insights", params={"recipe": ORDERS, "period": "30d"}).text
    assert 'data-figure="rate">67 %<' in page and 'data-figure="goal">no goal<' in page
    assert "order&lt;b&gt;77&lt;/b&gt;" in page and MARKUP_NAME not in page
    assert 'title="The system&#39;s price differs' in page
    assert 'href="?recipe=claims-intake&amp;period=30d"' in page


def test_ten_thousand_items_in_a_few_queries(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bots.sqlite'}"
    ledger = Ledger(url)
    bulk_seed(ledger, 10_000, NOW)
    statements: list[str] = []
    sa.event.listen(ledger.engine, "before_cursor_execute",
                    lambda *args: statements.append(args[2]))
    started = time.perf_counter()
    figures = claims(view_of(ledger, period="90d"))
    took = time.perf_counter() - started
    assert figures.finished == 10_000 and sum(figures.exceptions) == 5_000
    assert len(figures.waits) == 2_500 and figures.people["waiting"] == 2_500
    assert len(statements) <= 5, statements  # the recipes, items, events, audit: no per item
    assert took < 10, f"insights over 10,000 items took {took:.1f} s"


def bulk_seed(ledger: Ledger, count: int, now: datetime) -> None:
    """`count` claims over 80 days: every second one an exception, half of those decided."""
    rows, ends, decisions = [], [], []
    for n in range(count):
        minutes = 60 + (n * 11_520) // count * 10
        item_id, at = f"{CLAIMS}/bulk{n}", stamp(now, minutes)
        failed = n % 2 == 1
        rows.append({"item_id": item_id, "recipe": CLAIMS, "item_key": f"bulk{n}",
                     "name": f"bulk{n}.pdf", "arrived_at": at, "created_at": at,
                     "updated_at": at, "status": "exception" if failed else "done",
                     "review_state": "open", "step": "rules" if failed else None,
                     "code": "AMOUNT_OVER_LIMIT" if failed else None})
        ends.append({"item_id": item_id, "at": at, "event": "item.ended",
                     "data_json": f'{{"status": "{rows[-1]["status"]}"}}'})
        if n % 4 == 3:
            rows[-1]["review_state"] = "rejected"
            decisions.append({"item_id": item_id, "at": stamp(now, minutes - 30),
                              "who": "ana", "action": "reject"})
    with ledger.engine.begin() as db:
        db.execute(items.insert(), rows)
        db.execute(events.insert(), ends)
        db.execute(audit.insert(), decisions)


def test_the_same_figures_on_postgresql(database: str) -> None:
    seed(database, NOW)
    shared = Ledger(database)
    try:
        figures = claims(view_of(shared))
        assert (figures.finished, figures.needed, figures.waits[-1]) == (11, 8, 100800)
        assert [step for step, _ in figures.codes] == ["rules", "policy", "claim", "submit"]
    finally:
        shared.close()
