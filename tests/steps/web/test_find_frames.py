"""Fields and buttons inside iframes and open shadow roots (pages/find/frames.html, shadow)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bots.web import BrowserPool
from bots.web.find import find_button, find_field
from bots.web.forms import fill
from bots.web.targets import Button, ControlMissing
from bots.web.values import FormattedValue
from tests.steps.web.find_pages import context_for_pages, opened
from tests.steps.web.web_helpers import Run


@pytest.fixture(scope="module")
def context(run: Run, pool: BrowserPool) -> Iterator[Any]:
    yield from context_for_pages(run, pool, timeout_ms=1500)


@pytest.fixture(scope="module")
def frames(run: Run, context: Any) -> Any:
    return opened(run, context, "frames.html")


@pytest.mark.parametrize(("frame", "label", "control"), [
    ("claims", "Claim Number", "c"),  # by its name
    ("Payment details", "IBAN", "iban"),  # by its title
    ("iframe.legacy-host >> deep", "Claim Number", "c"),  # by CSS, then nested by name
])
def test_a_field_in_a_frame(run: Run, frames: Any, frame: str, label: str,
                            control: str) -> None:
    found = run(find_field(frames, label, frame=frame))
    assert run(found.locator.get_attribute("id")) == control
    assert found.fingerprint["frame"] == frame


def test_a_value_names_its_frame_and_is_filled_there(run: Run, frames: Any) -> None:
    run(fill(frames, "IBAN", FormattedValue(value="DE89 3704", frame="Payment details")))
    payment = next(f for f in frames.frames if f.url.endswith("/payment.html"))
    assert run(payment.locator("#iban").input_value()) == "DE89 3704"


def test_a_button_in_a_frame(run: Run, frames: Any) -> None:
    found = run(find_button(frames, Button(text="Send", frame="claims")))
    assert run(found.locator.inner_text()) == "Send"


def test_outside_its_frame_the_field_is_missing(run: Run, frames: Any) -> None:
    with pytest.raises(ControlMissing, match="No field labelled 'IBAN'"):
        run(find_field(frames, "IBAN"))


def test_an_unknown_frame_lists_the_frames(run: Run, frames: Any) -> None:
    with pytest.raises(ControlMissing, match="No frame 'billing'") as raised:
        run(find_field(frames, "IBAN", frame="billing"))
    assert {"claims", "Payment details"} <= set(raised.value.details["seen"])


def test_shadow_dom_fields_and_buttons(run: Run, context: Any) -> None:
    page = opened(run, context, "shadow.html")
    run(fill(page, "Vendor ID", "V-77"))
    assert run(page.locator("vendor-field #vendor").input_value()) == "V-77"
    assert run(find_field(page, "Customer")).how == "sibling-label"
    found = run(find_button(page, Button(text="Look up")))
    assert run(found.locator.get_attribute("id")) == "lookup"
