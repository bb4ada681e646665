"""read_value, read_selector and read_pattern on real pages in real Chromium."""

from __future__ import annotations

import pytest

from bots.kernel.errors import BusinessError, TransientError
from bots.web.reading import read_pattern, read_selector, read_value, wait_until
from bots.web.targets import ControlMissing, WaitFor
from tests.steps.web.read_pages import Opener, read_page
from tests.steps.web.web_helpers import Run

__all__ = ["read_page"]  # the fixture, imported for pytest

VALUES = {
    "Policy Number": "POL-100234",          # legacy: label cell, value cell (NBSP in the label)
    "policy holder": "Maria Keller",        # bold label in its cell; NBSPs in the value
    "Status:": "ACTIVE",                     # a row header cell
    "Coverage Limit": "25,000.00 EUR",       # a required mark '*' after the label
    "Product": "Home Plus",                  # <dt>/<dd>
    "Broker": "Smith & Co",
    "Effective Date": "01/01/2024",         # "Label: value" lines split by <br>
    "Expiry Date": "12/31/2024",
    "Agent": "Jane Roe (since 2020)",       # <b>Label:</b> value, inline; a hidden copy ignored
    "Region": "North West",                 # a label element, then a value element
    "Risk Class": "B2",                     # a wrapped label, then a value block
    "Contact Email": "maria@example.com",   # a <label> just before its input, no 'for'
    "Phone": "555-0101",                    # <label for>
    "Preferred": "yes",                     # a wrapping label around a checkbox
    "Language": "English",                  # a select shows its chosen option's text
    "Notes": "Burst pipe in kitchen",       # aria-label on a textarea
    "Open Claims": "3",                     # aria-labelledby
    "Balance": "1,234.50",                  # aria-label on an output
    "Search term": "water",                 # a placeholder
    "Widget Score": "97",                   # inside a shadow root
    "IBAN": "DE02 1203 0000 0000 2020 51",  # a row of labels over a row of fields
    "BIC": "BYLADEM1001",
    "Verified by phone": "yes",             # a checkbox, its label after it
    "Vendor type": "Services",              # a fieldset's legend over a radio group
    "Claim Ref": "RC-9",                    # a bold header row over one record (and filler)
    "Total": "99.00",                       # a bold row that heads nothing: label, value
}


@pytest.mark.parametrize(("label", "value"), VALUES.items())
def test_each_way_a_page_shows_a_value(run: Run, read_page: Opener, label: str,
                                       value: str) -> None:
    page = read_page("values.html")
    assert run(read_value(page, label)) == value


def test_a_label_with_two_different_values_is_ambiguous(run: Run, read_page: Opener) -> None:
    page = read_page("values.html")
    with pytest.raises(ControlMissing, match="'Reference' shows 2 different values") as raised:
        run(read_value(page, "Reference"))
    assert raised.value.code == "SCREEN_MISMATCH"
    assert raised.value.ambiguous
    assert [c.split(" ")[0] for c in raised.value.details["candidates"]] == ["'REF-1'", "'REF-2'"]


def test_a_missing_label_names_what_the_page_shows(run: Run, read_page: Opener) -> None:
    page = read_page("values.html")
    with pytest.raises(ControlMissing, match="No value labelled 'Claim Number'") as raised:
        run(read_value(page, "Claim Number"))
    assert not raised.value.ambiguous
    assert "Policy Number:" in raised.value.details["seen"]
    assert "'Product'" in raised.value.message


def test_a_legacy_list_with_several_rows_asks_for_a_table_read(run: Run,
                                                                read_page: Opener) -> None:
    page = read_page("worklist.html")
    with pytest.raises(BusinessError, match="'Policy No.' heads a column of a table with 3"):
        run(read_value(page, "Policy No."))


def test_one_row_under_a_header_is_the_value(run: Run, read_page: Opener) -> None:
    page = read_page("results.html")
    assert run(read_value(page, "Hits")) == "3"
    assert run(read_value(page, "External Reference")) == "BOT-1"


