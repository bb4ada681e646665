"""Browser dialogs a click opens are answered as the recipe says, and the page's reaction
proves which answer it got; their messages come back with the click (real Chromium)."""

from __future__ import annotations

import time

import pytest
from structlog.testing import capture_logs

from bots.kernel.errors import TransientError
from bots.web.clicks import Clicked, click_and_wait, set_page_defaults
from bots.web.dialogs import desk_for
from bots.web.targets import Button, DialogAnswer, Found
from tests.steps.web.wait_app import WaitSite
from tests.steps.web.web_helpers import Run, on_the_loop

pytestmark = pytest.mark.browser



def click(run: Run, site: WaitSite, name: str, dialog: DialogAnswer | None = None,
          default: DialogAnswer | None = None) -> Clicked:
    button = Button(text=name, dialog=dialog)
    found = site.text(name)
    return run(click_and_wait(site.page, found, button, dialogs=default))


def answer(run: Run, site: WaitSite) -> str:
    return str(run(site.page.inner_text("#answer")))


@pytest.fixture(autouse=True)
def dialogs_page(run: Run, site: WaitSite) -> None:
    run(site.open("dialogs.html"))


def test_an_alert_is_accepted_and_its_message_kept(run: Run, site: WaitSite) -> None:
    with capture_logs() as logs:
        clicked = click(run, site, "Alert me")
    assert clicked.dialogs == ["Claim C-42 was saved."]
    event = next(log for log in logs if log["event"] == "web.dialog")
    assert event["type"] == "alert" and event["answer"] == "accept"
    assert event["button"] == "Alert me" and event["message"] == "Claim C-42 was saved."


def test_a_confirm_is_accepted_by_default(run: Run, site: WaitSite) -> None:
    clicked = click(run, site, "Delete")
    assert clicked.dialogs == ["Delete claim C-42?"]
    assert answer(run, site) == "deleted"


def test_a_confirm_is_dismissed_when_the_button_says_so(run: Run, site: WaitSite) -> None:
    click(run, site, "Delete", dialog="dismiss")
    assert answer(run, site) == "kept"


def test_the_callers_default_answers_when_the_button_does_not(run: Run,
                                                              site: WaitSite) -> None:
    click(run, site, "Delete", default="dismiss")
    assert answer(run, site) == "kept"
    click(run, site, "Delete", dialog="accept", default="dismiss")
    assert answer(run, site) == "deleted"


def test_a_prompt_accepted_gets_its_default_text(run: Run, site: WaitSite) -> None:
    clicked = click(run, site, "Ask")
    assert clicked.dialogs == ["Your name?"] and answer(run, site) == "name: clerk"


def test_a_dialog_opened_by_a_timer_after_the_click_is_answered(run: Run,
                                                                site: WaitSite) -> None:
    click(run, site, "Ask later", dialog="dismiss")
    run(site.page.wait_for_function("document.getElementById('answer').textContent !== 'none'"))
    assert answer(run, site) == "later no"


def test_a_dialog_outside_any_click_gets_the_pages_default(run: Run, site: WaitSite) -> None:
    run(on_the_loop(lambda: desk_for(site.page, "dismiss")))
    run(site.page.evaluate("() => setTimeout(() => document.getElementById('answer')"
                           ".textContent = confirm('Now?') ? 'yes' : 'no', 0)"))
    run(site.page.wait_for_function("document.getElementById('answer').textContent !== 'none'"))
    assert answer(run, site) == "no"
    click(run, site, "Delete")  # the page's default answers the click's dialog too
    assert answer(run, site) == "kept"


@pytest.mark.parametrize(("answer_with", "lands_on"), [("accept", "/next.html"),
                                                        ("dismiss", "/leave.html#guarded")])
def test_a_page_that_asks_before_it_is_left(run: Run, site: WaitSite, answer_with: DialogAnswer,
                                            lands_on: str) -> None:
    run(site.open("leave.html#guarded"))
    began = time.perf_counter()
    clicked = run(click_and_wait(site.page, site.button("text=Leave the form"),
                                 Button(text="Leave the form", dialog=answer_with)))
    assert site.page.url.endswith(lands_on)
    assert clicked.navigated == (answer_with == "accept") and len(clicked.dialogs) == 1
    assert time.perf_counter() - began < 1.5


def test_the_page_defaults_set_where_it_is_made_apply_to_its_clicks(run: Run,
                                                                    site: WaitSite) -> None:
    run(on_the_loop(lambda: set_page_defaults(site.page, timeout_s=0.4, dialogs="dismiss")))
    click(run, site, "Delete")
    assert answer(run, site) == "kept"
    run(site.open("spa.html"))
    began = time.perf_counter()
    with pytest.raises(TransientError, match="the page to settle"):
        click(run, site, "Save forever")
    assert time.perf_counter() - began < 1.5



def test_a_page_the_session_makes_answers_as_the_web_section_says(run: Run,
                                                                  site: WaitSite) -> None:
    from bots.web.config import WebConfig
    from bots.web.session import new_page

    config = WebConfig.model_validate({"base_url": "http://wait.test", "dialogs": "dismiss"})
    page = run(new_page(site.page.context, config))  # the context's routes serve it too
    run(page.goto("http://wait.test/dialogs.html"))
    delete = Found(locator=page.get_by_role("button", name="Delete", exact=True),
                   kind="button", how="text")
    clicked = run(click_and_wait(page, delete, Button.model_validate({"text": "Delete"})))
    assert clicked.dialogs == ["Delete claim C-42?"]
    assert run(page.inner_text("#answer")) == "kept"
