"""web.search_record and web.fill_form against the real legacy app in real Chromium."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bots.kernel import StepContext
from bots.kernel.errors import BusinessError
from bots.steps.web.fill_form import fill_form
from bots.steps.web.search_record import search_record
from fixtures.legacy_app import LegacyApp

Call = Callable[..., Any]
LOSS_DATE = (date.today() - timedelta(days=10)).isoformat()
INQUIRY = {"url": "/policy/inquiry", "submit": "Inquire",
           "read": {"holder": "Policy Holder", "status": "Status", "limit": "Coverage Limit:"}}
CLAIM_SEARCH = {"url": "/claim/search", "submit": "Search",
                "not_found": {"text": "No claims found."}, "read": {"reference": "Claim Reference"}}


def claim_params(amount: Any = None) -> dict[str, Any]:
    amount = amount or {"value": "1,250.5", "format": "amount"}
    return {"url": "/claim/new", "read": {"reference": "Claim Reference"}, "pages": [
        {"fields": {"Policy Number": "POL-100234", "Claimant Name": "Maria Keller",
                    "Phone": "555-0101"}, "submit": "Next >"},
        {"fields": {"Date of Loss": {"value": LOSS_DATE, "format": "date:%m/%d/%Y"},
                    "Loss Type": "Water damage", "Amount Claimed": amount,
                    "External Reference": "BOT-A1B2C3D4E5", "Description": "Burst pipe"},
         "submit": "Next >"},
        {"submit": "Submit Claim"}]}


def test_search_reads_the_found_record(call: Call, ctx: StepContext) -> None:
    found = call(search_record, {**INQUIRY, "fields": {"Policy Number": "POL-100234"}}, ctx)
    assert found == {"found": True, "holder": "Maria Keller", "status": "ACTIVE",
                     "limit": "25,000.00 EUR"}


def test_search_not_found_with_a_code_is_a_business_error(call: Call, ctx: StepContext) -> None:
    params = {**INQUIRY, "fields": {"Policy Number": "POL-999999"},
              "not_found": {"text": "POLICY NOT FOUND", "code": "POLICY_NOT_ON_SCREEN"}}
    with pytest.raises(BusinessError, match="POL-999999") as raised:
        call(search_record, params, ctx)
    assert raised.value.code == "POLICY_NOT_ON_SCREEN"


def test_search_not_found_without_a_code_answers_found_false(call: Call,
                                                             ctx: StepContext) -> None:
    params = {**CLAIM_SEARCH, "fields": {"External Reference": "BOT-NOPE"}}
    assert call(search_record, params, ctx) == {"found": False}


def test_fill_form_keys_one_claim_with_the_typed_values(call: Call, ctx: StepContext,
                                                        app: LegacyApp) -> None:
    result = call(fill_form, claim_params(), ctx)
    claims = app.claims()
    assert len(claims) == 1
    claim = claims[0]
    assert result == {"reference": claim["reference"]}
    assert claim["reference"].startswith("CLM-")
    assert {key: claim[key] for key in ("policy_number", "claimant_name", "phone", "loss_date",
                                        "loss_type", "amount", "external_ref", "description")} \
        == {"policy_number": "POL-100234", "claimant_name": "Maria Keller", "phone": "555-0101",
            "loss_date": LOSS_DATE, "loss_type": "WTR", "amount": "1250.50",
            "external_ref": "BOT-A1B2C3D4E5", "description": "Burst pipe"}
    check = {**CLAIM_SEARCH, "fields": {"External Reference": "BOT-A1B2C3D4E5"}}
    assert call(search_record, check, ctx) == {"found": True, "reference": claim["reference"]}


def test_dry_run_fills_everything_and_submits_nothing(call: Call, ctx: StepContext,
                                                      app: LegacyApp) -> None:
    ctx.dry_run = True
    result = call(fill_form, claim_params(), ctx)
    assert app.claims() == []
    assert result["dry_run"] is True
    assert result["would_submit"]["Amount Claimed"] == "1250.50"
    assert result["would_submit"]["Date of Loss"] == date.fromisoformat(LOSS_DATE).strftime(
        "%m/%d/%Y")
    screenshot = Path(result["screenshot"])
    assert screenshot.parent == ctx.evidence_dir
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert "Submit Claim" in Path(result["html"]).read_text()


def test_rejected_value_is_validation_rejected_with_the_red_text(call: Call, ctx: StepContext,
                                                                 app: LegacyApp) -> None:
    with pytest.raises(BusinessError) as raised:
        call(fill_form, claim_params(amount="12.5"), ctx)
    assert raised.value.code == "VALIDATION_REJECTED"
    assert "Amount Claimed must have two decimals, e.g. 1250.00." in raised.value.message
    assert app.claims() == []


@pytest.mark.parametrize("step_type", [search_record, fill_form], ids=lambda s: s.name)
def test_documented_example_is_valid(step_type: Any) -> None:
    example = YAML(typ="safe").load(step_type.example)
    assert step_type.params.model_validate(example[0]["with"])
    assert example[0]["uses"] == step_type.name