def test_a_header_over_several_rows_asks_for_a_table_read(run: Run, read_page: Opener) -> None:
    page = read_page("results.html")
    with pytest.raises(BusinessError, match="heads a column of a table with 3 rows") as raised:
        run(read_value(page, "Claim Reference"))
    assert "tables:" in raised.value.message and raised.value.code == "SEVERAL_MATCHES"
    assert raised.value.details["candidates"][:2] == ["CLM-000001", "CLM-000002"]


def test_read_selector_reads_one_or_every_element(run: Run, read_page: Opener) -> None:
    page = read_page("results.html")
    assert run(read_selector(page, "table.grid tr:nth-child(3) td:first-child")) == "CLM-000002"
    assert run(read_selector(page, "input[name=x1]")) == "BOT-1"
    every = run(read_selector(page, "table.grid >> nth=0 >> td:first-child", every=True))
    assert every == ["CLM-000001", "CLM-000002", "CLM-000003"]
    with pytest.raises(ControlMissing, match="matches 3 elements"):
        run(read_selector(page, "table.grid >> nth=0 >> td:first-child"))


def test_read_selector_of_nothing(run: Run, read_page: Opener) -> None:
    page = read_page("results.html")
    assert run(read_selector(page, "#gone", required=False)) is None
    assert run(read_selector(page, "#gone", every=True)) == []
    with pytest.raises(ControlMissing, match="No element matches '#gone'"):
        run(read_selector(page, "#gone"))


def test_read_pattern_takes_the_named_group_over_plain_spaces(run: Run,
                                                             read_page: Opener) -> None:
    page = read_page("values.html")
    pattern = r"Coverage Limit \* (?P<amount>[\d,.]+) (?P<currency>[A-Z]{3})"
    assert run(read_pattern(page, pattern)) == "25,000.00"
    assert run(read_pattern(page, r"Holder: (\w+ \w+)")) == "Maria Keller"  # NBSPs in both
    assert run(read_pattern(page, r"REF-\d")) == "REF-1"
    assert run(read_pattern(page, r"Widget Score (\d+)")) == "97"  # shadow DOM text


def test_read_pattern_without_a_match(run: Run, read_page: Opener) -> None:
    page = read_page("values.html")
    assert run(read_pattern(page, r"CLM-\d+", required=False)) is None
    with pytest.raises(ControlMissing, match=r"Nothing matches the pattern 'CLM-\\\\d\+'"):
        run(read_pattern(page, r"CLM-\d+"))


def wait(spec: dict[str, str]) -> WaitFor:
    return WaitFor.model_validate(spec)


LATER = """() => {
  document.body.insertAdjacentHTML('beforeend', '<p id="busy">Loading...</p>');
  setTimeout(() => document.getElementById('busy').remove(), 200);
  setTimeout(() => history.pushState({}, '', '/values.html?step=done'), 250);
}"""


def test_wait_until_an_element_goes_and_a_url_is_reached(run: Run, read_page: Opener) -> None:
    page = read_page("values.html")
    run(page.evaluate(LATER))
    run(wait_until(page, wait({"selector": "#busy", "state": "gone"}), timeout_s=5))
    assert not run(page.locator("#busy").count())
    run(wait_until(page, wait({"url": "step=done"}), timeout_s=5))
    run(wait_until(page, wait({"url": "**/values.html?step=*"}), timeout_s=5))
    with pytest.raises(TransientError, match=r"Waited 0.2 s for the page to reach '\*\*/nope'"):
        run(wait_until(page, wait({"url": "**/nope"}), timeout_s=0.2))


DRAWN_LATER = """() => setTimeout(() => document.body.insertAdjacentHTML('beforeend',
  '<dl><dt>Drawn Late</dt><dd>at last</dd></dl><p>Ticket T-991 opened</p>'), 300)"""


def test_a_value_drawn_late_is_waited_for(run: Run, read_page: Opener) -> None:
    page = read_page("values.html")
    run(page.evaluate(DRAWN_LATER))
    with pytest.raises(ControlMissing, match="No value labelled 'Drawn Late'"):
        run(read_value(page, "Drawn Late"))  # no wait: not drawn yet
    assert run(read_value(page, "Drawn Late", wait_s=5)) == "at last"
    assert run(read_pattern(page, r"Ticket (T-\d+)", wait_s=5)) == "T-991"
