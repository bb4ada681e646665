"""Form helpers on static pages in real Chromium: labels, selects, reading, red errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bots.kernel.errors import BusinessError, ItemError
from bots.web import BrowserPool, forms
from bots.web.guard import check_not_rejected, red_errors
from bots.web.values import FormattedValue, as_text
from tests.steps.web.web_helpers import Run

SCREEN = """<html><body>
<table>
 <tr><td class="lbl">Policy Number :</td><td><input name="f_1" value="OLD"></td></tr>
 <tr><td><b>LOSS TYPE:</b></td><td><select name="f_2"><option value="">-- select --</option>
   <option value="WTR">WTR - Water damage</option><option value="FIR">FIR - Fire</option>
   <option value="GLS">GLS - Glass breakage</option></select></td></tr>
 <tr><td>Description:</td><td><textarea name="f_3"></textarea></td></tr>
 <tr><td>Policy Number:</td><td> POL-1 </td></tr>
</table>
<label for="e">E-mail</label><input id="e"><input placeholder="Search term">
<span class="err" style="color:#c00"></span>
<div><font color="red">Amount must have <b>two</b> decimals.</font></div>
<p style="color:#003366">Not an error.</p>
</body></html>"""


@pytest.fixture
def page(run: Run, pool: BrowserPool) -> Iterator[Any]:
    context = run(pool.new_context())
    screen = run(context.new_page())
    run(screen.set_content(SCREEN))
    yield screen
    run(context.close())


def test_fields_found_by_label_any_case_and_colon(run: Run, page: Any) -> None:
    run(forms.fill(page, "policy number", "POL-100234"))
    run(forms.fill(page, "Description", "Burst pipe"))
    run(forms.fill(page, "E-mail", "a@b.c"))
    run(forms.fill(page, "Search term", "x"))
    values = run(page.evaluate("() => [...document.querySelectorAll('input,textarea')]"
                               ".map(e => e.value)"))
    assert values == ["POL-100234", "Burst pipe", "a@b.c", "x"]


def test_select_by_code_text_or_part_of_text(run: Run, page: Any) -> None:
    for wanted, chosen in (("FIR", "FIR"), ("wtr", "WTR"), ("Glass breakage", "GLS"),
                           ("fire", "FIR")):
        run(forms.fill(page, "Loss Type", wanted))
        assert run(page.locator("select").input_value()) == chosen


def test_select_without_a_match_lists_the_options(run: Run, page: Any) -> None:
    with pytest.raises(BusinessError, match="WTR - Water damage") as raised:
        run(forms.fill(page, "Loss Type", "Flood"))
    assert raised.value.code == "FIELD_INVALID"


def test_read_prefers_the_value_cell_over_the_input(run: Run, page: Any) -> None:
    assert run(forms.read(page, "Policy Number")) == "POL-1"


def test_missing_label_names_what_the_page_shows(run: Run, page: Any) -> None:
    with pytest.raises(ItemError, match="No field labelled 'Phone'.*Description:") as raised:
        run(forms.fill(page, "Phone", "1"))
    assert raised.value.code == "SCREEN_MISMATCH"


def test_red_text_is_an_error_but_empty_err_spans_are_not(run: Run, page: Any) -> None:
    assert run(red_errors(page)) == ["Amount must have two decimals."]
    with pytest.raises(BusinessError, match="two decimals") as raised:
        run(check_not_rejected(page))
    assert raised.value.code == "VALIDATION_REJECTED"


def test_value_formats() -> None:
    date = FormattedValue(value="2026-03-05", format="date:%m/%d/%Y")
    assert as_text("Date of Loss", date) == "03/05/2026"
    assert as_text("Amount", FormattedValue(value="1,250.5", format="amount")) == "1250.50"
    assert as_text("Amount", FormattedValue(value=80, format="amount")) == "80.00"
    assert as_text("Phone", 5551234) == "5551234"
    with pytest.raises(BusinessError, match="'Amount': 'abc' is not an amount"):
        as_text("Amount", FormattedValue(value="abc", format="amount"))
    with pytest.raises(BusinessError, match="not an ISO date"):
        as_text("Date of Loss", FormattedValue(value="5 March", format="date:%m/%d/%Y"))
    with pytest.raises(ValueError, match="supported formats: amount"):
        FormattedValue(value="1", format="money")
