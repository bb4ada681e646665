"""A button's ``wait_for:`` (text, element, URL; to appear or to go) in real Chromium, texts
with non-breaking spaces read plainly, and the page checks on a page that never navigates."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bots.kernel.errors import BusinessError, TransientError
from bots.web.clicks import click_and_wait
from bots.web.guard import check_not_expired, check_not_rejected, red_errors
from bots.web.targets import Button, Found, WaitFor
from bots.web.waits import wait_for
from tests.steps.web.wait_app import WaitSite
from tests.steps.web.web_helpers import Run

pytestmark = pytest.mark.browser



@pytest.fixture
def spa(run: Run, site: WaitSite) -> WaitSite:
    run(site.open("spa.html"))
    return site


def click(run: Run, site: WaitSite, name: str, **wait_for: Any) -> float:
    """Click the button named `name` with `wait_for`; how long it took."""
    button = Button.model_validate({"text": name, "wait_for": wait_for})
    began = time.perf_counter()
    run(click_and_wait(site.page, site.text(name), button))
    return time.perf_counter() - began


def test_a_text_that_appears_later_is_waited_for(run: Run, spa: WaitSite) -> None:
    assert click(run, spa, "Compute", text="Result ready") >= 0.2
    assert run(spa.page.locator(".result").inner_text()) == "Result ready"


def test_a_text_with_non_breaking_spaces_matches_its_plain_form(run: Run,
                                                                spa: WaitSite) -> None:
    click(run, spa, "Show spaced", text="Claim saved as C-42")
    click(run, spa, "Show spaced", text="Claim\u00a0saved as\u00a0C-42")  # the recipe's own NBSP


def test_a_text_that_goes_is_waited_for(run: Run, spa: WaitSite) -> None:
    assert click(run, spa, "Spin", text="Loading…", state="gone") >= 0.3
    assert not run(spa.page.get_by_text("Loading…").is_visible())


def test_an_element_that_appears_later_is_waited_for(run: Run, spa: WaitSite) -> None:
    assert click(run, spa, "Compute", selector=".result") >= 0.2


def test_an_element_that_goes_is_waited_for(run: Run, spa: WaitSite) -> None:
    assert click(run, spa, "Spin", selector="#spinner", state="gone") >= 0.3


@pytest.mark.parametrize("url", ["**/claims/*/done", "/claims/42/done"])
def test_a_url_is_waited_for_as_a_glob_or_a_part(run: Run, spa: WaitSite, url: str) -> None:
    click(run, spa, "Route", url=url)
    assert spa.page.url == "http://wait.test/claims/42/done"


def test_a_wait_that_runs_out_names_what_it_waited_for(run: Run, spa: WaitSite) -> None:
    with pytest.raises(TransientError) as raised:
        click(run, spa, "Say nothing", text="Saved", timeout_s=0.3)
    assert raised.value.code == "TIMEOUT"
    assert str(raised.value) == ("Timed out after 0.3 s waiting for the text 'Saved' to appear, "
                                 "after clicking 'Say nothing' (the click happened).")
    assert raised.value.details["waited_for"] == "the text 'Saved' to appear"
    assert raised.value.details["clicked"] is True


def test_a_url_never_reached_is_named(run: Run, spa: WaitSite) -> None:
    with pytest.raises(TransientError) as raised:
        click(run, spa, "Say nothing", url="**/done", timeout_s=0.3)
    assert "waiting for the page to reach '**/done'" in str(raised.value)


def test_a_hidden_copy_of_the_text_has_not_appeared(run: Run, spa: WaitSite) -> None:
    run(spa.page.evaluate("document.body.insertAdjacentHTML('beforeend', "
                          "'<template><p>Result ready</p></template><p hidden>Result ready</p>')"))
    assert click(run, spa, "Compute", text="Result ready") >= 0.2


SPA_ERRORS = """<form><label>Amount <span style="color:red">*</span></label><input>
<p style="color:#d00">Amount&nbsp;must have&nbsp;two decimals.</p>
<p class="err" style="visibility:hidden">An old message.</p>
<div id="host"></div></form>
<script>document.getElementById('host').attachShadow({mode: 'open'}).innerHTML =
  '<span style="color:rgb(200,0,0)">Policy   unknown</span>';</script>"""


def test_red_errors_are_read_plainly_on_a_page_that_did_not_navigate(run: Run,
                                                                     site: WaitSite) -> None:
    run(site.page.set_content(SPA_ERRORS))
    assert run(red_errors(site.page)) == ["Amount must have two decimals.", "Policy unknown"]
    with pytest.raises(BusinessError) as raised:
        run(check_not_rejected(site.page))
    assert raised.value.code == "VALIDATION_REJECTED"


def test_the_expiry_phrase_with_non_breaking_spaces_is_recognised(run: Run,
                                                                   site: WaitSite) -> None:
    run(site.page.set_content("<p>Your session&nbsp;has&nbsp;expired.</p>"
                              "<input type=password>"))
    with pytest.raises(TransientError) as raised:
        run(check_not_expired(site.page))
    assert raised.value.code == "SESSION_EXPIRED"


def test_a_wait_looks_inside_the_frame_it_is_given(run: Run, site: WaitSite) -> None:
    run(site.open("frames.html"))
    inner = site.page.frame(name="inner")
    assert inner is not None
    wait = WaitFor(selector="input[name=claim]", timeout_s=0.3)
    run(wait_for(site.page, wait, 5, scope=inner))
    with pytest.raises(TransientError):
        run(wait_for(site.page, wait, 5))  # not in the outer page


def test_red_error_text_ends_the_wait_for_a_confirmation(run: Run, spa: WaitSite) -> None:
    button = Button.model_validate({"text": "Send on hold",
                                    "wait_for": {"text": "Saved", "timeout_s": 5}})
    began = time.perf_counter()
    clicked = run(click_and_wait(spa.page, spa.text("Send on hold"), button))
    assert clicked.refused and time.perf_counter() - began < 1.5
    assert run(red_errors(spa.page)) == ["Policy P-9 is on hold."]


def test_a_confirmation_that_comes_is_no_refusal(run: Run, spa: WaitSite) -> None:
    button = Button.model_validate({"text": "Save slowly", "wait_for": {"text": "Saved"}})
    assert not run(click_and_wait(spa.page, spa.text("Save slowly"), button)).refused


def test_a_buttons_wait_looks_in_its_frame_too(run: Run, site: WaitSite) -> None:
    run(site.open("frames.html"))
    frame = site.page.frame_locator("iframe[name=inner]")
    found = Found(locator=frame.get_by_role("button", name="Post inside"), kind="button",
                  how="text")
    button = Button.model_validate({"text": "Post inside", "frame": "inner",
                                    "wait_for": {"text": "claim=C-7", "timeout_s": 2}})
    assert not run(click_and_wait(site.page, found, button)).refused
