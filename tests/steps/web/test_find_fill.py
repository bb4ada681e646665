"""Filling every kind of control from one recipe value, checked in the page
(pages/find/kinds.html)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bots.kernel.errors import BusinessError
from bots.web import BrowserPool
from bots.web.forms import fill, fill_all
from bots.web.values import FormattedValue
from tests.steps.web.find_pages import context_for_pages, opened
from tests.steps.web.web_helpers import Run


@pytest.fixture(scope="module")
def context(run: Run, pool: BrowserPool) -> Iterator[Any]:
    yield from context_for_pages(run, pool)


@pytest.fixture
def page(run: Run, context: Any) -> Iterator[Any]:
    form = opened(run, context, "kinds.html")
    yield form
    run(form.close())


def value_of(run: Run, page: Any, css: str) -> str:
    return str(run(page.locator(css).input_value()))


def checked(run: Run, page: Any, css: str) -> bool:
    return bool(run(page.locator(css).is_checked()))


def test_text_like_inputs_and_a_textarea(run: Run, page: Any) -> None:
    typed = run(fill_all(page, {"Name": "Ann Lee", "Email": "ann@example.com",
                                "Phone": 5551234, "Amount": "1250.50",
                                "Description": "Burst pipe"}))
    assert typed["Phone"] == "5551234"
    assert [value_of(run, page, css) for css in ("#name", "#email", "#phone", "#amount",
                                                  "#desc")] == \
        ["Ann Lee", "ann@example.com", "5551234", "1250.50", "Burst pipe"]


def test_a_number_input_refuses_words(run: Run, page: Any) -> None:
    with pytest.raises(BusinessError, match="'Amount': 'lots' is not a number") as raised:
        run(fill(page, "Amount", "lots"))
    assert raised.value.code == "FIELD_INVALID"


@pytest.mark.parametrize(("word", "ticked"), [
    ("yes", True), ("X", True), ("1", True), ("on", True), ("checked", True), (True, True),
    ("no", False), ("false", False), ("0", False), ("off", False), (False, False)])
def test_checkbox_words(run: Run, page: Any, word: Any, ticked: bool) -> None:
    run(fill(page, "Urgent", word))
    run(fill(page, "Send a copy", word))
    assert (checked(run, page, "#urgent"), checked(run, page, "#copy")) == (ticked, ticked)


def test_a_box_hidden_behind_a_styled_toggle_is_ticked_and_cleared(run: Run, page: Any) -> None:
    run(fill(page, "Newsletter", "yes"))
    assert checked(run, page, "#news")
    run(fill(page, "Newsletter", "no"))
    assert not checked(run, page, "#news")


def test_a_checkbox_refuses_other_words(run: Run, page: Any) -> None:
    with pytest.raises(BusinessError, match="not a yes or no") as raised:
        run(fill(page, "Urgent", "maybe"))
    assert raised.value.code == "FIELD_INVALID"


@pytest.mark.parametrize(("wanted", "value"), [
    ("Phone call", "P"), ("phone\u00a0CALL", "P"), ("L", "L"), ("e-mail", "E"), ("Phone", "P")])
def test_radio_group_by_label_or_value(run: Run, page: Any, wanted: str, value: str) -> None:
    run(fill(page, "Contact by", wanted))
    assert run(page.evaluate("() => document.querySelector('[name=contact]:checked').value")) \
        == value


def test_radio_options_by_the_text_after_them(run: Run, page: Any) -> None:
    run(fill(page, "Channel", "Branch"))
    assert checked(run, page, "[value=branch]") and not checked(run, page, "[value=web]")


def test_an_unknown_radio_option_lists_the_options(run: Run, page: Any) -> None:
    with pytest.raises(BusinessError, match="none of its options: E-mail, Phone call, Letter"):
        run(fill(page, "Contact by", "Pigeon"))


@pytest.mark.parametrize(("wanted", "chosen"), [("FIR", "FIR"), ("water damage", "WTR")])
def test_select_by_value_or_text(run: Run, page: Any, wanted: str, chosen: str) -> None:
    run(fill(page, "Loss Type", wanted))
    assert value_of(run, page, "#loss") == chosen


@pytest.mark.parametrize(("wanted", "chosen"), [("DE", "DE"), ("at", "AT"), ("germany", "DE")])
def test_select_by_a_code_its_text_does_not_show(run: Run, page: Any, wanted: str,
                                                  chosen: str) -> None:
    run(fill(page, "Country", wanted))  # <option value="DE">Germany</option>
    assert value_of(run, page, "#country") == chosen


@pytest.mark.parametrize("given", [
    "2026-03-05", FormattedValue(value="2026-03-05", format="date:%m/%d/%Y"),
    FormattedValue(value="03/05/2026", format="date:%m/%d/%Y")])
def test_a_date_input_gets_an_iso_date(run: Run, page: Any, given: Any) -> None:
    run(fill(page, "Date of Loss", given))
    assert value_of(run, page, "#when") == "2026-03-05"


def test_a_date_input_refuses_a_date_it_cannot_read(run: Run, page: Any) -> None:
    with pytest.raises(BusinessError, match="'Date of Loss' is a date field"):
        run(fill(page, "Date of Loss", "5 March"))


def test_a_file_upload(run: Run, page: Any, tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    run(fill(page, "Attachment", str(scan)))
    assert run(page.evaluate("() => document.querySelector('#upload').files[0].name")) \
        == "scan.pdf"


def test_a_missing_upload_file_is_named(run: Run, page: Any, tmp_path: Path) -> None:
    with pytest.raises(BusinessError, match="nowhere.pdf") as raised:
        run(fill(page, "Attachment", str(tmp_path / "nowhere.pdf")))
    assert raised.value.code == "FILE_MISSING"


def test_contenteditable(run: Run, page: Any) -> None:
    run(fill(page, "Remarks", "Call after 5"))
    assert run(page.locator("#remarks").inner_text()) == "Call after 5"


def test_none_leaves_a_choice_alone(run: Run, page: Any) -> None:
    run(fill_all(page, {"Send a copy": None, "Loss Type": None, "Name": None}))
    assert checked(run, page, "#copy") and value_of(run, page, "#loss") == ""


def test_fields_after_a_choice_that_redraws_them_are_found_afresh(run: Run,
                                                                    context: Any) -> None:
    form = opened(run, context, "cascade.html")
    typed = run(fill_all(form, {"Name": "Ann", "Country": "France", "Region": "Normandie",
                                "City": "Caen"}))
    assert typed == {"Name": "Ann", "Country": "France", "Region": "Normandie", "City": "Caen"}
    assert [value_of(run, form, css) for css in ("#name", "#country", "#region", "#city")] \
        == ["Ann", "France", "Normandie", "Caen"]


def test_a_form_of_text_fields_is_searched_in_one_browser_call(run: Run, page: Any,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    frame, calls = page.main_frame, []
    searched = frame.evaluate

    async def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1].get("op") if len(args) > 1 else None)
        return await searched(*args, **kwargs)

    monkeypatch.setattr(frame, "evaluate", counted)
    run(fill_all(page, {"Name": "Ann", "Email": "a@b.c", "Phone": "1", "Description": "x"}))
    assert calls == ["fields"]
    assert value_of(run, page, "#desc") == "x"


def test_widgets_drawn_from_divs_with_aria_roles(run: Run, context: Any) -> None:
    widgets = opened(run, context, "widgets.html")
    typed = run(fill_all(widgets, {"Urgent": "yes", "Notify me": "no", "Plan": "Premium",
                                   "Comment": "Call back"}))
    assert typed["Plan"] == "Premium"
    checked = run(widgets.evaluate("""() => [...document.querySelectorAll('[aria-checked]')]
        .map(el => el.getAttribute('aria-checked'))"""))
    assert checked == ["true", "false", "false", "true"]  # urgent, notify, basic, premium
    assert run(widgets.locator("#comment").inner_text()) == "Call back"
