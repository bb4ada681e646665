"""``web.session: batch`` in a real Chromium, through the real engine (DBOS on SQLite).

The test steps mark the page they run on in its ``window`` object: a page that is reset or
renavigated between items loses its marks, a page set up twice counts two setups.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field

from bots.engine.batch import RunOptions, run_batch
from bots.engine.progress import Progress
from bots.kernel import StepContext, StepParams, StepType
from bots.ledger import Ledger
from bots.recipe import load_recipe
from bots.steps.registry import all_steps
from bots.web.batch_session import BatchPages, BatchSession
from bots.web.session import web_of
from fixtures.legacy_app import LegacyApp
from tests.steps.web.web_helpers import PASSWORD, USER, web_config

MARK_SETUP = """() => {
  window.__page = window.__page || Math.random().toString(36).slice(2);
  window.__setups = (window.__setups || 0) + 1;
  return {page: window.__page, setups: window.__setups};
}"""
COUNT_ITEM = """() => {
  window.__items = (window.__items || 0) + 1;
  return {page: window.__page || null, setups: window.__setups || 0, items: window.__items};
}"""

RECIPE = """\
recipe: batch-web
source: {{folder: {inbox}}}
settings: {{concurrency: {concurrency}, retry: {{attempts: 1}}}}
web:
  base_url: {url}
  session: batch
  login: {{url: /login, fields: {{User ID: {user}, Password: {password}}}, submit: Sign On}}
  timeouts: {{navigation_s: 10, action_s: 3}}
before_items:
  - {{id: start, uses: test.mark_page}}
steps:
  - {{id: key, uses: test.count_item, with: {{hold_s: {hold}, value: '${{batch.start.page}}'}}}}
after_items:
  - {{id: final, uses: test.count_item}}
