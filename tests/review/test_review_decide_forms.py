"""The decision forms refuse what they should before anything runs: a reference value sent
as an ordinary correction, a badly typed value, a source fix without a reason or of a document
value, an approval of an exception no rule raised. Each refusal names the field and changes
nothing (real app, real ledger; no resubmit is started)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from bots.review import create_app
from tests.review.review_helpers import StateFolder, csrf_of, sign_on


@pytest.fixture
def settled(state: StateFolder, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app with the recipes' settings present (so nothing is refused for lacking them)."""
    for name in ("LEGACY_URL", "LEGACY_USER", "LEGACY_PASSWORD"):
        monkeypatch.setenv(name, "http://127.0.0.1:9" if name == "LEGACY_URL" else "x")
    with TestClient(create_app(state.url, state.path, goals={})) as client:
        assert sign_on(client).status_code == 303
        yield client


def said(client: TestClient, state: StateFolder, key: str, **form: str) -> str:
    """The flash text after posting one decision form of the item."""
    url = f"/items/{state.ids[key]}"
    token = csrf_of(client.get(url).text)
    answer = client.post(url, data={"csrf": token, **form}, follow_redirects=False)
    page = client.get(answer.headers["location"]).text
    start = page.index('class="flash')
    return page[start:page.index("</p>", start)]


def form_of(page: str, form_id: str) -> str:
    start = page.index(f'id="{form_id}"')
    return page[start:page.index("</form>", start)]


def audit(state: StateFolder, key: str) -> list[dict[str, Any]]:
    ledger = state.ledger()
    try:
        return ledger.audit_trail(state.ids[key])
    finally:
        ledger.close()


def test_a_register_value_is_not_an_ordinary_correction(settled, state) -> None:
    text = said(settled, state, "over_limit", action="retry",
                **{"policy.coverage_limit": "10000.00"})
    assert "policy.coverage_limit is read from reference data" in text
    assert "the source" in text and audit(state, "over_limit") == []


def test_a_badly_typed_value_is_refused_naming_the_field(settled, state) -> None:
    text = said(settled, state, "over_limit", action="retry",
                **{"claim.loss_date": "19.07.2026"})
    assert "claim.loss_date must be a date as YYYY-MM-DD" in text
    text = said(settled, state, "over_limit", action="retry", **{"claim.amount": "9.400,00"})
    assert "claim.amount must be a number" in text
    assert audit(state, "over_limit") == []


def test_a_source_fix_needs_a_reason_and_a_reference_value(settled, state) -> None:
    text = said(settled, state, "over_limit", action="source-fix",
                field="policy.coverage_limit", value="10000.00", reason=" ")
    assert "needs a reason" in text
    text = said(settled, state, "over_limit", action="source-fix", field="claim.amount",
                value="100.00", reason="typo")
    assert "not a value read from reference data" in text
    assert audit(state, "over_limit") == []


def test_the_item_page_offers_the_source_fix_for_reference_values_only(settled, state):
    page = settled.get(f"/items/{state.ids['over_limit']}").text
    form = form_of(page, "source-form")
    assert 'value="policy.coverage_limit"' in form and 'value="claim.amount"' not in form
    retry = form_of(page, "retry-form")
    assert 'name="claim.amount"' in retry and 'name="policy.coverage_limit"' not in retry


def test_an_exception_no_rule_raised_cannot_be_approved(settled, state) -> None:
    text = said(settled, state, "hostile", action="approve", reason="looks fine")
    assert "no business rule of code POLICY_NOT_FOUND stopped this item" in text
    assert audit(state, "hostile") == []
