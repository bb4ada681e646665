"""Finding a field every way real pages label it, in real Chromium (pages/find/labels.html)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from bots.web import BrowserPool
from bots.web.find import find_field
from bots.web.find_dom import DOM_JS
from bots.web.targets import ControlMissing
from bots.web.text import label_key
from tests.steps.web.find_pages import context_for_pages, opened
from tests.steps.web.web_helpers import Run


@pytest.fixture(scope="module")
def page(run: Run, pool: BrowserPool) -> Iterator[Any]:
    for context in context_for_pages(run, pool):
        yield opened(run, context, "labels.html")


def found_id(run: Run, page: Any, name: str, **escape: str) -> tuple[str, str]:
    """The id of the control found for a label, and how it was found."""
    found = run(find_field(page, name, **escape))
    return run(found.locator.get_attribute("id")), found.how


@pytest.mark.parametrize(("label", "control", "how"), [
    ("First Name", "r7x1", "sibling-label"),  # the RPA challenge's <label><input>, no for
    ("Company", "company", "sibling-label"),  # label beside the input's wrapper
    ("Fax", "fax", "sibling-label"),  # an aria-hidden icon between them is no label
    ("Nickname", "floating", "sibling-label"),  # a floating label after its input
    ("Alias", "alias", "wrapping-label"),  # a hint after the input inside the label
    ("Region", "region", "placeholder"),  # a select's empty first option
    ("E-mail", "mail", "label-for"),  # trailing '*' dropped
    ("phone", "phone", "wrapping-label"),  # any case, trailing ':' dropped
    ("Notes", "notes", "aria-labelledby"),
    ("Zip code", "zip", "aria-label"),
    ("Search term", "search", "placeholder"),
    ("Policy Number", "policy", "table-cell-left"),
    ("Loss Type", "loss", "table-cell-left"),  # label text in a <b> in the cell
    ("Unit Price", "price", "table-cell-above"),
    ("Quantity", "qty", "table-cell-above"),
    ("City", "city", "dl"),
    ("I accept the terms", "terms", "sibling-label"),  # text right after a checkbox
    ("Male", "g-m", "label-for"),  # one radio by its own label
])
def test_each_way_of_labelling(run: Run, page: Any, label: str, control: str, how: str) -> None:
    assert found_id(run, page, label) == (control, how)


def test_a_non_breaking_space_in_the_label_matches_a_plain_space(run: Run, page: Any) -> None:
    assert found_id(run, page, "Last Name") == ("r7x2", "sibling-label")
    assert found_id(run, page, "last\u00a0name:") == ("r7x2", "sibling-label")


def test_spaces_and_line_breaks_inside_a_label_are_one_space(run: Run, page: Any) -> None:
    assert found_id(run, page, "Date of birth") == ("dob", "sibling-label")


@pytest.mark.parametrize("text", [
    "Date   of\n  birth *:", "Policy No.: ", "E-mail *", "Amount: *", "Total:*:",
    "\u00a0Last\u200bName\u202f", "**", "Straße", "ÉTAT CIVIL",
])
def test_the_page_compares_labels_as_the_recipe_side_does(run: Run, page: Any,
                                                          text: str) -> None:
    in_page = run(page.evaluate("(t) => {" + DOM_JS + "\nreturn labelKey(t);\n}", text))
    assert in_page == label_key(text)


def test_a_legend_names_its_radio_group(run: Run, page: Any) -> None:
    found = run(find_field(page, "Gender"))
    assert (found.kind, found.how) == ("radio-group", "legend")
    assert run(found.locator.evaluate("el => el.tagName")) == "FIELDSET"


def test_a_hidden_duplicate_is_no_ambiguity(run: Run, page: Any) -> None:
    assert found_id(run, page, "Agent") == ("agent", "sibling-label")


def test_hidden_inputs_never_count(run: Run, page: Any) -> None:
    with pytest.raises(ControlMissing):
        run(find_field(page, "Secret"))


def test_two_fields_with_one_label_are_listed(run: Run, page: Any) -> None:
    with pytest.raises(ControlMissing, match="2 visible fields") as raised:
        run(find_field(page, "Branch"))
    assert raised.value.ambiguous and raised.value.code == "SCREEN_MISMATCH"
    assert [c.split(" ")[1] for c in raised.value.details["candidates"]] == ["#branch-1",
                                                                            "#branch-2"]


def test_text_on_the_page_with_no_field_says_so(run: Run, page: Any) -> None:
    with pytest.raises(ControlMissing) as raised:
        run(find_field(page, "Reference"))
    message = raised.value.message
    assert "shows the text 'Reference' but no field next to it; add selector:" in message
    assert not raised.value.ambiguous and "field labels are" not in message


def test_a_label_nowhere_lists_the_labels_the_page_has(run: Run, page: Any) -> None:
    with pytest.raises(ControlMissing, match="No field labelled 'Surname'") as raised:
        run(find_field(page, "Surname"))
    assert {"First Name", "E-mail *", "Gender", "City"} <= set(raised.value.details["seen"])


def test_the_fingerprint_describes_the_control(run: Run, page: Any) -> None:
    found = run(find_field(page, "First Name"))
    print_ = found.fingerprint
    assert {key: print_[key] for key in ("label", "how", "tag", "type", "role", "id", "name")} \
        == {"label": "First Name", "how": "sibling-label", "tag": "input", "type": "text",
            "role": "textbox", "id": "r7x1", "name": "qx81"}
    assert print_["near"] == "First Name" and print_["near_after"] == "Last Name"
    assert print_["frame"] is None
    assert set(print_["box"]) == {"x", "y", "w", "h"} and print_["box"]["w"] > 0


@pytest.mark.parametrize(("selector", "control"), [
    ("#zip", "zip"), ("xpath=//dd/input", "city"), ("//dd/input", "city"),
    ("role=textbox[name='Zip code']", "zip"), ("css=div.row input", "company"),
    ("div.row .col-10", "company"),  # a wrapper stands for the one control in it
])
def test_selector_kinds(run: Run, page: Any, selector: str, control: str) -> None:
    assert found_id(run, page, "the field", selector=selector) == (control, "selector")


@pytest.mark.parametrize(("selector", "control", "how"), [
    ("text=First Name", "r7x1", "sibling-label"),  # a <label> with no for: the input after it
    ("text=Policy Number", "policy", "table-cell-left"),  # a cell: the input in the next one
    ("label[for=mail]", "mail", "selector"),  # a <label for>: the control it names
    ("#shipping >> text=Branch", "branch-2", "sibling-label"),  # the label twice on the page
])
def test_a_selector_that_picks_a_caption_names_its_field(run: Run, page: Any, selector: str,
                                                         control: str, how: str) -> None:
    found = run(find_field(page, "the field", selector=selector))
    assert (run(found.locator.get_attribute("id")), found.how) == (control, how)
    run(found.locator.fill("typed"))
    assert run(page.locator(f"#{control}").input_value()) == "typed"


def test_a_selector_over_one_radio_group_is_the_group(run: Run, page: Any) -> None:
    assert run(find_field(page, "Gender", selector="input[name=g]")).kind == "radio-group"


def test_a_selector_matching_nothing_or_several_says_which(run: Run, page: Any) -> None:
    with pytest.raises(ControlMissing, match="'#nope' of the field 'Branch' matches nothing"):
        run(find_field(page, "Branch", selector="#nope"))
    with pytest.raises(ControlMissing, match="matches 2 visible fields") as raised:
        run(find_field(page, "Branch", selector="input[id^=branch]"))
    assert raised.value.ambiguous


def test_a_field_rendered_late_is_waited_for(run: Run, pool: BrowserPool) -> None:
    for context in context_for_pages(run, pool, timeout_ms=3000):
        late = opened(run, context, "labels.html")
        run(late.evaluate("""() => setTimeout(() => document.body.insertAdjacentHTML('beforeend',
            '<div><label>Late field</label><input id=late></div>'), 300)"""))
        assert found_id(run, late, "Late field") == ("late", "sibling-label")


def test_on_a_settled_page_a_missing_field_is_known_well_before_the_timeout(
        run: Run, pool: BrowserPool) -> None:
    for context in context_for_pages(run, pool, timeout_ms=8000):
        settled = opened(run, context, "labels.html")
        started = time.monotonic()
        with pytest.raises(ControlMissing, match="No field labelled 'Surname'"):
            run(find_field(settled, "Surname"))
        assert time.monotonic() - started < 4.5


def test_a_field_drawn_after_a_slow_answer_is_waited_for(run: Run, pool: BrowserPool) -> None:
    for context in context_for_pages(run, pool, timeout_ms=8000):
        slow = opened(run, context, "slow.html")
        assert found_id(run, slow, "Late field") == ("late", "sibling-label")
