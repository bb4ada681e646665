"""After a click, in real Chromium: a navigation is followed to its load, requests the click
started are let finish, and a click that starts neither returns at once (a page that never
loads again is no 30 s timeout)."""

from __future__ import annotations

import time

import pytest

from bots.kernel.errors import TransientError
from bots.web.clicks import click_and_wait
from bots.web.targets import Button, Found
from tests.steps.web.wait_app import WaitSite
from tests.steps.web.web_helpers import Run

pytestmark = pytest.mark.browser



def click(run: Run, site: WaitSite, text: str, **button: object) -> tuple[object, float]:
    """Click the button or link named `text`; what it led to, and how long it took."""
    found = site.button(f"text={text}")
    began = time.perf_counter()
    clicked = run(click_and_wait(site.page, found, Button.model_validate({"text": text,
                                                                             **button})))
    return clicked, time.perf_counter() - began


def test_a_link_is_followed_to_the_next_page(run: Run, site: WaitSite) -> None:
    run(site.open("navigate.html"))
    clicked, _ = click(run, site, "Open next page")
    assert clicked.navigated and clicked.response.status == 200  # type: ignore[attr-defined]
    assert site.page.url.endswith("/next.html")
    assert run(site.page.inner_text("#arrived")) == "You arrived."


def test_a_form_post_returns_the_posted_page(run: Run, site: WaitSite) -> None:
    run(site.open("navigate.html"))
    clicked, _ = click(run, site, "Post the form")
    assert clicked.navigated and clicked.response.url.endswith("/posted")  # type: ignore
    assert "claim=C-1" in run(site.page.inner_text("body"))
    assert site.hits["/posted"] == 1


def test_a_navigation_begun_by_a_timer_is_followed(run: Run, site: WaitSite) -> None:
    run(site.open("navigate.html"))
    clicked, _ = click(run, site, "Go after a timer")
    assert clicked.navigated and site.page.url.endswith("/next.html")  # type: ignore


def test_a_fetch_then_a_redirect_is_followed(run: Run, site: WaitSite) -> None:
    run(site.open("navigate.html"))
    clicked, _ = click(run, site, "Save then go")
    assert clicked.navigated and site.page.url.endswith("/next.html?saved=1")  # type: ignore
    assert run(site.page.inner_text("#arrived")) == "You arrived."


def test_a_page_that_loads_too_slowly_is_a_timeout_after_the_click(run: Run,
                                                                   site: WaitSite) -> None:
    run(site.open("navigate.html"))
    with pytest.raises(TransientError) as raised:
        run(click_and_wait(site.page, site.button("text=Post slowly"),
                           Button(text="Post slowly"), timeout_s=0.8))
    assert raised.value.code == "TIMEOUT"
    assert "the page to load after clicking 'Post slowly' (the click happened)" in str(
        raised.value)
    assert raised.value.details["clicked"] is True and site.hits["/slow-post"] == 1


def test_a_click_on_a_single_page_form_returns_at_once(run: Run, site: WaitSite) -> None:
    run(site.open("spa.html"))
    clicked, seconds = click(run, site, "Start")
    assert not clicked.navigated and clicked.response is None  # type: ignore[attr-defined]
    assert seconds < 0.5
    assert run(site.page.evaluate("window.clicks")) == 1
    assert run(site.page.locator("label").inner_text()) == "First Name"


def test_a_click_waits_for_the_request_it_started(run: Run, site: WaitSite) -> None:
    run(site.open("spa.html"))
    clicked, seconds = click(run, site, "Save slowly")
    assert not clicked.navigated  # type: ignore[attr-defined]
    assert seconds >= 1.0
    assert run(site.page.inner_text("#message")) == "Saved"


def test_requests_chained_one_after_another_are_waited_for(run: Run, site: WaitSite) -> None:
    run(site.open("spa.html"))
    click(run, site, "Save twice")
    assert site.hits["/api/save"] == 2
    assert run(site.page.inner_text("#message")) == "Saved twice"


def test_a_request_that_never_ends_is_named_in_the_timeout(run: Run, site: WaitSite) -> None:
    run(site.open("spa.html"))
    began = time.perf_counter()
    with pytest.raises(TransientError) as raised:
        run(click_and_wait(site.page, site.button("text=Save forever"),
                           Button(text="Save forever"), timeout_s=0.6))
    assert time.perf_counter() - began < 2
    message = str(raised.value)
    assert raised.value.code == "TIMEOUT"
    assert "the page to settle after clicking 'Save forever' (the click happened)" in message
    assert "GET http://wait.test/api/save?ms=60000" in message


def test_a_form_posted_inside_a_frame_is_waited_for(run: Run, site: WaitSite) -> None:
    run(site.open("frames.html"))
    frame = site.page.frame_locator("iframe[name=inner]")
    found = Found(locator=frame.get_by_role("button", name="Post inside"), kind="button",
                  how="text")
    clicked = run(click_and_wait(site.page, found, Button(text="Post inside", frame="inner")))
    assert not clicked.navigated and site.hits["/posted"] == 1  # the outer page stayed
    inner = site.page.frame(name="inner")
    assert inner is not None and inner.url == "http://wait.test/posted"
    assert "claim=C-7" in run(inner.evaluate("document.body.innerText"))


def test_a_request_begun_before_the_click_is_not_waited_for(run: Run, site: WaitSite) -> None:
    run(site.open("spa.html"))
    run(site.page.get_by_role("button", name="Open a long poll").click())  # a poll, running
    _, seconds = click(run, site, "Start")
    assert seconds < 0.5 and run(site.page.evaluate("window.clicks")) == 1


def test_an_image_the_click_shows_is_not_waited_for(run: Run, site: WaitSite) -> None:
    run(site.open("spa.html"))
    _, seconds = click(run, site, "Show the logo")
    assert seconds < 0.5
    assert run(site.page.evaluate("document.querySelector('img').complete")) is False  # loading


def test_a_link_to_a_download_does_not_wait_for_a_page(run: Run, site: WaitSite) -> None:
    run(site.open("navigate.html"))
    _, seconds = click(run, site, "Download the claim")
    assert seconds < 2 and site.page.url.endswith("/navigate.html")
