"""Finding buttons and links by text, value, aria-label or title (pages/find/buttons.html)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bots.web import BrowserPool
from bots.web.find import find_button
from bots.web.targets import Button, ControlMissing, as_button
from tests.steps.web.find_pages import context_for_pages, opened
from tests.steps.web.web_helpers import Run


@pytest.fixture(scope="module")
def page(run: Run, pool: BrowserPool) -> Iterator[Any]:
    for context in context_for_pages(run, pool):
        yield opened(run, context, "buttons.html")


def found_id(run: Run, page: Any, button: Button | str) -> tuple[str, str]:
    found = run(find_button(page, as_button(button)))
    return run(found.locator.get_attribute("id")), found.how


@pytest.mark.parametrize(("name", "control", "how"), [
    ("Save draft", "save", "text"),  # a non-breaking space in the page's text
    ("save draft", "save", "text"),
    ("Next >", "next", "value"),  # an input's value
    ("Help page", "help", "title"),  # a link by its title
    ("open claims list", "open-claims", "text"),  # a link by its text, across its markup
    ("Close dialog", "close", "aria-label"),
    ("Go", "span-go", "text"),  # role=button
    ("Save", "save", "text"),  # contains the words, when nothing has them exactly
    ("Start", "start-shown", "text"),  # the hidden <button> loses to the clickable div
])
def test_buttons_by_each_name(run: Run, page: Any, name: str, control: str, how: str) -> None:
    assert found_id(run, page, name) == (control, how)


def test_an_exact_name_beats_a_longer_one(run: Run, page: Any) -> None:
    assert found_id(run, page, "Submit Claim") == ("submit-claim", "text")


def test_several_partial_matches_are_listed(run: Run, page: Any) -> None:
    with pytest.raises(ControlMissing, match="'Submit' names 2 visible buttons") as raised:
        run(find_button(page, as_button("Submit")))
    assert "#submit-claim 'Submit Claim'" in raised.value.message


def test_two_identical_buttons_are_ambiguous(run: Run, page: Any) -> None:
    with pytest.raises(ControlMissing, match="Add selector:") as raised:
        run(find_button(page, as_button("Delete")))
    assert raised.value.ambiguous


def test_a_selector_settles_it(run: Run, page: Any) -> None:
    found = run(find_button(page, Button(selector="button.dup >> nth=1")))
    assert found.how == "selector" and found.fingerprint["label"] == "Delete"


def test_a_text_selector(run: Run, page: Any) -> None:
    found = run(find_button(page, Button(selector="text=Save draft")))
    assert run(found.locator.get_attribute("id")) == "save"


def test_a_missing_button_lists_the_page_buttons(run: Run, page: Any) -> None:
    with pytest.raises(ControlMissing, match="No button or link 'Cancel'") as raised:
        run(find_button(page, as_button("Cancel")))
    assert {"Save draft", "Next >", "Submit Claim"} <= set(raised.value.details["seen"])


def test_text_that_is_no_button_says_so(run: Run, page: Any) -> None:
    with pytest.raises(ControlMissing, match="shows the text 'Archive' but no button"):
        run(find_button(page, as_button("Archive")))