"""


class CountParams(StepParams):
    hold_s: float = Field(0, description="Stay on the page this long (items overlap).")
    value: str = Field("", description="Anything (a batch reference).")


class MarkParams(StepParams):
    pass


async def mark_page(params: MarkParams, ctx: StepContext) -> dict[str, Any]:
    page = await web_of(ctx).page()
    return dict(await page.evaluate(MARK_SETUP))


async def count_item(params: CountParams, ctx: StepContext) -> dict[str, Any]:
    page = await web_of(ctx).page()
    counted = dict(await page.evaluate(COUNT_ITEM))
    await asyncio.sleep(params.hold_s)
    return counted | {"first_page": params.value}


@pytest.fixture
def web_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(all_steps(), "test.mark_page",
                        StepType("test.mark_page", MarkParams, mark_page, needs=("web",)))
    monkeypatch.setitem(all_steps(), "test.count_item",
                        StepType("test.count_item", CountParams, count_item, needs=("web",)))


def run(tmp_path: Path, app: LegacyApp, *, items: int, concurrency: int = 1,
        hold: float = 0) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(items):
        (inbox / f"doc{number}.txt").write_text(f"document {number}")
    path = tmp_path / "batch-web.yaml"
    path.write_text(RECIPE.format(inbox=inbox, url=app.url, user=USER, password=PASSWORD,
                                  concurrency=concurrency, hold=hold))
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    options = RunOptions(state_dir=tmp_path / "state", database_url=url, run_id="r1")
    summary = asyncio.run(run_batch(load_recipe(str(path)), options, Progress(False)))
    ledger = Ledger(url)
    try:
        keyed = [row["values"]["key"] for row in ledger.find_items(recipe="batch-web")]
    finally:
        ledger.close()
    return summary, keyed


def test_one_page_serves_every_item_in_order_never_reset(tmp_path, app, web_steps):
    summary, keyed = run(tmp_path, app, items=3)
    first = summary["batch"]["before"]["start"]
    assert first["setups"] == 1
    assert summary["done"] == 3, summary
    assert {k["page"] for k in keyed} == {first["page"]}, "an item got another page"
    assert sorted(k["items"] for k in keyed) == [1, 2, 3], "the page was reset between items"
    assert {k["setups"] for k in keyed} == {1}, "Start was pressed again"
    assert {k["first_page"] for k in keyed} == {first["page"]}  # ${batch.start.page}
    after = summary["batch"]["after"]["final"]
    assert (after["page"], after["items"]) == (first["page"], 4)


def test_concurrency_2_uses_two_pages_each_set_up_once(tmp_path, app, web_steps):
    summary, keyed = run(tmp_path, app, items=4, concurrency=2, hold=0.6)
    assert summary["done"] == 4, summary
    pages = {k["page"] for k in keyed}
    assert len(pages) == 2, f"expected one page per concurrent item, got {keyed}"
    assert None not in pages, "a new page was not set up (before_items not replayed)"
    assert {k["setups"] for k in keyed} == {1}, "a page was set up twice"
    per_page = {page: max(k["items"] for k in keyed if k["page"] == page) for page in pages}
    assert sum(per_page.values()) == 4  # every item counted on the page it borrowed


# --- the batch's pages themselves (the session's shared Chromium) ------------------------------

class Replays:
    """A page setup that marks each page it runs on and counts the runs."""

    def __init__(self) -> None:
        self.runs = 0

    async def __call__(self, session: Any) -> None:
        self.runs += 1
        await (await session.page()).evaluate(MARK_SETUP)


def batch_pages(run: Any, pool: Any, app: LegacyApp) -> tuple[Any, Replays]:
    pages, replays = BatchPages(pool, web_config(app.url, session="batch")), Replays()
    pages.set_up_with(replays)
    return pages, replays


def test_a_closed_or_signed_off_page_is_replaced_and_set_up_again(run, pool, app):
    pages, replays = batch_pages(run, pool, app)
    first = BatchSession(pool, pages.config, pages)
    page = run(first.page())
    assert replays.runs == 1 and run(page.evaluate("window.__setups")) == 1
    run(first.release(ended_done=False))  # an exception: the page still serves the next item
    second = BatchSession(pool, pages.config, pages)
    assert run(second.page()) is page and replays.runs == 1
    run(page.goto(app.url + "/login"))  # the session ended: back on the sign-on screen
    run(second.release(ended_done=True))
    third = BatchSession(pool, pages.config, pages)
    replaced = run(third.page())
    assert replaced is not page and page.is_closed()
    assert replays.runs == 2 and run(replaced.evaluate("window.__setups")) == 1
    run(replaced.close())
    assert run(third.page()) is not replaced and replays.runs == 3
    run(pages.close())


def test_a_retry_keeps_a_healthy_page_and_replaces_a_crashed_one(run, pool, app):
    pages, replays = batch_pages(run, pool, app)
    session = BatchSession(pool, pages.config, pages)
    page = run(session.page())
    run(page.evaluate("window.__typed = 'half a form'"))
    run(session.reset())
    assert run(session.page()) is page  # the next attempt overwrites the form, same page
    run(page.close())
    run(session.reset())
    assert run(session.page()) is not page and replays.runs == 2
    run(session.release(ended_done=True))
    run(pages.close())


def test_an_open_site_page_loads_nothing_until_a_step_says_where(run, pool, app):
    config = web_config(app.url, session="batch", login=None)
    pages = BatchPages(pool, config)
    session = BatchSession(pool, config, pages)
    page = run(session.page_as_is())
    assert page.url == "about:blank"  # no base_url load that the step's own URL would replace
    assert run(session.page_at("/login")) is page and page.url == app.url + "/login"
    run(session.release(ended_done=True))
    at_login = web_config(app.url + "/login", session="batch", login=None)
    for where in ("page_at", "page"):  # a step without a URL, or a step of one's own: base_url
        other = BatchSession(pool, at_login, BatchPages(pool, at_login))
        opened = run(other.page_at(None) if where == "page_at" else other.page())
        assert opened is not page and opened.url == app.url + "/login", where
        run(other.release(ended_done=True))
        run(other._pages.close())
    run(pages.close())
