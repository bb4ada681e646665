"""A signed-on context passes from an item that ended done to the next item, and only then."""

from __future__ import annotations

from typing import Any

from bots.web import BrowserPool, ItemSession, forms
from fixtures.legacy_app import LegacyApp
from tests.steps.web.web_helpers import Run, web_config


def signed_on_page(run: Run, session: ItemSession) -> Any:
    page = run(session.page())
    assert "Welcome, clerk" in run(forms.page_text(page))
    return page


def test_a_done_item_hands_its_signed_on_page_to_the_next(run: Run, pool: BrowserPool,
                                                          app: LegacyApp) -> None:
    first = pool.session()
    page = signed_on_page(run, first)
    run(first.release(ended_done=True))
    second = pool.session()
    assert run(second.page()) is page, "the next item signed on again instead of reusing"
    assert not page.is_closed()
    run(second.close())  # not reusable: an exception, say
    assert page.is_closed()
    third = pool.session()
    assert signed_on_page(run, third) is not page
    run(third.close())


def test_no_reuse_when_the_recipe_turns_it_off(run: Run, pool: BrowserPool,
                                               app: LegacyApp) -> None:
    config = web_config(app.url, reuse_sessions=False)
    first = pool.session(config)
    page = signed_on_page(run, first)
    run(first.release(ended_done=True))
    assert page.is_closed()


def test_a_kept_context_serves_only_the_same_web_section(run: Run, pool: BrowserPool,
                                                         app: LegacyApp) -> None:
    first = pool.session()
    page = signed_on_page(run, first)
    run(first.release(ended_done=True))
    other = pool.session(web_config(app.url, viewport={"width": 1024, "height": 768}))
    assert signed_on_page(run, other) is not page
    run(other.close())
    same = pool.session()
    assert run(same.page()) is page
    run(same.close())  # leaves no kept context to later tests
