"""web.read_page through its step function, against the real legacy app in real Chromium."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError
from ruamel.yaml import YAML

from bots.kernel import StepContext
from bots.kernel.errors import BusinessError, TransientError
from bots.steps.web.fill_form import fill_form
from bots.steps.web.read_page import Params, read_page
from bots.steps.web.search_record import search_record
from bots.web.session import web_of
from fixtures.legacy_app import LegacyApp
from tests.steps.web.test_web_steps import claim_params
from tests.steps.web.web_helpers import Run

Call = Callable[..., Any]
SEARCH = {"url": "/claim/search", "submit": "Search", "fields": {"External Reference": "BOT-DUP"}}
CLAIMS = {"headers": ["Claim Reference"],
          "columns": {"reference": "Claim Reference", "policy": "Policy Number",
                      "status": "Status"}}


def key_claims(call: Call, ctx: StepContext, external_ref: str, times: int) -> None:
    params = claim_params()
    params["pages"][1]["fields"]["External Reference"] = external_ref
    for _ in range(times):
        call(fill_form, params, ctx)


def inject(run: Run, ctx: StepContext, script: str) -> None:
    """Change the item's current page the way a client-side app would."""
    run(run_script(ctx, script))


async def run_script(ctx: StepContext, script: str) -> None:
    page = await web_of(ctx).page()
    await page.evaluate(script)


def test_a_search_with_several_hits_reads_as_rows(call: Call, ctx: StepContext,
                                                  app: LegacyApp) -> None:
    key_claims(call, ctx, "BOT-DUP", times=2)
    call(search_record, SEARCH, ctx)  # leaves the result list on the page
    result = call(read_page, {"tables": {"claims": CLAIMS},
                              "read": {"searched": "External Reference"}}, ctx)
    references = [claim["reference"] for claim in app.claims()]
    assert result == {"searched": "BOT-DUP", "claims_count": 2, "claims": [
        {"reference": ref, "policy": "POL-100234", "status": "REGISTERED"}
        for ref in references]}
    with pytest.raises(BusinessError, match="heads a column of a table with 2 rows"):
        call(read_page, {"read": {"reference": "Claim Reference"}}, ctx)


def test_a_search_step_reading_one_value_among_several_hits_is_several_matches(
        call: Call, ctx: StepContext, app: LegacyApp) -> None:
    key_claims(call, ctx, "BOT-DUP", times=2)  # it read the column's heading before
    with pytest.raises(BusinessError, match="found several records") as raised:
        call(search_record, SEARCH | {"read": {"reference": "Claim Reference"}}, ctx)
    assert raised.value.code == "SEVERAL_MATCHES"
    assert sorted(raised.value.details["candidates"]) == sorted(
        claim["reference"] for claim in app.claims())


def test_one_hit_reads_by_label_and_as_one_row(call: Call, ctx: StepContext,
                                               app: LegacyApp) -> None:
    key_claims(call, ctx, "BOT-DUP", times=1)
    call(search_record, SEARCH, ctx)
    result = call(read_page, {"read": {"reference": "Claim Reference"},
                              "tables": {"claims": CLAIMS}}, ctx)
    assert result["reference"] == app.claims()[0]["reference"]
    assert [row["reference"] for row in result["claims"]] == [result["reference"]]


def test_url_opens_a_page_and_patterns_read_it(call: Call, ctx: StepContext) -> None:
    result = call(read_page, {"url": "/menu", "read": {
        "today": {"pattern": r"Today's date: (?P<date>\d\d/\d\d/\d{4})"},
        "missing": {"pattern": "CLM-\\d+", "required": False},
        "nothing": {"label": "Claim Reference", "required": False},
        "links": {"selector": "a", "all": True}}}, ctx)
    assert len(result["today"]) == 10 and result["missing"] is None
    assert result["nothing"] is None
    assert "Sign Off" in result["links"]


def test_wait_for_a_message_before_reading(run: Run, call: Call, ctx: StepContext) -> None:
    call(read_page, {"url": "/menu", "read": {"title": {"selector": "h1", "all": True}}}, ctx)
    inject(run, ctx, """() => setTimeout(() => document.body.insertAdjacentHTML('beforeend',
        '<p class="message">Saved:&nbsp;claim CLM-000042</p>'), 300)""")
    result = call(read_page, {"wait_for": {"text": "Saved: claim"},
                              "read": {"saved": {"pattern": r"claim (CLM-\d+)"}}}, ctx)
    assert result == {"saved": "CLM-000042"}
    with pytest.raises(TransientError, match="Waited 0.3 s for the text 'Never' to appear") \
            as raised:
        call(read_page, {"wait_for": {"text": "Never", "timeout_s": 0.3},
                         "read": {"saved": {"pattern": "CLM"}}}, ctx)
    assert raised.value.code == "TIMEOUT"


def test_red_text_the_recipe_names_is_the_items_exception(run: Run, call: Call,
                                                          ctx: StepContext) -> None:
    call(read_page, {"url": "/menu", "read": {"h": {"selector": "h1", "all": True}}}, ctx)
    inject(run, ctx, """() => document.body.insertAdjacentHTML('beforeend',
        '<p class="err">Policy POL-1 is not valid</p>')""")
    params = {"read": {"message": {"selector": ".err"}}}
    assert call(read_page, params, ctx) == {"message": "Policy POL-1 is not valid"}
    with pytest.raises(BusinessError, match="not valid") as raised:
        call(read_page, {**params, "errors": [{"text": "NOT VALID", "code": "FORM_REJECTED"}]},
             ctx)
    assert raised.value.code == "FORM_REJECTED"
    assert call(read_page, {**params, "errors": [{"text": "expired", "code": "X"}]}, ctx)


@pytest.mark.parametrize(("params", "problem"), [
    ({"read": {"a": {"label": "A", "selector": "#a"}}}, "exactly one of label, selector"),
    ({"read": {"a": {"label": "A", "all": True}}}, "needs one"),
    ({"read": {"a": {"pattern": "(unclosed"}}}, "not a regular expression"),
    ({"read": {"a_count": "A"}, "tables": {"a": {}}}, "output names used twice: a_count"),
    ({}, "needs something to read"),
    ({"tables": {"a": {"columns": {"x": " "}}}}, "non-empty header texts"),
])
def test_parameters_are_checked_when_the_recipe_loads(params: dict[str, Any],
                                                      problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        Params.model_validate(params)


def test_every_documented_example_is_valid() -> None:
    examples = YAML(typ="safe").load(read_page.example)
    assert len(examples) == 4
    for example in examples:
        assert example["uses"] == "web.read_page"
        Params.model_validate(example["with"])
