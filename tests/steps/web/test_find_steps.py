"""web.fill_form and web.search_record with the new ways to name things, on the legacy app:
buttons as {text|selector}, no url (the page as it is), the submit mark right before the final
click only, fingerprints remembered on success."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from bots.kernel import StepContext
from bots.steps.web.fill_form import fill_form
from bots.steps.web.search_record import search_record
from bots.web.screen import ControlMemory
from bots.web.session import web_of
from bots.web.targets import ControlMissing, Found
from fixtures.legacy_app import LegacyApp
from tests.steps.web.test_web_steps import claim_params
from tests.steps.web.web_helpers import on_the_loop

Call = Callable[..., Any]


class Journal:
    """A ControlMemory that heals nothing and records what the step remembered."""

    def __init__(self) -> None:
        self.remembered: list[tuple[str, str, str]] = []

    async def heal(self, page: Any, what: str, name: str, missing: ControlMissing) -> Found:
        raise missing

    def remember(self, used: list[tuple[str, str, Found]]) -> None:
        self.remembered += [(what, name, found.how) for what, name, found in used]


def submits_seen(ctx: StepContext, app: LegacyApp, run: Any) -> tuple[StepContext, list[Any]]:
    """A context whose submit mark records, at that moment, how many forms the page had
    posted (the wizard's pages before the last) and how many claims the app had."""
    posted: list[str] = []
    page = run(web_of(ctx).page())  # signed on: the sign-on's post is not counted

    def note_post(request: Any) -> None:
        if request.method == "POST":
            posted.append(request.url)

    run(on_the_loop(lambda: page.on("request", note_post)))
    seen: list[Any] = []
    return dataclasses.replace(ctx, on_submit=lambda: seen.append((len(posted),
                                                                   len(app.claims())))), seen


def test_the_submit_mark_comes_once_right_before_the_final_click(
        call: Call, ctx: StepContext, app: LegacyApp, run: Any) -> None:
    marked_ctx, seen = submits_seen(ctx, app, run)
    call(fill_form, claim_params(), marked_ctx)
    assert seen == [(2, 0)] and len(app.claims()) == 1  # after two pages, before the claim


def test_no_submit_mark_when_a_field_is_missing(call: Call, ctx: StepContext, app: LegacyApp,
                                                run: Any) -> None:
    marked_ctx, seen = submits_seen(ctx, app, run)
    params = claim_params()
    params["pages"][1]["fields"]["Flood Zone"] = "B"
    with pytest.raises(ControlMissing, match="No field labelled 'Flood Zone'"):
        call(fill_form, params, marked_ctx)
    assert seen == [] and app.claims() == []


def test_buttons_by_selector_and_text_object(call: Call, ctx: StepContext,
                                             app: LegacyApp) -> None:
    params = claim_params()
    params["pages"][0]["submit"] = {"selector": "input[type=submit][value^=Next]"}
    params["pages"][2]["submit"] = {"text": "Submit Claim"}
    assert call(fill_form, params, ctx)["reference"].startswith("CLM-")


def test_without_url_the_step_works_on_the_page_as_it_is(call: Call, ctx: StepContext,
                                                         run: Any) -> None:
    page = run(web_of(ctx).page())
    run(page.goto(web_of(ctx).url("/policy/inquiry")))
    found = call(search_record, {"fields": {"Policy Number": "POL-100234"},
                                 "submit": "Inquire", "read": {"holder": "Policy Holder"}}, ctx)
    assert found == {"found": True, "holder": "Maria Keller"}


def test_a_successful_step_remembers_its_controls(call: Call, ctx: StepContext,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    journal = Journal()
    memory: ControlMemory = journal
    monkeypatch.setattr("bots.web.step_screen.memory_for", lambda _ctx: memory)
    call(search_record, {"url": "/policy/inquiry", "fields": {"Policy Number": "POL-100234"},
                         "submit": "Inquire", "read": {"holder": "Policy Holder"}}, ctx)
    assert journal.remembered == [("field", "Policy Number", "table-cell-left"),
                                  ("button", "Inquire", "value")]
